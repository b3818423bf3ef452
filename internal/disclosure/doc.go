// SPDX-License-Identifier: AGPL-3.0-or-later

// Package disclosure protects tables of counts before they are shown
// outside the organisation that owns the data or published, so that no
// one can be re-identified from them (SECURITY-BAR item 16; the practice
// of CTDC's k-anonymised releases and of statistical offices' cell
// suppression).
//
// Protect takes a one-way table (categories and their counts) or a two-way
// table (row categories × column categories), computes its totals (row
// totals, column totals and the grand total) and publishes it under three
// rules:
//
//  1. Primary suppression: every count, totals included, from 1 to k-1 is
//     withheld (k is 11 by default and never below 5). Zero is published:
//     "nobody" identifies no one.
//  2. Complementary suppression: more counts are withheld until no
//     withheld count can be worked out, or bounded below k, from the
//     published ones. A reader who knows that every line adds up (the
//     cells of a row make its total, the row totals make the grand total,
//     and so on), that a withheld count is at least 1 (zeros are always
//     shown) and every published count exactly, can still not prove that
//     any withheld count is below k. This is checked exactly, not by a
//     rule of thumb: the largest value a withheld count can take given
//     everything published is a maximum flow in the graph whose nodes are
//     the table's lines and whose edges are the withheld counts (flow.go),
//     and it must reach k. It follows that no line ever has exactly one
//     withheld count, and that the withheld counts of a line whose total is
//     shown add up to at least k.
//  3. Rounding: every published count, totals included, is rounded to the
//     nearest multiple of 5 (each on its own, so rounded cells need not add
//     up to their rounded total), except that a count of k or more is never
//     rounded below k (11 and 12 are shown as 15 when k is 11). Two
//     releases one person apart therefore never differ by 1.
//
// Unprotected gives the same table with its totals and nothing withheld
// or rounded, for an organisation's own figures shown to its own staff.
package disclosure
