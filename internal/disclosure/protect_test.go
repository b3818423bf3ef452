// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"
)

// sup and v spell published cells in the table tests.
var sup = Cell{Suppressed: true}

func v(n int) Cell { return Cell{Value: n} }

func TestProtectOneWay(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts []int
		k      int
		cells  []Cell
		total  Cell
	}{
		{"large counts are rounded", []int{20, 33}, 11, []Cell{v(20), v(35)}, v(55)},
		{"zero stays zero", []int{0, 14}, 11, []Cell{v(0), v(15)}, v(15)},
		{"a count just above k is never rounded below it", []int{12, 11, 0}, 11, []Cell{v(15), v(15), v(0)}, v(25)},
		{"a small count takes the next smallest with it", []int{3, 50, 60}, 11, []Cell{sup, sup, v(60)}, v(115)},
		{"the complement is the smallest non-zero count", []int{4, 0, 100, 30}, 11, []Cell{sup, v(0), v(100), sup}, v(135)},
		{"two small counts that add up to k are not enough", []int{5, 6, 40}, 11, []Cell{sup, sup, sup}, v(50)},
		{"a small total is withheld with its cells", []int{2, 3}, 11, []Cell{sup, sup}, sup},
		{"one small count alone withholds the total too", []int{7}, 11, []Cell{sup}, sup},
		{"k = 5", []int{4, 5, 9}, 5, []Cell{sup, sup, v(10)}, v(20)},
		{"nothing at all", []int{0, 0}, 11, []Cell{v(0), v(0)}, v(0)},
		{"no categories", nil, 11, nil, v(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := Table{}
			for i, n := range tc.counts {
				tab.Rows = append(tab.Rows, string(rune('a'+i)))
				tab.Counts = append(tab.Counts, []int{n})
			}
			got, err := Protect(tab, tc.k)
			if err != nil {
				t.Fatal(err)
			}
			var cells []Cell
			for _, row := range got.Cells {
				cells = append(cells, row[0])
			}
			if !reflect.DeepEqual(cells, tc.cells) || got.Total != tc.total {
				t.Errorf("cells %v total %v, want %v total %v", cells, got.Total, tc.cells, tc.total)
			}
			if got.K != tc.k || got.Base != 5 || got.RowTotals != nil || got.ColTotals != nil {
				t.Errorf("k %d base %d row totals %v column totals %v", got.K, got.Base, got.RowTotals, got.ColTotals)
			}
		})
	}
}

func TestProtectTwoWay(t *testing.T) {
	for _, tc := range []struct {
		name       string
		counts     [][]int
		cells      [][]Cell
		rows, cols []Cell
		total      Cell
	}{
		{
			"a small cell withholds the cheapest rectangle of cells, margins shown",
			[][]int{{3, 20}, {30, 40}},
			[][]Cell{{sup, sup}, {sup, sup}}, []Cell{v(25), v(70)}, []Cell{v(35), v(60)}, v(95),
		},
		{
			"the rectangle avoids bigger cells",
			[][]int{{3, 20, 90}, {30, 40, 80}, {12, 15, 70}},
			[][]Cell{{sup, sup, v(90)}, {v(30), v(40), v(80)}, {sup, sup, v(70)}},
			[]Cell{v(115), v(150), v(95)}, []Cell{v(45), v(75), v(240)}, v(360),
		},
		{
			"small totals are withheld, zeros shown",
			[][]int{{2, 0}, {0, 3}},
			[][]Cell{{sup, v(0)}, {v(0), sup}}, []Cell{sup, sup}, []Cell{sup, sup}, sup,
		},
		{
			"a row of one small cell needs its total withheld too",
			[][]int{{4, 0}, {30, 40}, {50, 60}},
			[][]Cell{{sup, v(0)}, {sup, v(40)}, {v(50), v(60)}},
			[]Cell{sup, sup, v(110)}, []Cell{v(85), v(100)}, v(185),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab := Table{Counts: tc.counts}
			for i := range tc.counts {
				tab.Rows = append(tab.Rows, string(rune('a'+i)))
			}
			for j := range tc.counts[0] {
				tab.Cols = append(tab.Cols, string(rune('x'+j)))
			}
			got, err := Protect(tab, DefaultK)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Cells, tc.cells) || !reflect.DeepEqual(got.RowTotals, tc.rows) ||
				!reflect.DeepEqual(got.ColTotals, tc.cols) || got.Total != tc.total {
				t.Errorf("got cells %v rows %v cols %v total %v\nwant cells %v rows %v cols %v total %v",
					got.Cells, got.RowTotals, got.ColTotals, got.Total, tc.cells, tc.rows, tc.cols, tc.total)
			}
			checkRelease(t, tab, got, DefaultK)
		})
	}
}

