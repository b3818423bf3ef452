// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
)

type userJSON struct {
	ID                 string           `json:"id"`
	Email              string           `json:"email"`
	Name               string           `json:"name"`
	IsSysadmin         bool             `json:"is_sysadmin"`
	IsDemo             bool             `json:"is_demo"`
	MustChangePassword bool             `json:"must_change_password"`
	TOTPEnabled        bool             `json:"totp_enabled"`
	Disabled           bool             `json:"disabled"`
	CreatedAt          string           `json:"created_at"`
	UpdatedAt          string           `json:"updated_at"`
	Memberships        []membershipJSON `json:"memberships"`
}

func toUser(u accounts.User) userJSON {
	return userJSON{u.ID, u.Email, u.Name, u.IsSysadmin, u.IsDemo, u.MustChangePassword, u.TOTPEnabled, u.Disabled,
		ts(u.CreatedAt), ts(u.UpdatedAt), toMemberships(u.Memberships)}
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	u, err := a.acc.GetUser(r.Context(), p, p.UserID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	perms := []string{}
	for _, perm := range access.Permissions() {
		if p.Can(perm) {
			perms = append(perms, string(perm))
		}
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		User        userJSON `json:"user"`
		OrgID       string   `json:"org_id"`
		Role        string   `json:"role"`
		Permissions []string `json:"permissions"`
	}{toUser(u), p.OrgID, p.Role, perms})
}

func (a *API) listUsers(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	users, next, err := a.acc.ListUsers(r.Context(), authn.PrincipalFrom(r.Context()),
		accounts.UserFilter{OrgID: q.Get("org_id")}, pg)
	a.writeUsers(w, r, users, next, err)
}

// searchUsers finds a user by e-mail. The address travels in the body, not
// the query string, so that it stays out of URLs (proxy logs, browser
// history).
func (a *API) searchUsers(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email string `json:"email"`
		OrgID string `json:"org_id"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	if body.Email == "" {
		a.fail(w, r, &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "email", Code: "required"}}})
		return
	}
	users, next, err := a.acc.ListUsers(r.Context(), authn.PrincipalFrom(r.Context()),
		accounts.UserFilter{OrgID: body.OrgID, Email: body.Email}, accounts.Page{})
	a.writeUsers(w, r, users, next, err)
}

func (a *API) writeUsers(w http.ResponseWriter, r *http.Request, users []accounts.User, next string, err error) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[userJSON]{Items: []userJSON{}, NextCursor: next}
	for _, u := range users {
		out.Items = append(out.Items, toUser(u))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) createUser(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email      string `json:"email"`
		Name       string `json:"name"`
		Password   string `json:"password"`
		OrgID      string `json:"org_id"`
		Role       string `json:"role"`
		TeamID     string `json:"team_id"`
		IsSysadmin bool   `json:"is_sysadmin"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	u, oneTime, err := a.acc.CreateUser(r.Context(), authn.PrincipalFrom(r.Context()), accounts.NewUser{
		Email: body.Email, Name: body.Name, Password: body.Password, OrgID: body.OrgID, Role: body.Role,
		TeamID: body.TeamID, Sysadmin: body.IsSysadmin,
	})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, struct {
		userJSON
		OneTimePassword string `json:"one_time_password,omitempty"`
	}{toUser(u), oneTime})
}

func (a *API) getUser(w http.ResponseWriter, r *http.Request) {
	u, err := a.acc.GetUser(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toUser(u))
}

func (a *API) updateUser(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Email *string `json:"email"`
		Name  *string `json:"name"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	u, err := a.acc.UpdateUser(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), accounts.UserUpdate(body))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toUser(u))
}

func (a *API) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	if err := a.acc.SetDisabled(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), disabled); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) disableUser(w http.ResponseWriter, r *http.Request) { a.setDisabled(w, r, true) }

func (a *API) enableUser(w http.ResponseWriter, r *http.Request) { a.setDisabled(w, r, false) }

func (a *API) resetPassword(w http.ResponseWriter, r *http.Request) {
	pw, err := a.acc.ResetPassword(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), "")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		OneTimePassword string `json:"one_time_password"`
	}{pw})
}

func (a *API) resetTOTP(w http.ResponseWriter, r *http.Request) {
	if err := a.acc.ResetTOTP(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) eraseUser(w http.ResponseWriter, r *http.Request) {
	if err := a.acc.EraseUser(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
