// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bufio"
	"io"
	"strings"

	"github.com/amparo-project/amparo/internal/observations"
)

// SDMX-CSV columns that describe the row, not the observation.
var sdmxMeta = map[string]bool{
	"DATAFLOW": true, "STRUCTURE": true, "STRUCTURE_ID": true, "STRUCTURE_NAME": true,
	"SERIES_KEY": true, "OBS_KEY": true,
}

// sdmxIgnored are components of the SDG Global Database's data structure
// (and common SDMX attributes) that say nothing Amparo keeps per value:
// units and their labels, the reporting type, bounds, dates of update.
var sdmxIgnored = map[string]bool{
	"FREQ": true, "UNIT_MEASURE": true, "REPORTING_TYPE": true, "TIME_DETAIL": true, "TIME_COVERAGE": true,
	"UPPER_BOUND": true, "LOWER_BOUND": true, "BASE_PER": true, "BASE_PERIOD": true, "GEO_INFO_URL": true,
	"SERIESKEY": true, "UPDATED": true, "DECIMALS": true, "OBS_CONF": true, "OBS_PRE_BREAK": true,
	"EMBARGO_TIME": true, "TITLE": true, "TITLE_COMPL": true, "TIME_FORMAT": true, "PREF_SCALE": true,
	"COMMENT_TS": true, "SERIES_COMMENT": true, "GEO_AREA_NAME": true, "SERIES_DESCRIPTION": true,
	"CUST_SOURCE": true, "DATA_LAST_UPDATE": true,
}

// sdmxRole says what an SDMX component is for Amparo.
func sdmxRole(id string) (int, string) {
	id = strings.ToUpper(id)
	switch id {
	case "SERIES":
		return roleSeries, ""
	case "REF_AREA":
		return roleArea, ""
	case "TIME_PERIOD":
		return rolePeriod, ""
	case "OBS_VALUE":
		return roleValue, ""
	case "OBS_STATUS":
		return roleStatus, ""
	case "UNIT_MULT":
		return roleUnitMult, ""
	case "SOURCE", "SOURCE_DETAIL":
		return roleSource, ""
	case "COMMENT_OBS", "FOOTNOTE":
		return roleFootnote, ""
	case "NATURE":
		return roleNature, ""
	case "ACTION":
		return roleAction, ""
	}
	if _, ok := observations.DimensionByCode(id); ok {
		return roleDim, id
	}
	if sdmxMeta[id] || sdmxIgnored[id] {
		return roleNone, ""
	}
	return roleUnknown, ""
}

// sdmxID is a header's component id: without a "ID: Name" label and
// without the brackets of multi-valued, multi-lingual or nested
// components ("ATTR[]", "ATTR[en;fr]", "PARENT[].CHILD[]"); and whether
// it had a label.
func sdmxID(h string) (string, bool) {
	id, _, labelled := strings.Cut(h, ": ")
	var b strings.Builder
	depth := 0
	for _, r := range id {
		switch {
		case r == '[':
			depth++
		case r == ']' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String()), labelled
}

// sdmxSeparator finds the field separator of an SDMX-CSV message: the
// character right after DATAFLOW, STRUCTURE or STRUCTURE[x] (rules 1
// and 5); 0 when the message starts with neither.
func sdmxSeparator(head []byte) rune {
	s := strings.TrimPrefix(string(head), "\ufeff")
	quoted := strings.HasPrefix(s, `"`)
	s = strings.TrimPrefix(s, `"`)
	upper := strings.ToUpper(s[:min(len(s), 12)])
	var rest string
	switch {
	case strings.HasPrefix(upper, "DATAFLOW"):
		rest = s[len("DATAFLOW"):]
	case strings.HasPrefix(upper, "STRUCTURE["):
		_, after, ok := strings.Cut(s, "]")
		if !ok {
			return 0
		}
		rest = after
	case strings.HasPrefix(upper, "STRUCTURE"):
		rest = s[len("STRUCTURE"):]
	default:
		return 0
	}
	if quoted {
		rest = strings.TrimPrefix(rest, `"`)
	}
	if rest == "" {
		return ','
	}
	switch rest[0] {
	case ',', ';', '\t', '|':
		return rune(rest[0])
	case '\r', '\n':
		return ','
	}
	return 0
}

// sdmxLayout reads an SDMX-CSV header (1.0, 2.0 or 2.1) into a layout,
// or reports why its rows cannot be read.
func sdmxLayout(line int, f []string, sep rune, fail func(RowError) bool) (*layout, bool) {
	l := newLayout()
	l.decimalComma = sep == ';'
	first, _ := sdmxID(f[0])
	if u := strings.ToUpper(first); u != "DATAFLOW" && u != "STRUCTURE" {
		fail(RowError{Line: line, Field: f[0], Code: CodeUnknownFormat})
		return nil, false
	}
	// With labels=name (2.x), a STRUCTURE_NAME column follows the
	// structure's id and each component is followed by its name.
	names := len(f) > 2 && strings.EqualFold(f[2], "STRUCTURE_NAME")
	seen := map[string]bool{}
	ok := true
	skipName := false
	for i, h := range f {
		if skipName {
			skipName = false
			l.add(column{idx: i, name: h})
			continue
		}
		id, labelled := sdmxID(h)
		u := strings.ToUpper(id)
		l.labelled = l.labelled || labelled
		if id == "" || seen[u] {
			code := CodeDuplicateColumn
			if id == "" {
				code = CodeRequired
			}
			fail(RowError{Line: line, Field: h, Code: code})
			ok = false
			continue
		}
		seen[u] = true
		role, dim := sdmxRole(u)
		if !l.add(column{idx: i, name: id, role: role, dim: dim}) {
			fail(RowError{Line: line, Field: h, Code: CodeDuplicateColumn})
			ok = false
		}
		skipName = names && i > 0 && !sdmxMeta[u] && role != roleAction
	}
	for _, m := range l.missing(map[int]string{roleSeries: "SERIES", roleArea: "REF_AREA", rolePeriod: "TIME_PERIOD", roleValue: "OBS_VALUE"}) {
		fail(RowError{Line: line, Field: m, Code: CodeMissingColumn})
		ok = false
	}
	return l, ok
}

// parseSDMXCSV reads an SDMX-CSV message.
func parseSDMXCSV(r io.Reader, s *sink) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, _ := br.Peek(64)
	sep := sdmxSeparator(head)
	if sep == 0 {
		s.fail(RowError{Line: 1, Code: CodeUnknownFormat})
		return
	}
	var row func(int, []string) bool
	readCSV(br, sep, s.fail, func(line int, f []string) bool {
		l, ok := sdmxLayout(line, f, sep, s.fail)
		if ok {
			s.layout(l)
			row = s.rows(l)
		}
		return ok
	}, func(line int, f []string) bool { return row(line, f) })
}
