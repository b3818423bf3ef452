// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/tabular"
)

// The fields a row can fill: a person (identity, sealed; attributes, in
// clear) and the case opened for them.
const (
	FieldGivenName       = "given_name"
	FieldFamilyName      = "family_name"
	FieldAliases         = "aliases"
	FieldBirthDate       = "birth_date"
	FieldBirthYear       = "birth_year"
	FieldSex             = "sex"
	FieldNationality     = "nationality"
	FieldCountryOfBirth  = "country_of_birth"
	FieldDocumentType    = "document_type"
	FieldDocumentNumber  = "document_number"
	FieldDocumentCountry = "document_country"
	FieldPhone           = "phone"
	FieldOtherPhone      = "other_phone"
	FieldAddress         = "address"
	FieldCity            = "city"
	FieldPostalCode      = "postal_code"
	FieldLanguages       = "languages"
	FieldCountry         = "country"
	FieldAdmin1          = "admin1"
	FieldVulnerabilities = "vulnerabilities"
	FieldConcerns        = "concerns"
	FieldRisk            = "risk"
	FieldStatus          = "status"
	FieldOpened          = "opened"
)

// The fields of the case's exploitation record (internal/exploitation),
// named as that package names them; a row that fills any of them gets a
// record. Codes may be Amparo's or the HTCDS value names.
const (
	FieldIndicators           = exploitation.FieldIndicators
	FieldSector               = exploitation.FieldSector
	FieldRecruitmentFees      = exploitation.FieldRecruitmentFees
	FieldRelatedCosts         = exploitation.FieldRelatedCosts
	FieldCostsCurrency        = exploitation.FieldCostsCurrency
	FieldMonthlyWage          = exploitation.FieldMonthlyWage
	FieldWageCurrency         = exploitation.FieldWageCurrency
	FieldRecruitmentCountry   = exploitation.FieldRecruitmentCountry
	FieldExploitationCountry  = exploitation.FieldExploitationCountry
	FieldTraffickingStatus    = exploitation.FieldTraffickingStatus
	FieldStatusDecidedBy      = exploitation.FieldStatusDecidedBy
	FieldExploitationTypes    = exploitation.FieldExploitationTypes
	FieldRecruitmentMethods   = exploitation.FieldRecruitmentMethods
	FieldControlMethods       = exploitation.FieldControlMethods
	FieldSexExploitationTypes = exploitation.FieldSexExploitationTypes
)

// exploitationFields are the fields of the exploitation record.
var exploitationFields = []string{FieldIndicators, FieldSector, FieldRecruitmentFees, FieldRelatedCosts,
	FieldCostsCurrency, FieldMonthlyWage, FieldWageCurrency, FieldRecruitmentCountry, FieldExploitationCountry,
	FieldTraffickingStatus, FieldStatusDecidedBy, FieldExploitationTypes, FieldRecruitmentMethods, FieldControlMethods,
	FieldSexExploitationTypes}

// kind is how a field's cell is read.
type kind int

const (
	kindText  kind = iota // as written
	kindCode              // one code, translated by the mapping's values
	kindCodes             // codes separated by spaces, semicolons or commas, each translated
	kindNames             // names separated by semicolons
	kindDate              // a date in the mapping's format
)

// Fields lists every field, in the order the documentation gives them.
var Fields = append([]string{FieldGivenName, FieldFamilyName, FieldAliases, FieldBirthDate, FieldBirthYear, FieldSex,
	FieldNationality, FieldCountryOfBirth, FieldDocumentType, FieldDocumentNumber, FieldDocumentCountry, FieldPhone,
	FieldOtherPhone, FieldAddress, FieldCity, FieldPostalCode, FieldLanguages, FieldCountry, FieldAdmin1,
	FieldVulnerabilities, FieldConcerns, FieldRisk, FieldStatus, FieldOpened}, exploitationFields...)

