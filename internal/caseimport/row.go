// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/tabular"
)

// layout is where a file's fields are: built from the header by the
// mapping, it reads each record into a row.
type layout struct {
	m *Mapping
	// col is each mapped field's position in a record; column names the
	// header the field was found under, for errors.
	col    map[string]int
	column map[string]string
	// labels are the mapping's labels of the file's columns, by position.
	labels map[int]string
}

// newLayout matches a header against m and returns the layout and the
// header's errors. A header matches a mapped column in full, or by its
// last part after a "/" (KoboToolbox group paths) or a "-" (ODK Central
// group paths). Without an explicit mapping (strict), a header naming no
// field is an error; with one, it is left out, and a mapped column the
// file lacks is an error unless the mapping makes columns optional or
// gives the field a default. A header matching no field at all is an
// error either way.
func newLayout(m *Mapping, rec tabular.Record, strict bool) (*layout, []RowError) {
	l := &layout{m: m, col: map[string]int{}, column: map[string]string{}, labels: map[int]string{}}
	var errs []RowError
	for i, h := range rec.Fields {
		name := strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if label, ok := m.labels[tabular.HeaderName(name)]; ok {
			l.labels[i] = label
		}
		field := m.fieldOf(name)
		switch {
		case field == "" && strict:
			errs = append(errs, RowError{Line: rec.Line, Field: short(name), Code: CodeUnknownColumn})
		case field == "":
		case l.column[field] != "":
			errs = append(errs, RowError{Line: rec.Line, Field: short(name), Code: CodeDuplicateColumn})
		default:
			l.col[field], l.column[field] = i, name
		}
	}
	for _, src := range slices.Sorted(maps.Keys(m.Columns)) {
		field := m.Columns[src]
		if _, ok := l.col[field]; !ok && !strict && !m.OptionalColumns && m.Defaults[field] == "" {
			errs = append(errs, RowError{Line: rec.Line, Field: short(src), Code: CodeMissingColumn})
		}
	}
	if len(l.col) == 0 && len(errs) == 0 {
		errs = append(errs, RowError{Line: rec.Line, Code: CodeNoMappedColumn})
	}
	return l, errs
}

// skip reports whether rec is not data: a row that fills no mapped field
// (a template's numbered empty rows), or the template's row of labels
// when it is the first (first is true): every labelled column holds its
// label or nothing, and one at least its label.
func (l *layout) skip(rec tabular.Record, first bool) bool {
	empty := true
	for _, i := range l.col {
		if i < len(rec.Fields) && strings.TrimSpace(rec.Fields[i]) != "" {
			empty = false
			break
		}
	}
	if empty || !first || len(l.labels) == 0 {
		return empty
	}
	matched := false
	for i, label := range l.labels {
		v := ""
		if i < len(rec.Fields) {
			v = valueKey(rec.Fields[i])
		}
		switch v {
		case "":
		case label:
			matched = true
		default:
			return false
		}
	}
	return matched
}

// fieldOf is the field a header maps to, "" for none.
func (m *Mapping) fieldOf(header string) string {
	for _, cand := range []string{header, afterLast(header, "/"), afterLast(header, "-")} {
		if f := m.byHeader[tabular.HeaderName(cand)]; f != "" {
			return f
		}
	}
	return ""
}

func afterLast(s, sep string) string {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[i+1:]
	}
	return s
}

// row is one record read by a layout, before the rules of persons and
// cases check it.
type row struct {
	line     int
	person   persons.Input
	status   cases.Status
	risk     cases.Risk
	concerns []cases.Concern
	opened   time.Time
	// exploit is the case's exploitation record, nil when the row fills
	// none of its fields.
	exploit *exploitation.Input
}

// read reads a record; errors name its line and the columns at fault.
// now is the time of the import: the opening date of a row without one,
// and the latest date accepted.
func (l *layout) read(rec tabular.Record, now time.Time) (row, []RowError) {
	r := row{line: rec.Line, opened: now}
	var errs []RowError
	bad := func(field, code string) {
		errs = append(errs, RowError{Line: rec.Line, Field: l.columnOf(field), Code: code})
	}
	get := func(field string) string {
		v := ""
		if i, ok := l.col[field]; ok && i < len(rec.Fields) {
			v = unquoteFormula(strings.TrimSpace(rec.Fields[i]))
		}
		if v == "" {
			v = l.m.Defaults[field]
		}
		switch fieldKinds[field] {
		case kindCode:
			return l.m.translate(field, v)
		case kindDate:
			// A workbook's date cell arrives as its serial number; four
			// digits are a year written alone (a partial date of birth),
			// whose serial would be a day of 1905.
			if rec.XLSX && (len(v) != 4 || !isDigits(v)) {
				v = tabular.SerialDate(v)
			}
			return isoDate(v, l.m.DateFormat)
		}
		return v
	}
	codes := func(field string) []string {
		var out []string
		for _, c := range strings.FieldsFunc(get(field), func(r rune) bool { return r == ' ' || r == ';' || r == ',' }) {
			out = append(out, l.m.translate(field, c))
		}
		return out
	}
	id := &r.person.Identity
	at := &r.person.Attributes
	id.GivenName, id.FamilyName = get(FieldGivenName), get(FieldFamilyName)
	id.Address = joinFilled(", ", get(FieldAddress), joinFilled(" ", get(FieldPostalCode), get(FieldCity)))
	for _, a := range strings.Split(get(FieldAliases), ";") {
		if a = strings.TrimSpace(a); a != "" {
			id.Aliases = append(id.Aliases, a)
		}
	}
	id.DateOfBirth = get(FieldBirthDate)
	if number := get(FieldDocumentNumber); number != "" {
		typ := get(FieldDocumentType)
		if typ == "" {
			typ = "other"
		}
		id.Documents = []persons.Document{{Type: typ, Number: number, Country: country(get(FieldDocumentCountry))}}
	} else if get(FieldDocumentType) != "" || get(FieldDocumentCountry) != "" {
		bad(FieldDocumentNumber, CodeRequired)
	}
	for _, f := range []string{FieldPhone, FieldOtherPhone} {
		if p := get(f); p != "" {
			id.Phones = append(id.Phones, p)
		}
	}
	at.Sex = get(FieldSex)
	if y := get(FieldBirthYear); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			bad(FieldBirthYear, CodeInvalid)
		}
		at.BirthYear = n
	}
	at.Nationality = country(get(FieldNationality))
	if strings.Contains(at.Nationality, ";") {
		// A list of citizenships (HTCDS's is multi-select): Amparo keeps
		// one, and which is for a person to say.
		bad(FieldNationality, CodeTooMany)
	}
	at.CountryOfBirth = country(get(FieldCountryOfBirth))
	at.CurrentCountry = country(get(FieldCountry))
	at.CurrentAdmin1 = get(FieldAdmin1)
	at.Languages = codes(FieldLanguages)
	r.person.Vulnerabilities = codes(FieldVulnerabilities)
	for _, c := range codes(FieldConcerns) {
		r.concerns = append(r.concerns, cases.Concern(c))
	}
	r.risk, r.status = cases.Risk(get(FieldRisk)), cases.Status(get(FieldStatus))
	if d := get(FieldOpened); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		switch {
		case err != nil || t.Year() < persons.MinBirthYear:
			bad(FieldOpened, CodeInvalidDate)
		case t.After(now):
			bad(FieldOpened, CodeFutureDate)
		default:
			r.opened = t
		}
	}
	r.exploit = l.readExploitation(get, codes)
	return r, errs
}

