// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"slices"
	"time"
)

// Identity is what identifies a person. All of it is sealed under the
// person's data key; the zero value means nothing is known (a person may
// be registered without a name). Strings are stored as entered, trimmed;
// searches match their normalised forms.
type Identity struct {
	GivenName  string
	FamilyName string
	Aliases    []string
	// DateOfBirth is "YYYY-MM-DD", or "YYYY-MM" or "YYYY" when only part
	// of it is known, or "" when unknown.
	DateOfBirth string
	Documents   []Document
	Phones      []string
	Address     string
}

// Document is an identity or travel document.
type Document struct {
	Type    string // one of DocumentTypes
	Number  string // as written on the document
	Country string // issuing country, ISO 3166-1 alpha-3; "" unknown
}

// Attributes are what is kept in clear, for statistics: nothing here
// identifies a person on its own. Empty strings and zero mean unknown.
type Attributes struct {
	Sex string // one of Sexes; "" is read as unknown
	// BirthYear is derived from DateOfBirth when that gives a year, or
	// entered alone; 0 when unknown.
	BirthYear int
	// Nationality and CountryOfBirth are ISO 3166-1 alpha-3 codes. A
	// stateless person has no nationality ("") and the vulnerability
	// "stateless".
	Nationality    string
	CountryOfBirth string
	Languages      []string // ISO 639-1 or 639-3 codes, lower case
	CurrentCountry string   // ISO 3166-1 alpha-3
	// CurrentAdmin1 is the first-level administrative area within
	// CurrentCountry, as a code (such as "MX-CHP") or short name.
	CurrentAdmin1 string
}

// Summary is a person without identity, for lists and search results:
// reading it needs no decryption and is not an identity read.
type Summary struct {
	ID         string
	OrgID      string
	OwnerID    string // "" when nobody owns the record
	TeamID     string // "" when it belongs to no team
	Attributes Attributes
	// Erased is true once the identity was destroyed; ErasedAt says when.
	Erased    bool
	ErasedAt  *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Person is a person with identity and vulnerabilities. For an erased
// person Identity is zero and HasPhoto false.
type Person struct {
	Summary
	Identity Identity
	// HasPhoto says a photo is held; Photo returns it (a separate,
	// audited read, so that showing a record does not move the image).
	HasPhoto bool
	// Vulnerabilities are codes of the vocabulary, in its order.
	Vulnerabilities []string
}

// Input is what is needed to register a person. Every part is optional.
type Input struct {
	Identity        Identity
	Attributes      Attributes
	Vulnerabilities []string
	// Photo is a JPEG or PNG image of at most MaxPhotoBytes, or nil.
	Photo []byte
}

// Patch lists the changes to a person: nil fields stay as they are. A
// new DateOfBirth without a BirthYear derives the year again.
type Patch struct {
	GivenName       *string
	FamilyName      *string
	Aliases         *[]string
	DateOfBirth     *string
	Documents       *[]Document
	Phones          *[]string
	Address         *string
	Sex             *string
	BirthYear       *int
	Nationality     *string
	CountryOfBirth  *string
	Languages       *[]string
	CurrentCountry  *string
	CurrentAdmin1   *string
	Vulnerabilities *[]string
}

// apply returns the state after p, from the current state.
func (p Patch) apply(id Identity, at Attributes, vulns []string) (Identity, Attributes, []string) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	setList := func(dst *[]string, src *[]string) {
		if src != nil {
			*dst = slices.Clone(*src)
		}
	}
	set(&id.GivenName, p.GivenName)
	set(&id.FamilyName, p.FamilyName)
	setList(&id.Aliases, p.Aliases)
	if p.DateOfBirth != nil {
		id.DateOfBirth = *p.DateOfBirth
		if p.BirthYear == nil {
			at.BirthYear = 0
		}
	}
	if p.Documents != nil {
		id.Documents = slices.Clone(*p.Documents)
	}
	setList(&id.Phones, p.Phones)
	set(&id.Address, p.Address)
	set(&at.Sex, p.Sex)
	if p.BirthYear != nil {
		at.BirthYear = *p.BirthYear
	}
	set(&at.Nationality, p.Nationality)
	set(&at.CountryOfBirth, p.CountryOfBirth)
	setList(&at.Languages, p.Languages)
	set(&at.CurrentCountry, p.CurrentCountry)
	set(&at.CurrentAdmin1, p.CurrentAdmin1)
	setList(&vulns, p.Vulnerabilities)
	return id, at, vulns
}

// Names of fields in audit entries and field errors.
const (
	fieldGivenName       = "given_name"
	fieldFamilyName      = "family_name"
	fieldAliases         = "aliases"
	fieldDateOfBirth     = "date_of_birth"
	fieldDocuments       = "documents"
	fieldPhones          = "phones"
	fieldAddress         = "address"
	fieldPhoto           = "photo"
	fieldSex             = "sex"
	fieldBirthYear       = "birth_year"
	fieldNationality     = "nationality"
	fieldCountryOfBirth  = "country_of_birth"
	fieldLanguages       = "languages"
	fieldCurrentCountry  = "current_country"
	fieldCurrentAdmin1   = "current_admin1"
	fieldVulnerabilities = "vulnerabilities"
	fieldConsents        = "consents"
)

// identityFields names every sealed field but the photo, in order.
var identityFields = []string{fieldGivenName, fieldFamilyName, fieldAliases, fieldDateOfBirth,
	fieldDocuments, fieldPhones, fieldAddress}

// identityChanges names the identity fields that differ between a and b.
func identityChanges(a, b Identity) []string {
	var out []string
	if a.GivenName != b.GivenName {
		out = append(out, fieldGivenName)
	}
	if a.FamilyName != b.FamilyName {
		out = append(out, fieldFamilyName)
	}
	if !slices.Equal(a.Aliases, b.Aliases) {
		out = append(out, fieldAliases)
	}
	if a.DateOfBirth != b.DateOfBirth {
		out = append(out, fieldDateOfBirth)
	}
	if !slices.Equal(a.Documents, b.Documents) {
		out = append(out, fieldDocuments)
	}
	if !slices.Equal(a.Phones, b.Phones) {
		out = append(out, fieldPhones)
	}
	if a.Address != b.Address {
		out = append(out, fieldAddress)
	}
	return out
}

// attributeChanges names the attributes that differ between a and b.
func attributeChanges(a, b Attributes) []string {
	var out []string
	pairs := []struct {
		name string
		same bool
	}{
		{fieldSex, a.Sex == b.Sex},
		{fieldBirthYear, a.BirthYear == b.BirthYear},
		{fieldNationality, a.Nationality == b.Nationality},
		{fieldCountryOfBirth, a.CountryOfBirth == b.CountryOfBirth},
		{fieldLanguages, slices.Equal(a.Languages, b.Languages)},
		{fieldCurrentCountry, a.CurrentCountry == b.CurrentCountry},
		{fieldCurrentAdmin1, a.CurrentAdmin1 == b.CurrentAdmin1},
	}
	for _, p := range pairs {
		if !p.same {
			out = append(out, p.name)
		}
	}
	return out
}

// AgeAt returns the bounds of the age, at the date at, of a person born in
// birthYear: lo == hi - 1 since the birthday may or may not have passed
// (lo is never below 0). known is false when birthYear is 0. Callers that
// protect children treat a person as a child when lo < 18.
func AgeAt(birthYear int, at time.Time) (lo, hi int, known bool) {
	if birthYear <= 0 {
		return 0, 0, false
	}
	hi = max(at.Year()-birthYear, 0)
	return max(hi-1, 0), hi, true
}
