// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/violations"
)

// The controlled vocabularies of violations documentation: shipped terms
// with their names in the six languages, terms added by system
// administrators, and which are retired.

type vocabularyJSON struct {
	Name         string     `json:"name"`
	Hierarchical bool       `json:"hierarchical"`
	Extensible   bool       `json:"extensible"`
	Terms        []termJSON `json:"terms,omitempty"`
}

type termJSON struct {
	Code      string            `json:"code"`
	Parent    *string           `json:"parent"`
	Labels    map[string]string `json:"labels"`
	Shipped   bool              `json:"shipped"`
	RetiredAt *string           `json:"retired_at"`
}

func toTerm(t violations.Term) termJSON {
	labels := t.Labels
	if labels == nil {
		labels = map[string]string{}
	}
	return termJSON{Code: t.Code, Parent: orNull(t.Parent), Labels: labels, Shipped: t.Shipped, RetiredAt: timePtr(t.RetiredAt)}
}

func toVocabulary(v violations.Vocabulary) vocabularyJSON {
	return vocabularyJSON{Name: v.Name, Hierarchical: v.Hierarchical, Extensible: v.Extensible}
}

func (a *API) listVocabularies(w http.ResponseWriter, r *http.Request) {
	writeList(a, w, r, violations.Vocabularies(), "", nil, toVocabulary)
}

func (a *API) getVocabulary(w http.ResponseWriter, r *http.Request) {
	v, ok := violations.LookupVocabulary(r.PathValue("name"))
	if !ok {
		a.violationFail(w, r, violations.ErrNotFound)
		return
	}
	terms, err := a.vio.Terms(r.Context(), v.Name)
	if err != nil {
		a.violationFail(w, r, err)
		return
	}
	out := toVocabulary(v)
	out.Terms = make([]termJSON, len(terms))
	for i, t := range terms {
		out.Terms[i] = toTerm(t)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) addTerm(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Parent string            `json:"parent"`
		Labels map[string]string `json:"labels"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	t, err := a.vio.AddTerm(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("name"),
		violations.TermInput{Parent: body.Parent, Labels: body.Labels})
	violationOne(a, w, r, http.StatusCreated, t, err, toTerm)
}

func (a *API) retireTerm(w http.ResponseWriter, r *http.Request) {
	t, err := a.vio.RetireTerm(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("name"), r.PathValue("code"))
	violationOne(a, w, r, http.StatusOK, t, err, toTerm)
}

func (a *API) restoreTerm(w http.ResponseWriter, r *http.Request) {
	t, err := a.vio.RestoreTerm(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("name"), r.PathValue("code"))
	violationOne(a, w, r, http.StatusOK, t, err, toTerm)
}
