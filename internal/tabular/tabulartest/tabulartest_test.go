// SPDX-License-Identifier: AGPL-3.0-or-later

package tabulartest_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/amparo-project/amparo/internal/tabular"
	"github.com/amparo-project/amparo/internal/tabular/tabulartest"
)

// The workbook XLSX builds is one the importers read back cell for cell,
// with text, numbers and blank cells where the rows put them.
func TestXLSXReadsBack(t *testing.T) {
	data := tabulartest.XLSX(t, [][]any{{"country", "year", "note"}, {"MEX", 1999, ""}, {"Perú", 2005, "ñ"}})
	if !tabular.IsXLSX(data) {
		t.Fatal("not recognised as a workbook")
	}
	var got [][]string
	var lines []int
	tabular.Read(bytes.NewReader(data), tabular.Options{MaxRows: 10, MaxCell: 100, MaxXLSXBytes: 1 << 20,
		Header: func(r tabular.Record) bool { got = append(got, slices.Clone(r.Fields)); return true },
		Row: func(r tabular.Record) {
			if !r.XLSX {
				t.Error("row not marked as coming from a workbook")
			}
			got, lines = append(got, slices.Clone(r.Fields)), append(lines, r.Line)
		},
		Error: func(e tabular.RowError) { t.Errorf("read error %+v", e) },
	})
	want := [][]string{{"country", "year", "note"}, {"MEX", "1999"}, {"Perú", "2005", "ñ"}}
	if len(got) != len(want) {
		t.Fatalf("read %q, want %q", got, want)
	}
	for i := range want {
		// A trailing blank cell may or may not be written; compare what is there.
		g := got[i]
		for len(g) > len(want[i]) && g[len(g)-1] == "" {
			g = g[:len(g)-1]
		}
		if !slices.Equal(g, want[i]) {
			t.Errorf("row %d = %q, want %q", i, got[i], want[i])
		}
	}
	if !slices.Equal(lines, []int{2, 3}) {
		t.Errorf("lines %v, want [2 3]", lines)
	}
}
