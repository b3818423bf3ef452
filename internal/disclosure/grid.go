// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

// grid is a table with its totals, as one array of numbers that Protect
// withholds from. A two-way table of R rows and C columns is held as
// (R+1)×(C+1) numbers: cell (i, j) at i<R, j<C, row i's total at (i, C),
// column j's total at (R, j) and the grand total at (R, C). A one-way
// table of R rows is held as R+1 numbers, the total last.
//
// Every line of the table says that its counts add up to its total: each
// row, each column, the row of column totals and the column of row totals.
// In a two-way grid each number lies on exactly two lines, a row line
// (rows 0…R) and a column line (columns 0…C), which is what makes the
// audit in flow.go a flow problem.
type grid struct {
	rows, cols int // R, and C (0 for a one-way table)
	val        []int
	sup        []bool
	// fwd, back and via are the audit's working space (flow.go), kept
	// between its calls on the same grid.
	fwd, back, via []int
}

func newGrid(t Table) *grid {
	g := &grid{rows: len(t.Rows), cols: len(t.Cols)}
	n := (g.rows + 1) * g.width()
	g.val, g.sup = make([]int, n), make([]bool, n)
	for i, row := range t.Counts {
		for j, v := range row {
			if !t.TwoWay() {
				g.val[i] = v
				g.val[g.rows] += v
				continue
			}
			g.val[g.at(i, j)] = v
			g.val[g.at(i, g.cols)] += v
			g.val[g.at(g.rows, j)] += v
			g.val[g.at(g.rows, g.cols)] += v
		}
	}
	return g
}

// width is the number of positions per row: C+1, or 1 for a one-way
// table.
func (g *grid) width() int {
	if g.cols == 0 {
		return 1
	}
	return g.cols + 1
}

// at is the position of row i and column j.
func (g *grid) at(i, j int) int { return i*g.width() + j }

// rc splits a position into its row and column.
func (g *grid) rc(p int) (i, j int) { return p / g.width(), p % g.width() }

// primary withholds every number from 1 to k-1.
func (g *grid) primary(k int) {
	for p, v := range g.val {
		if v >= 1 && v < k {
			g.sup[p] = true
		}
	}
}

// publish turns g into what may be shown: withheld numbers without their
// value, the others rounded to base.
func (g *grid) publish(t Table, k, base int) Published {
	cell := func(p int) Cell {
		if g.sup[p] {
			return Cell{Suppressed: true}
		}
		return Cell{Value: roundShown(g.val[p], k, base)}
	}
	out := Published{Rows: t.Rows, Cols: t.Cols, Cells: make([][]Cell, g.rows), K: k, Base: base}
	for i := range g.rows {
		if !t.TwoWay() {
			out.Cells[i] = []Cell{cell(i)}
			continue
		}
		out.Cells[i] = make([]Cell, g.cols)
		for j := range g.cols {
			out.Cells[i][j] = cell(g.at(i, j))
		}
		out.RowTotals = append(out.RowTotals, cell(g.at(i, g.cols)))
	}
	if t.TwoWay() {
		for j := range g.cols {
			out.ColTotals = append(out.ColTotals, cell(g.at(g.rows, j)))
		}
		out.Total = cell(g.at(g.rows, g.cols))
	} else {
		out.Total = cell(g.rows)
	}
	return out
}

// roundShown rounds a shown count v (0, or at least k) to the nearest
// multiple of base (halves up, which whole numbers only meet for even
// bases); a count of k or more that would round below k (11 and 12 to 10
// for k = 11) is rounded up to the first multiple of base from k instead,
// so that no shown number ever looks like one that should be withheld.
func roundShown(v, k, base int) int {
	if base <= 1 {
		return v
	}
	r := (v + base/2) / base * base
	if v > 0 && r < k {
		r = (k + base - 1) / base * base
	}
	return r
}
