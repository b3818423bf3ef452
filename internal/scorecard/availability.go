// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// Availability counts a framework's indicators by the data an area has
// for them, after SDG 17.18.1: Recent have a published value in the last
// RecentYears years, and Migratory of those a value broken down by
// migratory status (a MIGRATORY_STATUS code in its disaggregation). For a
// region the counts are summed over its member countries, so the shares
// are their average.
type Availability struct {
	Indicators, Recent, Migratory int
}

// RecentShare is the share of indicators with a recent value, from 0 to 1;
// 0 without indicators.
func (a Availability) RecentShare() float64 { return share(a.Recent, a.Indicators) }

// MigratoryShare is the share of indicators with a recent value by
// migratory status, from 0 to 1.
func (a Availability) MigratoryShare() float64 { return share(a.Migratory, a.Indicators) }

func (a *Availability) add(b Availability) {
	a.Indicators += b.Indicators
	a.Recent += b.Recent
	a.Migratory += b.Migratory
}

func share(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

// migratoryDim is the dimension whose presence makes a value count as
// broken down by migratory status.
const migratoryDim = "MIGRATORY_STATUS="

// byMigratoryStatus reports whether a disaggregation key breaks down by
// migratory status. Keys are canonical ("AGE=Y15T64;MIGRATORY_STATUS=…"),
// so the dimension's name is either at the start or after a ';'.
func byMigratoryStatus(disagg string) bool {
	return strings.HasPrefix(disagg, migratoryDim) || strings.Contains(disagg, ";"+migratoryDim)
}

// areaSets are, for one indicator, the areas with a recent value and
// those with a recent value by migratory status.
type areaSets struct{ recent, migratory map[string]bool }

// countryAvailability finds, for every country, which recent values an
// indicator has. It is kept per version of the published data: the
// scorecards of regions and the list of countries need it for all
// countries at once.
func (s *Service) countryAvailability(ctx context.Context, in indicators.Indicator) (areaSets, error) {
	if stored(in) && in.MainSeries() == "" {
		return areaSets{map[string]bool{}, map[string]bool{}}, nil
	}
	since := s.since()
	if !stored(in) {
		// Computed values: ask the registry, for every country.
		key, err := s.computedKey(ctx, in)
		if err != nil {
			return areaSets{}, err
		}
		return remembered(ctx, s, "availc|"+key+"|"+since, func() (areaSets, error) {
			return s.computedAvailability(ctx, in, observations.RegionMembers(observations.World), since)
		})
	}
	return remembered(ctx, s, "avail|"+in.MainSeries()+"|"+since, func() (areaSets, error) {
		return s.seriesAvailability(ctx, in.MainSeries(), since)
	})
}

// seriesAvailability answers countryAvailability for a series from the
// index, in a few queries that read no value: the areas with a recent
// total; among the others, those with any recent value; then, one
// migratory-status breakdown after the other, the areas still without one.
func (s *Service) seriesAvailability(ctx context.Context, series, since string) (areaSets, error) {
	out := areaSets{map[string]bool{}, map[string]bool{}}
	found, err := s.areasWith(ctx, series, "", since, nil)
	if err != nil {
		return out, err
	}
	for _, a := range found {
		out.recent[a] = true
	}
	var missing []string
	for _, c := range observations.RegionMembers(observations.World) {
		if !out.recent[c] {
			missing = append(missing, c)
		}
	}
	if found, err = s.areasWithAny(ctx, series, since, missing); err != nil {
		return out, err
	}
	for _, a := range found {
		out.recent[a] = true
	}
	disaggs, err := s.disaggsOf(ctx, series)
	if err != nil {
		return out, err
	}
	first := true
	for _, d := range disaggs {
		if !byMigratoryStatus(d) {
			continue
		}
		var narrow []string // nil: every area, for the first breakdown
		if !first {
			narrow = []string{}
			for a := range out.recent {
				if !out.migratory[a] {
					narrow = append(narrow, a)
				}
			}
			if len(narrow) == 0 {
				break
			}
			slices.Sort(narrow)
		}
		first = false
		found, err := s.areasWith(ctx, series, d, since, narrow)
		if err != nil {
			return out, err
		}
		for _, a := range found {
			out.migratory[a] = true
		}
	}
	return out, nil
}

// computedAvailability answers countryAvailability for an indicator whose
// values are computed (formula, composite, commitments), from its values.
func (s *Service) computedAvailability(ctx context.Context, in indicators.Indicator, areas []string, since string) (areaSets, error) {
	out := areaSets{map[string]bool{}, map[string]bool{}}
	vals, err := s.ind.Values(ctx, observations.LayerPublished, in.Code, areas, since, "")
	if err != nil {
		return out, err
	}
	for _, o := range vals {
		out.recent[o.Area] = true
		if byMigratoryStatus(o.Disagg) {
			out.migratory[o.Area] = true
		}
	}
	return out, nil
}
