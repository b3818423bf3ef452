// SPDX-License-Identifier: AGPL-3.0-or-later

// Package violations documents human-rights violations against migrants
// (agenda 1, 3, 5; res. ¶¶3(a), 4(e), 5(a)(b)) in the "who did what to whom"
// model of the HURIDOCS Events Standard Formats.
//
// An event (an arrest, a pushback, a raid, an attack) has a title, a start
// and an end known to a precision (Date), a place and a description. Its
// acts say what was done, to which victim (a person of the organisation),
// with which consequences, and which right it affected; its perpetrators
// are described by category and, when known, identity, and linked to the
// acts they took part in with their degree of involvement; its sources say
// how the organisation knows, rated on the Admiralty scale; its
// interventions record what was done about it. Events link to the cases
// and persons they concern. A xenophobic or racist incident is an act of
// the act-type branch "70".
//
// Codes come from controlled vocabularies (Vocabulary) shipped in the six
// UN languages in vocabularies.json; a holder of vocabulary.write adds
// terms and retires them. A retired term is no longer offered, but still
// names the records that hold it and may stay on them.
//
// Everything that may identify someone or tell what happened to them —
// title, description and place of the event, descriptions of acts,
// identities of perpetrators, details of sources, notes of interventions —
// is sealed under a data key of the event's own, so deleting an event
// destroys that key and every copy of its content. Codes, dates, the
// country and admin-1 area are in clear for lists and statistics.
//
// Access follows the event as it follows a case: violation.read and
// violation.write with the record scopes own, team and organisation, on
// the event's owner and team. Another organisation's event, or one out of
// the reader's scope, is ErrNotFound. Every write, and every read of sealed
// content, appends an audit entry in the same transaction, naming fields,
// never values. Linking a case or a person needs read access to it too.
package violations
