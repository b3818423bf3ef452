// SPDX-License-Identifier: AGPL-3.0-or-later

// Package cases is the protection case: the file a caseworker opens for a
// migrant in a vulnerable situation and keeps until the person no longer
// needs help (DESIGN capability 2; A/68/190 points 1, 3 and 4; the
// resolution's ¶¶4, 5 and 7).
//
// A case belongs to one organisation and one caseworker (its owner), and
// optionally to a team; these three decide who may reach it, through the
// record scope of the principal's role (access.Principal.Allows). A record
// out of reach answers ErrNotFound, never "forbidden", so that another
// organisation cannot learn that an id exists.
//
// The case moves through a workflow (new → assessment → case plan →
// services → closed, and back to assessment when reopened) whose allowed
// moves are data (Transitions). Closing is never a direct move: the
// caseworker asks for it with a reason, and someone else holding
// case.approve_closure approves or rejects the request, so that no one
// closes a person's case alone.
//
// What is said about the person lives in notes, task titles and
// attachments. They are sealed under the case's own data key (vault), so
// that destroying that one key erases them everywhere, backups included.
// Status, risk level and protection concerns stay in clear: they are codes
// from controlled vocabularies, needed for lists, alerts and statistics.
//
// Every change, and every read of sealed content, appends an audit entry
// in the same transaction, with object type "case" and the case id as
// object, naming fields ("status", "note", "task.due_at"), never values;
// History reads them back. A case can move to another organisation only by
// an offer that the receiving organisation accepts.
package cases