var fieldKinds = map[string]kind{
	FieldAliases: kindNames, FieldBirthDate: kindDate, FieldOpened: kindDate,
	FieldSex: kindCode, FieldNationality: kindCode, FieldCountryOfBirth: kindCode, FieldDocumentType: kindCode,
	FieldDocumentCountry: kindCode, FieldCountry: kindCode, FieldAdmin1: kindCode, FieldRisk: kindCode,
	FieldStatus:    kindCode,
	FieldLanguages: kindCodes, FieldVulnerabilities: kindCodes, FieldConcerns: kindCodes,
	FieldSector: kindCode, FieldCostsCurrency: kindCode, FieldWageCurrency: kindCode, FieldRecruitmentCountry: kindCode,
	FieldExploitationCountry: kindCode, FieldTraffickingStatus: kindCode, FieldStatusDecidedBy: kindCode,
	FieldIndicators: kindCodes, FieldExploitationTypes: kindCodes, FieldRecruitmentMethods: kindCodes,
	FieldControlMethods: kindCodes, FieldSexExploitationTypes: kindCodes,
}

// Date formats a mapping may name; dates in a workbook's date cells are
// read whatever their format.
var DateFormats = []string{"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"}

// Mapping says how a file's columns become Amparo's fields. It is JSON:
//
//	{"columns":  {"Q1_first_name": "given_name", "gender": "sex", "dob": "birth_date"},
//	 "values":   {"sex": {"f": "female", "m": "male"}},
//	 "defaults": {"country": "MEX", "document_type": "passport"},
//	 "date_format": "DD/MM/YYYY"}
//
// Columns maps a header (matched as tabular.HeaderName says) to a field;
// columns the mapping does not name are left out, as survey exports carry
// many (submission ids, timestamps). Values translate the tool's codes of
// a field into Amparo's, ignoring case; other values are taken as they
// are. Defaults fill a field whose column is absent or whose cell is
// empty. Without a mapping (DefaultMapping), every column must be named
// after its field, and none is required.
type Mapping struct {
	Columns    map[string]string            `json:"columns"`
	Values     map[string]map[string]string `json:"values,omitempty"`
	Defaults   map[string]string            `json:"defaults,omitempty"`
	DateFormat string                       `json:"date_format,omitempty"`
	// OptionalColumns lets a file lack some mapped columns, as the
	// shipped presets do (a form need not ask everything); otherwise a
	// missing column is an error, so that a mistyped header is not
	// silently left out. Such a mapping may also name one field by
	// several headers, as a template that misspells one does; a file
	// holding two of them is an error.
	OptionalColumns bool `json:"optional_columns,omitempty"`
	// Labels are the texts a template puts under its headers, by header
	// (the HTCDS template keeps field names in a hidden first row and
	// labels in the second): a first data row holding only these is not
	// data and is left out.
	Labels map[string]string `json:"labels,omitempty"`

	// Set by check: columns, values and labels by their matching forms.
	byHeader map[string]string
	values   map[string]map[string]string
	labels   map[string]string
}

// Limits on a mapping: its size, and the length of its names and values.
const (
	MaxMappingBytes = 64 << 10
	maxMappingText  = 256
)

