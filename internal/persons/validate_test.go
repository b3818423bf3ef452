// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func TestNormalise(t *testing.T) {
	valid := Input{
		Identity: Identity{GivenName: " María José ", FamilyName: "García-Pérez", Aliases: []string{"Majo", " "},
			DateOfBirth: "1990-05-17", Documents: []Document{{Type: "Passport", Number: " g 123-456 ", Country: "mx"}},
			Phones: []string{"+52 (55) 1234-5678"}, Address: "Calle 1\nColonia Centro"},
		Attributes: Attributes{Sex: "Female", Nationality: "mex", CountryOfBirth: "484", Languages: []string{"ES", "nah", "es"},
			CurrentCountry: "GTM", CurrentAdmin1: "GT-QZ"},
		Vulnerabilities: []string{"victim_of_trafficking", "pregnancy"},
	}
	cases := []struct {
		name string
		edit func(*Input)
		want []FieldError
	}{
		{"valid", func(*Input) {}, nil},
		{"nothing known", func(in *Input) { *in = Input{} }, nil},
		{"partial date, month", func(in *Input) { in.Identity.DateOfBirth = "1990-05" }, nil},
		{"partial date, year", func(in *Input) { in.Identity.DateOfBirth = "1990" }, nil},
		{"year of birth alone", func(in *Input) { in.Identity.DateOfBirth = ""; in.Attributes.BirthYear = 1985 }, nil},
		{"year of birth agrees", func(in *Input) { in.Attributes.BirthYear = 1990 }, nil},
		{"born this year", func(in *Input) { in.Identity.DateOfBirth = "2026" }, nil},
		{"year of birth disagrees", func(in *Input) { in.Attributes.BirthYear = 1991 }, []FieldError{{Field: "birth_year", Code: CodeMismatch}}},
		{"year of birth too early", func(in *Input) { in.Identity.DateOfBirth = ""; in.Attributes.BirthYear = 1899 },
			[]FieldError{{Field: "birth_year", Code: CodeOutOfRange}}},
		{"year of birth in the future", func(in *Input) { in.Identity.DateOfBirth = ""; in.Attributes.BirthYear = 2027 },
			[]FieldError{{Field: "birth_year", Code: CodeOutOfRange}}},
		{"date of birth malformed", func(in *Input) { in.Identity.DateOfBirth = "17/05/1990" }, []FieldError{{Field: "date_of_birth", Code: CodeInvalidDate}}},
		{"date of birth impossible", func(in *Input) { in.Identity.DateOfBirth = "1990-02-30" }, []FieldError{{Field: "date_of_birth", Code: CodeInvalidDate}}},
		{"month 13", func(in *Input) { in.Identity.DateOfBirth = "1990-13" }, []FieldError{{Field: "date_of_birth", Code: CodeInvalidDate}}},
		{"date of birth in the future", func(in *Input) { in.Identity.DateOfBirth = "2026-11-23" }, []FieldError{{Field: "date_of_birth", Code: CodeFutureDate}}},
		{"date of birth too early", func(in *Input) { in.Identity.DateOfBirth = "1899-12-31" }, []FieldError{{Field: "date_of_birth", Code: CodeOutOfRange}}},
		{"long name", func(in *Input) { in.Identity.GivenName = strings.Repeat("é", maxNameRunes+1) }, []FieldError{{Field: "given_name", Code: CodeTooLong}}},
		{"control character", func(in *Input) { in.Identity.FamilyName = "a\x00b" }, []FieldError{{Field: "family_name", Code: CodeControlChars}}},
		{"bidi override", func(in *Input) { in.Identity.Aliases = []string{"ok", "a\u202eb"} }, []FieldError{{Field: "aliases.1", Code: CodeControlChars}}},
		{"line break in a name", func(in *Input) { in.Identity.GivenName = "a\nb" }, []FieldError{{Field: "given_name", Code: CodeControlChars}}},
		{"too many aliases", func(in *Input) { in.Identity.Aliases = slices.Repeat([]string{"x"}, maxAliases+1) },
			[]FieldError{{Field: "aliases", Code: CodeTooMany}}},
		{"document without type and number", func(in *Input) { in.Identity.Documents = []Document{{Country: "MEX"}} },
			[]FieldError{{Field: "documents.0.type", Code: CodeRequired}, {Field: "documents.0.number", Code: CodeRequired}}},
		{"unknown document type", func(in *Input) { in.Identity.Documents[0].Type = "library_card" },
			[]FieldError{{Field: "documents.0.type", Code: CodeUnknownDocumentType}}},
		{"document number of separators", func(in *Input) { in.Identity.Documents[0].Number = "--" },
			[]FieldError{{Field: "documents.0.number", Code: CodeInvalidDocument}}},
		{"document country unknown", func(in *Input) { in.Identity.Documents[0].Country = "XYZ" },
			[]FieldError{{Field: "documents.0.country", Code: CodeUnknownCountry}}},
		{"empty document dropped", func(in *Input) { in.Identity.Documents = append(in.Identity.Documents, Document{Type: " "}) }, nil},
		{"phone with letters", func(in *Input) { in.Identity.Phones = []string{"call me"} }, []FieldError{{Field: "phones.0", Code: CodeInvalidPhone}}},
		{"phone too short", func(in *Input) { in.Identity.Phones = []string{"+1 23"} }, []FieldError{{Field: "phones.0", Code: CodeInvalidPhone}}},
		{"phone with inner plus", func(in *Input) { in.Identity.Phones = []string{"52+5512345678"} }, []FieldError{{Field: "phones.0", Code: CodeInvalidPhone}}},
		{"unknown sex", func(in *Input) { in.Attributes.Sex = "f" }, []FieldError{{Field: "sex", Code: CodeUnknownSex}}},
		{"unknown nationality", func(in *Input) { in.Attributes.Nationality = "XXA" }, []FieldError{{Field: "nationality", Code: CodeUnknownCountry}}},
		{"bad language", func(in *Input) { in.Attributes.Languages = []string{"spanish"} }, []FieldError{{Field: "languages.0", Code: CodeInvalidLanguage}}},
		{"admin-1 without country", func(in *Input) { in.Attributes.CurrentCountry = "" }, []FieldError{{Field: "current_admin1", Code: CodeNeedsCountry}}},
		{"long admin-1", func(in *Input) { in.Attributes.CurrentAdmin1 = strings.Repeat("x", maxAdmin1Runes+1) },
			[]FieldError{{Field: "current_admin1", Code: CodeTooLong}}},
		{"unknown vulnerability", func(in *Input) { in.Vulnerabilities = []string{"pregnancy", "tall"} },
			[]FieldError{{Field: "vulnerabilities.1", Code: CodeUnknownVulnerability}}},
		{"everything wrong at once", func(in *Input) {
			in.Identity.DateOfBirth, in.Attributes.Sex, in.Attributes.Nationality = "x", "x", "x"
		}, []FieldError{{Field: "date_of_birth", Code: CodeInvalidDate}, {Field: "sex", Code: CodeUnknownSex}, {Field: "nationality", Code: CodeUnknownCountry}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := clone(valid)
			c.edit(&in)
			_, _, _, errs := normalise(in.Identity, in.Attributes, in.Vulnerabilities, today)
			if !reflect.DeepEqual(errs, c.want) {
				t.Errorf("errors = %v, want %v", errs, c.want)
			}
		})
	}
	id, at, vulns, errs := normalise(valid.Identity, valid.Attributes, valid.Vulnerabilities, today)
	if errs != nil {
		t.Fatal(errs)
	}
	wantID := Identity{GivenName: "María José", FamilyName: "García-Pérez", Aliases: []string{"Majo"}, DateOfBirth: "1990-05-17",
		Documents: []Document{{Type: "passport", Number: "g 123-456", Country: "MEX"}}, Phones: []string{"+52 (55) 1234-5678"},
		Address: "Calle 1\nColonia Centro"}
	wantAt := Attributes{Sex: "female", BirthYear: 1990, Nationality: "MEX", CountryOfBirth: "MEX", Languages: []string{"es", "nah"},
		CurrentCountry: "GTM", CurrentAdmin1: "GT-QZ"}
	if !reflect.DeepEqual(id, wantID) {
		t.Errorf("identity = %+v, want %+v", id, wantID)
	}
	if !reflect.DeepEqual(at, wantAt) {
		t.Errorf("attributes = %+v, want %+v", at, wantAt)
	}
	if want := []string{"pregnancy", "victim_of_trafficking"}; !slices.Equal(vulns, want) {
		t.Errorf("vulnerabilities = %v, want %v (vocabulary order)", vulns, want)
	}
	if _, at, _, _ := normalise(Identity{}, Attributes{}, nil, today); at.Sex != SexUnknown {
		t.Errorf("empty sex = %q, want unknown", at.Sex)
	}
}

