// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/observations"
)

// Values returns the indicator's values on layer for areas (all when
// empty) and the periods from..to (inclusive bounds on the period text,
// "" for open), computed as its computation says: an entered indicator's
// observations of its main series (every disaggregation); a formula's,
// composite's and commitments indicator's values per area and period,
// totals only unless the method gives more. A live indicator has values on
// the working layer only (ErrNotComputable otherwise); see LiveValues,
// which callers with a principal use, since live values are for those who
// may read working data.
func (s *Service) Values(ctx context.Context, layer observations.Layer, code string, areas []string, from, to string) ([]observations.Observation, error) {
	in, err := s.Get(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.values(ctx, layer, in, areas, from, to)
}

func (s *Service) values(ctx context.Context, layer observations.Layer, in Indicator, areas []string, from, to string) ([]observations.Observation, error) {
	switch in.Computation {
	case Entered:
		if in.MainSeries() == "" {
			return nil, nil
		}
		return s.obs.All(ctx, observations.Query{Layer: layer, Series: []string{in.MainSeries()}, Areas: areas, From: from, To: to})
	case Formula:
		return s.formulaValues(ctx, layer, in, areas, from, to)
	case Composite:
		return s.compositeValues(ctx, layer, in, areas, from, to)
	case Commitments:
		return s.commitmentValues(ctx, in, areas, from, to)
	case Live:
		return nil, ErrNotComputable
	}
	return nil, fmt.Errorf("indicators: unknown computation %q", in.Computation)
}

// cell is one area and period.
type cell struct{ area, period string }

// formulaValues evaluates the formula for every area and period where any
// of its series has a value. A result with a missing input is left out
// (the DHIS2 "skip if any value missing" strategy: a ratio with a missing
// numerator is not zero), as is a division by zero. The result's status is
// the weakest of its inputs' (estimated, then provisional, then final).
func (s *Service) formulaValues(ctx context.Context, layer observations.Layer, in Indicator, areas []string, from, to string) ([]observations.Observation, error) {
	e, err := expr.Parse(in.Expression)
	if err != nil {
		return nil, err
	}
	refs := e.Refs()
	var series []string
	for _, r := range refs {
		if !slices.Contains(series, r.Series) {
			series = append(series, r.Series)
		}
	}
	inputs := map[cell]map[expr.Ref]observations.Observation{}
	var order []cell
	err = s.obs.Each(ctx, observations.Query{Layer: layer, Series: series, Areas: areas, From: from, To: to},
		func(o observations.Observation) error {
			c := cell{o.Area, o.Period}
			m := inputs[c]
			if m == nil {
				m = map[expr.Ref]observations.Observation{}
				inputs[c] = m
				order = append(order, c)
			}
			m[expr.Ref{Series: o.Series, Disagg: o.Disagg}] = o
			return nil
		})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(order, func(a, b cell) int {
		if a.area != b.area {
			return compareText(a.area, b.area)
		}
		return compareText(a.period, b.period)
	})
	var out []observations.Observation
	for _, c := range order {
		m := inputs[c]
		v, ok, status := evalFormula(e, m)
		if !ok {
			continue
		}
		out = append(out, observations.Observation{Series: in.MainSeries(), Area: c.area, Period: c.period,
			Value: v / pow10(in.UnitMult), Status: status, UnitMult: in.UnitMult, Source: "formula"})
	}
	return out, nil
}

// evalFormula evaluates e over one cell's inputs: the value, whether there
// is one, and the weakest status of the inputs.
func evalFormula(e *expr.Expr, m map[expr.Ref]observations.Observation) (float64, bool, string) {
	status := observations.StatusFinal
	v, missing, err := e.Eval(func(r expr.Ref) (float64, bool) {
		o, ok := m[r]
		if ok {
			status = weaker(status, o.Status)
		}
		return o.Value * pow10(o.UnitMult), ok
	})
	if err != nil || missing > 0 {
		return 0, false, ""
	}
	return v, true, status
}

// weaker returns the weaker of two observation statuses.
func weaker(a, b string) string {
	rank := map[string]int{observations.StatusFinal: 0, observations.StatusProvisional: 1, observations.StatusEstimated: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func pow10(n int) float64 {
	f := 1.0
	for ; n > 0; n-- {
		f *= 10
	}
	for ; n < 0; n++ {
		f /= 10
	}
	return f
}

func compareText(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// years lists the years from..to name (periods; their years), or the
// current year when both are open.
func (s *Service) years(from, to string) ([]int, error) {
	first, last := s.now().Year(), s.now().Year()
	if from != "" {
		p, err := observations.ParsePeriod(from)
		if err != nil {
			return nil, err
		}
		first = p.Year
		if to == "" {
			last = max(last, first)
		}
	}
	if to != "" {
		p, err := observations.ParsePeriod(to)
		if err != nil {
			return nil, err
		}
		last = p.Year
		if from == "" {
			first = last
		}
	}
	if last < first || last-first > 100 {
		return nil, errors.New("indicators: bad period range")
	}
	out := make([]int, 0, last-first+1)
	for y := first; y <= last; y++ {
		out = append(out, y)
	}
	return out, nil
}

func yearText(y int) string { return strconv.Itoa(y) }
