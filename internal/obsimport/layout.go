// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/observations"
)

// Roles a column can play for an observation.
const (
	roleNone = iota // read and left alone (a label, a unit of measure…)
	roleSeries
	roleArea
	rolePeriod
	roleValue
	roleStatus
	roleUnitMult
	roleSource
	roleFootnote
	roleNature
	roleAction
	roleDim     // a disaggregation dimension
	roleUnknown // must be empty or the total
)

// fieldNames are the observation fields, as the batch names them in its
// errors, that a role fills.
var fieldNames = map[int]string{
	roleSeries: "series", roleArea: "area", rolePeriod: "period", roleValue: "value",
	roleStatus: "status", roleUnitMult: "unit_mult", roleSource: "source", roleFootnote: "footnote",
}

// column is one column of a file and what it is for.
type column struct {
	idx  int
	name string // as the file's header has it, for error reports
	role int
	dim  string // for roleDim, the dimension
}

// layout is how the columns of one file make an observation. It is built
// from the header (or, for SDMX-JSON, the message's structure) and read by
// one goroutine at a time.
type layout struct {
	cols []column
	// by role: the first column of each single-valued role, -1 when absent
	at [roleUnknown + 1]int
	// several columns may hold a source or a footnote; the first that is
	// not empty wins
	sources, footnotes []int
	dims               []column // sorted by dimension
	unknown            []column
	// labelled: coded values may come as "CODE: Label" (SDMX labels=both)
	labelled bool
	// decimalComma: values may be written 12,4 (SDMX-CSV with ";")
	decimalComma bool
	// fixed values of a mapping, used when the role has no column
	fixedSeries, fixedArea, fixedPeriod string
	// translate turns a file's spelling of a dimension's code into the
	// SDMX code (the SDG layout writes FEMALE, 15-64…); nil for none
	translate func(dim, v string) string
	// buf is reused to build each row's disaggregation key
	buf []byte
}

func newLayout() *layout {
	l := &layout{}
	for i := range l.at {
		l.at[i] = -1
	}
	return l
}

// add appends a column; it reports false when a single-valued role is
// taken twice (two REF_AREA columns), which the caller reports.
func (l *layout) add(c column) bool {
	l.cols = append(l.cols, c)
	switch c.role {
	case roleSource:
		l.sources = append(l.sources, c.idx)
	case roleFootnote:
		l.footnotes = append(l.footnotes, c.idx)
	case roleDim:
		if slices.ContainsFunc(l.dims, func(d column) bool { return d.dim == c.dim }) {
			return false
		}
		l.dims = append(l.dims, c)
		slices.SortFunc(l.dims, func(a, b column) int { return strings.Compare(a.dim, b.dim) })
	case roleUnknown:
		l.unknown = append(l.unknown, c)
	case roleNone:
	default:
		if l.at[c.role] >= 0 {
			return false
		}
		l.at[c.role] = c.idx
	}
	return true
}

// name is the header of the column filling role, or the observation
// field's own name when a mapping's fixed value fills it.
func (l *layout) name(role int) string {
	if i := l.at[role]; i >= 0 {
		for _, c := range l.cols {
			if c.idx == i {
				return c.name
			}
		}
	}
	return fieldNames[role]
}

// missing names the required roles with neither a column nor a fixed
// value.
func (l *layout) missing(names map[int]string) []string {
	var out []string
	for r, fixed := range [...]string{roleSeries: l.fixedSeries, roleArea: l.fixedArea, rolePeriod: l.fixedPeriod, roleValue: ""} {
		if r >= roleSeries && l.at[r] < 0 && fixed == "" {
			out = append(out, names[r])
		}
	}
	return out
}

// columnOf names the file's column for an error the batch found in an
// observation field, and for "disagg" the column of dim.
func (l *layout) columnOf(field, dim string) string {
	if field == "disagg" {
		for _, d := range l.dims {
			if d.dim == dim {
				return d.name
			}
		}
		if len(l.dims) > 0 {
			return l.dims[0].name
		}
		return field
	}
	for role, f := range fieldNames {
		if f == field {
			return l.name(role)
		}
	}
	return field
}

// get returns field i of f, "" when the row is short.
func get(f []string, i int) string {
	if i < 0 || i >= len(f) {
		return ""
	}
	return strings.TrimSpace(f[i])
}

