// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"
	"net/url"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/persons"
)

// Persons are the people a protection organisation assists. Their identity
// travels only in bodies, never in URLs (which end up in proxy logs and
// browser histories): a search by name, document or phone is a POST.

type documentJSON struct {
	Type    string `json:"type"`
	Number  string `json:"number"`
	Country string `json:"country"`
}

type identityJSON struct {
	GivenName   string         `json:"given_name"`
	FamilyName  string         `json:"family_name"`
	Aliases     []string       `json:"aliases"`
	DateOfBirth string         `json:"date_of_birth"`
	Documents   []documentJSON `json:"documents"`
	Phones      []string       `json:"phones"`
	Address     string         `json:"address"`
}

type attributesJSON struct {
	Sex            string   `json:"sex"`
	BirthYear      *int     `json:"birth_year"`
	Nationality    string   `json:"nationality"`
	CountryOfBirth string   `json:"country_of_birth"`
	Languages      []string `json:"languages"`
	CurrentCountry string   `json:"current_country"`
	CurrentAdmin1  string   `json:"current_admin1"`
}

type personSummaryJSON struct {
	ID         string         `json:"id"`
	OrgID      string         `json:"org_id"`
	OwnerID    *string        `json:"owner_id"`
	TeamID     *string        `json:"team_id"`
	Attributes attributesJSON `json:"attributes"`
	Erased     bool           `json:"erased"`
	ErasedAt   *string        `json:"erased_at"`
	CreatedAt  string         `json:"created_at"`
	UpdatedAt  string         `json:"updated_at"`
}

type personJSON struct {
	personSummaryJSON
	// Identity is null once the person was erased.
	Identity        *identityJSON `json:"identity"`
	HasPhoto        bool          `json:"has_photo"`
	Vulnerabilities []string      `json:"vulnerabilities"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func toAttributes(at persons.Attributes) attributesJSON {
	out := attributesJSON{Sex: at.Sex, Nationality: at.Nationality, CountryOfBirth: at.CountryOfBirth,
		Languages: nonNil(at.Languages), CurrentCountry: at.CurrentCountry, CurrentAdmin1: at.CurrentAdmin1}
	if out.Sex == "" {
		out.Sex = persons.SexUnknown
	}
	if at.BirthYear != 0 {
		out.BirthYear = &at.BirthYear
	}
	return out
}

func toPersonSummary(s persons.Summary) personSummaryJSON {
	return personSummaryJSON{ID: s.ID, OrgID: s.OrgID, OwnerID: orNull(s.OwnerID), TeamID: orNull(s.TeamID),
		Attributes: toAttributes(s.Attributes), Erased: s.Erased, ErasedAt: timePtr(s.ErasedAt),
		CreatedAt: ts(s.CreatedAt), UpdatedAt: ts(s.UpdatedAt)}
}

func toPerson(p persons.Person) personJSON {
	out := personJSON{personSummaryJSON: toPersonSummary(p.Summary), HasPhoto: p.HasPhoto,
		Vulnerabilities: nonNil(p.Vulnerabilities)}
	if !p.Erased {
		id := p.Identity
		docs := []documentJSON{}
		for _, d := range id.Documents {
			docs = append(docs, documentJSON(d))
		}
		out.Identity = &identityJSON{GivenName: id.GivenName, FamilyName: id.FamilyName, Aliases: nonNil(id.Aliases),
			DateOfBirth: id.DateOfBirth, Documents: docs, Phones: nonNil(id.Phones), Address: id.Address}
	}
	return out
}

// personIdentityBody and personAttributesBody are the parts of a person a
// client writes. On creation every field is optional; on a change a field
// left out stays as it is.
type personIdentityBody struct {
	GivenName   *string         `json:"given_name"`
	FamilyName  *string         `json:"family_name"`
	Aliases     *[]string       `json:"aliases"`
	DateOfBirth *string         `json:"date_of_birth"`
	Documents   *[]documentJSON `json:"documents"`
	Phones      *[]string       `json:"phones"`
	Address     *string         `json:"address"`
}

type personAttributesBody struct {
	Sex            *string   `json:"sex"`
	BirthYear      *int      `json:"birth_year"`
	Nationality    *string   `json:"nationality"`
	CountryOfBirth *string   `json:"country_of_birth"`
	Languages      *[]string `json:"languages"`
	CurrentCountry *string   `json:"current_country"`
	CurrentAdmin1  *string   `json:"current_admin1"`
}

type personBody struct {
	Identity        personIdentityBody   `json:"identity"`
	Attributes      personAttributesBody `json:"attributes"`
	Vulnerabilities *[]string            `json:"vulnerabilities"`
}

func val[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func toDocuments(ds *[]documentJSON) *[]persons.Document {
	if ds == nil {
		return nil
	}
	out := make([]persons.Document, len(*ds))
	for i, d := range *ds {
		out[i] = persons.Document(d)
	}
	return &out
}

func (b personBody) patch() persons.Patch {
	id, at := b.Identity, b.Attributes
	return persons.Patch{GivenName: id.GivenName, FamilyName: id.FamilyName, Aliases: id.Aliases,
		DateOfBirth: id.DateOfBirth, Documents: toDocuments(id.Documents), Phones: id.Phones, Address: id.Address,
		Sex: at.Sex, BirthYear: at.BirthYear, Nationality: at.Nationality, CountryOfBirth: at.CountryOfBirth,
		Languages: at.Languages, CurrentCountry: at.CurrentCountry, CurrentAdmin1: at.CurrentAdmin1,
		Vulnerabilities: b.Vulnerabilities}
}

func (b personBody) input() persons.Input {
	pt := b.patch()
	return persons.Input{
		Identity: persons.Identity{GivenName: val(pt.GivenName), FamilyName: val(pt.FamilyName), Aliases: val(pt.Aliases),
			DateOfBirth: val(pt.DateOfBirth), Documents: val(pt.Documents), Phones: val(pt.Phones), Address: val(pt.Address)},
		Attributes: persons.Attributes{Sex: val(pt.Sex), BirthYear: val(pt.BirthYear), Nationality: val(pt.Nationality),
			CountryOfBirth: val(pt.CountryOfBirth), Languages: val(pt.Languages), CurrentCountry: val(pt.CurrentCountry),
			CurrentAdmin1: val(pt.CurrentAdmin1)},
		Vulnerabilities: val(b.Vulnerabilities),
	}
}

func (a *API) createPerson(w http.ResponseWriter, r *http.Request) {
	var body personBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	p, err := a.per.Create(r.Context(), authn.PrincipalFrom(r.Context()), body.input())
	writeOne(a, w, r, http.StatusCreated, p, err, toPerson)
}

// getPerson returns the identity: an audited read.
func (a *API) getPerson(w http.ResponseWriter, r *http.Request) {
	p, err := a.per.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeOne(a, w, r, http.StatusOK, p, err, toPerson)
}

func (a *API) updatePerson(w http.ResponseWriter, r *http.Request) {
	var body personBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	p, err := a.per.Update(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.patch())
	writeOne(a, w, r, http.StatusOK, p, err, toPerson)
}

func (a *API) erasePerson(w http.ResponseWriter, r *http.Request) {
	if err := a.per.Erase(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listPersons lists summaries: no identity, nothing to audit. The filters
// are codes, not personal data, so they may travel in the URL.
func (a *API) listPersons(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := persons.ListFilter{Nationality: q.Get("nationality"), Vulnerability: q.Get("vulnerability")}
	if s := q.Get("include_erased"); s != "" {
		b, ok := parseBool(s)
		if !ok {
			a.fail(w, r, &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "include_erased", Code: "invalid"}}})
			return
		}
		f.IncludeErased = b
	}
	ps, next, err := a.per.List(r.Context(), authn.PrincipalFrom(r.Context()), f, persons.Page{Cursor: pg.Cursor, Limit: pg.Limit})
	writeList(a, w, r, ps, next, err, toPersonSummary)
}

func parseBool(s string) (bool, bool) {
	switch s {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// searchPersons finds persons by name, document number or phone: the
// criteria are personal data, so they travel in the body.
func (a *API) searchPersons(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name           string `json:"name"`
		DocumentNumber string `json:"document_number"`
		Phone          string `json:"phone"`
		Limit          int    `json:"limit"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	if body.Limit < 0 || body.Limit > 500 {
		a.fail(w, r, &persons.ValidationError{Errors: []persons.FieldError{{Field: "limit", Code: persons.CodeOutOfRange}}})
		return
	}
	ps, err := a.per.Search(r.Context(), authn.PrincipalFrom(r.Context()), persons.SearchQuery(body))
	writeList(a, w, r, ps, "", err, toPersonSummary)
}

