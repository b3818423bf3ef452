// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"errors"
	"fmt"
)

// Table is a table of counts: one row per row category and, for a two-way
// table, one column per column category. Counts[i][j] is the count of row
// category i and column category j; a one-way table has no Cols and one
// count per row (Counts[i][0]).
type Table struct {
	Rows, Cols []string
	Counts     [][]int
}

// TwoWay reports whether t has column categories.
func (t Table) TwoWay() bool { return len(t.Cols) > 0 }

// width is the number of counts in each row.
func (t Table) width() int { return max(1, len(t.Cols)) }

// check refuses a table whose counts do not match its categories or are
// negative.
func (t Table) check() error {
	if len(t.Counts) != len(t.Rows) {
		return fmt.Errorf("disclosure: %d rows of counts for %d row categories", len(t.Counts), len(t.Rows))
	}
	for i, row := range t.Counts {
		if len(row) != t.width() {
			return fmt.Errorf("disclosure: row %d has %d counts, want %d", i, len(row), t.width())
		}
		for _, v := range row {
			if v < 0 {
				return errors.New("disclosure: negative count")
			}
		}
	}
	return nil
}

// Cell is one published number. A withheld number has Suppressed set and
// Value 0, so that its true value never leaves this package.
type Cell struct {
	Value      int
	Suppressed bool
}

// Published is a table as it may be shown: its cells and totals, each
// published or withheld. RowTotals and ColTotals are nil for a one-way
// table, whose only total is Total.
type Published struct {
	Rows, Cols []string
	Cells      [][]Cell
	RowTotals  []Cell
	ColTotals  []Cell
	Total      Cell
	// K is the threshold the table was protected with; 0 for an
	// unprotected table.
	K int
	// Base is the base published numbers are rounded to: 5, or 1 for an
	// unprotected table.
	Base int
}

// TwoWay reports whether p has column categories.
func (p Published) TwoWay() bool { return len(p.Cols) > 0 }

// Protected reports whether p went through Protect.
func (p Published) Protected() bool { return p.K > 0 }

// Unprotected returns t with its totals, nothing withheld or rounded. It is
// for an organisation's own figures shown to its own staff only; anything
// shown to anyone else goes through Protect.
func Unprotected(t Table) (Published, error) {
	if err := t.check(); err != nil {
		return Published{}, err
	}
	g := newGrid(t)
	return g.publish(t, 0, 1), nil
}