// ParseMapping reads a mapping from JSON, refusing unknown keys, unknown
// fields, a field filled by two columns, and anything over the limits; a
// ValidationError names each problem ("columns.<header>", "values.<field>",
// "defaults.<field>", "date_format").
func ParseMapping(data []byte) (*Mapping, error) {
	if len(data) > MaxMappingBytes {
		return nil, fielderr.One("mapping", CodeTooLong)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Mapping
	if err := dec.Decode(&m); err != nil {
		return nil, fielderr.One("mapping", CodeInvalidMapping)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fielderr.One("mapping", CodeInvalidMapping)
	}
	if err := m.check(); err != nil {
		return nil, err
	}
	return &m, nil
}

// DefaultMapping is the mapping of a file whose headers are the fields'
// names.
func DefaultMapping() *Mapping {
	m := &Mapping{Columns: map[string]string{}}
	for _, f := range Fields {
		m.Columns[f] = f
	}
	if err := m.check(); err != nil {
		panic("caseimport: default mapping: " + err.Error())
	}
	return m
}

// check validates m and fills its lookup tables.
func (m *Mapping) check() error {
	v := &ValidationError{}
	m.byHeader = map[string]string{}
	filled := map[string]bool{}
	for _, src := range slices.Sorted(maps.Keys(m.Columns)) {
		field, key := m.Columns[src], "columns."+short(src)
		h := tabular.HeaderName(src)
		switch {
		case !validText(src) || h == "":
			v.Add(key, CodeInvalid)
		case !slices.Contains(Fields, field):
			v.Add(key, CodeUnknownField)
		case filled[field] && !m.OptionalColumns:
			v.Add(key, CodeDuplicateField)
		case m.byHeader[h] != "":
			v.Add(key, CodeDuplicateColumn)
		default:
			m.byHeader[h], filled[field] = field, true
		}
	}
	m.values = map[string]map[string]string{}
	for _, field := range slices.Sorted(maps.Keys(m.Values)) {
		key := "values." + short(field)
		k, ok := fieldKinds[field]
		if !ok || (k != kindCode && k != kindCodes) {
			v.Add(key, CodeNotAllowed)
			continue
		}
		table := map[string]string{}
		for from, to := range m.Values[field] {
			if !validText(from) || !validText(to) {
				v.Add(key, CodeInvalid)
				break
			}
			table[valueKey(from)] = to
		}
		m.values[field] = table
	}
	for _, field := range slices.Sorted(maps.Keys(m.Defaults)) {
		switch key := "defaults." + short(field); {
		case !slices.Contains(Fields, field):
			v.Add(key, CodeUnknownField)
		case !validText(m.Defaults[field]):
			v.Add(key, CodeInvalid)
		}
	}
	m.labels = map[string]string{}
	for _, src := range slices.Sorted(maps.Keys(m.Labels)) {
		if !validText(src) || !validText(m.Labels[src]) {
			v.Add("labels."+short(src), CodeInvalid)
			continue
		}
		m.labels[tabular.HeaderName(src)] = valueKey(m.Labels[src])
	}
	if m.DateFormat == "" {
		m.DateFormat = DateFormats[0]
	}
	if !slices.Contains(DateFormats, m.DateFormat) {
		v.Add("date_format", CodeUnknownFormat)
	}
	return v.OrNil()
}

// validText is a name or value a mapping may hold.
func validText(s string) bool {
	return utf8.ValidString(s) && utf8.RuneCountInString(s) <= maxMappingText && !fielderr.HasControl(s, false)
}

// short cuts a name for a field error's path.
func short(s string) string {
	if r := []rune(s); len(r) > 64 {
		return string(r[:64])
	}
	return s
}

// valueKey is the form in which values are looked up.
func valueKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// translate returns the Amparo value of v for field, by the mapping's
// values, or v itself.
func (m *Mapping) translate(field, v string) string {
	if to, ok := m.values[field][valueKey(v)]; ok {
		return to
	}
	return v
}

// MappingFrom returns the mapping an import asks for: the shipped preset
// named, or the JSON given, or nil (DefaultMapping) for neither; asking
// for both is a ValidationError on "mapping".
func MappingFrom(preset string, data []byte) (*Mapping, error) {
	switch {
	case preset != "" && len(data) > 0:
		return nil, fielderr.One("mapping", CodeNotAllowed)
	case preset != "":
		return Preset(preset)
	case len(data) > 0:
		return ParseMapping(data)
	}
	return nil, nil
}

//go:embed presets/*.json
var presetFiles embed.FS

// Presets names the mappings shipped with Amparo, for the exports of
// common tools and for files in the layout of IOM's Human Trafficking
// Case Data Standard template ("htcds", as the HTCDS export writes them);
// Preset returns one.
var Presets = []string{"kobotoolbox", "odk", "htcds"}

// Preset returns the shipped mapping called name.
func Preset(name string) (*Mapping, error) {
	if !slices.Contains(Presets, name) {
		return nil, fielderr.One("preset", CodeUnknownPreset)
	}
	data, err := presetFiles.ReadFile("presets/" + name + ".json")
	if err != nil {
		return nil, err
	}
	return ParseMapping(data)
}
