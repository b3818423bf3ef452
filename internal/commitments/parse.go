// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"bytes"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/tabular"
)

// Row is one data row of an import file, with its line number (1 is the
// header) so that an error can name it.
type Row struct {
	Line  int
	Input Input
}

// RowError is what is wrong with one field of one row of a file. Line 0
// is about the whole file; line 1 is the header.
type RowError = tabular.RowError

// Columns of an import file, in their documented order. as_of may be left
// out (it then defaults to the day of the import); the others are
// required. Headers are matched as tabular.HeaderName says: ignoring case,
// surrounding space, and the difference between spaces, hyphens and
// underscores.
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

// Parse reads a CSV or XLSX file (told apart by content, not by name)
// into rows. Errors about the file's shape (header, field counts, broken
// quoting) are returned as row errors; parsing goes on past a bad row
// where it can, so that one pass reports as much as possible.
func Parse(data []byte) ([]Row, []RowError) {
	var p parser
	if !tabular.IsXLSX(data) && !utf8.Valid(data) {
		return nil, []RowError{{Line: 0, Code: CodeUnreadable}}
	}
	tabular.Read(bytes.NewReader(data), tabular.Options{
		MaxRows: maxRows, MaxCell: maxCell, MaxXLSXBytes: MaxFileBytes,
		Header: p.header, Row: p.row, Error: func(e RowError) { p.errs = append(p.errs, e) },
	})
	return p.rows, p.errs
}

// parser turns records into rows by the columns the header names.
type parser struct {
	index map[string]int // column → position in the file
	rows  []Row
	errs  []RowError
}

func (p *parser) header(rec tabular.Record) bool {
	p.index = map[string]int{}
	for i, f := range rec.Fields {
		name := tabular.HeaderName(f)
		if alias, ok := columnAliases[name]; ok {
			name = alias
		}
		_, dup := p.index[name]
		switch {
		case !slices.Contains(columns, name):
			p.errs = append(p.errs, RowError{Line: rec.Line, Field: truncate(strings.TrimSpace(f), 64), Code: CodeUnknownColumn})
		case dup:
			p.errs = append(p.errs, RowError{Line: rec.Line, Field: name, Code: CodeDuplicateColumn})
		default:
			p.index[name] = i
		}
	}
	for _, c := range columns {
		if _, ok := p.index[c]; !ok && c != "as_of" {
			p.errs = append(p.errs, RowError{Line: rec.Line, Field: c, Code: CodeMissingColumn})
		}
	}
	return len(p.errs) == 0
}

func (p *parser) row(rec tabular.Record) {
	get := func(col string) string {
		i, ok := p.index[col]
		if !ok || i >= len(rec.Fields) {
			return ""
		}
		if rec.XLSX && (col == "date" || col == "as_of") {
			return tabular.SerialDate(rec.Fields[i])
		}
		return rec.Fields[i]
	}
	p.rows = append(p.rows, Row{Line: rec.Line, Input: Input{
		Country: get("country"), Instrument: get("instrument"), Action: get("action"),
		Date: get("date"), Source: get("source"), AsOf: get("as_of"),
	}})
}
