// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/ids"
)

// adminUsersData is a list of users: an organisation's, every one for a
// system administrator who picks none, or those an e-mail search found.
type adminUsersData struct {
	// Orgs are the organisations a system administrator may pick from;
	// nil for a reader held to their own organisation.
	Orgs []option
	// OrgID is the organisation shown, "" for every user.
	OrgID string
	Users []adminUserRow
	// Next and First lead to the next and the first page.
	Next, First string
	// Search is true when the list answers a search by e-mail.
	Search    bool
	CanCreate bool
	Done      string
}

// adminUserRow is a user as a list shows them.
type adminUserRow struct {
	ID, Name, Email string
	// Erased marks an account whose name and e-mail were erased.
	Erased, Sysadmin, Disabled, TOTP, MustChange bool
	Memberships                                  []adminMembership
}

// adminMembership is one of a user's memberships, with the names of its
// organisation and team where the reader may see them.
type adminMembership struct {
	ID, OrgID, OrgName, Role, TeamID, TeamName string
	// Teams are the choices of the team field of the form that changes
	// the membership.
	Teams []option
}

// adminTeamNames caches the teams of organisations for one request.
type adminTeamNames struct {
	w     *Web
	ctx   context.Context
	p     access.Principal
	teams map[string][]accounts.Team
}

func (w *Web) adminTeamsFor(ctx context.Context, p access.Principal) *adminTeamNames {
	return &adminTeamNames{w: w, ctx: ctx, p: p, teams: map[string][]accounts.Team{}}
}

// of returns orgID's teams, or none when the reader may not list them.
func (t *adminTeamNames) of(orgID string) []accounts.Team {
	teams, ok := t.teams[orgID]
	if !ok {
		teams, _ = t.w.acc.ListTeams(t.ctx, t.p, orgID) // An error leaves the names out, not the page.
		t.teams[orgID] = teams
	}
	return teams
}

func (t *adminTeamNames) name(orgID, teamID string) string {
	for _, team := range t.of(orgID) {
		if team.ID == teamID {
			return team.Name
		}
	}
	return ""
}

func (t *adminTeamNames) options(orgID string) []option {
	var out []option
	for _, team := range t.of(orgID) {
		out = append(out, option{Value: team.ID, Label: team.Name})
	}
	return out
}

// adminUserRowOf turns a user into a row, keeping the memberships of orgID only
// (all of them when orgID is "").
func adminUserRowOf(u accounts.User, orgID string, teams *adminTeamNames) adminUserRow {
	row := adminUserRow{ID: u.ID, Name: u.Name, Email: u.Email, Erased: u.Name == accounts.ErasedMarker,
		Sysadmin: u.IsSysadmin, Disabled: u.Disabled, TOTP: u.TOTPEnabled, MustChange: u.MustChangePassword}
	if row.Erased {
		row.Name, row.Email = "", ""
	}
	for _, m := range u.Memberships {
		if orgID != "" && m.OrgID != orgID {
			continue
		}
		row.Memberships = append(row.Memberships, adminMembership{ID: m.ID, OrgID: m.OrgID, Role: m.Role, TeamID: m.TeamID,
			TeamName: teams.name(m.OrgID, m.TeamID)})
	}
	return row
}

// adminOrgOptions lists the organisations a system administrator may pick from,
// by name; nil for anyone else, who is held to their own. One page of the
// largest size is listed.
func (w *Web) adminOrgOptions(ctx context.Context, p access.Principal) ([]option, error) {
	if p.Scope("user.read") < access.ScopeAll {
		return nil, nil
	}
	orgs, _, err := w.acc.ListOrganisations(ctx, p, "", accounts.Page{Limit: 500})
	if err != nil {
		return nil, err
	}
	out := []option{}
	for _, o := range orgs {
		out = append(out, option{Value: o.ID, Label: o.Name})
	}
	return out, nil
}

// adminShownOrg is the organisation a users page is about: the one a system
// administrator picked with ?org= (or "" for every user), else the
// reader's own. ok is false for a value that is not an id.
func adminShownOrg(p access.Principal, picked string) (string, bool) {
	if p.Scope("user.read") < access.ScopeAll {
		return p.OrgID, true
	}
	return picked, picked == "" || ids.Valid(picked)
}

