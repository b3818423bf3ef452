// SPDX-License-Identifier: AGPL-3.0-or-later

// Package indicators is the registry of what the evidence base measures
// (agenda point 7 of A/68/190; the resolution's ¶9(d) and ¶15): each
// indicator's code, names, definition and method in the six languages, its
// type after the OHCHR model (structural, process, outcome), unit, polarity,
// target, allowed disaggregations, custodian, links to framework nodes, and
// how its value comes about.
//
// A value comes about in one of five ways. An entered indicator's values are
// the observations of its first series. A formula is an internal/expr
// expression over other series, evaluated per area and period. A live
// indicator is counted from case data on demand, only ever through the
// disclosure control of internal/statistics, only on the working layer and
// only by someone who may read working data; it goes public only by being
// recorded as an observation and then approved and published. A commitments
// indicator is read from the ratification records. A composite is a scoring
// method: SDG 10.7.2's thirty sub-category answers become six domain scores,
// an overall score and a category from 1 to 4, per the custodians' method.
//
// Regional values are formed from the countries' by each indicator's rule:
// a sum, a mean weighted by a population series, or none.
//
// The SDG migration indicators and a starter set for the eight agenda points
// ship in data/indicators.json (sources in data/SOURCE.md) and are written at
// start by EnsureShipped, which changes nothing when they are already there.
// Indicators are public reference data: reading them needs no account;
// writing them needs indicator.write and is audited.
package indicators
