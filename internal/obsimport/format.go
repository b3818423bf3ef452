// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bytes"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/tabular"
)

// File formats, as observation_imports.format records them.
const (
	FormatSDMXCSV  = "sdmx-csv"
	FormatSDGCSV   = "sdg-csv"
	FormatSDMXJSON = "sdmx-json"
	// FormatCSV and FormatXLSX are tables read through a Mapping.
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Formats lists the formats in the order the upload form offers them.
func Formats() []string {
	return []string{FormatSDMXCSV, FormatSDGCSV, FormatSDMXJSON, FormatCSV, FormatXLSX}
}

// ValidFormat reports whether f is a format, or "" for detection.
func ValidFormat(f string) bool { return f == "" || slices.Contains(Formats(), f) }

// Detect tells a file's format from its first bytes (a few kilobytes are
// enough): a ZIP archive is a workbook, a JSON object an SDMX-JSON
// message, a CSV header starting DATAFLOW or STRUCTURE is SDMX-CSV, one
// with SeriesCode and GeoAreaCode columns the SDG Global Database's
// layout, and any other CSV a table to be mapped.
func Detect(head []byte) string {
	if tabular.IsXLSX(head) {
		return FormatXLSX
	}
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return FormatSDMXJSON
	}
	first, _, _ := bytes.Cut(trimmed, []byte("\n"))
	upper := strings.ToUpper(strings.TrimLeft(string(first), `"`))
	if strings.HasPrefix(upper, "DATAFLOW") || strings.HasPrefix(upper, "STRUCTURE") {
		return FormatSDMXCSV
	}
	line := strings.ToLower(string(first))
	if strings.Contains(line, "seriescode") && strings.Contains(line, "geoareacode") {
		return FormatSDGCSV
	}
	return FormatCSV
}
