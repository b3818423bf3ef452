// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// The administration pages: organisations and their teams, users and their
// memberships, the roles, the organisation's API tokens and the audit log.
// They are thin, like the API's handlers, whose rules they follow: every
// change and every read of personal data goes through the accounts domain
// with the acting principal, which decides record-level access and audits
// it, so that a page can never reach further than the API.
//
// A page of the administration needs its route's permission over at least
// a whole organisation (adminNeed): a caseworker holds user.read and
// token.read for their own records, which is not administering anything,
// and gets 403 here. The audit log is the exception: an analyst may read
// the entries of their own acts.
//
// Users are addressed by id only; a search by e-mail is a form post, as in
// the API, so that no address ends up in a URL, a proxy's log or the
// browser's history. Destructive actions (disabling, resetting a password
// or a second factor, erasing, revoking a token) are a GET of a
// confirmation page, which changes nothing, then a POST of its form.

import (
	"errors"
	"net/http"
	"net/url"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/ids"
)

// The administration pages.
const (
	pageAdmin        page = "admin"
	pageAdminOrgs    page = "admin_orgs"
	pageAdminOrg     page = "admin_org"
	pageAdminUsers   page = "admin_users"
	pageAdminUserNew page = "admin_user_new"
	pageAdminUser    page = "admin_user"
	pageAdminOneTime page = "admin_one_time"
	pageAdminConfirm page = "admin_confirm"
	pageAdminRoles   page = "admin_roles"
	pageAdminTokens  page = "admin_tokens"
	pageAdminAudit   page = "admin_audit"
)

// Paths the administration handlers link and redirect to.
const (
	pathAdminOrgs   = "/admin/organisations"
	pathAdminUsers  = "/admin/users"
	pathAdminTokens = "/admin/tokens"
	pathAdminAudit  = "/admin/audit"
)

// adminPageSize is the length of a page of a listing.
const adminPageSize = 50

// adminPages are the administration pages' templates.
var adminPages = []page{pageAdmin, pageAdminOrgs, pageAdminOrg, pageAdminUsers, pageAdminUserNew, pageAdminUser,
	pageAdminOneTime, pageAdminConfirm, pageAdminRoles, pageAdminTokens, pageAdminAudit}

// adminNeed is what a page of the administration needs: its permission,
// held over at least min. The route names the permission, so that authn
// refuses anyone without it; the page then refuses a narrower grant.
type adminNeed struct {
	perm access.Permission
	min  access.Scope
}

// held reports whether p meets n.
func (n adminNeed) held(p access.Principal) bool { return p.Scope(n.perm) >= n.min }

// What each page needs. The index (adminNeedIndex) is further limited to those
// the header's link is shown to (adminPerms), and lists the sections the
// reader meets the need of.
var (
	adminNeedIndex     = adminNeed{"user.read", access.ScopeOwn}
	adminNeedOrgCreate = adminNeed{"organisation.create", access.ScopeAll}
	adminNeedAudit     = adminNeed{"audit.read", access.ScopeOwn}

	adminNeedOrgs        = adminOrgNeed("organisation.update")
	adminNeedUsers       = adminOrgNeed("user.read")
	adminNeedUserCreate  = adminOrgNeed("user.create")
	adminNeedUserUpdate  = adminOrgNeed("user.update")
	adminNeedUserErase   = adminOrgNeed("user.erase")
	adminNeedMembership  = adminOrgNeed("membership.write")
	adminNeedTokens      = adminOrgNeed("token.read")
	adminNeedTokenRevoke = adminOrgNeed("token.revoke")
	// Creating a team and reading the roles need what changing a
	// membership does.
	adminNeedTeamCreate = adminNeedMembership
	adminNeedRoles      = adminNeedMembership
)

// adminOrgNeed is the need of most pages: perm over at least a whole
// organisation.
func adminOrgNeed(perm access.Permission) adminNeed { return adminNeed{perm, access.ScopeOrg} }

