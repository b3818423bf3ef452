// SPDX-License-Identifier: AGPL-3.0-or-later

// Package detention records the deprivation of liberty of migrants and the
// consular notification owed to detained foreign nationals, and says when
// either calls for action. It serves the resolution on the protection of
// migrants, ¶4(a)–(d) (end arbitrary detention, avoid excessive periods of
// detention, use alternatives to detention) and ¶4(g) (the right of every
// detained foreign national to communicate with their consulate, Vienna
// Convention on Consular Relations, art. 36), and point 1 of the
// Secretary-General's agenda (A/68/190).
//
// The rules are pure functions of their arguments and the current time, with
// no database, so that the decisions that matter most here — is this a child
// in immigration detention, is this person held past the legal maximum, was
// the person told of their right to consular contact in time — are stated
// once and proved by table tests:
//
//   - child.go: whether the person was a child when detention began, from a
//     full date of birth or only its year, erring on the side of the child;
//   - episode.go: what a valid detention episode is;
//   - limits.go: legal maxima by country, days detained, limit exceeded;
//   - alerts.go: Evaluate, the alerts an open episode raises;
//   - consular.go: compliance with art. 36, overdue alerts and compliance
//     rates by nationality and by authority.
//
// Nothing here is invented reference data: the legal maxima and the list of
// bilateral agreements that make consular notification mandatory are data in
// the database, each entry with its published source, entered by a
// deployment; an empty table means "no data", never "no limit".
//
// Storage (service.go and the *_store.go files) keeps episodes, notifications,
// the two reference tables and per-organisation settings; it checks record
// access against the case the episode belongs to, which the caller (the
// cases layer) describes with an access.Record, and audits every write and
// every read of an episode or notification, naming fields, never values.
package detention
