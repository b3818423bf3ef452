// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/tabular"
)

// Limits on a file. A CSV file is streamed, so only its rows bound it; a
// workbook or a JSON message is read whole.
const (
	maxCell        = 16 << 10
	maxColumns     = 200
	MaxXLSXBytes   = 64 << 20
	MaxJSONBytes   = 100 << 20
	MaxUploadBytes = 25 << 20
)

// maxRows is a variable only so that a test can lower it.
var maxRows = 50_000_000

// readCSV streams the records of a CSV file separated by comma: the first
// non-blank one to header, which says whether the rows can be read, each
// later one to row. Either stops the reading by answering false, as does
// fail. Line numbers are those an editor shows (a quoted line break
// counts), and blank rows are skipped.
func readCSV(r io.Reader, comma rune, fail func(RowError) bool, header func(line int, f []string) bool, row func(line int, f []string) bool) {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.LazyQuotes = false
	width, rows := -1, 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if width < 0 {
				fail(RowError{Code: tabular.CodeEmptyFile})
			}
			return
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			fail(RowError{Line: line, Code: tabular.CodeUnreadable})
			return
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue
		}
		if width < 0 {
			if len(rec) > maxColumns {
				fail(RowError{Line: line, Code: tabular.CodeTooLong})
				return
			}
			for i, f := range rec {
				if !utf8.ValidString(f) || len(f) > 1000 {
					fail(RowError{Line: line, Code: tabular.CodeUnreadable})
					return
				}
				rec[i] = strings.TrimSpace(strings.TrimPrefix(f, "\ufeff"))
			}
			width = len(rec)
			if !header(line, rec) {
				return
			}
			continue
		}
		if rows >= maxRows {
			fail(RowError{Line: line, Code: tabular.CodeTooManyRows})
			return
		}
		rows++
		// Trailing empty fields beyond the header are a common slip
		// (the SDMX-CSV specification's own example 18 has one).
		for len(rec) > width && rec[len(rec)-1] == "" {
			rec = rec[:len(rec)-1]
		}
		if len(rec) > width {
			if !fail(RowError{Line: line, Code: tabular.CodeFieldCount}) {
				return
			}
			continue
		}
		if long(rec) {
			if !fail(RowError{Line: line, Code: tabular.CodeTooLong}) {
				return
			}
			continue
		}
		if !row(line, rec) {
			return
		}
	}
}

func blank(f []string) bool {
	for _, s := range f {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}

func long(f []string) bool {
	for _, s := range f {
		if len(s) > maxCell {
			return true
		}
	}
	return false
}