// adminRoutes lists the administration pages.
func (w *Web) adminRoutes() []authn.Route {
	return []authn.Route{
		w.adminRoute("GET /admin", adminNeedIndex, w.adminIndex),

		w.adminRoute("GET /admin/organisations", adminNeedOrgs, w.adminOrgList),
		w.adminRoute("POST /admin/organisations", adminNeedOrgCreate, w.adminOrgCreate),
		w.adminRoute("GET /admin/organisations/{id}", adminNeedOrgs, w.adminOrgShow),
		w.adminRoute("POST /admin/organisations/{id}", adminNeedOrgs, w.adminOrgUpdate),
		w.adminRoute("POST /admin/organisations/{id}/teams", adminNeedTeamCreate, w.adminTeamCreate),

		w.adminRoute("GET /admin/users", adminNeedUsers, w.adminUserList),
		w.adminRoute("POST /admin/users/search", adminNeedUsers, w.adminUserSearch),
		w.adminRoute("GET /admin/users/new", adminNeedUserCreate, w.adminUserNew),
		w.adminRoute("POST /admin/users", adminNeedUserCreate, w.adminUserCreate),
		w.adminRoute("GET /admin/users/{id}", adminNeedUsers, w.adminUserShow),
		w.adminRoute("POST /admin/users/{id}/enable", adminNeedUserUpdate, w.adminUserEnable),
		w.adminRoute("GET /admin/users/{id}/disable", adminNeedUserUpdate, w.adminConfirmForm(adminActDisable)),
		w.adminRoute("POST /admin/users/{id}/disable", adminNeedUserUpdate, w.adminUserDisable),
		w.adminRoute("GET /admin/users/{id}/reset-password", adminNeedUserUpdate, w.adminConfirmForm(adminActResetPassword)),
		w.adminRoute("POST /admin/users/{id}/reset-password", adminNeedUserUpdate, w.adminUserResetPassword),
		w.adminRoute("GET /admin/users/{id}/reset-2fa", adminNeedUserUpdate, w.adminConfirmForm(adminActResetTOTP)),
		w.adminRoute("POST /admin/users/{id}/reset-2fa", adminNeedUserUpdate, w.adminUserResetTOTP),
		w.adminRoute("GET /admin/users/{id}/erase", adminNeedUserErase, w.adminConfirmForm(adminActErase)),
		w.adminRoute("POST /admin/users/{id}/erase", adminNeedUserErase, w.adminUserErase),

		w.adminRoute("POST /admin/memberships/{id}", adminNeedMembership, w.adminMembershipUpdate),

		w.adminRoute("GET /admin/roles", adminNeedRoles, w.adminRoles),

		w.adminRoute("GET /admin/tokens", adminNeedTokens, w.adminTokenList),
		w.adminRoute("GET /admin/tokens/{id}/revoke", adminNeedTokenRevoke, w.adminTokenRevokeForm),
		w.adminRoute("POST /admin/tokens/{id}/revoke", adminNeedTokenRevoke, w.adminTokenRevoke),

		w.adminRoute("GET /admin/audit", adminNeedAudit, w.adminAudit),
		w.adminRoute("GET /admin/audit/export", adminNeedAudit, w.adminAuditExport),
	}
}

// adminRoute is a permission route whose handler first checks the scope
// of n: a request with the permission over less than n.min gets the 403
// page, as one without the permission does.
func (w *Web) adminRoute(pattern string, n adminNeed, h http.HandlerFunc) authn.Route {
	return authn.PermRoute(pattern, n.perm, func(rw http.ResponseWriter, r *http.Request) {
		if !n.held(authn.PrincipalFrom(r.Context())) {
			w.errorPage(rw, r, http.StatusForbidden)
			return
		}
		h(rw, r)
	})
}

// adminAllowed reports whether p may see the administration at all: the rule
// of the header's link.
func adminAllowed(p access.Principal) bool { return slices.ContainsFunc(adminPerms, p.Can) }

// adminCursor reads the ?after= cursor of a listing: "" for the first
// page. ok is false for a cursor that is not an id, which the caller
// answers 400.
func adminCursor(r *http.Request) (cursor string, ok bool) {
	c := r.URL.Query().Get("after")
	return c, c == "" || ids.Valid(c)
}

