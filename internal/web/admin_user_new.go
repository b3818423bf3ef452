// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
)

// adminUserNewData is the form to create a user in an organisation. A
// system administrator first picks the organisation (Orgs), since the
// teams offered are that organisation's.
type adminUserNewData struct {
	// Orgs are the organisations a system administrator may pick from;
	// nil for a reader held to their own.
	Orgs []option
	// OrgID is the organisation the user is created in; "" while a system
	// administrator has not picked one.
	OrgID, OrgName string
	Roles          []string
	Teams          []option
}

// adminOneTimeData shows a one-time password, once: after creating a user
// (Created) or resetting their password.
type adminOneTimeData struct {
	UserID, Name, Email, Password string
	Created                       bool
}

// adminUserNew shows the form to create a user.
func (w *Web) adminUserNew(rw http.ResponseWriter, r *http.Request) {
	w.renderAdminUserNew(rw, r, http.StatusOK, r.URL.Query().Get("org"), view{Values: map[string]string{"role": access.RoleCaseworker}})
}

// renderAdminUserNew renders the form to create a user in picked (which only a
// system administrator may choose) with v's form state.
func (w *Web) renderAdminUserNew(rw http.ResponseWriter, r *http.Request, status int, picked string, v view) {
	p := authn.PrincipalFrom(r.Context())
	orgID, ok := adminShownOrg(p, picked)
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	orgs, err := w.adminOrgOptions(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &adminUserNewData{Orgs: orgs, OrgID: orgID, Roles: access.MembershipRoles()}
	if orgID != "" {
		o, err := w.acc.GetOrganisation(r.Context(), p, orgID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		d.OrgName = o.Name
		d.Teams = w.adminTeamsFor(r.Context(), p).options(orgID)
	}
	v.Data = d
	w.render(rw, r, status, pageAdminUserNew, v)
}

// adminUserCreate creates a user with a one-time password, which the
// domain generates and the next page shows once; the user must replace it
// at their first sign-in. An administrator never chooses someone else's
// lasting password.
func (w *Web) adminUserCreate(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	if !parseForm(r) {
		w.renderAdminUserNew(rw, r, http.StatusBadRequest, "", view{Error: errBadRequest})
		return
	}
	f := r.PostForm
	orgID, ok := adminShownOrg(p, f.Get("org"))
	if !ok || orgID == "" {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	values := map[string]string{"email": f.Get("email"), "name": f.Get("name"), "role": f.Get("role"), "team_id": f.Get("team_id")}
	u, oneTime, err := w.acc.CreateUser(r.Context(), p, accounts.NewUser{
		Email: f.Get("email"), Name: f.Get("name"), OrgID: orgID, Role: f.Get("role"), TeamID: f.Get("team_id"),
	})
	form := adminForm{show: func(status int, v view) { w.renderAdminUserNew(rw, r, status, orgID, v) }, values: values,
		fields: []string{"email", "name", "role", "team_id"}}
	if w.adminSaved(rw, r, form, err) {
		w.renderAdminOneTime(rw, r, &adminOneTimeData{UserID: u.ID, Name: u.Name, Email: u.Email, Password: oneTime, Created: true})
	}
}

// renderAdminOneTime shows a one-time password. The page is never stored by a
// browser or a proxy (the server sends no-store with every response; it is
// set here again so that the page does not depend on it), and it answers
// a post, so it has no address to be opened again at.
func (w *Web) renderAdminOneTime(rw http.ResponseWriter, r *http.Request, d *adminOneTimeData) {
	rw.Header().Set("Cache-Control", "no-store")
	w.render(rw, r, http.StatusOK, pageAdminOneTime, view{Data: d})
}
