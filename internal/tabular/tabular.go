// SPDX-License-Identifier: AGPL-3.0-or-later

// Package tabular reads the tables people import — CSV or XLSX files, told
// apart by their content, not their name — record by record, with the line
// a spreadsheet or editor shows, so that every problem can name its row.
// It checks only the file's shape (readable, UTF-8, not too wide, cells and
// rows within bounds); what the columns mean belongs to each importer
// (internal/commitments, internal/caseimport). A CSV file is streamed, so a
// file of a million rows is never held in memory; a workbook is read whole
// (a ZIP archive cannot be streamed), within limits on its size once
// decompressed, so that a small hostile archive cannot exhaust memory.
package tabular

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// RowError is what is wrong with one field of one row of a file. Line 0
// is about the whole file; line 1 is usually the header. Field names the
// column or field at fault, "" for the whole row.
type RowError struct {
	Line  int
	Field string
	Code  string
}

// Reason codes of the file's shape; each is a translation key
// "field.<code>".
const (
	CodeUnreadable  = "unreadable"
	CodeTooLong     = "too_long"
	CodeFieldCount  = "wrong_field_count"
	CodeTooManyRows = "too_many_rows"
	CodeEmptyFile   = "empty_file"
)

// MaxErrors bounds the errors a report lists, so that a file that is wrong
// on every one of a million rows gives a readable report, not a huge one;
// the first ones are the ones to fix first.
const MaxErrors = 1000

// Capped returns errs in line order (stable within a line), cut to
// MaxErrors, and whether any were cut.
func Capped(errs []RowError) ([]RowError, bool) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Line, b.Line) })
	if len(errs) > MaxErrors {
		return errs[:MaxErrors], true
	}
	return errs, false
}

// IsXLSX reports whether data starts as a ZIP archive, as every XLSX file
// does.
func IsXLSX(data []byte) bool { return bytes.HasPrefix(data, []byte("PK\x03\x04")) }

// HeaderName is the form column headers are matched in: lower case,
// without a byte-order mark or surrounding space, with spaces and hyphens
// read as underscores, so that "Country Code", "country-code" and
// "country_code" are one column.
func HeaderName(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

// Record is one non-blank record of a file.
type Record struct {
	Line int
	// Fields are the record's cells; the slice is reused after the
	// callback returns.
	Fields []string
	// XLSX is true when the file is a workbook, whose date cells arrive
	// as serial numbers (see SerialDate).
	XLSX bool
}

// Options bound a read and receive what it finds.
type Options struct {
	// MaxRows is the most data rows read; the next one is reported once
	// as CodeTooManyRows and the rest are left unread.
	MaxRows int
	// MaxCell is the most bytes in one cell.
	MaxCell int
	// MaxXLSXBytes is the most bytes of a workbook; decompressed, it may
	// grow to four times that.
	MaxXLSXBytes int64
	// Header receives the first non-blank record and says whether the
	// rows can be read by it; when not, they are skipped.
	Header func(Record) bool
	// Row receives each non-blank data record no wider than the header,
	// whose cells are within MaxCell and valid UTF-8.
	Row func(Record)
	// Error receives each problem with the file's shape, in line order.
	Error func(RowError)
}

// Read reads the table in r, a CSV (RFC 4180, UTF-8) or XLSX file, and
// calls opt's callbacks for what it finds. An empty file is reported as
// CodeEmptyFile.
func Read(r io.Reader, opt Options) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(4)
	w := &walker{opt: opt, xlsx: IsXLSX(head)}
	if w.xlsx {
		w.readXLSX(br)
	} else {
		w.readCSV(br)
	}
	if !w.started && !w.failed {
		opt.Error(RowError{0, "", CodeEmptyFile})
	}
}

// walker turns the records of a file into callbacks.
type walker struct {
	opt     Options
	xlsx    bool
	started bool // the header was seen
	usable  bool // the header said rows can be read
	failed  bool // the file could not be read at all
	width   int
	rows    int
}

// add takes one record. Blank records (every cell empty) are skipped, as
// spreadsheets often end with some. It reports false once no further
// record is wanted.
func (w *walker) add(line int, fields []string) bool {
	if blank(fields) {
		return true
	}
	rec := Record{Line: line, Fields: fields, XLSX: w.xlsx}
	if !w.started {
		w.started, w.width = true, len(fields)
		w.usable = w.opt.Header(rec)
		return true
	}
	if !w.usable {
		return false // the header is wrong; its errors say so and rows cannot be read
	}
	if w.rows >= w.opt.MaxRows {
		w.opt.Error(RowError{line, "", CodeTooManyRows})
		return false
	}
	w.rows++
	if len(fields) > w.width {
		w.opt.Error(RowError{line, "", CodeFieldCount})
		return true
	}
	for _, f := range fields {
		if len(f) > w.opt.MaxCell {
			w.opt.Error(RowError{line, "", CodeTooLong})
			return true
		}
		if !utf8.ValidString(f) {
			w.opt.Error(RowError{line, "", CodeUnreadable})
			return true
		}
	}
	w.opt.Row(rec)
	return true
}

func blank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// readCSV reads comma-separated values. A quoting error stops the reading
// at its line, since the rows after it cannot be trusted.
func (w *walker) readCSV(r io.Reader) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			w.opt.Error(RowError{line, "", CodeUnreadable})
			w.failed = true
			return
		}
		line, _ := cr.FieldPos(0)
		if !w.add(line, rec) {
			return
		}
	}
}

// readXLSX reads the first sheet of a workbook, streaming its rows. Cells
// are read raw, so a date arrives as its serial number whatever display
// format the sheet gives it.
func (w *walker) readXLSX(r io.Reader) {
	fail := func(line int, code string) {
		w.opt.Error(RowError{line, "", code})
		w.failed = true
	}
	data, err := io.ReadAll(io.LimitReader(r, w.opt.MaxXLSXBytes+1))
	switch {
	case err != nil:
		fail(0, CodeUnreadable)
		return
	case int64(len(data)) > w.opt.MaxXLSXBytes:
		fail(0, CodeTooLong)
		return
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: 4 * w.opt.MaxXLSXBytes, UnzipXMLSizeLimit: w.opt.MaxXLSXBytes,
	})
	if err != nil {
		fail(0, CodeUnreadable)
		return
	}
	defer func() { _ = f.Close() }() // Close only removes temporary files; nothing to report.
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		fail(0, CodeUnreadable)
		return
	}
	defer func() { _ = rows.Close() }()
	// The iterator yields a row for every line up to the last, empty ones
	// included, so the count is the line a spreadsheet shows.
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			fail(line, CodeUnreadable)
			return
		}
		if !w.add(line, cells) {
			return
		}
	}
	if rows.Error() != nil {
		fail(0, CodeUnreadable)
	}
}

// SerialDate turns a spreadsheet date serial (days since 1899-12-30) into
// YYYY-MM-DD and leaves any other text as it is, for validation to judge.
func SerialDate(s string) string {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 1 || v > 2958465 {
		return s
	}
	t, err := excelize.ExcelDateToTime(v, false)
	if err != nil {
		return s
	}
	return t.Format("2006-01-02")
}