func clone(in Input) Input {
	in.Identity.Aliases = slices.Clone(in.Identity.Aliases)
	in.Identity.Documents = slices.Clone(in.Identity.Documents)
	in.Identity.Phones = slices.Clone(in.Identity.Phones)
	in.Attributes.Languages = slices.Clone(in.Attributes.Languages)
	in.Vulnerabilities = slices.Clone(in.Vulnerabilities)
	return in
}

// Field errors name fields, never values: a value placed in every field
// appears nowhere in the error.
func TestValidationErrorHoldsNoValues(t *testing.T) {
	const bad = "SNTL-\x00-value"
	in := Input{Identity: Identity{GivenName: bad, FamilyName: bad, Aliases: []string{bad}, DateOfBirth: bad,
		Documents: []Document{{Type: bad, Number: bad, Country: bad}}, Phones: []string{bad}, Address: bad},
		Attributes:      Attributes{Sex: bad, Nationality: bad, CountryOfBirth: bad, Languages: []string{bad}, CurrentCountry: bad, CurrentAdmin1: bad},
		Vulnerabilities: []string{bad}}
	_, _, _, errs := normalise(in.Identity, in.Attributes, in.Vulnerabilities, today)
	msg := (&ValidationError{Errors: errs}).Error()
	if len(errs) < 15 || strings.Contains(msg, "SNTL") {
		t.Fatalf("%d errors: %s", len(errs), msg)
	}
}

