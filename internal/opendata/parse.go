// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/observations"
)

// ParseError is a harvested file's fault: the line, the column and why.
type ParseError struct {
	Line        int
	Field, Code string
}

func (e *ParseError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Code)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Code)
}

// Columns ReadSDMXCSV needs; the others are optional, and columns it does
// not know are ignored, as SDMX-CSV allows custom columns.
var requiredColumns = []string{"STRUCTURE", "STRUCTURE_ID", "REF_AREA", "SERIES", "TIME_PERIOD", "OBS_VALUE"}

// ReadSDMXCSV reads SDMX-CSV 2.0.0 as open data writes it (dataflow
// StructureID, the dimensions of dims.go, OBS_VALUE and the attributes),
// in any column order, and calls fn with each observation and its line.
// Codes are passed on as written; the batch checks them. Anything that is
// not this structure's data — another dataflow, a delete action, a value
// that is not a finite number — is a *ParseError.
func ReadSDMXCSV(r io.Reader, fn func(line int, o observations.Observation) error) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return &ParseError{Line: 1, Code: "empty"}
	}
	if err != nil {
		return csvError(err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := col[h]; dup {
			return &ParseError{Line: 1, Field: h, Code: "duplicate_column"}
		}
		col[h] = i
	}
	if header[0] = strings.TrimPrefix(header[0], "\ufeff"); strings.TrimSpace(header[0]) != "STRUCTURE" {
		return &ParseError{Line: 1, Field: "STRUCTURE", Code: "not_sdmx_csv"}
	}
	for _, c := range requiredColumns {
		if _, ok := col[c]; !ok {
			return &ParseError{Line: 1, Field: c, Code: "missing_column"}
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvError(err)
		}
		line, _ := cr.FieldPos(0)
		fail := func(field, code string) error { return &ParseError{Line: line, Field: field, Code: code} }
		if get(rec, "STRUCTURE") != "dataflow" || get(rec, "STRUCTURE_ID") != StructureID {
			return fail("STRUCTURE_ID", "other_structure")
		}
		switch get(rec, "ACTION") {
		case "", "I", "A", "M":
		default:
			return fail("ACTION", "unsupported")
		}
		o := observations.Observation{Series: get(rec, "SERIES"), Area: get(rec, "REF_AREA"),
			Period: get(rec, "TIME_PERIOD"), Status: get(rec, "OBS_STATUS"),
			Source: get(rec, "SOURCE_DETAIL"), Footnote: get(rec, "COMMENT_OBS")}
		v, err := strconv.ParseFloat(get(rec, "OBS_VALUE"), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fail("OBS_VALUE", "invalid")
		}
		o.Value = v
		if s := get(rec, "UNIT_MULT"); s != "" {
			if o.UnitMult, err = strconv.Atoi(s); err != nil {
				return fail("UNIT_MULT", "invalid")
			}
		}
		var pairs []string
		for _, dim := range disaggDims {
			if c := get(rec, dim); c != "" && c != observations.Total {
				if strings.ContainsAny(c, "=;") {
					return fail(dim, "invalid")
				}
				pairs = append(pairs, dim+"="+c)
			}
		}
		slices.Sort(pairs) // the key's one spelling: sorted by dimension
		o.Disagg = strings.Join(pairs, ";")
		if err := fn(line, o); err != nil {
			return err
		}
	}
}

// csvError names the line of a malformed CSV record.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		code := "malformed"
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			code = "field_count"
		}
		return &ParseError{Line: pe.Line, Code: code}
	}
	return err
}
