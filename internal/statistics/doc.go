// SPDX-License-Identifier: AGPL-3.0-or-later

// Package statistics counts the current data — cases, their principal
// persons, detention, consular notification, referrals, violations and
// exploitation — by one dimension (concern, nationality, sex, age band,
// place, length of detention, consular compliance, referral status, act
// type, perpetrator category), optionally crossed with a second (sex or
// age band), and publishes the tables only through disclosure control
// (internal/disclosure) with the threshold k a system administrator sets.
//
// Nothing is computed ahead: every table is counted when asked, from the
// data as it is, so that no nightly job runs and no stale figure is shown.
// Counting a million cases stays fast because each table is one grouped
// pass over an index holding every column it groups and filters by
// (migration 0011, cases_query.go), and the groups are folded into
// categories here.
//
// What the tables may reveal is limited by construction: ages only in
// bands, dates (the filters) only to the quarter, places only to the
// country and its first-level area, and every count through
// disclosure.Protect. Unprotected gives an organisation's own figures, exact,
// to that organisation's supervisors and administrators only
// (dashboard.read), and never anyone else's.
//
// Reading statistics is not audited: a protected table holds no personal
// data. Changing k is.
package statistics
