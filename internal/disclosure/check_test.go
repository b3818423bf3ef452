// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"testing"
)

// released is what a reader of a protected table learns, worked out again
// here independently of grid: every number of the table with its totals,
// whether it is withheld, and the lines that add up. Published numbers are
// taken exactly (unrounded), the worst case for the table.
type released struct {
	val   []int
	sup   []bool
	lines []line
	name  []string
	// inner are the cells, without totals.
	inner []int
}

// line is a set of numbers whose cells add up to its total.
type line struct {
	total int
	cells []int
}

func release(t Table, p Published) released {
	var r released
	add := func(v int, c Cell, name string) int {
		r.val = append(r.val, v)
		r.sup = append(r.sup, c.Suppressed)
		r.name = append(r.name, name)
		return len(r.val) - 1
	}
	if !t.TwoWay() {
		all := line{}
		sum := 0
		for i, row := range t.Counts {
			all.cells = append(all.cells, add(row[0], p.Cells[i][0], t.Rows[i]))
			sum += row[0]
		}
		all.total = add(sum, p.Total, "total")
		r.lines = []line{all}
		r.inner = all.cells
		return r
	}
	cell := make([][]int, len(t.Rows))
	colSum := make([]int, len(t.Cols))
	var rowTotals []int
	grand := 0
	for i, row := range t.Counts {
		l := line{}
		sum := 0
		for j, v := range row {
			id := add(v, p.Cells[i][j], t.Rows[i]+"×"+t.Cols[j])
			cell[i] = append(cell[i], id)
			l.cells = append(l.cells, id)
			r.inner = append(r.inner, id)
			sum += v
			colSum[j] += v
		}
		l.total = add(sum, p.RowTotals[i], t.Rows[i]+" total")
		rowTotals = append(rowTotals, l.total)
		grand += sum
		r.lines = append(r.lines, l)
	}
	var colTotals []int
	for j := range t.Cols {
		l := line{total: add(colSum[j], p.ColTotals[j], t.Cols[j]+" total")}
		for i := range t.Rows {
			l.cells = append(l.cells, cell[i][j])
		}
		colTotals = append(colTotals, l.total)
		r.lines = append(r.lines, l)
	}
	g := add(grand, p.Total, "grand total")
	r.lines = append(r.lines, line{total: g, cells: colTotals}, line{total: g, cells: rowTotals})
	return r
}

// lineBounds checks property (b) line by line: where a line's total is
// shown, a withheld number of it is at most the total minus the shown
// numbers (the brief's bound, the others taken as 0) and minus one for
// every other withheld one (they are at least 1, zeros being shown); both
// must reach k. It also checks that no line has exactly one withheld
// number.
func (r released) lineBounds(k int) error {
	for _, l := range r.lines {
		shown, m := 0, 0
		for _, c := range l.cells {
			if r.sup[c] {
				m++
			} else {
				shown += r.val[c]
			}
		}
		withheld := m
		if r.sup[l.total] {
			withheld++
		}
		if withheld == 1 {
			return fmt.Errorf("line of %s has exactly one withheld number", r.name[l.total])
		}
		if r.sup[l.total] {
			continue
		}
		for _, c := range l.cells {
			if !r.sup[c] {
				continue
			}
			if ub := r.val[l.total] - shown; ub < k {
				return fmt.Errorf("%s is at most %d from its line", r.name[c], ub)
			}
			if ub := r.val[l.total] - shown - (m - 1); ub < k {
				return fmt.Errorf("%s is at most %d from its line, the others being at least 1", r.name[c], ub)
			}
		}
	}
	return nil
}

