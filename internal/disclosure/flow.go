// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

// The audit of a two-way table. Write every line of the grid as a sum equal
// to zero by giving each number a sign: +1 for cells and the grand total,
// -1 for row and column totals (row i: Σ cells - row total = 0; the row of
// column totals: grand total - Σ column totals = 0; and likewise for
// columns). Row lines and column lines are the two sides of a bipartite
// graph, and each number is an edge between the two lines it lies on.
//
// A reader knows every shown number exactly and that every withheld one is
// at least 1. Any other table the reader cannot rule out differs from the
// true one by changes to withheld numbers only that keep every line's sum
// at zero: a circulation in the graph of withheld numbers, where crossing
// an edge from its row line to its column line adds t to the signed
// number and crossing it back subtracts t. A number may grow without
// limit but shrink only down to 1, so each edge has a capacity in each
// direction: unbounded where the crossing makes the number grow, value-1
// where it makes it shrink. The largest value the reader cannot rule out
// for a withheld number p is therefore its value plus the maximum flow
// around cycles through p, that is from one end of p's edge back to the
// other without using p. The constraint matrix of such a graph is totally
// unimodular, so this bound is also the best an attacker solving the
// integer problem can do.

// unbounded stands for a capacity without limit.
const unbounded = 1 << 40

// sign is +1 for cells and the grand total, -1 for row and column totals.
func (g *grid) sign(p int) int {
	i, j := g.rc(p)
	if (i == g.rows) != (j == g.cols) {
		return -1
	}
	return 1
}

// capacity is how much withheld position p can carry when crossed from its
// row line to its column line (forward) or back: how far it may grow, or
// shrink down to 1.
func (g *grid) capacity(p int, forward bool) int {
	grows := (g.sign(p) > 0) == forward
	if grows {
		return unbounded
	}
	return g.val[p] - 1
}

// maxIncrease returns how far withheld position p can grow given
// everything shown, or at least need when it can grow that far: the
// search stops there.
func (g *grid) maxIncrease(p, need int) int {
	w, rows := g.width(), g.rows+1
	// fwd[q] and back[q] are the residual capacities of position q from
	// its row line to its column line and back.
	if len(g.fwd) != len(g.val) {
		g.fwd, g.back, g.via = make([]int, len(g.val)), make([]int, len(g.val)), make([]int, rows+w)
	}
	fwd, back := g.fwd, g.back
	for q := range g.val {
		fwd[q], back[q] = 0, 0
		if g.sup[q] && q != p {
			fwd[q], back[q] = g.capacity(q, true), g.capacity(q, false)
		}
	}
	// Nodes: row lines 0…R, then column lines R+1…R+1+C. p grows when
	// crossed in the direction that makes it grow, so the rest of the
	// cycle runs from the end of that crossing back to its start.
	pi, pj := g.rc(p)
	rowNode, colNode := pi, rows+pj
	source, sink := colNode, rowNode
	if g.sign(p) < 0 {
		source, sink = rowNode, colNode
	}
	via := g.via // the position crossed to reach a node, -1 for none
	flow := 0
	for flow < need {
		for n := range via {
			via[n] = -1
		}
		queue := []int{source}
		via[source] = -2
		for len(queue) > 0 && via[sink] == -1 {
			n := queue[0]
			queue = queue[1:]
			if n < rows { // a row line: cross forward to column lines
				for j := range w {
					if q := n*w + j; fwd[q] > 0 && via[rows+j] == -1 {
						via[rows+j] = q
						queue = append(queue, rows+j)
					}
				}
				continue
			}
			j := n - rows
			for i := range rows {
				if q := i*w + j; back[q] > 0 && via[i] == -1 {
					via[i] = q
					queue = append(queue, i)
				}
			}
		}
		if via[sink] == -1 {
			return flow
		}
		// Walk back from the sink to find the bottleneck, then push it.
		push := need - flow
		for n := sink; n != source; {
			q := via[n]
			qi, qj := g.rc(q)
			if n >= rows { // reached column line qj forward
				push = min(push, fwd[q])
				n = qi
			} else {
				push = min(push, back[q])
				n = rows + qj
			}
		}
		for n := sink; n != source; {
			q := via[n]
			qi, qj := g.rc(q)
			if n >= rows {
				fwd[q] -= push
				back[q] = min(unbounded, back[q]+push)
				n = qi
			} else {
				back[q] -= push
				fwd[q] = min(unbounded, fwd[q]+push)
				n = rows + qj
			}
		}
		flow += push
	}
	return flow
}

// rectangleCarries reports whether withholding the corners (i',j),
// (i',j') and (i,j') of a rectangle through p = (i, j), all of them
// non-zero, would let p grow by need along the rectangle alone. The cycle
// crosses p, then (i,j') or (i',j) depending on the direction p grows in:
// p grows when crossed forward if its sign is +1, and then the cycle goes
// column j → row i' → column j' → row i.
func (g *grid) rectangleCarries(p int, corners [3]int, need int) bool {
	// Directions of crossing (i',j), (i',j'), (i,j') when p's sign is +1:
	// back, forward, back; all reversed when it is -1.
	forward := [3]bool{false, true, false}
	for n, q := range corners {
		if g.val[q] <= 0 {
			return false
		}
		dir := forward[n]
		if g.sign(p) < 0 {
			dir = !dir
		}
		if g.capacity(q, dir) < need {
			return false
		}
	}
	return true
}