// adminUserList lists users, a page at a time. Reading their names and
// e-mails is audited by the domain.
func (w *Web) adminUserList(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	q := r.URL.Query()
	orgID, ok := adminShownOrg(p, q.Get("org"))
	cursor, ok2 := adminCursor(r)
	if !ok || !ok2 {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	users, next, err := w.acc.ListUsers(r.Context(), p, accounts.UserFilter{OrgID: orgID},
		accounts.Page{Cursor: cursor, Limit: adminPageSize})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &adminUsersData{OrgID: orgID, Done: adminDone(r, adminDoneErased)}
	d.Next, d.First = adminPageLinks(pathAdminUsers, q, cursor, next, "done", "")
	w.renderAdminUsers(rw, r, http.StatusOK, p, d, users, view{})
}

// renderAdminUsers renders the users page with v's form state: d, which
// the list or the search has begun, is completed with users, as rows of
// d.OrgID, and with what the reader may pick and do.
func (w *Web) renderAdminUsers(rw http.ResponseWriter, r *http.Request, status int, p access.Principal, d *adminUsersData,
	users []accounts.User, v view) {
	orgs, err := w.adminOrgOptions(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Orgs, d.CanCreate = orgs, adminNeedUserCreate.held(p)
	teams := w.adminTeamsFor(r.Context(), p)
	for _, u := range users {
		d.Users = append(d.Users, adminUserRowOf(u, d.OrgID, teams))
	}
	v.Data = d
	w.render(rw, r, status, pageAdminUsers, v)
}

// adminUserSearch finds a user by e-mail. The address comes in the body of
// a form post, never in a URL; the domain audits the search, found or not.
func (w *Web) adminUserSearch(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	email := r.PostForm.Get("email")
	orgID, ok := adminShownOrg(p, r.PostForm.Get("org"))
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	v := view{Values: map[string]string{"email": email}}
	var users []accounts.User
	status := http.StatusOK
	if email == "" {
		v.Fields = map[string]string{"email": "required"}
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		users, _, err = w.acc.ListUsers(r.Context(), p, accounts.UserFilter{OrgID: orgID, Email: email}, accounts.Page{})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	w.renderAdminUsers(rw, r, status, p, &adminUsersData{OrgID: orgID, Search: true}, users, v)
}

// adminUserData is one user, their memberships and what may be done to
// them.
type adminUserData struct {
	adminUserRow
	Demo                 bool
	CreatedAt, UpdatedAt time.Time
	// Roles are the roles a membership may carry.
	Roles []string
	// Self is true on one's own page, which offers no disabling, erasing
	// or resets: those are done by another administrator.
	Self bool
	// CanUpdate, CanErase and CanMembership say which forms to show; the
	// domain decides all the same.
	CanUpdate, CanErase, CanMembership bool
	Done                               string
}

// adminUserShow shows a user. Reading their name and e-mail is audited by
// the domain.
func (w *Web) adminUserShow(rw http.ResponseWriter, r *http.Request) {
	w.renderAdminUser(rw, r, http.StatusOK, r.PathValue("id"), view{})
}

// renderAdminUser renders the page of user id with v's form state.
func (w *Web) renderAdminUser(rw http.ResponseWriter, r *http.Request, status int, id string, v view) {
	p := authn.PrincipalFrom(r.Context())
	u, err := w.acc.GetUser(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	teams := w.adminTeamsFor(r.Context(), p)
	// Below a system administrator, a system administrator's account is
	// not administered (the domain refuses), so nothing is offered.
	wide := p.Scope("user.update") >= access.ScopeAll || !u.IsSysadmin
	d := &adminUserData{adminUserRow: adminUserRowOf(u, "", teams), Demo: u.IsDemo, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt,
		Roles: access.MembershipRoles(), Self: u.ID == p.UserID,
		CanUpdate: wide && adminNeedUserUpdate.held(p), CanErase: wide && adminNeedUserErase.held(p),
		CanMembership: adminNeedMembership.held(p),
		Done:          adminDone(r, adminDoneDisabled, adminDoneEnabled, adminDoneTOTPReset, adminDoneMemberUpdated)}
	for i := range d.Memberships {
		m := &d.Memberships[i]
		if o, err := w.acc.GetOrganisation(r.Context(), p, m.OrgID); err == nil {
			m.OrgName = o.Name
		}
		m.Teams = teams.options(m.OrgID)
	}
	v.Data = d
	w.render(rw, r, status, pageAdminUser, v)
}
