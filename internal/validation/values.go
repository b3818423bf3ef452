// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"context"
	"database/sql"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/store"
)

// group is an area and a period: what a rule is evaluated for.
type group struct{ Area, Period string }

func compareGroups(a, b group) int {
	if c := strings.Compare(a.Area, b.Area); c != 0 {
		return c
	}
	return strings.Compare(a.Period, b.Period)
}

// values holds the working values rules need. Every reference of the rules
// has a slot; each group has a row of slots in one flat slice, NaN where
// there is no value. A hundred thousand groups so cost one map entry each
// rather than a map each.
type values struct {
	slot map[expr.Ref]int
	row  map[group]int // group → its row's first index in vals
	vals []float64
}

// lookup answers the values of group g (none when g has none).
func (v *values) lookup(g group) func(expr.Ref) (float64, bool) {
	start, ok := v.row[g]
	return func(r expr.Ref) (float64, bool) {
		i, known := v.slot[r]
		if !ok || !known {
			return 0, false
		}
		x := v.vals[start+i]
		return x, !math.IsNaN(x)
	}
}

// has reports whether group g has a value for any of refs.
func (v *values) has(g group, refs []expr.Ref) bool {
	start := v.row[g]
	for _, r := range refs {
		if !math.IsNaN(v.vals[start+v.slot[r]]) {
			return true
		}
	}
	return false
}

// maxInList is the longest list of areas put into a query; beyond it a
// series is read whole over the periods and filtered here, which is
// cheaper than a query per area.
const maxInList = 500

// valueRange narrows what loadValues reads. Areas empty reads every area;
// From and To bound the period text inclusively ("2020" as To includes
// "2020-Q3"); keep, when set, drops groups not wanted.
type valueRange struct {
	Areas    []string
	From, To string
	keep     func(group) bool
}

// loadValues reads the working values of the references of rules: one
// query per series, whatever the number of groups, so that an import
// touching a hundred thousand areas and periods costs a few scans.
func loadValues(ctx context.Context, q store.Queryer, rules []compiled, vr valueRange) (*values, error) {
	v := &values{slot: map[expr.Ref]int{}, row: map[group]int{}}
	want := map[string]map[string]int{} // series → disaggregation → slot
	for _, c := range rules {
		for _, r := range c.refs {
			if _, ok := v.slot[r]; ok {
				continue
			}
			v.slot[r] = len(v.slot)
			if want[r.Series] == nil {
				want[r.Series] = map[string]int{}
			}
			want[r.Series][r.Disagg] = v.slot[r]
		}
	}
	ld := loader{v: v, vr: vr, intern: map[string]string{}}
	if len(vr.Areas) > maxInList {
		ld.areaSet = map[string]bool{}
		for _, a := range vr.Areas {
			ld.areaSet[a] = true
		}
	}
	for _, series := range slices.Sorted(maps.Keys(want)) {
		slots := want[series]
		disaggs := slices.Sorted(maps.Keys(slots))
		query := `SELECT area, disagg, period, value FROM observations WHERE series = ? AND disagg IN (` +
			store.Placeholders(len(disaggs)) + `)`
		args := append([]any{series}, store.Args(disaggs)...)
		if len(vr.Areas) > 0 && len(vr.Areas) <= maxInList {
			query += ` AND area IN (` + store.Placeholders(len(vr.Areas)) + `)`
			args = append(args, store.Args(vr.Areas)...)
		}
		if vr.From != "" {
			query += ` AND period >= ?`
			args = append(args, vr.From)
		}
		if vr.To != "" {
			// '~' sorts after every character a period uses.
			query += ` AND period < ?`
			args = append(args, vr.To+"~")
		}
		if err := ld.scan(ctx, q, query, args, slots); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// loader fills values from query results, holding each area and period
// string once.
type loader struct {
	v       *values
	vr      valueRange
	areaSet map[string]bool
	intern  map[string]string
}

func (ld *loader) str(b sql.RawBytes) string {
	if s, ok := ld.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	ld.intern[s] = s
	return s
}

func (ld *loader) scan(ctx context.Context, q store.Queryer, query string, args []any, slots map[string]int) error {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var area, disagg, period sql.RawBytes
	var x float64
	n := len(ld.v.slot)
	for rows.Next() {
		if err := rows.Scan(&area, &disagg, &period, &x); err != nil {
			return err
		}
		if ld.areaSet != nil && !ld.areaSet[string(area)] {
			continue
		}
		g := group{ld.str(area), ld.str(period)}
		start, ok := ld.v.row[g]
		if !ok {
			if ld.vr.keep != nil && !ld.vr.keep(g) {
				continue
			}
			start = len(ld.v.vals)
			ld.v.row[g] = start
			for range n {
				ld.v.vals = append(ld.v.vals, math.NaN())
			}
		}
		ld.v.vals[start+slots[string(disagg)]] = x
	}
	return rows.Err()
}

// evaluate checks each rule on its groups (groupsOf answers them, sorted)
// and returns the violations, ordered by rule code, area and period, and
// how many (rule, group) pairs were checked rather than skipped.
func evaluate(rules []compiled, vals *values, groupsOf func(compiled) []group) ([]Violation, int) {
	var out []Violation
	checked := 0
	for _, c := range rules {
		for _, g := range groupsOf(c) {
			res, l, r := c.check(vals.lookup(g))
			if res == skipped {
				continue
			}
			checked++
			if res == violated {
				out = append(out, Violation{RuleID: c.rule.ID, RuleCode: c.rule.Code, Importance: c.rule.Importance,
					Operator: c.rule.Operator, Area: g.Area, Period: g.Period, Left: l, Right: r})
			}
		}
	}
	return out, checked
}

// groupsWithValues lists the groups where one of c's references has a
// value: where an on-demand run checks c.
func groupsWithValues(vals *values) func(compiled) []group {
	return func(c compiled) []group {
		var gs []group
		for g := range vals.row {
			if vals.has(g, c.refs) {
				gs = append(gs, g)
			}
		}
		slices.SortFunc(gs, compareGroups)
		return gs
	}
}

// activeRules reads and compiles the active rules, keeping those that
// refer to one of series (all when series is empty).
func (s *Service) activeRules(ctx context.Context, q store.Queryer, series []string) ([]compiled, error) {
	rules, err := s.rules(ctx, q, Filter{ActiveOnly: true, Series: series})
	if err != nil {
		return nil, err
	}
	out := make([]compiled, 0, len(rules))
	for _, r := range rules {
		c, err := compile(r)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
