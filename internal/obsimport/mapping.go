// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"encoding/json"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/tabular"
)

// Mapping says which column of a CSV or XLSX table holds each field of an
// observation, by the header's text (matched as tabular.HeaderName reads
// it, so "Country code" and "country_code" are one column). A series, an
// area or a period may instead be fixed for the whole file: a table of one
// series for one year, say, with a column per country.
type Mapping struct {
	Series   string `json:"series,omitempty"`
	Area     string `json:"area,omitempty"`
	Period   string `json:"period,omitempty"`
	Value    string `json:"value"`
	Status   string `json:"status,omitempty"`
	Footnote string `json:"footnote,omitempty"`
	Source   string `json:"source,omitempty"`
	UnitMult string `json:"unit_mult,omitempty"`
	// Dimensions maps a dimension (SEX, AGE…) to its column.
	Dimensions map[string]string `json:"dimensions,omitempty"`
	// FixedSeries, FixedArea and FixedPeriod hold for every row; a column,
	// when mapped too, wins where it is not empty.
	FixedSeries string `json:"fixed_series,omitempty"`
	FixedArea   string `json:"fixed_area,omitempty"`
	FixedPeriod string `json:"fixed_period,omitempty"`
}

// Limits of a mapping.
const (
	MaxMappingBytes = 16 << 10
	maxHeaderLen    = 200
)

// ParseMapping reads a mapping from JSON and checks it.
func ParseMapping(data []byte) (*Mapping, error) {
	var m Mapping
	dec := json.NewDecoder(io.LimitReader(strings.NewReader(string(data)), MaxMappingBytes))
	dec.DisallowUnknownFields()
	if len(data) > MaxMappingBytes || dec.Decode(&m) != nil {
		return nil, fielderr.One("mapping", fielderr.CodeInvalid)
	}
	if err := m.Check(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Check reports every problem with the mapping as field errors: a value
// column is required; a series, an area and a period each need a column
// or a fixed value; dimensions must be known; fixed values well formed.
func (m *Mapping) Check() error {
	var e fielderr.Error
	if strings.TrimSpace(m.Value) == "" {
		e.Add("value", CodeRequired)
	}
	for _, f := range []struct{ name, col, fixed string }{
		{"series", m.Series, m.FixedSeries}, {"area", m.Area, m.FixedArea}, {"period", m.Period, m.FixedPeriod},
	} {
		if strings.TrimSpace(f.col) == "" && strings.TrimSpace(f.fixed) == "" {
			e.Add(f.name, CodeRequired)
		}
	}
	if m.FixedSeries != "" && !observations.SeriesCode.MatchString(strings.ToUpper(strings.TrimSpace(m.FixedSeries))) {
		e.Add("fixed_series", fielderr.CodeInvalid)
	}
	if m.FixedArea != "" {
		if _, err := observations.NormalizeArea(m.FixedArea); err != nil {
			e.Add("fixed_area", fielderr.CodeInvalid)
		}
	}
	if m.FixedPeriod != "" {
		if _, err := observations.ParsePeriod(m.FixedPeriod); err != nil {
			e.Add("fixed_period", fielderr.CodeInvalid)
		}
	}
	for _, dim := range slices.Sorted(maps.Keys(m.Dimensions)) {
		if _, ok := observations.DimensionByCode(dim); !ok {
			e.Add("dimensions."+dim, CodeUnknownColumn)
		} else if strings.TrimSpace(m.Dimensions[dim]) == "" {
			e.Add("dimensions."+dim, CodeRequired)
		}
	}
	for name, col := range m.columns() {
		if len(col) > maxHeaderLen {
			e.Add(name, fielderr.CodeTooLong)
		}
	}
	return e.OrNil()
}

// columns lists the mapped columns by the mapping's field.
func (m *Mapping) columns() map[string]string {
	out := map[string]string{}
	for name, col := range map[string]string{"series": m.Series, "area": m.Area, "period": m.Period, "value": m.Value,
		"status": m.Status, "footnote": m.Footnote, "source": m.Source, "unit_mult": m.UnitMult} {
		if strings.TrimSpace(col) != "" {
			out[name] = col
		}
	}
	for dim, col := range m.Dimensions {
		out["dimensions."+dim] = col
	}
	return out
}

var mappingRoles = map[string]int{"series": roleSeries, "area": roleArea, "period": rolePeriod, "value": roleValue,
	"status": roleStatus, "footnote": roleFootnote, "source": roleSource, "unit_mult": roleUnitMult}

// layout finds the mapped columns in a table's header; a mapped column
// the header lacks is reported. One column may be mapped to two fields.
func (m *Mapping) layout(line int, f []string, fail func(RowError) bool) (*layout, bool) {
	l := newLayout()
	l.translate = sdgCode
	l.fixedSeries, l.fixedArea, l.fixedPeriod = strings.TrimSpace(m.FixedSeries), strings.TrimSpace(m.FixedArea), strings.TrimSpace(m.FixedPeriod)
	index := map[string]int{}
	for i, h := range f {
		if _, dup := index[tabular.HeaderName(h)]; !dup {
			index[tabular.HeaderName(h)] = i
		}
	}
	ok := true
	cols := m.columns()
	for _, name := range slices.Sorted(maps.Keys(cols)) {
		i, found := index[tabular.HeaderName(cols[name])]
		if !found {
			fail(RowError{Line: line, Field: cols[name], Code: CodeMissingColumn})
			ok = false
			continue
		}
		c := column{idx: i, name: f[i], role: mappingRoles[name]}
		if dim, isDim := strings.CutPrefix(name, "dimensions."); isDim {
			c.role, c.dim = roleDim, dim
		}
		l.add(c)
	}
	return l, ok
}

// parseMapped returns the parser of a CSV or XLSX table read through m.
func parseMapped(m *Mapping) parser {
	return func(r io.Reader, s *sink) {
		var row func(int, []string) bool
		tabular.Read(r, tabular.Options{
			MaxRows: maxRows, MaxCell: maxCell, MaxXLSXBytes: MaxXLSXBytes,
			Header: func(rec tabular.Record) bool {
				l, ok := m.layout(rec.Line, rec.Fields, s.fail)
				if ok {
					s.layout(l)
					row = s.rows(l)
				}
				return ok
			},
			Row: func(rec tabular.Record) {
				// tabular reads on; once row has said stop, the rest is skipped
				if row != nil && !row(rec.Line, rec.Fields) {
					row = nil
				}
			},
			Error: func(e tabular.RowError) { s.fail(RowError{Line: e.Line, Field: e.Field, Code: e.Code}) },
		})
	}
}
