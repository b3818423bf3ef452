// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"cmp"
	"errors"
	"slices"
)

// Thresholds. DefaultK is the smallest count shown unless a deployment
// sets another; MinK is the floor no setting may go below.
const (
	DefaultK = 11
	MinK     = 5
)

// RoundingBase is the base every published number is rounded to.
const RoundingBase = 5

// ErrKBelowFloor is returned for a threshold below MinK.
var ErrKBelowFloor = errors.New("disclosure: k is below the floor of 5")

// Protect returns t as it may be published with threshold k: the counts
// from 1 to k-1 and enough others withheld that none of them can be
// bounded below k from what is shown, and every shown number rounded to a
// multiple of 5 (see the package comment). The same table always gives the
// same result.
func Protect(t Table, k int) (Published, error) {
	if k < MinK {
		return Published{}, ErrKBelowFloor
	}
	if err := t.check(); err != nil {
		return Published{}, err
	}
	g := newGrid(t)
	g.primary(k)
	if t.TwoWay() {
		g.complement(k)
	} else {
		g.complementLine(k)
	}
	return g.publish(t, k, RoundingBase), nil
}

// complementLine completes the suppression of a one-way table, whose only
// line is its cells and total. With the total shown, the withheld cells add
// up to S, so each is at most S-(m-1) when m are withheld (the others being
// at least 1): cells are withheld, smallest first, until that reaches k,
// or the total is withheld when no cell is left. With the total withheld,
// a withheld cell can be any size, and one is needed so that the total
// cannot be added up.
func (g *grid) complementLine(k int) {
	total := g.rows
	for {
		m, sum := 0, 0
		for i := range g.rows {
			if g.sup[i] {
				m++
				sum += g.val[i]
			}
		}
		switch {
		case g.sup[total] && m > 0, !g.sup[total] && (m == 0 || (m >= 2 && sum-(m-1) >= k)):
			return
		}
		next := g.smallestShown(func(p int) bool { return p != total })
		if next < 0 {
			// Nothing left to withhold but the total.
			g.sup[total] = true
			if m == 0 {
				return
			}
			continue
		}
		g.sup[next] = true
	}
}

// smallestShown returns the shown, non-zero position accepted by ok with
// the smallest value (the first of equals), or -1 when there is none.
func (g *grid) smallestShown(ok func(p int) bool) int {
	best := -1
	for p, v := range g.val {
		if !g.sup[p] && v > 0 && ok(p) && (best < 0 || v < g.val[best]) {
			best = p
		}
	}
	return best
}

// complement completes the suppression of a two-way table. Each number
// withheld by the primary rule, smallest first, is checked: if what is
// shown bounds it below k, a rectangle of further numbers around it is
// withheld, chosen so that it alone lets the number reach k. Withholding
// more never lowers a bound, so a number once checked stays protected.
func (g *grid) complement(k int) {
	var primary []int
	for p, withheld := range g.sup {
		if withheld {
			primary = append(primary, p)
		}
	}
	slices.SortStableFunc(primary, func(a, b int) int { return cmp.Compare(g.val[a], g.val[b]) })
	for _, p := range primary {
		need := k - g.val[p]
		if g.maxIncrease(p, need) < need {
			g.withholdRectangle(p, need)
		}
	}
}

// withholdRectangle withholds the cheapest rectangle of positions around
// p, (i',j), (i',j') and (i,j'), along which p can grow by at least need
// (see flow.go for why: the rectangle is a cycle through p). Cheapest means
// fewest totals newly withheld, then the least newly withheld in all.
// Withholding the row total, the column total and the grand total always
// qualifies, so a rectangle is always found.
func (g *grid) withholdRectangle(p, need int) {
	i, j := g.rc(p)
	type cost struct{ totals, sum int }
	best, bestCost := [3]int{-1}, cost{}
	for i2 := range g.rows + 1 {
		for j2 := range g.cols + 1 {
			if i2 == i || j2 == j {
				continue
			}
			corners := [3]int{g.at(i2, j), g.at(i2, j2), g.at(i, j2)}
			if !g.rectangleCarries(p, corners, need) {
				continue
			}
			var c cost
			for _, q := range corners {
				if !g.sup[q] {
					c.sum += g.val[q]
					if g.isTotal(q) {
						c.totals++
					}
				}
			}
			if best[0] < 0 || c.totals < bestCost.totals || (c.totals == bestCost.totals && c.sum < bestCost.sum) {
				best, bestCost = corners, c
			}
		}
	}
	for _, q := range best {
		if q >= 0 {
			g.sup[q] = true
		}
	}
}

// isTotal reports whether position p of a two-way grid holds a total.
func (g *grid) isTotal(p int) bool {
	i, j := g.rc(p)
	return i == g.rows || j == g.cols
}