func TestProtectRefuses(t *testing.T) {
	one := Table{Rows: []string{"a"}, Counts: [][]int{{3}}}
	if _, err := Protect(one, 4); !errors.Is(err, ErrKBelowFloor) {
		t.Errorf("k = 4: %v, want ErrKBelowFloor", err)
	}
	for name, tab := range map[string]Table{
		"negative":           {Rows: []string{"a"}, Counts: [][]int{{-1}}},
		"rows without count": {Rows: []string{"a", "b"}, Counts: [][]int{{1}}},
		"short row":          {Rows: []string{"a"}, Cols: []string{"x", "y"}, Counts: [][]int{{1}}},
	} {
		if _, err := Protect(tab, DefaultK); err == nil {
			t.Errorf("%s: accepted", name)
		}
		if _, err := Unprotected(tab); err == nil {
			t.Errorf("%s: accepted unprotected", name)
		}
	}
}

func TestUnprotected(t *testing.T) {
	tab := Table{Rows: []string{"a", "b"}, Cols: []string{"x", "y"}, Counts: [][]int{{1, 2}, {3, 0}}}
	got, err := Unprotected(tab)
	if err != nil {
		t.Fatal(err)
	}
	want := Published{Rows: tab.Rows, Cols: tab.Cols, Cells: [][]Cell{{v(1), v(2)}, {v(3), v(0)}},
		RowTotals: []Cell{v(3), v(3)}, ColTotals: []Cell{v(4), v(2)}, Total: v(6), Base: 1}
	if !reflect.DeepEqual(got, want) || got.Protected() {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// randomTable draws a table whose counts mix zeros, counts below k and
// larger ones, as sparse statistics do.
func randomTable(r *rand.Rand, rows, cols, k int) Table {
	t := Table{}
	for i := range rows {
		t.Rows = append(t.Rows, string(rune('A'+i)))
	}
	for j := range cols {
		t.Cols = append(t.Cols, string(rune('a'+j)))
	}
	for range rows {
		row := make([]int, max(1, cols))
		for j := range row {
			switch x := r.IntN(10); {
			case x < 3:
			case x < 6:
				row[j] = 1 + r.IntN(k-1)
			case x < 9:
				row[j] = k + r.IntN(3*k)
			default:
				row[j] = r.IntN(500)
			}
		}
		t.Counts = append(t.Counts, row)
	}
	return t
}

// checkRelease checks every promise of Protect on one table: (a) nothing
// shown from 1 to k-1, (b) no withheld number bounded below k, line by line
// and by propagation, and by the flow audit itself, (c) everything shown a
// multiple of 5, and withheld numbers carrying no value.
func checkRelease(t *testing.T, tab Table, p Published, k int) {
	t.Helper()
	r := release(tab, p)
	for i, val := range r.val {
		shown := r.shown(p, i)
		switch {
		case r.sup[i] && shown != 0:
			t.Fatalf("%s is withheld but carries %d", r.name[i], shown)
		case r.sup[i]:
		case val >= 1 && val < k:
			t.Fatalf("(a) %s = %d is shown with k = %d", r.name[i], val, k)
		case shown%5 != 0:
			t.Fatalf("(c) %s is shown as %d", r.name[i], shown)
		case shown >= 1 && shown < k:
			t.Fatalf("(a) %s is shown as %d with k = %d", r.name[i], shown, k)
		}
	}
	if err := r.lineBounds(k); err != nil {
		t.Fatalf("(b) %v", err)
	}
	if err := r.propagated(k); err != nil {
		t.Fatalf("(b) %v", err)
	}
}

// shown returns the published value of number i of r (0 when withheld),
// in the order release numbered them.
func (r released) shown(p Published, i int) int {
	var all []Cell
	if !p.TwoWay() {
		for _, row := range p.Cells {
			all = append(all, row[0])
		}
		return append(all, p.Total)[i].Value
	}
	for n, row := range p.Cells {
		all = append(all, row...)
		all = append(all, p.RowTotals[n])
	}
	all = append(all, p.ColTotals...)
	return append(all, p.Total)[i].Value
}

func TestPropertyOneWay(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 5))
	for n := range 5000 {
		k := []int{5, 11, 20}[n%3]
		tab := randomTable(r, 1+r.IntN(12), 0, k)
		p, err := Protect(tab, k)
		if err != nil {
			t.Fatal(err)
		}
		checkRelease(t, tab, p, k)
	}
}

