// SPDX-License-Identifier: AGPL-3.0-or-later

// Package observations keeps the values of the evidence base: one value of
// a series for an area, a period and a disaggregation, with its status,
// unit multiplier, source, footnote and provenance (which import, who,
// when), and the approval each (series, area, period) goes through —
// draft, submitted, approved, published — before it may leave the system.
//
// Two tables hold values. The working table is what analysts enter, import
// and harvest; the published table is a copy of the sets an approver has
// published, and it is the only one open data, scorecards and the explorer
// read. Changing a published set makes it a draft again but leaves its
// published copy in place until the new values are published, so that the
// public never sees half-checked figures and never sees figures vanish
// while they are being corrected. Submitting and approving must be done by
// two different people.
//
// Every write goes through one Batch — a file import, a form, a live
// computation from case data or a harvest from another instance — which is
// one transaction: a batch with any bad row writes nothing. A batch is
// recorded in observation_imports, and each value keeps its batch's id, so
// that where a number came from can always be answered.
//
// Nothing here is personal data: values are aggregates, so reading them is
// not audited; every write and every change of approval state is.
package observations
