// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	"fmt"

	"github.com/amparo-project/amparo/internal/observations"
)

// Aggregate forms a region's value of an indicator for one period from its
// members' totals, by the indicator's rule: the sum of the values, or
// their mean weighted by each member's value of the weight series for the
// same period (members without a weight are left out). An indicator whose
// rule is none, or a region with no member value, has no aggregate (false).
// The footnote says how many members had a value; the status is the
// weakest of theirs. Live indicators have no aggregate: they are per
// country of the case.
func (s *Service) Aggregate(ctx context.Context, layer observations.Layer, code, region, period string) (observations.Observation, bool, error) {
	in, err := s.Get(ctx, code)
	if err != nil {
		return observations.Observation{}, false, err
	}
	if in.Aggregation == NoAggregate || in.Computation == Live {
		return observations.Observation{}, false, nil
	}
	members := s.members(region)
	if len(members) == 0 {
		return observations.Observation{}, false, nil
	}
	vals, err := s.values(ctx, layer, in, members, period, period)
	if err != nil {
		return observations.Observation{}, false, err
	}
	values := map[string]observations.Observation{}
	for _, o := range vals {
		if o.Disagg == "" && o.Period == period && o.Series == in.MainSeries() {
			values[o.Area] = o
		}
	}
	var weights map[string]float64
	if in.Aggregation == WeightedMean {
		weights = map[string]float64{}
		err := s.obs.Each(ctx, observations.Query{Layer: layer, Series: []string{in.WeightSeries}, Areas: members,
			Disagg: observations.Totals(), From: period, To: period}, func(o observations.Observation) error {
			if o.Period == period {
				weights[o.Area] = o.Value * pow10(o.UnitMult)
			}
			return nil
		})
		if err != nil {
			return observations.Observation{}, false, err
		}
	}
	v, n, status, ok := aggregate(in.Aggregation, members, values, weights)
	if !ok {
		return observations.Observation{}, false, nil
	}
	return observations.Observation{Series: in.MainSeries(), Area: region, Period: period, Value: v / pow10(in.UnitMult),
		Status: status, UnitMult: in.UnitMult, Source: "aggregate:" + in.Aggregation,
		Footnote: fmt.Sprintf("%d of %d areas", n, len(members))}, true, nil
}

// aggregate applies rule to the members' values (and weights, for a
// weighted mean): the value, how many members it used, their weakest
// status, and whether there was anything to aggregate.
func aggregate(rule string, members []string, values map[string]observations.Observation, weights map[string]float64) (float64, int, string, bool) {
	status := observations.StatusFinal
	sum, wsum := 0.0, 0.0
	n := 0
	for _, m := range members {
		o, ok := values[m]
		if !ok {
			continue
		}
		v := o.Value * pow10(o.UnitMult)
		switch rule {
		case Sum:
			sum += v
		case WeightedMean:
			w, ok := weights[m]
			if !ok || w <= 0 {
				continue
			}
			sum += v * w
			wsum += w
		default:
			return 0, 0, "", false
		}
		n++
		status = weaker(status, o.Status)
	}
	switch {
	case n == 0:
		return 0, 0, "", false
	case rule == WeightedMean:
		return sum / wsum, n, status, true
	}
	return sum, n, status, true
}
