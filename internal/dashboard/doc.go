// SPDX-License-Identifier: AGPL-3.0-or-later

// Package dashboard computes the supervisor dashboard: live figures of one
// organisation's protection work, for its organisation administrators and
// supervisors (dashboard.read, organisation scope). The figures are
//
//   - open cases by protection concern and by risk (a concern × risk
//     table; a case with several concerns counts under each, and a last
//     row counts every open case once);
//   - overdue tasks on open cases, in all and per assignee;
//   - open alerts by kind, as internal/detention evaluates them
//     (OpenAlerts: a child in immigration detention, detention past or
//     near the legal maximum, no judicial review, consular notification
//     overdue);
//   - caseload: open cases per owner;
//   - referrals sent by the organisation by status, and the share
//     completed;
//   - compliance with consular notification (told of the right, consulate
//     notified, within the limit), assessed by detention.Assess and
//     counted by detention.ComplianceRates.
//
// They are computed from the data as it is on each request: there is no
// nightly job and nothing is stored. Every query is bounded by the
// organisation through an index that leads with it (migrations 0004, 0005,
// 0007), and returns counts only.
//
// These are the organisation's own figures, shown inside it, so cells are
// not suppressed; whatever leaves the organisation goes through the
// statistics, which apply disclosure control. Nothing here carries personal
// data of migrants: only counts, codes and ids. The one name shown is that
// of a worker (staff of the organisation) who owns cases or is assigned
// tasks, read through the accounts domain under the viewer's own
// user.read scope, which audits the read; a worker the viewer may not read
// is shown by id only.
//
// Only the viewer's own organisation can be read: any other answers
// ErrNotFound, as a record out of reach does. Each view is audited as
// dashboard.read, naming the organisation and no values.
package dashboard
