// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
)

type organisationJSON struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Country   string `json:"country"`
	IsDemo    bool   `json:"is_demo"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func toOrganisation(o accounts.Organisation) organisationJSON {
	return organisationJSON{o.ID, o.Name, o.Country, o.IsDemo, ts(o.CreatedAt), ts(o.UpdatedAt)}
}

type organisationBody struct {
	Name    *string `json:"name"`
	Country *string `json:"country"`
}

func (a *API) listOrganisations(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	orgs, next, err := a.acc.ListOrganisations(r.Context(), authn.PrincipalFrom(r.Context()), r.URL.Query().Get("q"), pg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[organisationJSON]{Items: []organisationJSON{}, NextCursor: next}
	for _, o := range orgs {
		out.Items = append(out.Items, toOrganisation(o))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) createOrganisation(w http.ResponseWriter, r *http.Request) {
	var body organisationBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	o, err := a.acc.CreateOrganisation(r.Context(), authn.PrincipalFrom(r.Context()), accounts.OrganisationInput(body), false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toOrganisation(o))
}

func (a *API) getOrganisation(w http.ResponseWriter, r *http.Request) {
	o, err := a.acc.GetOrganisation(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOrganisation(o))
}

func (a *API) updateOrganisation(w http.ResponseWriter, r *http.Request) {
	var body organisationBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	o, err := a.acc.UpdateOrganisation(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), accounts.OrganisationInput(body))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOrganisation(o))
}