func TestPatchApply(t *testing.T) {
	id := Identity{GivenName: "Ana", DateOfBirth: "1990-01-01", Phones: []string{"+15551234"}}
	at := Attributes{Sex: "female", BirthYear: 1990, Languages: []string{"es"}}
	dob, name := "1992-03-04", "Ana María"
	gotID, gotAt, gotV := Patch{GivenName: &name, DateOfBirth: &dob}.apply(id, at, []string{"pregnancy"})
	if gotID.GivenName != name || gotID.DateOfBirth != dob || gotAt.BirthYear != 0 || !slices.Equal(gotV, []string{"pregnancy"}) {
		t.Fatalf("apply = %+v %+v %v; a new date of birth must clear the derived year", gotID, gotAt, gotV)
	}
	if _, at2, _, errs := normalise(gotID, gotAt, gotV, today); errs != nil || at2.BirthYear != 1992 {
		t.Fatalf("after the patch the year is %d (%v), want 1992", at2.BirthYear, errs)
	}
	empty := []string{}
	gotID, _, gotV = Patch{Phones: &empty, Vulnerabilities: &empty}.apply(id, at, []string{"pregnancy"})
	if len(gotID.Phones) != 0 || len(gotV) != 0 || gotID.GivenName != "Ana" {
		t.Fatalf("clearing lists: %+v %v", gotID, gotV)
	}
}

