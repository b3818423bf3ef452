// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bufio"
	"io"
	"strings"

	"github.com/amparo-project/amparo/internal/tabular"
)

// sdgColumns are the columns of the SDG Global Database's flat CSV
// download (unstats.un.org/sdgs/dataportal, SDGAPI v1/sdg/Series/DataCSV):
// fixed columns first, then one column per dimension or attribute in
// brackets ("[Sex]", "[Age]", "[Nature]", "[Units]", "[Reporting
// Type]"…), named here as tabular.HeaderName spells them.
var sdgColumns = map[string]struct {
	role int
	dim  string
}{
	"seriescode": {roleSeries, ""}, "geoareacode": {roleArea, ""}, "timeperiod": {rolePeriod, ""},
	"value": {roleValue, ""}, "source": {roleSource, ""}, "footnote": {roleFootnote, ""},
	"nature": {roleNature, ""}, "observation_status": {roleStatus, ""},
	"goal": {roleNone, ""}, "target": {roleNone, ""}, "indicator": {roleNone, ""},
	"seriesdescription": {roleNone, ""}, "geoareaname": {roleNone, ""}, "time_detail": {roleNone, ""},
	"timecoverage": {roleNone, ""}, "upperbound": {roleNone, ""}, "lowerbound": {roleNone, ""},
	"baseperiod": {roleNone, ""}, "geoinfourl": {roleNone, ""}, "units": {roleNone, ""},
	"reporting_type": {roleNone, ""}, "freq": {roleNone, ""},
	"sex": {roleDim, "SEX"}, "age": {roleDim, "AGE"}, "location": {roleDim, "URBANISATION"},
	"urbanisation": {roleDim, "URBANISATION"}, "migratory_status": {roleDim, "MIGRATORY_STATUS"},
	"citizenship": {roleDim, "CITIZENSHIP"}, "country_of_birth": {roleDim, "COUNTRY_OF_BIRTH"},
	"disability_status": {roleDim, "DISABILITY_STATUS"}, "item": {roleDim, "ITEM"},
}

// sdgHeader is a header of the SDG layout as sdgColumns names it.
func sdgHeader(h string) string {
	return tabular.HeaderName(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(h), "["), "]"))
}

// sdgCodes are the SDG database's spellings of SDMX codes.
var sdgCodes = map[string]map[string]string{
	"SEX":               {"FEMALE": "F", "MALE": "M", "BOTHSEX": "_T", "ALLSEX": "_T"},
	"URBANISATION":      {"URBAN": "U", "RURAL": "R", "ALLAREA": "_T"},
	"MIGRATORY_STATUS":  {"MIGRANT": "MS_MIGRANT", "NONMIGRANT": "MS_NONMIGRANT", "NON_MIGRANT": "MS_NONMIGRANT", "REFUGEE": "MS_REFUGEE", "UNKNOWN": "MS_UNKNOWN"},
	"DISABILITY_STATUS": {"PWD": "PWD", "PD": "PD"},
	"AGE":               {"ALLAGE": "_T", "ALL": "_T"},
}

// sdgCode turns an SDG database code into the SDMX one: FEMALE → F,
// URBAN → U, ALLAGE → _T, and ages "15-64" → Y15T64, "15+" → Y_GE15,
// "<15" → Y_LT15; an SDMX code stays as it is.
func sdgCode(dim, v string) string {
	u := strings.ToUpper(strings.TrimSpace(v))
	if c, ok := sdgCodes[dim][u]; ok {
		return c
	}
	if dim != "AGE" || u == "" {
		return u
	}
	u = strings.TrimSuffix(strings.ReplaceAll(u, " ", ""), "Y")
	switch {
	case strings.HasSuffix(u, "+") && digits(u[:len(u)-1]):
		return "Y_GE" + u[:len(u)-1]
	case strings.HasPrefix(u, "<") && digits(u[1:]):
		return "Y_LT" + u[1:]
	case strings.HasPrefix(u, ">=") && digits(u[2:]):
		return "Y_GE" + u[2:]
	}
	if lo, hi, ok := strings.Cut(u, "-"); ok && digits(lo) && digits(hi) {
		return "Y" + lo + "T" + hi
	}
	return u
}

func digits(s string) bool {
	if s == "" || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// sdgLayout reads the header of the SDG layout. Columns it does not know
// are dimensions of other series: their values must be empty or the
// total.
func sdgLayout(line int, f []string, fail func(RowError) bool) (*layout, bool) {
	l := newLayout()
	l.translate = sdgCode
	ok := true
	for i, h := range f {
		c, known := sdgColumns[sdgHeader(h)]
		if !known {
			c.role = roleUnknown
		}
		if !l.add(column{idx: i, name: h, role: c.role, dim: c.dim}) {
			fail(RowError{Line: line, Field: h, Code: CodeDuplicateColumn})
			ok = false
		}
	}
	for _, m := range l.missing(map[int]string{roleSeries: "SeriesCode", roleArea: "GeoAreaCode", rolePeriod: "TimePeriod", roleValue: "Value"}) {
		fail(RowError{Line: line, Field: m, Code: CodeMissingColumn})
		ok = false
	}
	return l, ok
}

// parseSDGCSV reads the SDG Global Database's flat CSV layout.
func parseSDGCSV(r io.Reader, s *sink) {
	var row func(int, []string) bool
	readCSV(bufio.NewReaderSize(r, 1<<16), ',', s.fail, func(line int, f []string) bool {
		l, ok := sdgLayout(line, f, s.fail)
		if ok {
			s.layout(l)
			row = s.rows(l)
		}
		return ok
	}, func(line int, f []string) bool { return row(line, f) })
}
