// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Row is one data row of an import file, with its line number (1 is the
// header) so that an error can name it.
type Row struct {
	Line  int
	Input Input
}

// RowError is what is wrong with one field of one row of a file. Line 0
// is about the whole file; line 1 is the header.
type RowError struct {
	Line  int
	Field string
	Code  string
}

// Columns of an import file, in their documented order. as_of may be left
// out (it then defaults to the day of the import); the others are
// required. Headers are matched ignoring case, surrounding space, and the
// difference between spaces, hyphens and underscores.
var columns = []string{"country", "instrument", "action", "date", "source", "as_of"}

// columnAliases are other headers accepted for a column, as the issue and
// spreadsheets commonly name them.
var columnAliases = map[string]string{"country_code": "country", "iso3": "country", "as_of_date": "as_of"}

// Limits on what a file may hold, so that a hostile or mistaken file
// cannot exhaust memory: MaxFileBytes for the file, maxRows data rows,
// maxCell bytes in any cell.
const (
	MaxFileBytes = 64 << 20
	maxCell      = 2048
)

// maxRows is a variable only so that a test can lower it.
var maxRows = 1_000_000

// isXLSX reports whether data is a ZIP archive, as every XLSX file is.
func isXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// Parse reads a CSV or XLSX file (told apart by content, not by name)
// into rows. Errors about the file's shape (header, field counts, broken
// quoting) are returned as row errors; parsing goes on past a bad row
// where it can, so that one pass reports as much as possible.
func Parse(data []byte) ([]Row, []RowError) {
	if isXLSX(data) {
		return parseXLSX(data)
	}
	return parseCSV(data)
}

// records turns a sequence of string records (the header first) into
// rows, checking the header and each record's width.
type records struct {
	index   map[string]int // column → position in the file
	width   int
	rows    []Row
	errs    []RowError
	started bool
}

func (rs *records) header(line int, fields []string) bool {
	rs.index = map[string]int{}
	rs.width = len(fields)
	for i, f := range fields {
		name := headerName(f)
		if alias, ok := columnAliases[name]; ok {
			name = alias
		}
		switch {
		case !isColumn(name):
			rs.errs = append(rs.errs, RowError{line, truncate(strings.TrimSpace(f), 64), CodeUnknownColumn})
		case hasKey(rs.index, name):
			rs.errs = append(rs.errs, RowError{line, name, CodeDuplicateColumn})
		default:
			rs.index[name] = i
		}
	}
	for _, c := range columns {
		if _, ok := rs.index[c]; !ok && c != "as_of" {
			rs.errs = append(rs.errs, RowError{line, c, CodeMissingColumn})
		}
	}
	return len(rs.errs) == 0
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func isColumn(name string) bool {
	for _, c := range columns {
		if c == name {
			return true
		}
	}
	return false
}

func headerName(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

// add takes one record. Blank records (every cell empty) are skipped, as
// spreadsheets often end with some.
func (rs *records) add(line int, fields []string) {
	if blank(fields) {
		return
	}
	if !rs.started {
		rs.started = true
		if !rs.header(line, fields) {
			rs.index = nil
		}
		return
	}
	if rs.index == nil {
		return // the header is wrong; its errors say so and rows cannot be read
	}
	if len(rs.rows) >= maxRows {
		if len(rs.rows) == maxRows {
			rs.errs = append(rs.errs, RowError{line, "", CodeTooManyRows})
			rs.rows = append(rs.rows, Row{})
		}
		return
	}
	if len(fields) > rs.width {
		rs.errs = append(rs.errs, RowError{line, "", CodeFieldCount})
		return
	}
	get := func(col string) string {
		i, ok := rs.index[col]
		if !ok || i >= len(fields) {
			return ""
		}
		return fields[i]
	}
	for _, f := range fields {
		if len(f) > maxCell {
			rs.errs = append(rs.errs, RowError{line, "", CodeTooLong})
			return
		}
		if !utf8.ValidString(f) {
			rs.errs = append(rs.errs, RowError{line, "", CodeUnreadable})
			return
		}
	}
	rs.rows = append(rs.rows, Row{Line: line, Input: Input{
		Country: get("country"), Instrument: get("instrument"), Action: get("action"),
		Date: get("date"), Source: get("source"), AsOf: get("as_of"),
	}})
}

func (rs *records) done() ([]Row, []RowError) {
	if !rs.started && len(rs.errs) == 0 {
		rs.errs = append(rs.errs, RowError{0, "", CodeEmptyFile})
	}
	if len(rs.rows) > maxRows {
		rs.rows = rs.rows[:maxRows]
	}
	return rs.rows, rs.errs
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parseCSV reads comma-separated values (RFC 4180). A quoting error stops
// the reading at its line, since the rows after it cannot be trusted.
func parseCSV(data []byte) ([]Row, []RowError) {
	rs := &records{}
	if !utf8.Valid(data) {
		rs.errs = append(rs.errs, RowError{0, "", CodeUnreadable})
		return rs.done()
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rs.errs = append(rs.errs, RowError{line, "", CodeUnreadable})
			break
		}
		line, _ := r.FieldPos(0)
		rs.add(line, rec)
	}
	return rs.done()
}

// parseXLSX reads the first sheet of a workbook. Cells are read raw, so a
// date cell arrives as its serial number and is turned into YYYY-MM-DD
// here whatever display format the sheet gives it.
func parseXLSX(data []byte) ([]Row, []RowError) {
	rs := &records{}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: 4 * MaxFileBytes, UnzipXMLSizeLimit: MaxFileBytes,
	})
	if err != nil {
		rs.errs = append(rs.errs, RowError{0, "", CodeUnreadable})
		return rs.done()
	}
	defer func() { _ = f.Close() }() // Close only removes temporary files; nothing to report.
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return rs.done()
	}
	// GetRows keeps empty rows in place, so that index+1 is the line a
	// spreadsheet shows.
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		rs.errs = append(rs.errs, RowError{0, "", CodeUnreadable})
		return rs.done()
	}
	for i, cells := range rows {
		if rs.started && rs.index != nil {
			for _, col := range []string{"date", "as_of"} {
				if j, ok := rs.index[col]; ok && j < len(cells) {
					cells[j] = serialDate(cells[j])
				}
			}
		}
		rs.add(i+1, cells)
	}
	return rs.done()
}

// serialDate turns a spreadsheet date serial (days since 1899-12-30) into
// YYYY-MM-DD and leaves any other text as it is, for validation to judge.
func serialDate(s string) string {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 1 || v > 2958465 {
		return s
	}
	t, err := excelize.ExcelDateToTime(v, false)
	if err != nil {
		return s
	}
	return t.Format(dateLayout)
}
