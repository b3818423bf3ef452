// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"fmt"
	"github.com/amparo-project/amparo/internal/fielderr"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/countries"
)

// Limits on what a person holds. They bound the sealed identity (a few
// kilobytes) and keep free text in clear to short codes.
const (
	maxNameRunes     = 200
	maxAliases       = 20
	maxDocuments     = 20
	maxDocumentRunes = 64
	maxPhones        = 10
	maxPhoneRunes    = 32
	minPhoneDigits   = 5
	maxPhoneDigits   = 17
	maxAddressRunes  = 1000
	maxLanguages     = 20
	maxAdmin1Runes   = 64
	// MinBirthYear is the earliest year of birth accepted.
	MinBirthYear = 1900
)

var (
	dobRE      = regexp.MustCompile(`^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$`)
	languageRE = regexp.MustCompile(`^[a-z]{2,3}$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9 ()./-]+$`)
)

// normalise trims and checks a person's identity, attributes and
// vulnerabilities as of today, returning them in stored form (codes upper-
// or lower-cased, countries as alpha-3, empty list entries dropped, the
// year of birth derived) and every field error found.
func normalise(id Identity, at Attributes, vulns []string, today time.Time) (Identity, Attributes, []string, []FieldError) {
	v := &ValidationError{}
	id = normaliseIdentity(v, id, today)
	at = normaliseAttributes(v, at, today)
	vulns = normaliseVulnerabilities(v, vulns)
	if id.DateOfBirth != "" && dobCode(id.DateOfBirth, today) == "" {
		switch y := dobYear(id.DateOfBirth); {
		case at.BirthYear == 0:
			at.BirthYear = y
		case at.BirthYear != y:
			v.Add(fieldBirthYear, CodeMismatch)
		}
	}
	return id, at, vulns, v.Errors
}

func normaliseIdentity(v *ValidationError, id Identity, today time.Time) Identity {
	id.GivenName = v.Text(fieldGivenName, id.GivenName, maxNameRunes, false)
	id.FamilyName = v.Text(fieldFamilyName, id.FamilyName, maxNameRunes, false)
	id.Aliases = checkList(v, fieldAliases, id.Aliases, maxAliases, func(field, s string) string {
		return v.Text(field, s, maxNameRunes, false)
	})
	id.DateOfBirth = strings.TrimSpace(id.DateOfBirth)
	if code := dobCode(id.DateOfBirth, today); code != "" {
		v.Add(fieldDateOfBirth, code)
	}
	id.Address = v.Text(fieldAddress, id.Address, maxAddressRunes, true)
	id.Phones = checkList(v, fieldPhones, id.Phones, maxPhones, func(field, s string) string {
		s = strings.TrimSpace(s)
		digits := len(strings.TrimPrefix(normalisePhone(s), "+"))
		if utf8.RuneCountInString(s) > maxPhoneRunes || !phoneRE.MatchString(s) ||
			strings.LastIndex(s, "+") > 0 || digits < minPhoneDigits || digits > maxPhoneDigits {
			v.Add(field, CodeInvalidPhone)
		}
		return s
	})
	if len(id.Documents) > maxDocuments {
		v.Add(fieldDocuments, CodeTooMany)
	}
	docs := make([]Document, 0, len(id.Documents))
	for i, d := range id.Documents {
		d.Type = strings.ToLower(strings.TrimSpace(d.Type))
		d.Number = strings.TrimSpace(d.Number)
		d.Country = strings.TrimSpace(d.Country)
		if d == (Document{}) {
			continue
		}
		prefix := fmt.Sprintf("%s.%d.", fieldDocuments, i)
		switch {
		case d.Type == "":
			v.Add(prefix+"type", CodeRequired)
		case !slices.Contains(documentTypes, d.Type):
			v.Add(prefix+"type", CodeUnknownDocumentType)
		}
		switch {
		case d.Number == "":
			v.Add(prefix+"number", CodeRequired)
		case utf8.RuneCountInString(d.Number) > maxDocumentRunes:
			v.Add(prefix+"number", CodeTooLong)
		case fielderr.HasControl(d.Number, false):
			v.Add(prefix+"number", CodeControlChars)
		case normaliseDocumentNumber(d.Number) == "":
			v.Add(prefix+"number", CodeInvalidDocument)
		}
		d.Country = checkCountry(v, prefix+"country", d.Country)
		docs = append(docs, d)
	}
	id.Documents = docs
	if len(id.Documents) == 0 {
		id.Documents = nil
	}
	return id
}