// adminPageLinks are the links of a page of the listing at path with query
// q, shown from cursor ("" on the first page), when the next page starts
// after next ("" on the last): next to that page and first back to the
// first, each "" where there is none. set are more parameters to change in
// both (see adminHref).
func adminPageLinks(path string, q url.Values, cursor, next string, set ...string) (nextHref, firstHref string) {
	if next != "" {
		nextHref = adminHref(path, q, append([]string{"after", next}, set...)...)
	}
	if cursor != "" {
		firstHref = adminHref(path, q, append([]string{"after", ""}, set...)...)
	}
	return nextHref, firstHref
}

// adminHref is path with query q, changed by the name, value pairs of set
// (an empty value removes the parameter). The language is left out: the
// cookie holds it. The path is always one of the handlers' constants, never
// one taken from the request.
func adminHref(path string, q url.Values, set ...string) string {
	out := url.Values{}
	for k, v := range q {
		if k != "lang" {
			out[k] = slices.Clone(v)
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			out.Del(set[i])
		} else {
			out.Set(set[i], set[i+1])
		}
	}
	if len(out) == 0 {
		return path
	}
	return path + "?" + out.Encode()
}

// adminDone is the code of the notice a page shows after a change sent it
// there (?done=), when the code is one of allowed; "" otherwise, so that
// no other text can be made to appear.
func adminDone(r *http.Request, allowed ...string) string {
	if d := r.URL.Query().Get("done"); slices.Contains(allowed, d) {
		return d
	}
	return ""
}

// Notices after a change (?done=).
const (
	adminDoneOrgCreated    = "org_created"
	adminDoneOrgUpdated    = "org_updated"
	adminDoneTeamCreated   = "team_created"
	adminDoneDisabled      = "disabled"
	adminDoneEnabled       = "enabled"
	adminDoneTOTPReset     = "totp_reset"
	adminDoneErased        = "erased"
	adminDoneMemberUpdated = "membership_updated"
	adminDoneTokenRevoked  = "token_revoked"
)

// adminInvalid splits a validation error into the errors of the form's
// fields (named in fields, each renamed by rename when it has an entry
// there) and the code of an error about anything else, such as "id:
// cannot_disable_self", which the page shows above the form.
func adminInvalid(ve *accounts.ValidationError, rename map[string]string, fields ...string) (map[string]string, string) {
	m := map[string]string{}
	page := ""
	for _, fe := range ve.Errors {
		field := fe.Field
		if to, ok := rename[field]; ok {
			field = to
		}
		switch {
		case slices.Contains(fields, field):
			if _, seen := m[field]; !seen {
				m[field] = fe.Code
			}
		case page == "":
			page = fe.Code
		}
	}
	return m, page
}

// adminForm is a form of the administration whose post asks the domain for
// a change.
type adminForm struct {
	// show renders the form's page again with status and v.
	show func(status int, v view)
	// values are the posted values to show again.
	values map[string]string
	// rename and fields say which of the domain's errors are shown beside
	// the form's fields (see adminInvalid).
	rename map[string]string
	fields []string
}

// unreadable answers a post that could not be read, on the form's page.
func (f adminForm) unreadable() { f.show(http.StatusBadRequest, view{Error: errBadRequest}) }

// invalid answers a post whose fields have the errors of fields (field →
// code), found before the domain was asked.
func (f adminForm) invalid(fields map[string]string) {
	f.show(http.StatusUnprocessableEntity, view{Values: f.values, Fields: fields})
}

// adminSaved reports whether the change f asked for was made (err, its
// outcome, is nil). Otherwise it answers: a refusal the domain explains (a
// validation error) on the form's page, any other error as fail does.
func (w *Web) adminSaved(rw http.ResponseWriter, r *http.Request, f adminForm, err error) bool {
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		fields, code := adminInvalid(ve, f.rename, f.fields...)
		f.show(http.StatusUnprocessableEntity, view{Values: f.values, Fields: fields, Error: code})
		return false
	case err != nil:
		w.fail(rw, r, err)
		return false
	}
	return true
}

// adminToUser sends the browser to the page of user id, with the notice
// done. id was accepted by the domain, so it is a valid id.
func adminToUser(rw http.ResponseWriter, r *http.Request, id, done string) {
	http.Redirect(rw, r, pathAdminUsers+"/"+id+"?done="+done, http.StatusSeeOther)
}
