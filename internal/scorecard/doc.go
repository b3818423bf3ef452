// SPDX-License-Identifier: AGPL-3.0-or-later

// Package scorecard computes the country scorecards and the indicator
// explorer of the evidence base (A/68/190 points 6 and 7; the resolution's
// ¶15 on reporting): for a country, each point of a framework (by default
// the eight points of A/68/190) with its indicators' latest published value,
// trend, target and distance to it, the state's commitments, and how much
// data there is; for a region or the world, the same with values
// aggregated over the member countries by each indicator's rule and the
// data availability of every member; and for one indicator, its values
// over time for chosen areas, over the world for one period, and as a
// table.
//
// It owns no table. Everything it reads is public: the published layer of
// internal/observations (never working values), the framework and
// indicator registries and the commitments records. Data availability
// follows SDG indicator 17.18.1's idea: the share of the framework's
// indicators with a value in the last five years, and the share with a
// value broken down by migratory status.
//
// Speed: a country's scorecard and the explorer read a few hundred to a few
// thousand rows and are computed on each request. A region's aggregates
// need the totals of every member country, so they are computed once per
// series for every region at once and kept until the published data change
// (Config.Version); see docs/PERFORMANCE.md.
package scorecard
