// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"reflect"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/fielderr"
)

func TestParseMapping(t *testing.T) {
	for _, c := range []struct {
		name, json string
		want       []fielderr.FieldError
	}{
		{"valid", `{"columns": {"Q1 First-Name": "given_name", "sexo": "sex"}, "values": {"sex": {"F": "female"}},
			"defaults": {"country": "MEX"}, "date_format": "DD/MM/YYYY", "optional_columns": true}`, nil},
		{"unknown key", `{"columns": {}, "colour": "red"}`, []fielderr.FieldError{{Field: "mapping", Code: CodeInvalidMapping}}},
		{"not JSON", `{"columns": `, []fielderr.FieldError{{Field: "mapping", Code: CodeInvalidMapping}}},
		{"trailing data", `{"columns": {}} {}`, []fielderr.FieldError{{Field: "mapping", Code: CodeInvalidMapping}}},
		{"unknown field", `{"columns": {"a": "first_name"}}`, []fielderr.FieldError{{Field: "columns.a", Code: CodeUnknownField}}},
		{"field twice", `{"columns": {"a": "sex", "b": "sex"}}`, []fielderr.FieldError{{Field: "columns.b", Code: CodeDuplicateField}}},
		{"same header twice", `{"columns": {"First name": "given_name", "first-name": "family_name"}}`,
			[]fielderr.FieldError{{Field: "columns.first-name", Code: CodeDuplicateColumn}}},
		{"values of a text field", `{"columns": {}, "values": {"given_name": {"a": "b"}}}`,
			[]fielderr.FieldError{{Field: "values.given_name", Code: CodeNotAllowed}}},
		{"control characters", `{"columns": {"a\u0007": "sex"}, "defaults": {"country": "M\nX"}}`,
			[]fielderr.FieldError{{Field: "columns.a\a", Code: CodeInvalid}, {Field: "defaults.country", Code: CodeInvalid}}},
		{"unknown default and format", `{"columns": {}, "defaults": {"colour": "red"}, "date_format": "YY"}`,
			[]fielderr.FieldError{{Field: "defaults.colour", Code: CodeUnknownField}, {Field: "date_format", Code: CodeUnknownFormat}}},
		{"too large", `{"columns": {"` + strings.Repeat("a", MaxMappingBytes) + `": "sex"}}`,
			[]fielderr.FieldError{{Field: "mapping", Code: CodeTooLong}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseMapping([]byte(c.json))
			var got []fielderr.FieldError
			if fe, ok := err.(*fielderr.Error); ok {
				got = fe.Errors
			} else if err != nil {
				t.Fatalf("err = %v, want a validation error", err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("errors = %+v, want %+v", got, c.want)
			}
		})
	}
	for _, name := range Presets {
		if _, err := Preset(name); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
	}
	if _, err := MappingFrom("kobotoolbox", []byte(`{"columns": {}}`)); err == nil {
		t.Error("a preset and a mapping were both accepted")
	}
}

func TestIsoDate(t *testing.T) {
	for _, c := range []struct{ in, format, want string }{
		{"2024-03-01", "YYYY-MM-DD", "2024-03-01"},
		{"2024-03-01T10:22:33.000+01:00", "DD/MM/YYYY", "2024-03-01"},
		{"2024-03-01 10:22", "YYYY-MM-DD", "2024-03-01"},
		{"1/3/2024", "DD/MM/YYYY", "2024-03-01"},
		{"1/3/2024", "MM/DD/YYYY", "2024-01-03"},
		{"01.03.2024", "DD.MM.YYYY", "2024-03-01"},
		{"1990", "DD/MM/YYYY", "1990"},
		{"1/3/24", "DD/MM/YYYY", "1/3/24"},
		{"", "DD/MM/YYYY", ""},
	} {
		if got := isoDate(c.in, c.format); got != c.want {
			t.Errorf("isoDate(%q, %s) = %q, want %q", c.in, c.format, got, c.want)
		}
	}
}

func TestPersonField(t *testing.T) {
	for in, want := range map[string]string{
		"documents.0.number": FieldDocumentNumber, "documents.0.type": FieldDocumentType, "documents.0.country": FieldDocumentCountry,
		"phones.0": FieldPhone, "date_of_birth": FieldBirthDate, "current_country": FieldCountry, "current_admin1": FieldAdmin1,
		"languages.2": FieldLanguages, "vulnerabilities": FieldVulnerabilities, "sex": FieldSex,
	} {
		if got := personField(in); got != want {
			t.Errorf("personField(%q) = %q, want %q", in, got, want)
		}
	}
}
