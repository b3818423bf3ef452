// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"sync"

	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// regionsOf maps each country to the regions it belongs to, the world
// first: the inverse of observations.RegionMembers, which is what
// indicators.Aggregate forms a region's value from.
var regionsOf = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, r := range observations.Regions() {
		for _, c := range observations.RegionMembers(r) {
			m[c] = append(m[c], r)
		}
	}
	return m
})

// partial is a region's aggregate for one period in the making.
type partial struct {
	sum, wsum float64
	n         int
	status    string
}

// regionValues are every region's aggregates of one series and
// disaggregation, by region and period, in base units (unit multiplier 0).
type regionValues map[string]map[string]partial

// entryAggregates forms the aggregates of an entered indicator for every
// region and period at once, from one read of its main series' values in
// disagg (and one of the weight series' totals for a weighted mean), by
// the rule indicators.Aggregate applies to one region and period: the sum
// of the members' values, or their mean weighted by each member's value of
// the weight series for the same period, members without a positive weight
// left out. A test checks that both agree. Computing one region and period
// at a time would read the members' values once per period; this reads
// each value once, and the result is kept per version of the published
// data.
func (s *Service) entryAggregates(ctx context.Context, in indicators.Indicator, disagg string) (regionValues, error) {
	key := fmt.Sprintf("agg|%s|%s|%s|%s", in.MainSeries(), disagg, in.Aggregation, in.WeightSeries)
	return remembered(ctx, s, key, func() (regionValues, error) {
		return s.computeAggregates(ctx, in, disagg)
	})
}

func (s *Service) computeAggregates(ctx context.Context, in indicators.Indicator, disagg string) (regionValues, error) {
	out := regionValues{}
	if in.Aggregation != indicators.Sum && in.Aggregation != indicators.WeightedMean {
		return out, nil
	}
	regions := regionsOf()
	type cell struct{ area, period string }
	var weights map[cell]float64
	if in.Aggregation == indicators.WeightedMean {
		weights = map[cell]float64{}
		err := s.obs.Each(ctx, observations.Query{Series: []string{in.WeightSeries}, Disagg: observations.Totals()},
			func(o observations.Observation) error {
				if _, ok := regions[o.Area]; ok {
					weights[cell{o.Area, o.Period}] = o.Value * pow10(o.UnitMult)
				}
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	err := s.obs.Each(ctx, observations.Query{Series: []string{in.MainSeries()}, Disagg: &disagg},
		func(o observations.Observation) error {
			rs, ok := regions[o.Area]
			if !ok {
				return nil
			}
			v, w := o.Value*pow10(o.UnitMult), 1.0
			if weights != nil {
				if w, ok = weights[cell{o.Area, o.Period}]; !ok || w <= 0 {
					return nil
				}
			}
			for _, r := range rs {
				byPeriod := out[r]
				if byPeriod == nil {
					byPeriod = map[string]partial{}
					out[r] = byPeriod
				}
				p := byPeriod[o.Period]
				if p.n == 0 {
					p.status = observations.StatusFinal
				}
				p.sum += v * w
				p.wsum += w
				p.n++
				p.status = weaker(p.status, o.Status)
				byPeriod[o.Period] = p
			}
			return nil
		})
	return out, err
}

// observation is a region's aggregate for one period as indicators.Aggregate
// gives it: in the indicator's unit, with how many members had a value.
func (rv regionValues) observation(in indicators.Indicator, region, period string) (observations.Observation, bool) {
	p, ok := rv[region][period]
	if !ok || p.n == 0 {
		return observations.Observation{}, false
	}
	v := p.sum
	if in.Aggregation == indicators.WeightedMean {
		v = p.sum / p.wsum
	}
	return observations.Observation{Series: in.MainSeries(), Area: region, Period: period, Value: v / pow10(in.UnitMult),
		Status: p.status, UnitMult: in.UnitMult, Source: "aggregate:" + in.Aggregation,
		Footnote: fmt.Sprintf("%d of %d areas", p.n, len(observations.RegionMembers(region)))}, true
}

// enteredRegionValues are an entered indicator's values for a region in
// one disaggregation, sorted by period: a value published for the region
// itself (a custodian's regional estimate) is the region's figure for its
// period, and the aggregate of its members stands in where there is none.
func (s *Service) enteredRegionValues(ctx context.Context, in indicators.Indicator, region, disagg string) ([]observations.Observation, error) {
	if in.MainSeries() == "" {
		return nil, nil
	}
	rv, err := s.entryAggregates(ctx, in, disagg)
	if err != nil {
		return nil, err
	}
	own, err := s.obs.All(ctx, observations.Query{Series: []string{in.MainSeries()}, Areas: []string{region}, Disagg: &disagg})
	if err != nil {
		return nil, err
	}
	byPeriod := map[string]observations.Observation{}
	for _, p := range rv.periods(region) {
		if o, ok := rv.observation(in, region, p); ok {
			o.Disagg = disagg
			byPeriod[p] = o
		}
	}
	for _, o := range own {
		byPeriod[o.Period] = o
	}
	out := make([]observations.Observation, 0, len(byPeriod))
	for _, p := range slices.SortedFunc(maps.Keys(byPeriod), compareCodes) {
		out = append(out, byPeriod[p])
	}
	return out, nil
}

// periods lists the periods a region has aggregates for, sorted.
func (rv regionValues) periods(region string) []string {
	var out []string
	for p := range rv[region] {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// weaker returns the weaker of two observation statuses: estimated, then
// provisional, then final.
func weaker(a, b string) string {
	rank := func(s string) int {
		switch s {
		case observations.StatusEstimated:
			return 2
		case observations.StatusProvisional:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}

func pow10(n int) float64 { return math.Pow(10, float64(n)) }
