// SPDX-License-Identifier: AGPL-3.0-or-later

package export

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestStream writes the sample table row by row in both formats and reads
// it back: the same cells as the whole-table writers give, formulas kept
// as text, and a sheet spreadsheet programs open.
func TestStream(t *testing.T) {
	for _, format := range []string{CSV, XLSX} {
		t.Run(format, func(t *testing.T) {
			var streamed, whole bytes.Buffer
			s, err := NewStream(&streamed, format, sample.Name, sample.Header)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range sample.Rows {
				if err := s.Write(row); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if format == CSV {
				if err := WriteCSV(&whole, sample); err != nil {
					t.Fatal(err)
				}
				if streamed.String() != whole.String() {
					t.Errorf("streamed %q, whole %q", streamed.String(), whole.String())
				}
				return
			}
			f, err := excelize.OpenReader(&streamed)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = f.Close() }()
			sheet := f.GetSheetList()[0]
			rows, err := f.GetRows(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rows[0], sample.Header) || rows[1][0] != "المكسيك" || rows[1][1] != "3" {
				t.Errorf("rows %q", rows)
			}
			for _, cell := range []string{"A3"} {
				if formula, _ := f.GetCellFormula(sheet, cell); formula != "" {
					t.Errorf("%s holds the formula %q", cell, formula)
				}
				if v, _ := f.GetCellValue(sheet, cell); !strings.HasPrefix(v, "=HYPERLINK") {
					t.Errorf("%s = %q", cell, v)
				}
			}
		})
	}
	if _, err := NewStream(&bytes.Buffer{}, "pdf", "x", nil); err == nil {
		t.Error("an unknown format was accepted")
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 38: "AM", 701: "ZZ", 702: "AAA"} {
		if got := columnName(i); got != want {
			t.Errorf("columnName(%d) = %q, want %q", i, got, want)
		}
	}
}