func (a *API) setVulnerability(w http.ResponseWriter, r *http.Request, present bool) {
	code, err := url.PathUnescape(r.PathValue("code"))
	if err == nil && !persons.KnownVulnerability(code) {
		err = &persons.ValidationError{Errors: []persons.FieldError{{Field: "code", Code: persons.CodeUnknownVulnerability}}}
	}
	if err == nil {
		err = a.per.SetVulnerability(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), code, present)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) addVulnerability(w http.ResponseWriter, r *http.Request) {
	a.setVulnerability(w, r, true)
}

func (a *API) removeVulnerability(w http.ResponseWriter, r *http.Request) {
	a.setVulnerability(w, r, false)
}

type consentJSON struct {
	ID             string  `json:"id"`
	PersonID       string  `json:"person_id"`
	Purpose        string  `json:"purpose"`
	RecipientOrgID *string `json:"recipient_org_id"`
	Status         string  `json:"status"`
	At             string  `json:"at"`
	RecordedBy     string  `json:"recorded_by"`
	RecordedAt     string  `json:"recorded_at"`
}

func toConsent(c persons.Consent) consentJSON {
	return consentJSON{c.ID, c.PersonID, string(c.Purpose), orNull(c.RecipientOrgID), string(c.Status), ts(c.At),
		c.RecordedBy, ts(c.RecordedAt)}
}

func (a *API) recordConsent(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Purpose        string `json:"purpose"`
		RecipientOrgID string `json:"recipient_org_id"`
		Status         string `json:"status"`
		At             string `json:"at"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	var bad []accounts.FieldError
	in := persons.ConsentInput{Purpose: persons.Purpose(body.Purpose), RecipientOrgID: body.RecipientOrgID,
		Status: persons.ConsentStatus(body.Status), At: parseTime("at", body.At, &bad)}
	if len(bad) > 0 {
		a.fail(w, r, &accounts.ValidationError{Errors: bad})
		return
	}
	c, err := a.per.RecordConsent(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	writeOne(a, w, r, http.StatusCreated, c, err, toConsent)
}

func (a *API) listConsents(w http.ResponseWriter, r *http.Request) {
	cs, err := a.per.Consents(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeList(a, w, r, cs, "", err, toConsent)
}

// parseTime reads an optional RFC 3339 time of a body; "" is the zero time.
// A malformed time is added to bad under field.
func parseTime(field, s string, bad *[]accounts.FieldError) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		*bad = append(*bad, accounts.FieldError{Field: field, Code: "invalid_time"})
		return time.Time{}
	}
	return t.UTC()
}

// parseTimePtr is parseTime for a time that may be absent (null).
func parseTimePtr(field string, s *string, bad *[]accounts.FieldError) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	t := parseTime(field, *s, bad)
	return &t
}