func TestPropertyTwoWay(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 7))
	for n := range 5000 {
		k := []int{5, 11, 20}[n%3]
		tab := randomTable(r, 1+r.IntN(12), 1+r.IntN(6), k)
		p, err := Protect(tab, k)
		if err != nil {
			t.Fatal(err)
		}
		checkRelease(t, tab, p, k)
		g := newGrid(tab)
		g.sup = release(tab, p).gridMask(g)
		for q, withheld := range g.sup {
			if need := k - g.val[q]; withheld && need > 0 && g.maxIncrease(q, need) < need {
				t.Fatalf("table %d: the flow audit bounds position %d below k", n, q)
			}
		}
	}
}

// gridMask maps r's withheld numbers onto g's positions.
func (r released) gridMask(g *grid) []bool {
	mask := make([]bool, len(g.val))
	n := 0
	for i := range g.rows {
		for j := range g.cols + 1 {
			mask[g.at(i, j)] = r.sup[n]
			n++
		}
	}
	for j := range g.cols + 1 {
		mask[g.at(g.rows, j)] = r.sup[n]
		n++
	}
	return mask
}

// TestPropertyExactAttacker searches, for small tables, every table a
// reader cannot rule out, and checks that each withheld count below k
// could be k or more in one of them: no attacker, however clever, can
// prove any withheld count small.
func TestPropertyExactAttacker(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const k = 5
	checked := 0
	for n := range 400 {
		rows, cols := 1+r.IntN(2), r.IntN(3)
		tab := randomTable(r, rows, cols, k)
		for _, row := range tab.Counts {
			for j := range row {
				row[j] %= 15
			}
		}
		p, err := Protect(tab, k)
		if err != nil {
			t.Fatal(err)
		}
		rel := release(tab, p)
		grand := rel.val[len(rel.val)-1]
		for i, withheld := range rel.sup {
			if !withheld || rel.val[i] >= k {
				continue
			}
			checked++
			if !rel.witness(i, k, grand+k) {
				t.Fatalf("table %d %v: %s = %d can be proved below %d", n, tab.Counts, rel.name[i], rel.val[i], k)
			}
		}
	}
	if checked < 200 {
		t.Errorf("only %d withheld counts checked", checked)
	}
}

// TestOnePersonApart protects pairs of tables that differ by one person in
// one cell: no number shown in both ever differs by 1 (or by anything but a
// multiple of 5).
func TestOnePersonApart(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range 2000 {
		rows, cols := 1+r.IntN(8), r.IntN(5)
		a := randomTable(r, rows, cols, DefaultK)
		b := Table{Rows: a.Rows, Cols: a.Cols}
		for _, row := range a.Counts {
			b.Counts = append(b.Counts, append([]int(nil), row...))
		}
		b.Counts[r.IntN(rows)][r.IntN(max(1, cols))]++
		pa, err := Protect(a, DefaultK)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := Protect(b, DefaultK)
		if err != nil {
			t.Fatal(err)
		}
		ra, rb := release(a, pa), release(b, pb)
		for i := range ra.val {
			if ra.sup[i] || rb.sup[i] {
				continue
			}
			if d := ra.shown(pa, i) - rb.shown(pb, i); d%5 != 0 {
				t.Fatalf("%s: %d and %d", ra.name[i], ra.shown(pa, i), rb.shown(pb, i))
			}
		}
	}
}