// propagated bounds every number by interval propagation over the lines
// until nothing changes: a method unrelated to the flow audit, whose upper
// bounds are never below the true maximum, so that a withheld number it
// bounds below k is one the audit wrongly let through.
func (r released) propagated(k int) error {
	const inf = 1 << 40
	lo, hi := make([]int, len(r.val)), make([]int, len(r.val))
	for i, v := range r.val {
		if r.sup[i] {
			lo[i], hi[i] = 1, inf
		} else {
			lo[i], hi[i] = v, v
		}
	}
	sat := func(v int) int { return min(v, inf) }
	for range 10_000 {
		changed := false
		tighten := func(i, l, h int) {
			if l > lo[i] {
				lo[i], changed = l, true
			}
			if h < hi[i] {
				hi[i], changed = h, true
			}
		}
		for _, l := range r.lines {
			sumLo, sumHi := 0, 0
			for _, c := range l.cells {
				sumLo, sumHi = sumLo+lo[c], sat(sumHi+hi[c])
			}
			tighten(l.total, sumLo, sumHi)
			for _, c := range l.cells {
				othersHi := sat(sumHi - hi[c])
				if sumHi >= inf {
					othersHi = inf
					for _, d := range l.cells {
						if d != c && hi[d] >= inf {
							othersHi = inf
							break
						}
					}
				}
				upper := hi[l.total] - (sumLo - lo[c])
				if hi[l.total] >= inf {
					upper = inf
				}
				lower := lo[l.total] - othersHi
				tighten(c, lower, upper)
			}
		}
		if !changed {
			break
		}
	}
	for i, s := range r.sup {
		if lo[i] > r.val[i] || hi[i] < r.val[i] {
			return fmt.Errorf("propagation excluded the true value of %s: [%d, %d] ∌ %d", r.name[i], lo[i], hi[i], r.val[i])
		}
		if s && hi[i] < k {
			return fmt.Errorf("%s is at most %d", r.name[i], hi[i])
		}
	}
	return nil
}

// witness reports whether some table agreeing with everything shown, with
// every withheld number at least 1, has number target at least k: an
// exhaustive search over the withheld cells, for tables small enough (the
// exact attacker the flow audit claims to match). Cells are searched up to
// limit.
func (r released) witness(target, k, limit int) bool {
	free := []int{}
	for _, c := range r.inner {
		if r.sup[c] {
			free = append(free, c)
		}
	}
	try := append([]int(nil), r.val...)
	var search func(n int) bool
	search = func(n int) bool {
		if n == len(free) {
			return r.consistent(try, target, k)
		}
		for v := 1; v <= limit; v++ {
			try[free[n]] = v
			if search(n + 1) {
				return true
			}
		}
		return false
	}
	return search(0)
}

// consistent reports whether values, in which the cells are set and the
// totals are worked out here, agree with every shown number, keep withheld
// totals at least 1 and put target at k or more.
func (r released) consistent(values []int, target, k int) bool {
	v := append([]int(nil), values...)
	// Totals of cell lines first, then the totals lines, which are the
	// last two in a two-way table (their cells are totals).
	for _, l := range r.lines {
		sum := 0
		for _, c := range l.cells {
			sum += v[c]
		}
		v[l.total] = sum
	}
	for i := range v {
		if !r.sup[i] && v[i] != r.val[i] {
			return false
		}
		if r.sup[i] && v[i] < 1 {
			return false
		}
	}
	return v[target] >= k
}

func TestCheckersCatchWeakSuppression(t *testing.T) {
	// The 2×2 block of withheld cells whose margins pin the small cell
	// below k: each line's withheld cells add up to 11, yet the 1 can be
	// at most 10.
	tab := Table{Rows: []string{"a", "b"}, Cols: []string{"x", "y"}, Counts: [][]int{{1, 10}, {10, 1}}}
	s := Cell{Suppressed: true}
	weak := Published{Rows: tab.Rows, Cols: tab.Cols, Cells: [][]Cell{{s, s}, {s, s}},
		RowTotals: []Cell{{Value: 11}, {Value: 11}}, ColTotals: []Cell{{Value: 11}, {Value: 11}}, Total: Cell{Value: 22}}
	r := release(tab, weak)
	if err := r.lineBounds(11); err == nil {
		t.Error("the line check let the block through")
	}
	if err := r.propagated(11); err == nil {
		t.Error("propagation let the block through")
	}
	if r.witness(0, 11, 30) {
		t.Error("the exhaustive search found the 1 able to reach 11")
	}
	g := newGrid(tab)
	copy(g.sup, []bool{true, true, false, true, true, false, false, false, false})
	if got := g.maxIncrease(0, 100); got != 9 {
		t.Errorf("flow audit: the 1 can grow by %d, want 9", got)
	}
}
