// SPDX-License-Identifier: AGPL-3.0-or-later

package export

import (
	"bytes"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var sample = Table{
	Name:   "commitments: ICRMW/2026",
	Header: []string{"Country", "Parties", "Share"},
	Rows: [][]any{
		{"المكسيك", 3, 0.25},
		{"=HYPERLINK(\"http://evil\")", -4, nil},
		{"-not a number", 0, 1.5},
	},
}

func TestCSVEscapesFormulasAndKeepsNumbers(t *testing.T) {
	var b strings.Builder
	if err := WriteCSV(&b, sample); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffCountry,Parties,Share\nالمكسيك,3,0.25\n\"'=HYPERLINK(\"\"http://evil\"\")\",-4,\n'-not a number,0,1.5\n"
	if b.String() != want {
		t.Errorf("csv =\n%q\nwant\n%q", b.String(), want)
	}
}

func TestXLSXRoundTrips(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, sample); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	if sheet != "commitments_ ICRMW_2026" {
		t.Errorf("sheet name %q", sheet)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Country", "Parties", "Share"}, {"المكسيك", "3", "0.25"}, {"=HYPERLINK(\"http://evil\")", "-4"}, {"-not a number", "0", "1.5"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows = %q, want %q", rows, want)
	}
	if formula, _ := f.GetCellFormula(sheet, "A3"); formula != "" {
		t.Errorf("A3 became a formula: %q", formula)
	}
	if typ, _ := f.GetCellType(sheet, "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a number cell was written as text")
	}
}

func TestServe(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := Serve(rec, sample, CSV); err != nil {
		t.Fatal(err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("content disposition %q", cd)
	}
	if err := Serve(httptest.NewRecorder(), sample, "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
}

var tagged = Table{
	Name:   "statistics",
	Header: []string{"Nationality", "Female", "Male"},
	Tags:   []string{"#country+origin+name", "#affected+f", "#affected+m"},
	Rows:   [][]any{{"Honduras", 15, nil}, {"=cmd", 20, 35}},
}

func TestHXLHasTheHashtagRowUnderTheHeader(t *testing.T) {
	var b strings.Builder
	if err := WriteHXL(&b, tagged); err != nil {
		t.Fatal(err)
	}
	want := "Nationality,Female,Male\n#country+origin+name,#affected+f,#affected+m\nHonduras,15,\n'=cmd,20,35\n"
	if b.String() != want {
		t.Errorf("hxl =\n%q\nwant\n%q", b.String(), want)
	}
	var csvOut strings.Builder
	if err := WriteCSV(&csvOut, tagged); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(csvOut.String(), "#affected") {
		t.Error("the CSV form carries the hashtags")
	}
}

func TestHXLRefusesBadHashtags(t *testing.T) {
	for name, tags := range map[string][]string{
		"missing":        {"#country", "#affected+f"},
		"no hash":        {"country", "#affected+f", "#affected+m"},
		"upper case":     {"#Country", "#affected+f", "#affected+m"},
		"attribute":      {"#country+", "#affected+f", "#affected+m"},
		"digit first":    {"#country+1x", "#affected+f", "#affected+m"},
		"space":          {"#country +code", "#affected+f", "#affected+m"},
		"formula-like":   {"=#country", "#affected+f", "#affected+m"},
		"none for table": nil,
	} {
		bad := tagged
		bad.Tags = tags
		if err := WriteHXL(&strings.Builder{}, bad); err == nil {
			t.Errorf("%s: accepted %q", name, tags)
		}
	}
	for _, ok := range []string{"#adm1+code", "#affected+age65plus", "#indicator+num+total", "#meta"} {
		if !ValidHashtag(ok) {
			t.Errorf("%s refused", ok)
		}
	}
}

func TestServeHXL(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := Serve(rec, tagged, HXL); err != nil {
		t.Fatal(err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.Contains(cd, `filename=statistics.hxl.csv`) {
		t.Errorf("content disposition %q", cd)
	}
	if !strings.HasPrefix(rec.Body.String(), "Nationality,") {
		t.Errorf("body starts %q", rec.Body.String()[:20])
	}
	if Valid(HXL) || !ValidTagged(HXL) || !ValidTagged(CSV) || ValidTagged("pdf") {
		t.Error("Valid and ValidTagged disagree with the formats")
	}
	if err := Serve(httptest.NewRecorder(), sample, HXL); err == nil {
		t.Error("a table without hashtags was served as HXL")
	}
}