// code reads a coded value: without a "CODE: Label" label.
func (l *layout) code(f []string, i int) string {
	v := get(f, i)
	if l.labelled {
		if c, _, ok := strings.Cut(v, ": "); ok {
			return strings.TrimSpace(c)
		}
	}
	return v
}

// observation makes the observation of one row, or reports every bad
// field through fail (which says whether to go on) and answers false.
func (l *layout) observation(line int, f []string, fail func(RowError) bool) (observations.Observation, bool, bool) {
	var o observations.Observation
	ok := true
	bad := func(role int, name, code string) bool {
		ok = false
		if name == "" {
			name = l.name(role)
		}
		return fail(RowError{Line: line, Field: name, Code: code})
	}
	if a := l.at[roleAction]; a >= 0 {
		switch strings.ToUpper(l.code(f, a)) {
		case "", "I", "A", "M", "R":
		case "D":
			return o, false, bad(roleAction, l.name(roleAction), CodeNotSupported)
		default:
			return o, false, bad(roleAction, l.name(roleAction), CodeInvalid)
		}
	}
	o.Series = l.fixedOr(f, roleSeries, l.fixedSeries)
	o.Area = l.fixedOr(f, roleArea, l.fixedArea)
	o.Period = l.fixedOr(f, rolePeriod, l.fixedPeriod)
	for r, v := range [...]string{roleSeries: o.Series, roleArea: o.Area, rolePeriod: o.Period} {
		if r >= roleSeries && v == "" && !bad(r, "", CodeRequired) {
			return o, false, false
		}
	}
	v := get(f, l.at[roleValue])
	if v == "" {
		if !bad(roleValue, "", CodeRequired) {
			return o, false, false
		}
	} else {
		if l.decimalComma && strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
			v = strings.Replace(v, ",", ".", 1)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			if !bad(roleValue, "", CodeNotNumber) {
				return o, false, false
			}
		}
		o.Value = x
	}
	o.Status = strings.ToUpper(l.code(f, l.at[roleStatus]))
	if o.Status == "" && l.at[roleNature] >= 0 {
		o.Status = natureStatus(strings.ToUpper(l.code(f, l.at[roleNature])))
	}
	if m := l.code(f, l.at[roleUnitMult]); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil {
			if !bad(roleUnitMult, "", CodeNotNumber) {
				return o, false, false
			}
		}
		o.UnitMult = n
	}
	o.Source = firstText(f, l.sources)
	o.Footnote = firstText(f, l.footnotes)
	if !utf8.ValidString(o.Source) || !utf8.ValidString(o.Footnote) {
		if !fail(RowError{Line: line, Code: "unreadable"}) {
			return o, false, false
		}
		ok = false
	}
	l.buf = l.buf[:0]
	for _, d := range l.dims {
		c := l.code(f, d.idx)
		if l.translate != nil {
			c = l.translate(d.dim, c)
		}
		if c == "" || c == observations.Total {
			continue
		}
		def, _ := observations.DimensionByCode(d.dim)
		if !def.Allows(c) {
			if !bad(roleDim, d.name, CodeInvalid) {
				return o, false, false
			}
			continue
		}
		if len(l.buf) > 0 {
			l.buf = append(l.buf, ';')
		}
		l.buf = append(l.buf, d.dim...)
		l.buf = append(l.buf, '=')
		l.buf = append(l.buf, c...)
	}
	o.Disagg = string(l.buf)
	for _, u := range l.unknown {
		if c := l.code(f, u.idx); c != "" && c != observations.Total {
			if !bad(roleUnknown, u.name, CodeUnknownColumn) {
				return o, false, false
			}
		}
	}
	return o, ok, true
}

func (l *layout) fixedOr(f []string, role int, fixed string) string {
	if i := l.at[role]; i >= 0 {
		if v := l.code(f, i); v != "" || fixed == "" {
			return v
		}
	}
	return fixed
}

func firstText(f []string, idx []int) string {
	for _, i := range idx {
		if v := get(f, i); v != "" {
			return v
		}
	}
	return ""
}

// natureStatus is the status an SDG or SDMX NATURE code implies: an
// estimate or a model's output is estimated, anything else (country
// data, adjusted, global monitoring…) normal.
func natureStatus(nature string) string {
	switch nature {
	case "E", "M":
		return observations.StatusEstimated
	}
	return ""
}
