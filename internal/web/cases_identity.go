// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/persons"
)

// identityChoices are the choices of the identity fields, shown by the
// "case-identity-fields" template of shared.html.
type identityChoices struct {
	Sexes, Countries, DocumentTypes []option
	// MaxYear is the latest year of birth the form offers: this year.
	MaxYear int
}

func (w *Web) identityChoices(loc *i18n.Locale) identityChoices {
	// "unknown" is the empty choice: nobody is made to state it.
	sexes := slices.DeleteFunc(persons.Sexes(), func(s string) bool { return s == persons.SexUnknown })
	return identityChoices{
		Sexes:         codeOptions(loc, "cases.sex.", sexes),
		Countries:     adminCountryOptions(loc.Code()),
		DocumentTypes: codeOptions(loc, "document_type.", persons.DocumentTypes()),
		MaxYear:       w.clock.Now().UTC().Year(),
	}
}

// identityFields are the form's fields of a person's identity and clear
// attributes. A form shows one document and one phone; a person may hold
// more (through the API), which a change on the form keeps.
var identityFields = []string{"given_name", "family_name", "date_of_birth", "birth_year", "sex", "nationality",
	"languages", "document_type", "document_number", "phone"}

// Field codes of the identity form whose shared words would not fit.
const (
	codeBirthYearRange    = "birth_year_range"
	codeBirthYearMismatch = "birth_year_mismatch"
)

// readIdentity reads the identity fields of a posted form: their values to
// show again, the input for the domain, and the errors found before it is
// asked (a year of birth that is not a number).
func readIdentity(f url.Values) (map[string]string, persons.Input, map[string]string) {
	values := formValues(f, identityFields...)
	bad := map[string]string{}
	var in persons.Input
	id, at := &in.Identity, &in.Attributes
	id.GivenName, id.FamilyName, id.DateOfBirth = values["given_name"], values["family_name"], values["date_of_birth"]
	if y := strings.TrimSpace(values["birth_year"]); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			bad["birth_year"] = codeBirthYearRange
		}
		at.BirthYear = n
	}
	at.Sex, at.Nationality = values["sex"], values["nationality"]
	at.Languages = strings.FieldsFunc(values["languages"], func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
	if values["document_type"] != "" || strings.TrimSpace(values["document_number"]) != "" {
		id.Documents = []persons.Document{{Type: values["document_type"], Number: values["document_number"]}}
	}
	if strings.TrimSpace(values["phone"]) != "" {
		id.Phones = []string{values["phone"]}
	}
	return values, in, bad
}

// identityValues fills the identity form with what person p holds.
func identityValues(p persons.Person) map[string]string {
	id, at := p.Identity, p.Attributes
	v := map[string]string{"given_name": id.GivenName, "family_name": id.FamilyName, "date_of_birth": id.DateOfBirth,
		"sex": at.Sex, "languages": strings.Join(at.Languages, ", ")}
	if at.BirthYear != 0 {
		v["birth_year"] = strconv.Itoa(at.BirthYear)
	}
	if c, ok := countries.Lookup(at.Nationality); ok {
		v["nationality"] = c.Alpha2
	}
	if len(id.Documents) > 0 {
		v["document_type"], v["document_number"] = id.Documents[0].Type, id.Documents[0].Number
	}
	if len(id.Phones) > 0 {
		v["phone"] = id.Phones[0]
	}
	return v
}

// identityPatch is the change the identity form asks for person old: the
// form's document and phone replace the first ones held, and the others
// stay.
func identityPatch(in persons.Input, old persons.Person) persons.Patch {
	docs := in.Identity.Documents
	if len(docs) > 0 && len(old.Identity.Documents) > 0 {
		docs[0].Country = old.Identity.Documents[0].Country
	}
	docs = append(docs, tail(old.Identity.Documents)...)
	phones := append(in.Identity.Phones, tail(old.Identity.Phones)...)
	id, at := in.Identity, in.Attributes
	return persons.Patch{GivenName: &id.GivenName, FamilyName: &id.FamilyName, DateOfBirth: &id.DateOfBirth,
		Documents: &docs, Phones: &phones, Sex: &at.Sex, BirthYear: &at.BirthYear, Nationality: &at.Nationality,
		Languages: &at.Languages}
}

// tail is s without its first element.
func tail[T any](s []T) []T {
	if len(s) < 2 {
		return nil
	}
	return s[1:]
}

// identityPlace places an error of the persons domain on the identity
// form. The form's document and phone are the first of their lists.
func identityPlace(fe fielderr.FieldError) (string, string) {
	field, code := fe.Field, fe.Code
	switch {
	case field == "languages" || strings.HasPrefix(field, "languages."):
		field = "languages"
	case field == "documents.0.type":
		field = "document_type"
	case field == "documents.0.number":
		field = "document_number"
	case field == "phones.0":
		field = "phone"
	case field == "birth_year" && code == persons.CodeMismatch:
		code = codeBirthYearMismatch
	case field == "birth_year":
		code = codeBirthYearRange
	}
	if slices.Contains(identityFields, field) {
		return field, code
	}
	return "", code
}
