// SPDX-License-Identifier: AGPL-3.0-or-later

// Package export writes tables as CSV and XLSX downloads, the two forms
// in which people take Amparo's tables into spreadsheets, and tables that
// carry HXL hashtags (https://hxlstandard.org) also as HXL-tagged CSV, the
// form humanitarian data exchanges (HDX, the HXL Proxy) read.
//
// Text cells that a spreadsheet would read as a formula (starting with =,
// +, -, @, tab or carriage return) are prefixed with an apostrophe in CSV
// and stored as plain strings in XLSX, so that a value typed into Amparo
// can never run as a formula on the machine of whoever opens the file.
// Numbers are passed as numbers and stay numbers.
package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Table is what is exported: a header and rows of cells. A cell is a
// string, an int or a float64; nil is an empty cell.
type Table struct {
	// Name names the file (without extension) and the XLSX sheet.
	Name   string
	Header []string
	// Tags are the HXL hashtags of the columns, one per header cell (such
	// as "#country+code" or "#affected+f"), for the HXL form; nil for a
	// table that has none. CSV and XLSX leave them out.
	Tags []string
	Rows [][]any
}

// Formats. HXL is CSV with the hashtag row under the header row, only for
// tables that carry Tags.
const (
	CSV  = "csv"
	XLSX = "xlsx"
	HXL  = "hxl"
)

var mediaTypes = map[string]string{
	CSV:  "text/csv; charset=utf-8",
	XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	HXL:  "text/csv; charset=utf-8",
}

// extensions name the files; an HXL file is a CSV file, and says so.
var extensions = map[string]string{CSV: ".csv", XLSX: ".xlsx", HXL: ".hxl.csv"}

// Valid reports whether format is one every table can be written in: CSV
// or XLSX.
func Valid(format string) bool { return format == CSV || format == XLSX }

// ValidTagged reports whether format is one a table with HXL hashtags can
// be written in: CSV, XLSX or HXL.
func ValidTagged(format string) bool { return Valid(format) || format == HXL }

// Serve answers with t as a download in format (CSV, XLSX, or HXL for a
// table with Tags). The file is built in memory first, so a failure becomes
// an error, not half a file.
func Serve(w http.ResponseWriter, t Table, format string) error {
	var b strings.Builder
	var err error
	switch format {
	case CSV:
		err = WriteCSV(&b, t)
	case XLSX:
		err = WriteXLSX(&b, t)
	case HXL:
		err = WriteHXL(&b, t)
	default:
		return fmt.Errorf("export: unknown format %q", format)
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", mediaTypes[format])
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": t.Name + extensions[format]}))
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	_, err = io.WriteString(w, b.String())
	return err
}

// WriteCSV writes t as RFC 4180 CSV with a UTF-8 byte-order mark, which
// spreadsheet programs need to read non-Latin text (Arabic, Chinese,
// Russian) correctly.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	return writeRows(w, t.Header, nil, t.Rows)
}

// hashtagRE is an HXL hashtag in canonical form: the tag, then its
// attributes, each a lower-case letter followed by letters, digits and
// underscores (HXL 1.1, "Hashtags and attributes").
var hashtagRE = regexp.MustCompile(`^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$`)

// ValidHashtag reports whether tag is an HXL hashtag with its attributes,
// in canonical form.
func ValidHashtag(tag string) bool { return hashtagRE.MatchString(tag) }

// WriteHXL writes t as HXL-tagged CSV: the header row, the row of its
// hashtags, then the rows. It has no byte-order mark, which HXL tools do
// not expect. Every column must have a valid hashtag.
func WriteHXL(w io.Writer, t Table) error {
	if len(t.Tags) != len(t.Header) {
		return fmt.Errorf("export: %d hashtags for %d columns", len(t.Tags), len(t.Header))
	}
	for _, tag := range t.Tags {
		if !ValidHashtag(tag) {
			return fmt.Errorf("export: invalid HXL hashtag %q", tag)
		}
	}
	return writeRows(w, t.Header, t.Tags, t.Rows)
}

// writeRows writes the header, the hashtags when given, and the rows as
// CSV, escaping every cell that could run as a formula.
func writeRows(w io.Writer, header, tags []string, rows [][]any) error {
	cw := csv.NewWriter(w)
	for _, line := range [][]string{header, tags} {
		if line == nil {
			continue
		}
		if err := cw.Write(line); err != nil {
			return err
		}
	}
	rec := make([]string, 0, len(header))
	for _, row := range rows {
		rec = rec[:0]
		for _, c := range row {
			rec = append(rec, csvCell(c))
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// FormulaSafe is text as a CSV cell may hold it: text a spreadsheet would
// read as a formula (starting with =, +, -, @, a tab or a carriage return)
// gets a leading apostrophe, so that it shows as the text it is. Numbers
// are written apart and never pass through here.
func FormulaSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvCell(c any) string {
	switch v := c.(type) {
	case nil:
		return ""
	case string:
		return FormulaSafe(v)
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// WriteXLSX writes t as a one-sheet workbook with the header in bold and
// frozen, streaming the rows so that large tables stay cheap.
func WriteXLSX(w io.Writer, t Table) error {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }() // Close only removes temporary files.
	sheet := sheetName(t.Name)
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, row := range t.Rows {
		cells := make([]any, len(row))
		for j, c := range row {
			if s, ok := c.(string); ok {
				// A string cell is written as an inline string, never as
				// a formula, whatever it starts with.
				cells[j] = excelize.Cell{Value: s}
				continue
			}
			cells[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// sheetName makes a valid sheet name: at most 31 characters, none of
// []:*?/\ .
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if s == "" {
		s = "Sheet1"
	}
	return s
}
