// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
)

type tokenJSON struct {
	ID         string   `json:"id"`
	UserID     string   `json:"user_id"`
	OrgID      string   `json:"org_id"`
	Name       string   `json:"name"`
	Scopes     []string `json:"scopes"`
	CreatedAt  string   `json:"created_at"`
	ExpiresAt  string   `json:"expires_at"`
	LastUsedAt *string  `json:"last_used_at"`
	RevokedAt  *string  `json:"revoked_at"`
}

func toToken(t accounts.Token) tokenJSON {
	scopes := []string{}
	for _, s := range t.Scopes {
		scopes = append(scopes, string(s))
	}
	return tokenJSON{t.ID, t.UserID, t.OrgID, t.Name, scopes, ts(t.CreatedAt), ts(t.ExpiresAt), timePtr(t.LastUsedAt), timePtr(t.RevokedAt)}
}

func (a *API) listTokens(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	toks, next, err := a.acc.ListTokens(r.Context(), authn.PrincipalFrom(r.Context()), pg)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[tokenJSON]{Items: []tokenJSON{}, NextCursor: next}
	for _, t := range toks {
		out.Items = append(out.Items, toToken(t))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) createToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name          string   `json:"name"`
		Scopes        []string `json:"scopes"`
		ExpiresInDays int      `json:"expires_in_days"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	scopes := ""
	for _, s := range body.Scopes {
		scopes += s + " "
	}
	if body.ExpiresInDays < 0 || body.ExpiresInDays > 366 {
		a.fail(w, r, &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "expires_in_days", Code: "out_of_range"}}})
		return
	}
	t, secret, err := a.acc.IssueToken(r.Context(), authn.PrincipalFrom(r.Context()), body.Name, scopes,
		time.Duration(body.ExpiresInDays)*24*time.Hour)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, struct {
		tokenJSON
		Secret string `json:"secret"`
	}{toToken(t), secret})
}

func (a *API) getToken(w http.ResponseWriter, r *http.Request) {
	t, err := a.acc.GetToken(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toToken(t))
}

func (a *API) revokeToken(w http.ResponseWriter, r *http.Request) {
	if err := a.acc.RevokeToken(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type sessionJSON struct {
	ID         string `json:"id"`
	OrgID      string `json:"org_id"`
	CreatedAt  string `json:"created_at"`
	LastSeenAt string `json:"last_seen_at"`
	MFA        bool   `json:"mfa"`
	Current    bool   `json:"current"`
}

func (a *API) listSessions(w http.ResponseWriter, r *http.Request) {
	current := ""
	if sess, _ := authn.SessionFrom(r.Context()); sess != nil {
		current = sess.ID
	}
	sessions, err := a.acc.ListSessions(r.Context(), authn.PrincipalFrom(r.Context()), current)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[sessionJSON]{Items: []sessionJSON{}}
	for _, s := range sessions {
		out.Items = append(out.Items, sessionJSON{s.ID, s.OrgID, ts(s.CreatedAt), ts(s.LastSeenAt), s.MFA, s.ID == current})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) revokeSession(w http.ResponseWriter, r *http.Request) {
	if err := a.acc.RevokeSession(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
