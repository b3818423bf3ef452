// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"flag"
	"html/template"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// thousands writes whole numbers with a thin space between thousands, as a
// caller's Format might.
func thousands(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	if v < 0 {
		s = "-" + s
	}
	return s
}

// arabicDigits writes numbers with Arabic-Indic digits, as an Arabic page
// would.
func arabicDigits(v float64) string {
	return strings.Map(func(r rune) rune {
		if '0' <= r && r <= '9' {
			return '٠' + r - '0'
		}
		return r
	}, strconv.FormatFloat(v, 'f', -1, 64))
}

var years = []string{"2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025"}

// goldenCases are the drawings checked byte for byte against testdata/;
// the other tests also run over them.
func goldenCases() map[string]template.HTML {
	nan := math.NaN()
	return map[string]template.HTML{
		"line": Line(Spec{
			ID: "cases", Title: "Cases opened per year", Desc: "Cases rose from 1,200 in 2016 to 4,800 in 2025.",
			XLabel: "Year", YLabel: "Cases", Format: thousands,
		}, years, []Series{
			{Name: "Asylum", Values: []float64{1200, 1500, 1700, 2100, 1400, 2500, 3100, 3900, 4300, 4800}},
			{Name: "Detention", Values: []float64{400, 450, nan, 700, 650, 800, 900, 1100, 1000, 1200}},
			{Name: "Family reunification", Values: []float64{300, 320, 360, 380, 200, 260, 420, 500, 610}},
		}),
		"line_rtl": Line(Spec{
			ID: "cases-ar", Title: "الحالات المفتوحة سنوياً", Desc: "ارتفع عدد الحالات من ١٢٠ إلى ٤٨٠.",
			XLabel: "السنة", YLabel: "الحالات", Format: arabicDigits, RTL: true,
		}, years[5:], []Series{
			{Name: "اللجوء", Values: []float64{120, 150, 310, 390, 480}},
			{Name: "الاحتجاز", Values: []float64{40, 45, 70, 65, 80}},
		}),
		"line_empty": Line(Spec{
			ID: "none", Title: "Cases opened per year", Desc: "No case was opened.",
			YLabel: "Cases", Empty: "No cases in this period",
		}, years, nil),
		"bar": Bar(Spec{
			ID: "origin", Title: "Cases by country of origin", Desc: "Most cases concern people from Syria.",
			XLabel: "Country of origin", YLabel: "Cases", Format: thousands,
		}, []string{"Syria", "Afghanistan", "Venezuela", "South Sudan", "Democratic Republic of the Congo", "Myanmar"},
			[]float64{6800, 5200, 4100, nan, 1900, 1100}),
		"stacked": StackedBar(Spec{
			ID: "status", Title: "Cases by status and quarter", Desc: "Closed cases grew each quarter.",
			YLabel: "Cases",
		}, []string{"Q1", "Q2", "Q3", "Q4"}, []Series{
			{Name: "Open", Values: []float64{30, 42, 38, 25}},
			{Name: "Pending", Values: []float64{12, 15, 9, 20}},
			{Name: "Closed", Values: []float64{20, 31, 45, 52}},
		}),
		"stacked_empty": StackedBar(Spec{
			ID: "status-none", Title: "Cases by status", Empty: "No data",
		}, []string{"Q1", "Q2"}, []Series{{Name: "Open"}, {Name: "Closed", Values: []float64{nan, nan}}}),
		"sparkline": Sparkline(Spec{ID: "trend-1", Title: "Trend", Desc: "Rising since 2019."},
			[]float64{3, 5, 4, 8, nan, 9, 12, 11, 15}),
		"worldmap": WorldMap(Spec{
			ID: "origins", Title: "Cases by country of origin", Desc: "Most cases come from Syria and Afghanistan.",
		}, MapData{
			Classes: []MapClass{{Label: "1–9", Color: 0}, {Label: "10–99", Color: 3}, {Label: "100 or more", Color: 6}},
			Class:   map[string]int{"760": 2, "004": 2, "862": 1, "728": 1, "180": 1, "104": 0, "250": 0, "076": 0, "643": 0},
			Names:   map[string]string{"760": "Syria", "004": "Afghanistan", "862": "Venezuela", "728": "South Sudan", "180": "DR Congo", "104": "Myanmar", "250": "France", "076": "Brazil", "643": "Russia"},
			NoData:  "No data",
		}),
	}
}

func TestGolden(t *testing.T) {
	for name, got := range goldenCases() {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name+".svg")
			if *update {
				if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/chart -update to create it)", err)
			}
			if string(got)+"\n" != string(want) {
				t.Errorf("%s differs from %s; if the change is intended, run go test ./internal/chart -update and review the diff", name, path)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	a, b := goldenCases(), goldenCases()
	for name := range a {
		if a[name] != b[name] {
			t.Errorf("%s: two renders of the same input differ", name)
		}
	}
}