func normaliseAttributes(v *ValidationError, at Attributes, today time.Time) Attributes {
	at.Sex = strings.ToLower(strings.TrimSpace(at.Sex))
	if at.Sex == "" {
		at.Sex = SexUnknown
	}
	if !slices.Contains(Sexes(), at.Sex) {
		v.Add(fieldSex, CodeUnknownSex)
	}
	if at.BirthYear != 0 && (at.BirthYear < MinBirthYear || at.BirthYear > today.Year()) {
		v.Add(fieldBirthYear, CodeOutOfRange)
	}
	at.Nationality = checkCountry(v, fieldNationality, at.Nationality)
	at.CountryOfBirth = checkCountry(v, fieldCountryOfBirth, at.CountryOfBirth)
	at.CurrentCountry = checkCountry(v, fieldCurrentCountry, at.CurrentCountry)
	at.Languages = checkList(v, fieldLanguages, at.Languages, maxLanguages, func(field, s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		if !languageRE.MatchString(s) {
			v.Add(field, CodeInvalidLanguage)
		}
		return s
	})
	at.Languages = dedupe(at.Languages)
	at.CurrentAdmin1 = v.Text(fieldCurrentAdmin1, at.CurrentAdmin1, maxAdmin1Runes, false)
	if at.CurrentAdmin1 != "" && at.CurrentCountry == "" {
		v.Add(fieldCurrentAdmin1, CodeNeedsCountry)
	}
	return at
}

func normaliseVulnerabilities(v *ValidationError, codes []string) []string {
	out := checkList(v, fieldVulnerabilities, codes, len(vulnerabilities), func(field, s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		if !KnownVulnerability(s) {
			v.Add(field, CodeUnknownVulnerability)
		}
		return s
	})
	out = dedupe(out)
	sortVulnerabilities(out)
	return out
}

// checkList checks each entry of a list with check (which trims it), drops
// entries that are empty after trimming and refuses more than maxLen.
// Field errors name the entry's position in the list as given.
func checkList(v *ValidationError, field string, list []string, maxLen int, check func(field, s string) string) []string {
	var out []string
	for i, s := range list {
		if strings.TrimSpace(s) == "" {
			continue
		}
		out = append(out, check(field+"."+strconv.Itoa(i), s))
	}
	if len(out) > maxLen {
		v.Add(field, CodeTooMany)
	}
	return out
}

func dedupe(list []string) []string {
	var out []string
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// checkCountry accepts an ISO 3166-1 code (alpha-3, alpha-2 or numeric) or
// "" and returns the alpha-3 code.
func checkCountry(v *ValidationError, field, code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return ""
	}
	c, ok := countries.Lookup(code)
	if !ok {
		v.Add(field, CodeUnknownCountry)
		return strings.ToUpper(code)
	}
	return c.Alpha3
}

// dobYear returns the year of a date of birth dobCode accepts.
func dobYear(dob string) int {
	y, _ := strconv.Atoi(dob[:4])
	return y
}

// dobCode checks a date of birth: "" when dob is empty or a real date, in
// full ("YYYY-MM-DD") or in part ("YYYY-MM", "YYYY"), from MinBirthYear to
// today; otherwise the reason code.
func dobCode(dob string, today time.Time) string {
	if dob == "" {
		return ""
	}
	m := dobRE.FindStringSubmatch(dob)
	if m == nil {
		return CodeInvalidDate
	}
	// A partial date stands for its first possible day, so "2026" is
	// accepted throughout 2026.
	full := dob
	switch {
	case m[3] != "":
	case m[2] != "":
		full += "-01"
	default:
		full += "-01-01"
	}
	d, err := time.Parse(time.DateOnly, full)
	switch {
	case err != nil:
		return CodeInvalidDate
	case d.Year() < MinBirthYear:
		return CodeOutOfRange
	case full > today.UTC().Format(time.DateOnly):
		return CodeFutureDate
	}
	return ""
}