func TestNameTokens(t *testing.T) {
	cases := []struct {
		in   []string
		want []string
	}{
		{[]string{"José"}, []string{"jose"}},
		{[]string{"JOSE", "jose"}, []string{"jose"}},
		{[]string{"María José García-Pérez"}, []string{"maria", "jose", "garcia", "perez"}},
		{[]string{"O'Brien  St. John"}, []string{"o", "brien", "st", "john"}},
		{[]string{"Ølstrøm Straße"}, []string{"olstrom", "strasse"}},
		{[]string{"Çağrı Şahin"}, []string{"cagri", "sahin"}},
		{[]string{"Nguyễn Thị Minh Khai"}, []string{"nguyen", "thi", "minh", "khai"}},
		{[]string{"Йосиф"}, []string{"иосиф"}},
		{[]string{"مُحَمَّد"}, []string{"محمد"}},
		{[]string{"", " - "}, nil},
	}
	for _, c := range cases {
		if got := nameTokens(c.in...); !slices.Equal(got, c.want) {
			t.Errorf("nameTokens(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormaliseNumbers(t *testing.T) {
	docs := map[string]string{"ab 123-456": "AB123456", "AB123456": "AB123456", "g.123/45": "G12345", " - ": ""}
	for in, want := range docs {
		if got := normaliseDocumentNumber(in); got != want {
			t.Errorf("normaliseDocumentNumber(%q) = %q, want %q", in, got, want)
		}
	}
	phones := map[string]string{"+52 (55) 1234-5678": "+525512345678", "55 1234 5678": "5512345678", " +1-555-0100": "+15550100"}
	for in, want := range phones {
		if got := normalisePhone(in); got != want {
			t.Errorf("normalisePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIndexEntries(t *testing.T) {
	got := indexEntries(Identity{GivenName: "José", FamilyName: "Pérez", Aliases: []string{"Pepe", "José"},
		Documents: []Document{{Number: "x-1"}, {Number: "X 1"}}, Phones: []string{"+1 555 0100"}})
	want := []indexEntry{{"name", "jose"}, {"name", "perez"}, {"name", "pepe"}, {"document", "X1"}, {"phone", "+15550100"}}
	if !slices.Equal(got, want) {
		t.Fatalf("indexEntries = %v, want %v", got, want)
	}
}

// The vocabulary is data: codes are unique snake_case names the audit and
// translation keys accept, and it holds every category the issue names.
func TestVocabulary(t *testing.T) {
	code := regexp.MustCompile(`^[a-z][a-z_]*[a-z]$`)
	seen := map[string]bool{}
	for _, v := range Vulnerabilities() {
		if !code.MatchString(v.Code) || len(v.Code) > 64 || seen[v.Code] {
			t.Errorf("bad or repeated code %q", v.Code)
		}
		seen[v.Code] = true
	}
	for _, c := range []string{"unaccompanied_child", "separated_child", "disability", "pregnancy", "older_person",
		"survivor_of_violence", "victim_of_trafficking", "serious_medical_condition", "stateless", "single_parent"} {
		if !seen[c] || !KnownVulnerability(c) {
			t.Errorf("vocabulary lacks %q", c)
		}
	}
	if KnownVulnerability("") || KnownVulnerability("Stateless") {
		t.Error("KnownVulnerability accepts what is not a code")
	}
	for _, d := range DocumentTypes() {
		if !code.MatchString(d) {
			t.Errorf("bad document type %q", d)
		}
	}
	v := Vulnerabilities()
	v[0].Code = "changed"
	if Vulnerabilities()[0].Code == "changed" {
		t.Error("Vulnerabilities returns the package's own slice")
	}
}

func TestAgeAt(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ year, lo, hi int }{{2008, 17, 18}, {2009, 16, 17}, {2026, 0, 0}, {1950, 75, 76}} {
		lo, hi, ok := AgeAt(c.year, at)
		if !ok || lo != c.lo || hi != c.hi {
			t.Errorf("AgeAt(%d) = %d..%d %v, want %d..%d", c.year, lo, hi, ok, c.lo, c.hi)
		}
	}
	if _, _, ok := AgeAt(0, at); ok {
		t.Error("unknown year of birth gives an age")
	}
}
