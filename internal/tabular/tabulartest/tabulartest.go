// SPDX-License-Identifier: AGPL-3.0-or-later

// Package tabulartest builds workbooks for the tests of importers.
package tabulartest

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// XLSX builds a workbook whose first sheet holds cells row by row; a
// float64 cell gets a date number format, as a spreadsheet program would
// save a date.
func XLSX(t testing.TB, rows [][]any) []byte {
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
