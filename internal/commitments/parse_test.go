// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
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
			[]RowError{{1, "country", CodeDuplicateColumn}, {1, "when", CodeUnknownColumn}, {1, "action", CodeMissingColumn}, {1, "date", CodeMissingColumn}}},
		{"too many fields", "country,instrument,action,date,source\nMEX,ICRMW,ratification,1999-03-08,x,extra\n", nil,
			[]RowError{{2, "", CodeFieldCount}}},
		{"broken quoting stops reading", "country,instrument,action,date,source\nMEX,ICRMW,ratification,1999-03-08,\"x\"y\nCHL,ICRMW,ratification,2005-03-21,x\n", nil,
			[]RowError{{2, "", CodeUnreadable}}},
		{"empty file", "", nil, []RowError{{0, "", CodeEmptyFile}}},
		{"not UTF-8", "country\xff", nil, []RowError{{0, "", CodeUnreadable}}},
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

// xlsxFile builds a workbook whose first sheet holds cells row by row; a
// float64 cell in the date column gets a date number format, as a
// spreadsheet program would save it.
func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := f.SetCellValue("Sheet1", cell, v); err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(float64); ok {
				_ = f.SetCellStyle("Sheet1", cell, cell, style)
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseXLSX(t *testing.T) {
	data := xlsxFile(t, [][]any{
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
	if _, errs := Parse([]byte("PK\x03\x04 not really a zip")); !reflect.DeepEqual(errs, []RowError{{0, "", CodeUnreadable}}) {
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
