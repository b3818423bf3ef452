// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Transfers move a case to another organisation: the owning organisation
// offers it, the receiving one accepts (the case, its persons and all its
// records move) or declines, and the offer can be withdrawn until then.

func (a *API) offerTransfer(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ToOrgID string `json:"to_org_id"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	t, err := a.cas.OfferTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.ToOrgID)
	writeOne(a, w, r, http.StatusCreated, t, err, toTransfer)
}

// listTransfers lists the offers waiting for the caller's organisation.
func (a *API) listTransfers(w http.ResponseWriter, r *http.Request) {
	ts, err := a.cas.PendingTransfers(r.Context(), authn.PrincipalFrom(r.Context()))
	writeList(a, w, r, ts, "", err, toTransfer)
}

func (a *API) acceptTransfer(w http.ResponseWriter, r *http.Request) {
	var body struct {
		// OwnerID "" makes the caller the caseworker; TeamID "" gives the
		// caseworker's own team.
		OwnerID string `json:"owner_id"`
		TeamID  string `json:"team_id"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	c, err := a.cas.AcceptTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		cases.Assignment{OwnerID: body.OwnerID, TeamID: body.TeamID})
	a.writeCase(w, r, c, err)
}

func (a *API) declineTransfer(w http.ResponseWriter, r *http.Request) {
	t, err := a.cas.DeclineTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeOne(a, w, r, http.StatusOK, t, err, toTransfer)
}

func (a *API) withdrawTransfer(w http.ResponseWriter, r *http.Request) {
	t, err := a.cas.WithdrawTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeOne(a, w, r, http.StatusOK, t, err, toTransfer)
}
