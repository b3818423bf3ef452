// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"reflect"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/tabular/tabulartest"
)

func TestParseCSV(t *testing.T) {
	cases := []struct {
		name     string
		file     string
		wantRows []Row
		wantErrs []RowError
	}{
		{"header aliases, BOM, any order, blank lines",
			"\ufeffInstrument,Country Code,action,Date,SOURCE\r\n\r\nICRMW,MEX,ratification,1999-03-08,UNTC\r\n,,,,\r\n",
			[]Row{{Line: 3, Input: Input{Country: "MEX", Instrument: "ICRMW", Action: "ratification", Date: "1999-03-08", Source: "UNTC"}}}, nil},
		{"quoted field with comma and newline",
			"country,instrument,action,date,source,as_of\nMEX,ICRMW,ratification,1999-03-08,\"UNTC, chapter IV\nentry 13\",2026-01-01\nCHL,ICRMW,ratification,2005-03-21,x,\n",
			[]Row{
				{Line: 2, Input: Input{"MEX", "ICRMW", "ratification", "1999-03-08", "UNTC, chapter IV\nentry 13", "2026-01-01"}},
				{Line: 4, Input: Input{"CHL", "ICRMW", "ratification", "2005-03-21", "x", ""}},
			}, nil},
		{"unknown, duplicate and missing columns",
			"country,country,instrument,when,source\n", nil,
			[]RowError{{Line: 1, Field: "country", Code: CodeDuplicateColumn}, {Line: 1, Field: "when", Code: CodeUnknownColumn}, {Line: 1, Field: "action", Code: CodeMissingColumn}, {Line: 1, Field: "date", Code: CodeMissingColumn}}},
		{"too many fields", "country,instrument,action,date,source\nMEX,ICRMW,ratification,1999-03-08,x,extra\n", nil,
			[]RowError{{Line: 2, Field: "", Code: CodeFieldCount}}},
		{"broken quoting stops reading", "country,instrument,action,date,source\nMEX,ICRMW,ratification,1999-03-08,\"x\"y\nCHL,ICRMW,ratification,2005-03-21,x\n", nil,
			[]RowError{{Line: 2, Field: "", Code: CodeUnreadable}}},
		{"empty file", "", nil, []RowError{{Line: 0, Field: "", Code: CodeEmptyFile}}},
		{"not UTF-8", "country\xff", nil, []RowError{{Line: 0, Field: "", Code: CodeUnreadable}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, errs := Parse([]byte(c.file))
			if !reflect.DeepEqual(rows, c.wantRows) {
				t.Errorf("rows = %+v, want %+v", rows, c.wantRows)
			}
			if !reflect.DeepEqual(errs, c.wantErrs) {
				t.Errorf("errors = %+v, want %+v", errs, c.wantErrs)
			}
		})
	}
}

func TestParseXLSX(t *testing.T) {
	data := tabulartest.XLSX(t, [][]any{
		{"country", "instrument", "action", "date", "source"},
		{"MEX", "ICRMW", "ratification", 36227.0, "UNTC"}, // 1999-03-08 as a date serial
		{},
		{"CHL", "ICRMW", "ratification", "2005-03-21", "UNTC"},
	})
	rows, errs := Parse(data)
	if errs != nil {
		t.Fatalf("errors: %v", errs)
	}
	want := []Row{
		{Line: 2, Input: Input{Country: "MEX", Instrument: "ICRMW", Action: "ratification", Date: "1999-03-08", Source: "UNTC"}},
		{Line: 4, Input: Input{Country: "CHL", Instrument: "ICRMW", Action: "ratification", Date: "2005-03-21", Source: "UNTC"}},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows = %+v, want %+v", rows, want)
	}
	if _, errs := Parse([]byte("PK\x03\x04 not really a zip")); !reflect.DeepEqual(errs, []RowError{{Line: 0, Field: "", Code: CodeUnreadable}}) {
		t.Errorf("broken xlsx: errors = %v", errs)
	}
}

func TestParseCapsRows(t *testing.T) {
	defer func(n int) { maxRows = n }(maxRows)
	maxRows = 100
	var b strings.Builder
	b.WriteString("country,instrument,action,date,source\n")
	for range maxRows + 2 {
		b.WriteString("MEX,ICRMW,ratification,1999-03-08,x\n")
	}
	rows, errs := Parse([]byte(b.String()))
	if len(rows) != maxRows || len(errs) != 1 || errs[0].Code != CodeTooManyRows {
		t.Errorf("rows = %d, errors = %v", len(rows), errs)
	}
}
