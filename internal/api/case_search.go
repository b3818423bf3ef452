// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Case search and saved searches. A list's criteria (cases.Criteria) are
// codes, ids and dates: a GET's query string carries them, and a saved
// search keeps them. Names, document numbers and phones are personal data:
// only POST /cases/search takes them, in its body, and nothing keeps them.

type principalPlaceJSON struct {
	Nationality *string `json:"nationality"`
	Country     *string `json:"country"`
	Admin1      *string `json:"admin1"`
}

// criteria reads the list criteria in q, refusing any parameter that is
// neither a criterion nor one of also with a 422 naming it.
func criteria(q url.Values, also ...string) (cases.Criteria, error) {
	if unknown := cases.UnknownParams(q, also...); len(unknown) > 0 {
		ve := &cases.ValidationError{}
		for _, name := range unknown {
			ve.Add(name, cases.CodeUnknown)
		}
		return cases.Criteria{}, ve
	}
	return cases.ParseCriteria(q)
}

// criteriaBody is the criteria object of a request body: each criterion by
// its query parameter's name, with a string value. A name that is no
// criterion is refused with a 422 on "criteria.<name>".
type criteriaBody map[string]string

func (b criteriaBody) criteria() (cases.Criteria, error) {
	q := url.Values{}
	for name, v := range b {
		q.Set(name, v)
	}
	c, err := criteria(q)
	var ve *cases.ValidationError
	if errors.As(err, &ve) {
		for i := range ve.Errors {
			ve.Errors[i].Field = "criteria." + ve.Errors[i].Field
		}
	}
	return c, err
}

// searchCases finds the cases with a linked person whose name, document
// number or phone matches, among those matching the criteria; every search
// is audited with the names of the criteria used.
func (a *API) searchCases(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name           string       `json:"name"`
		DocumentNumber string       `json:"document_number"`
		Phone          string       `json:"phone"`
		Criteria       criteriaBody `json:"criteria"`
		Cursor         string       `json:"cursor"`
		Limit          int          `json:"limit"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	c, err := body.Criteria.criteria()
	if body.Limit < 0 || body.Limit > cases.MaxPageSize {
		err = joinFieldErrors(err, cases.FieldError{Field: "limit", Code: "out_of_range"})
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	cs, next, err := a.cas.Search(r.Context(), authn.PrincipalFrom(r.Context()),
		cases.Identity{Name: body.Name, DocumentNumber: body.DocumentNumber, Phone: body.Phone}, c.Filter,
		c.Page(body.Cursor, body.Limit))
	writeList(a, w, r, cs, next, err, toCase)
}

// joinFieldErrors adds fe to err, a ValidationError or nil.
func joinFieldErrors(err error, fe cases.FieldError) error {
	ve := &cases.ValidationError{}
	if err != nil && !errors.As(err, &ve) {
		return err
	}
	ve.Errors = append(ve.Errors, fe)
	return ve
}

type savedSearchJSON struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	OwnerID   string            `json:"owner_id"`
	TeamID    *string           `json:"team_id"`
	Criteria  map[string]string `json:"criteria"`
	Query     string            `json:"query"`
	CreatedAt string            `json:"created_at"`
}

func toSavedSearch(ss cases.SavedSearch) savedSearchJSON {
	out := savedSearchJSON{ID: ss.ID, Name: ss.Name, OwnerID: ss.OwnerID, TeamID: orNull(ss.TeamID),
		Criteria: map[string]string{}, Query: ss.Query, CreatedAt: ts(ss.CreatedAt)}
	q, _ := url.ParseQuery(ss.Query) // written by Criteria.Values().Encode()
	for name, vs := range q {
		if len(vs) > 0 && slices.Contains(cases.CriteriaParams, name) {
			out.Criteria[name] = vs[0]
		}
	}
	return out
}

func (a *API) listSavedSearches(w http.ResponseWriter, r *http.Request) {
	all, err := a.cas.SavedSearches(r.Context(), authn.PrincipalFrom(r.Context()))
	writeList(a, w, r, all, "", err, toSavedSearch)
}

func (a *API) createSavedSearch(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name     string       `json:"name"`
		Shared   bool         `json:"shared"`
		Criteria criteriaBody `json:"criteria"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	c, err := body.Criteria.criteria()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ss, err := a.cas.SaveSearch(r.Context(), authn.PrincipalFrom(r.Context()),
		cases.NewSavedSearch{Name: body.Name, Shared: body.Shared, Criteria: c})
	writeOne(a, w, r, http.StatusCreated, ss, err, toSavedSearch)
}

func (a *API) deleteSavedSearch(w http.ResponseWriter, r *http.Request) {
	if err := a.cas.DeleteSavedSearch(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