// readExploitation reads the fields of the exploitation record through
// get and codes (read's), nil when the row fills none.
func (l *layout) readExploitation(get func(string) string, codes func(string) []string) *exploitation.Input {
	filled := false
	text := func(field string) string {
		v := get(field)
		filled = filled || v != ""
		return v
	}
	list := func(field string) []string {
		v := codes(field)
		filled = filled || len(v) > 0
		return v
	}
	in := exploitation.Input{Indicators: list(FieldIndicators), Sector: text(FieldSector),
		RecruitmentFees: text(FieldRecruitmentFees), RelatedCosts: text(FieldRelatedCosts),
		CostsCurrency: text(FieldCostsCurrency), MonthlyWage: text(FieldMonthlyWage), WageCurrency: text(FieldWageCurrency),
		RecruitmentCountry: country(text(FieldRecruitmentCountry)), ExploitationCountry: country(text(FieldExploitationCountry)),
		TraffickingStatus: text(FieldTraffickingStatus), StatusDecidedBy: text(FieldStatusDecidedBy),
		ExploitationTypes: list(FieldExploitationTypes), RecruitmentMethods: list(FieldRecruitmentMethods),
		ControlMethods: list(FieldControlMethods), SexExploitationTypes: list(FieldSexExploitationTypes)}
	if !filled {
		return nil
	}
	return &in
}

// unquoteFormula undoes the apostrophe that Amparo's exports (internal/
// export) put before a text cell a spreadsheet would read as a formula, so
// that "+34 600…" exported as "'+34 600…" reads back as it was.
func unquoteFormula(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// joinFilled joins the non-empty of parts with sep.
func joinFilled(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// columnOf names field as the file does: its header, or the field itself
// when its value came from the mapping's defaults.
func (l *layout) columnOf(field string) string {
	if c := l.column[field]; c != "" {
		return short(c)
	}
	return field
}

// country turns a country's name into its alpha-3 code, and leaves codes
// and anything unknown for the persons rules to judge.
func country(s string) string {
	if s == "" {
		return ""
	}
	if _, ok := countries.Lookup(s); ok {
		return s
	}
	if c, ok := countries.LookupName(s); ok {
		return c.Alpha3
	}
	return s
}

// isoDate turns a date written in format into YYYY-MM-DD, and a date and
// time (as survey tools stamp submissions: "2024-03-01T10:22:33.000+01:00")
// into its date; anything else (a partial date of birth, a mistake) is
// left for validation.
func isoDate(s, format string) string {
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && isDigits(s[:4]) && s[4] == '-' {
		return s[:10]
	}
	sep := map[string]string{"DD/MM/YYYY": "/", "MM/DD/YYYY": "/", "DD.MM.YYYY": "."}[format]
	parts := strings.Split(s, sep)
	if sep == "" || len(parts) != 3 || !isDigits(parts[0]+parts[1]+parts[2]) || len(parts[2]) != 4 ||
		len(parts[0]) > 2 || len(parts[1]) > 2 {
		return s
	}
	day, month := parts[0], parts[1]
	if format == "MM/DD/YYYY" {
		day, month = month, day
	}
	d, _ := strconv.Atoi(day)
	m, _ := strconv.Atoi(month)
	return fmt.Sprintf("%s-%02d-%02d", parts[2], m, d)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// personField is the import field a persons field error is about:
// "documents.0.number" is the document number, "phones.0" the phone,
// "languages.2" the languages.
func personField(f string) string {
	head, rest, _ := strings.Cut(f, ".")
	switch head {
	case "documents":
		switch {
		case strings.HasSuffix(rest, ".type"):
			return FieldDocumentType
		case strings.HasSuffix(rest, ".country"):
			return FieldDocumentCountry
		}
		return FieldDocumentNumber
	case "phones":
		return FieldPhone
	case "date_of_birth":
		return FieldBirthDate
	case "current_country":
		return FieldCountry
	case "current_admin1":
		return FieldAdmin1
	}
	return head
}
