// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"encoding/csv"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
)

// coreHashtags reads the hashtags of the HXL standard's core schema.
func coreHashtags(t *testing.T) []string {
	t.Helper()
	f, err := os.Open("../../../shared/standards/hxl/hxl-core-hashtags.hxl.csv")
	if err != nil {
		t.Skip("the HXL standard's files are not beside the repository")
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[0])
	}
	return out
}

func TestExportCarriesValidHashtags(t *testing.T) {
	core := coreHashtags(t)
	svc := New(Config{})
	loc := i18n.MustLoad().Locale("fr")
	for _, d := range Dimensions() {
		for _, col := range append([]Dimension{""}, specs[d].columns...) {
			if fixed := specs[d].fixed; fixed != "" {
				col = fixed
			}
			rows := categories(d)
			if rows == nil {
				rows = []string{"MEX/MX-CHP", "HND", Unknown}
			}
			tab := disclosure.Table{Rows: rows}
			if col != "" {
				tab.Cols = categories(col)
			}
			for range tab.Rows {
				tab.Counts = append(tab.Counts, make([]int, max(1, len(tab.Cols))))
			}
			tab.Counts[0][0] = 3
			pub, err := disclosure.Protect(tab, disclosure.DefaultK)
			if err != nil {
				t.Fatal(err)
			}
			r := Result{Query: Query{Dimension: d, Column: col}, Unit: UnitOf(d), Table: pub}
			et := svc.Export(loc, r, nil)
			if len(et.Tags) != len(et.Header) || len(et.Rows) != len(rows)+1 {
				t.Fatalf("%s × %s: %d tags, %d columns, %d rows", d, col, len(et.Tags), len(et.Header), len(et.Rows))
			}
			for _, tag := range et.Tags {
				base, _, _ := strings.Cut(tag, "+")
				if !export.ValidHashtag(tag) || !slices.Contains(core, base) {
					t.Errorf("%s × %s: hashtag %q", d, col, tag)
				}
			}
			for _, row := range et.Rows {
				if len(row) != len(et.Header) {
					t.Fatalf("%s × %s: row of %d cells for %d columns", d, col, len(row), len(et.Header))
				}
			}
			if err := export.WriteHXL(&strings.Builder{}, et); err != nil {
				t.Errorf("%s × %s: %v", d, col, err)
			}
		}
	}
}

func TestExportWritesWithheldCounts(t *testing.T) {
	svc := New(Config{})
	loc := i18n.MustLoad().Locale("en")
	pub, err := disclosure.Protect(disclosure.Table{Rows: []string{"MEX/MX-CHP", "USA", Unknown},
		Counts: [][]int{{3}, {40}, {50}}}, 11)
	if err != nil {
		t.Fatal(err)
	}
	et := svc.Export(loc, Result{Query: Query{Dimension: Location}, Unit: UnitCases, Table: pub}, Suppressed)
	want := [][]any{{"MEX", "Mexico", "MX-CHP", Suppressed}, {"USA", "United States of America", "", Suppressed},
		{"", "Unknown", "", 50}, {"total", "Total", "", 95}}
	for i, row := range want {
		for j, c := range row {
			if et.Rows[i][j] != c {
				t.Errorf("row %d column %d: %v, want %v", i, j, et.Rows[i][j], c)
			}
		}
	}
	if et.Name != "statistics-location" || et.Header[3] != "Cases" {
		t.Errorf("name %q header %q", et.Name, et.Header)
	}
}
