// SPDX-License-Identifier: AGPL-3.0-or-later

package export

import (
	"archive/zip"
	"bufio"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A Stream writes a table row by row as it is read, for tables too large
// to hold in memory (the HTCDS export of a hundred thousand cases). Unlike
// Table's writers it never buffers the rows: memory stays that of one row,
// and nothing of the table reaches a temporary file. Cells are as in a
// Table (string, int, float64 or nil) and are made formula-safe the same
// way. Close ends the file; what was written before an error is not a
// valid file.
type Stream interface {
	Write(row []any) error
	Close() error
}

// NewStream starts a table in format (CSV or XLSX) on w, with its header.
func NewStream(w io.Writer, format, sheet string, header []string) (Stream, error) {
	switch format {
	case CSV:
		return newCSVStream(w, header)
	case XLSX:
		return newXLSXStream(w, sheet, header)
	}
	return nil, fmt.Errorf("export: unknown format %q", format)
}

// csvStream is WriteCSV one row at a time.
type csvStream struct {
	cw  *csv.Writer
	rec []string
}

func newCSVStream(w io.Writer, header []string) (*csvStream, error) {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return nil, err
	}
	s := &csvStream{cw: csv.NewWriter(w)}
	return s, s.cw.Write(header)
}

func (s *csvStream) Write(row []any) error {
	s.rec = s.rec[:0]
	for _, c := range row {
		s.rec = append(s.rec, csvCell(c))
	}
	return s.cw.Write(s.rec)
}

func (s *csvStream) Close() error {
	s.cw.Flush()
	return s.cw.Error()
}

// xlsxStream writes the smallest workbook spreadsheet programs open: one
// sheet, text as inline strings (never formulas, never a shared-strings
// table that would have to be held until the end), the header bold and
// frozen. The zip entries are written as they come (data descriptors), so
// w need not seek.
type xlsxStream struct {
	z     *zip.Writer
	sheet *bufio.Writer
	row   int
}

// xlsxParts are the workbook's fixed parts, written before the sheet.
var xlsxParts = []struct{ name, body string }{
	{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`},
	{"_rels/.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`},
	{"xl/_rels/workbook.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`</Relationships>`},
	{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
		`</styleSheet>`},
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func newXLSXStream(w io.Writer, sheet string, header []string) (*xlsxStream, error) {
	z := zip.NewWriter(w)
	parts := append(xlsxParts[:len(xlsxParts):len(xlsxParts)], struct{ name, body string }{"xl/workbook.xml",
		`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="` +
			escape(sheetName(sheet)) + `" sheetId="1" r:id="rId1"/></sheets></workbook>`})
	for _, p := range parts {
		f, err := z.Create(p.name)
		if err != nil {
			return nil, err
		}
		if _, err := io.WriteString(f, xmlHeader+p.body); err != nil {
			return nil, err
		}
	}
	f, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return nil, err
	}
	s := &xlsxStream{z: z, sheet: bufio.NewWriterSize(f, 64<<10)}
	_, _ = s.sheet.WriteString(xmlHeader + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`</sheetView></sheetViews><sheetData>`)
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = h
	}
	return s, s.write(cells, `1`)
}

func (s *xlsxStream) Write(row []any) error { return s.write(row, "") }

// write writes one row, its cells with style (the bold one for the
// header, "" for none).
func (s *xlsxStream) write(row []any, style string) error {
	s.row++
	r := strconv.Itoa(s.row)
	b := s.sheet
	_, _ = b.WriteString(`<row r="` + r + `">`)
	for i, c := range row {
		ref := columnName(i) + r
		switch v := c.(type) {
		case nil:
			continue
		case int:
			_, _ = b.WriteString(`<c r="` + ref + `"><v>` + strconv.Itoa(v) + `</v></c>`)
		case float64:
			_, _ = b.WriteString(`<c r="` + ref + `"><v>` + strconv.FormatFloat(v, 'g', -1, 64) + `</v></c>`)
		default:
			text := fmt.Sprint(v)
			if text == "" {
				continue
			}
			attrs := `<c r="` + ref + `" t="inlineStr"`
			if style != "" {
				attrs += ` s="` + style + `"`
			}
			_, _ = b.WriteString(attrs + `><is><t xml:space="preserve">` + escape(text) + `</t></is></c>`)
		}
	}
	_, err := b.WriteString(`</row>`)
	return err
}

func (s *xlsxStream) Close() error {
	if _, err := s.sheet.WriteString(`</sheetData></worksheet>`); err != nil {
		return err
	}
	if err := s.sheet.Flush(); err != nil {
		return err
	}
	return s.z.Close()
}

// escape writes s as XML text; characters XML cannot hold become U+FFFD.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// columnName is the letters of the column at index i (0 is A, 26 is AA).
func columnName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}
