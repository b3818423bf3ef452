// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
)

type membershipJSON struct {
	ID        string `json:"id"`
	OrgID     string `json:"org_id"`
	UserID    string `json:"user_id"`
	Role      string `json:"role"`
	TeamID    string `json:"team_id"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
}

func toMembership(m accounts.Membership) membershipJSON {
	return membershipJSON{m.ID, m.OrgID, m.UserID, m.Role, m.TeamID, ts(m.CreatedAt), ts(m.UpdatedAt)}
}

func toMemberships(ms []accounts.Membership) []membershipJSON {
	out := []membershipJSON{}
	for _, m := range ms {
		out = append(out, toMembership(m))
	}
	return out
}

func (a *API) listMemberships(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ms, next, err := a.acc.ListMemberships(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), pg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, list[membershipJSON]{Items: toMemberships(ms), NextCursor: next})
}

func (a *API) createMembership(w http.ResponseWriter, r *http.Request) {
	var body struct {
		UserID string `json:"user_id"`
		Role   string `json:"role"`
		TeamID string `json:"team_id"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	m, err := a.acc.AddMembership(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.UserID, body.Role, body.TeamID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toMembership(m))
}

func (a *API) updateMembership(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Role   *string `json:"role"`
		TeamID *string `json:"team_id"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	m, err := a.acc.UpdateMembership(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.Role, body.TeamID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toMembership(m))
}

func (a *API) deleteMembership(w http.ResponseWriter, r *http.Request) {
	if err := a.acc.RemoveMembership(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type teamJSON struct {
	ID        string `json:"id"`
	OrgID     string `json:"org_id"`
	Name      string `json:"name"`
	CreatedAt string `json:"created_at"`
}

func (a *API) listTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := a.acc.ListTeams(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[teamJSON]{Items: []teamJSON{}}
	for _, t := range teams {
		out.Items = append(out.Items, teamJSON{t.ID, t.OrgID, t.Name, ts(t.CreatedAt)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) createTeam(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	t, err := a.acc.CreateTeam(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.Name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, teamJSON{t.ID, t.OrgID, t.Name, ts(t.CreatedAt)})
}
