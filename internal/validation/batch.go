// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"context"
	"maps"
	"slices"

	"github.com/amparo-project/amparo/internal/observations"
)

// RunOnBatch checks the active rules against what batch b has written, in
// b's transaction, before it commits: for every area and period the batch
// wrote a series to, each rule referring to that series is evaluated on
// the working values as they stand with the batch's rows (other series a
// rule needs are read as already stored). The caller decides what the
// violations mean; imports fail on a high-importance one. Nothing is
// stored and nothing audited: the import's own record is the trace.
func (s *Service) RunOnBatch(ctx context.Context, b *observations.Batch) ([]Violation, error) {
	if err := b.Flush(); err != nil {
		return nil, err
	}
	touched := b.Touched()
	if len(touched) == 0 {
		return nil, nil
	}
	// Touched is sorted by series, area and period, so each series' groups
	// come out sorted.
	bySeries := map[string][]group{}
	all := map[group]bool{}
	areas := map[string]bool{}
	from, to := touched[0].Period, touched[0].Period
	for _, k := range touched {
		g := group{k.Area, k.Period}
		bySeries[k.Series] = append(bySeries[k.Series], g)
		all[g] = true
		areas[k.Area] = true
		from, to = min(from, k.Period), max(to, k.Period)
	}
	tx := b.Tx()
	rules, err := s.activeRules(ctx, tx, slices.Collect(maps.Keys(bySeries)))
	if err != nil || len(rules) == 0 {
		return nil, err
	}
	vr := valueRange{Areas: slices.Collect(maps.Keys(areas)), From: from, To: to, keep: func(g group) bool { return all[g] }}
	vals, err := loadValues(ctx, tx, rules, vr)
	if err != nil {
		return nil, err
	}
	out, _ := evaluate(rules, vals, func(c compiled) []group {
		if len(c.series) == 1 {
			return bySeries[c.series[0]]
		}
		seen := map[group]bool{}
		var gs []group
		for _, series := range c.series {
			for _, g := range bySeries[series] {
				if !seen[g] {
					seen[g] = true
					gs = append(gs, g)
				}
			}
		}
		slices.SortFunc(gs, compareGroups)
		return gs
	})
	return out, nil
}

// HasHigh reports whether any violation is of a high-importance rule.
func HasHigh(vs []Violation) bool {
	return slices.ContainsFunc(vs, func(v Violation) bool { return v.Importance == High })
}
