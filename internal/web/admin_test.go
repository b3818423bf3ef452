// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/totp"
)

// adminSignedIn returns a browser signed in as a new account with role in
// the stack's organisation (a system administrator of no organisation for
// access.RoleSysadmin), with the second factor set up and passed when the
// role needs one, as a person would do it through the pages.
func (s *stack) adminSignedIn(email, name, role string) (*browser, accounts.User) {
	s.t.Helper()
	var u accounts.User
	if role == access.RoleSysadmin {
		var err error
		u, _, err = s.acc.CreateUser(context.Background(), access.System, accounts.NewUser{
			Email: email, Name: name, Password: testPassword, Sysadmin: true,
		})
		if err != nil {
			s.t.Fatal(err)
		}
	} else {
		u = s.user(email, name, role)
	}
	b := s.browser()
	if !access.RequiresMFA(role) {
		b.login(email, testPassword, "/")
		return b, u
	}
	b.login(email, testPassword, "/account/totp/enrol")
	s.adminEnrol(b)
	return b, u
}

// adminEnrol sets up and passes the second factor for a browser whose session
// is sent to the enrolment page.
func (s *stack) adminEnrol(b *browser) {
	s.t.Helper()
	res := b.post("/account/totp/enrol", nil)
	m := secretRE.FindStringSubmatch(res.body)
	if m == nil {
		s.t.Fatalf("no TOTP secret on the enrolment page:\n%s", res.body)
	}
	code, err := totp.Code(strings.ReplaceAll(m[1], " ", ""), s.clock.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	expect(s.t, "confirm enrolment", b.post("/account/totp/confirm", url.Values{"code": {code}}), http.StatusOK, "")
}

// adminOtherOrg creates a second organisation with a caseworker in it, who has
// an API token.
func (s *stack) adminOtherOrg() (accounts.Organisation, accounts.User, accounts.Token) {
	s.t.Helper()
	ctx := context.Background()
	name := "Other organisation"
	org, err := s.acc.CreateOrganisation(ctx, access.System, accounts.OrganisationInput{Name: &name}, false)
	if err != nil {
		s.t.Fatal(err)
	}
	u, _, err := s.acc.CreateUser(ctx, access.System, accounts.NewUser{
		Email: "bruno@other.example", Name: "Bruno Other", Password: testPassword, OrgID: org.ID, Role: access.RoleCaseworker,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	tok := s.adminToken(u, org.ID, access.RoleCaseworker, "Other export")
	return org, u, tok
}

// adminToken issues an API token for u acting in orgID with role.
func (s *stack) adminToken(u accounts.User, orgID, role, name string) accounts.Token {
	s.t.Helper()
	p := access.Principal{UserID: u.ID, OrgID: orgID, Role: role, MFA: true}
	t, _, err := s.acc.IssueToken(context.Background(), p, name, "user.read", 0)
	if err != nil {
		s.t.Fatal(err)
	}
	return t
}

// adminAccount reads a user as the system does, for checking what a page did.
func (s *stack) adminAccount(id string) accounts.User {
	s.t.Helper()
	u, err := s.acc.GetUser(context.Background(), access.System, id)
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

var adminOneTimeRE = regexp.MustCompile(`data-testid="one-time-password" [^>]*value="([^"]+)"`)

// TestAdminUsers has an organisation's administrator list the users,
// create one (whose one-time password works once shown), see a field
// error beside a bad e-mail, and search by e-mail.
func TestAdminUsers(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, admin := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	s.user("vic@example.org", "Víctor Viewer", access.RoleViewer)

	res := b.get("/")
	contains(t, "home", res.body, `href="/admin"`)
	b.page("index", "/admin", `href="/admin/organisations"`, `href="/admin/users"`, `href="/admin/users/new"`,
		`href="/admin/roles"`, `href="/admin/tokens"`, `href="/admin/audit"`)

	res = b.page("users", "/admin/users", "Víctor Viewer", "vic@example.org", "Olga Admin", "Organisation administrator",
		`href="/admin/users/`+admin.ID+`"`, `<caption>`, `<th scope="col">`, `dir="auto"`)
	if strings.Contains(res.body, `<select id="org"`) {
		t.Error("an organisation's administrator is offered other organisations")
	}

	b.page("new user form", "/admin/users/new", `action="/admin/users"`, `name="org" value="`+s.org.ID+`"`,
		`<label for="email">`, `<label for="name">`, `<label for="role">`, `<label for="team_id">`)

	res = b.post("/admin/users", url.Values{"org": {s.org.ID}, "email": {"not-an-email"}, "name": {"Nina New"}, "role": {"viewer"}})
	expect(t, "bad e-mail", res, http.StatusUnprocessableEntity, "")
	beside := regexp.MustCompile(`<input id="email"[^>]*value="not-an-email"[^>]*aria-describedby="email-error" aria-invalid="true">\s*` +
		`<p class="field-error" id="email-error">Enter an e-mail address such as name@example.org.</p>`)
	if !beside.MatchString(res.body) {
		t.Errorf("no field error beside the e-mail:\n%s", res.body)
	}
	contains(t, "bad e-mail", res.body, `value="Nina New"`)

	res = b.post("/admin/users", url.Values{"org": {s.org.ID}, "email": {"nina@example.org"}, "name": {"Nina New"}, "role": {"viewer"}})
	expect(t, "create", res, http.StatusOK, "")
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("one-time password page has Cache-Control %q", cc)
	}
	if strings.Contains(res.body, `data-testid="lang-switcher"`) {
		t.Error("the one-time password page links to itself in other languages")
	}
	m := adminOneTimeRE.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no one-time password shown:\n%s", res.body)
	}
	contains(t, "create", res.body, "Nina New", "nina@example.org")
	s.browser().login("nina@example.org", m[1], "/account/password")

	res = b.post("/admin/users", url.Values{"org": {s.org.ID}, "email": {"nina@example.org"}, "name": {"Nina Twin"}, "role": {"viewer"}})
	expect(t, "same e-mail", res, http.StatusUnprocessableEntity, "")
	contains(t, "same e-mail", res.body, `<p class="field-error" id="email-error">This is already in use; choose another.</p>`)

	res = b.post("/admin/users/search", url.Values{"email": {"NINA@example.org"}})
	expect(t, "search", res, http.StatusOK, "")
	contains(t, "search", res.body, "Nina New", "Search result")
	if strings.Contains(res.body, "Víctor Viewer") {
		t.Error("the search lists someone else")
	}
	res = b.post("/admin/users/search", url.Values{"email": {"nobody@example.org"}})
	contains(t, "search for no one", res.body, "No account you administer has this address.")
	expect(t, "empty search", b.post("/admin/users/search", url.Values{"email": {""}}), http.StatusUnprocessableEntity, "")
}

// TestAdminForbidden checks that people who administer nothing get 403 on
// every page of the administration, for reading and for posting, and see
// no link to it.
func TestAdminForbidden(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	cw, _ := s.adminSignedIn("carmen@example.org", "Carmen Caseworker", access.RoleCaseworker)
	viewer, _ := s.signedIn("vera@example.org")
	routes := (&Web{}).adminRoutes()
	if len(routes) < 20 {
		t.Fatalf("only %d administration routes", len(routes))
	}
	id := ids.New()
	for name, b := range map[string]*browser{"caseworker": cw, "viewer": viewer} {
		if res := b.get("/"); strings.Contains(res.body, `href="/admin"`) {
			t.Errorf("%s: the header links the administration", name)
		}
		for _, rt := range routes {
			method, path, _ := strings.Cut(rt.Pattern, " ")
			path = strings.NewReplacer("{id}", id, "{mid}", id).Replace(path)
			var res response
			if method == http.MethodGet {
				res = b.get(path)
			} else {
				res = b.post(path, url.Values{"confirm": {"yes"}, "confirm_word": {"ERASE"}, "name": {"x"}, "email": {"x@example.org"}})
			}
			if res.status != http.StatusForbidden {
				t.Errorf("%s: %s %s: got %d, want 403", name, method, path, res.status)
			}
		}
	}
}

// TestAdminOtherOrganisation checks that an organisation's administrator
// cannot reach another organisation, its users or its tokens: each looks
// like something that does not exist.
func TestAdminOtherOrganisation(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, _ := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	org, other, tok := s.adminOtherOrg()
	confirm := url.Values{"confirm": {"yes"}, "confirm_word": {"ERASE"}, "role": {access.RoleViewer}, "user": {other.ID}}
	membership := s.adminAccount(other.ID).Memberships[0]
	for _, c := range []struct {
		method, path string
	}{
		{"GET", "/admin/users/" + other.ID},
		{"GET", "/admin/users/" + other.ID + "/disable"},
		{"POST", "/admin/users/" + other.ID + "/disable"},
		{"POST", "/admin/users/" + other.ID + "/enable"},
		{"POST", "/admin/users/" + other.ID + "/reset-password"},
		{"POST", "/admin/users/" + other.ID + "/reset-2fa"},
		{"GET", "/admin/users/" + other.ID + "/erase"},
		{"POST", "/admin/users/" + other.ID + "/erase"},
		{"GET", "/admin/organisations/" + org.ID},
		{"POST", "/admin/organisations/" + org.ID},
		{"POST", "/admin/organisations/" + org.ID + "/teams"},
		{"GET", "/admin/tokens/" + tok.ID + "/revoke"},
		{"POST", "/admin/tokens/" + tok.ID + "/revoke"},
		{"POST", "/admin/memberships/" + membership.ID},
	} {
		var res response
		if c.method == "GET" {
			res = b.get(c.path)
		} else {
			res = b.post(c.path, confirm)
		}
		if res.status != http.StatusNotFound {
			t.Errorf("%s %s: got %d, want 404", c.method, c.path, res.status)
		}
	}
	if u := s.adminAccount(other.ID); u.Disabled || u.Name != "Bruno Other" || u.Memberships[0].Role != access.RoleCaseworker {
		t.Errorf("the other organisation's user was changed: %+v", u)
	}
	for _, path := range []string{"/admin/users", "/admin/users?org=" + org.ID, "/admin/organisations", "/admin/tokens"} {
		res := b.get(path)
		expect(t, path, res, http.StatusOK, "")
		for _, leak := range []string{"Bruno Other", "bruno@other.example", "Other organisation", other.ID, "Other export"} {
			if strings.Contains(res.body, leak) {
				t.Errorf("%s shows %q of another organisation", path, leak)
			}
		}
	}
}

// TestAdminErase checks that erasing needs the confirmation and the word
// typed in, and then destroys the name and e-mail.
func TestAdminErase(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, admin := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	target := s.user("tom@example.org", "Tom Target", access.RoleViewer)
	path := "/admin/users/" + target.ID + "/erase"

	res := b.get("/admin/users/" + target.ID)
	contains(t, "user page", res.body, `href="`+path+`"`)
	b.page("erase page", path, `action="`+path+`"`, `data-testid="erase-word">ERASE</span>`, `<label for="confirm_word">`,
		"Tom Target", "This cannot be undone.")

	expect(t, "post without confirming", b.post(path, nil), http.StatusSeeOther, path)
	res = b.post(path, url.Values{"confirm": {"yes"}, "confirm_word": {"delete"}})
	expect(t, "wrong word", res, http.StatusUnprocessableEntity, "")
	contains(t, "wrong word", res.body, `<p class="field-error" id="confirm_word-error">Type the word exactly as shown.</p>`)
	expect(t, "no word", b.post(path, url.Values{"confirm": {"yes"}}), http.StatusUnprocessableEntity, "")
	if u := s.adminAccount(target.ID); u.Name != "Tom Target" {
		t.Fatalf("erased before the word was typed: %+v", u)
	}

	expect(t, "erase", b.post(path, url.Values{"confirm": {"yes"}, "confirm_word": {" erase "}}),
		http.StatusSeeOther, "/admin/users?done=erased")
	if u := s.adminAccount(target.ID); u.Name != accounts.ErasedMarker || u.Email != accounts.ErasedMarker || !u.Disabled {
		t.Errorf("not erased: %+v", u)
	}
	res = b.get("/admin/users?done=erased")
	contains(t, "after erasing", res.body, "The account was erased.")
	if strings.Contains(res.body, "Tom Target") {
		t.Error("the erased user is still listed")
	}
	expect(t, "erased user's page", b.get("/admin/users/"+target.ID), http.StatusNotFound, "")

	// The word of any language is accepted: the page may have been shown
	// in another one.
	second := s.user("tess@example.org", "Tess Second", access.RoleViewer)
	expect(t, "erase in French", b.post("/admin/users/"+second.ID+"/erase", url.Values{"confirm": {"yes"}, "confirm_word": {"effacer"}}),
		http.StatusSeeOther, "/admin/users?done=erased")

	res = b.post("/admin/users/"+admin.ID+"/erase", url.Values{"confirm": {"yes"}, "confirm_word": {"ERASE"}})
	expect(t, "erase oneself", res, http.StatusUnprocessableEntity, "")
	contains(t, "erase oneself", res.body, "You cannot erase your own account.")
}

var adminMembershipFormRE = regexp.MustCompile(`action="(/admin/memberships/[a-z0-9]+)"`)

// TestAdminUserActions changes a member's role and team, disables and
// enables them, resets their password and second factor, and checks the
// refusals about oneself.
func TestAdminUserActions(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, admin := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	cwb, cw := s.adminSignedIn("carmen@example.org", "Carmen Caseworker", access.RoleCaseworker)
	page := "/admin/users/" + cw.ID

	expect(t, "team", b.post("/admin/organisations/"+s.org.ID+"/teams", url.Values{"team_name": {"North"}}),
		http.StatusSeeOther, "/admin/organisations/"+s.org.ID+"?done=team_created")
	teams, err := s.acc.ListTeams(context.Background(), access.System, s.org.ID)
	if err != nil || len(teams) != 1 {
		t.Fatalf("teams: %v, %v", teams, err)
	}

	res := b.page("user page", page, "Carmen Caseworker", "carmen@example.org", `<option value="`+teams[0].ID+`" dir="auto">North</option>`)
	form := adminMembershipFormRE.FindStringSubmatch(res.body)
	if form == nil {
		t.Fatalf("no membership form:\n%s", res.body)
	}
	expect(t, "change role", b.post(form[1], url.Values{"user": {cw.ID}, "role": {access.RoleSupervisor}, "team_id": {teams[0].ID}}),
		http.StatusSeeOther, page+"?done=membership_updated")
	if m := s.adminAccount(cw.ID).Memberships[0]; m.Role != access.RoleSupervisor || m.TeamID != teams[0].ID {
		t.Errorf("membership after the change: %+v", m)
	}
	expect(t, "the member's session", cwb.get("/"), http.StatusSeeOther, "/login")
	res = b.get(page + "?done=membership_updated")
	contains(t, "after the change", res.body, "The role and team were saved.", "Supervisor")
	res = b.post(form[1], url.Values{"user": {cw.ID}, "role": {"overlord"}, "team_id": {""}})
	expect(t, "unknown role", res, http.StatusUnprocessableEntity, "")
	contains(t, "unknown role", res.body, `<p class="field-error" id="role-`)

	own := adminMembershipFormRE.FindStringSubmatch(b.get("/admin/users/" + admin.ID).body)
	res = b.post(own[1], url.Values{"user": {admin.ID}, "role": {access.RoleViewer}, "team_id": {""}})
	expect(t, "own role", res, http.StatusUnprocessableEntity, "")
	contains(t, "own role", res.body, "You cannot change your own role; ask another administrator.")

	// Disabling takes a confirmation.
	b.page("disable page", page+"/disable", `action="`+page+`/disable"`, `name="confirm" value="yes"`, `href="`+page+`"`)
	expect(t, "disable unconfirmed", b.post(page+"/disable", nil), http.StatusSeeOther, page+"/disable")
	if s.adminAccount(cw.ID).Disabled {
		t.Fatal("disabled without confirmation")
	}
	expect(t, "disable", b.post(page+"/disable", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, page+"?done=disabled")
	if !s.adminAccount(cw.ID).Disabled {
		t.Fatal("not disabled")
	}
	contains(t, "disabled", b.get(page+"?done=disabled").body, "The account was disabled", `action="`+page+`/enable"`)
	expect(t, "enable", b.post(page+"/enable", nil), http.StatusSeeOther, page+"?done=enabled")
	if s.adminAccount(cw.ID).Disabled {
		t.Fatal("not enabled")
	}
	res = b.post("/admin/users/"+admin.ID+"/disable", url.Values{"confirm": {"yes"}})
	expect(t, "disable oneself", res, http.StatusUnprocessableEntity, "")
	contains(t, "disable oneself", res.body, "You cannot disable your own account.")

	// A password reset shows a new one-time password, once.
	expect(t, "reset unconfirmed", b.post(page+"/reset-password", nil), http.StatusSeeOther, page+"/reset-password")
	res = b.post(page+"/reset-password", url.Values{"confirm": {"yes"}})
	expect(t, "reset password", res, http.StatusOK, "")
	m := adminOneTimeRE.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no one-time password:\n%s", res.body)
	}
	if res := s.browser().post("/login", url.Values{"email": {cw.Email}, "password": {testPassword}}); res.status != http.StatusUnauthorized {
		t.Errorf("the old password still works: %d", res.status)
	}
	s.browser().login(cw.Email, m[1], "/login/totp")

	expect(t, "reset 2FA page", b.get(page+"/reset-2fa"), http.StatusOK, "")
	expect(t, "reset 2FA", b.post(page+"/reset-2fa", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, page+"?done=totp_reset")
	if s.adminAccount(cw.ID).TOTPEnabled {
		t.Error("the second factor is still set")
	}
	res = b.get("/admin/users/" + admin.ID)
	contains(t, "own page", res.body, "This is your own account.")
	if strings.Contains(res.body, `/erase"`) || strings.Contains(res.body, `/disable"`) {
		t.Error("one's own page offers disabling or erasing")
	}
}

// TestAdminTokens lists the organisation's tokens and revokes one after
// confirming.
func TestAdminTokens(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, _ := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	v := s.user("vic@example.org", "Víctor Viewer", access.RoleViewer)
	tok := s.adminToken(v, s.org.ID, access.RoleViewer, "Nightly export")

	revoke := "/admin/tokens/" + tok.ID + "/revoke"
	b.page("tokens", "/admin/tokens", "Nightly export", `href="/admin/users/`+v.ID+`"`, "<code>user.read</code>", `href="`+revoke+`"`,
		"2 March 2026, 09:00")

	b.page("revoke page", revoke, "Revoke this token?", "Nightly export", `action="`+revoke+`"`)
	expect(t, "revoke unconfirmed", b.post(revoke, nil), http.StatusSeeOther, revoke)
	if got, _ := s.acc.GetToken(context.Background(), access.System, tok.ID); got.RevokedAt != nil {
		t.Fatal("revoked without confirmation")
	}
	expect(t, "revoke", b.post(revoke, url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "/admin/tokens?done=token_revoked")
	res := b.get("/admin/tokens?done=token_revoked")
	contains(t, "after revoking", res.body, "The token was revoked.", "Revoked on 2 March 2026, 09:00")
	if strings.Contains(res.body, `href="`+revoke+`"`) {
		t.Error("a revoked token still offers revoking")
	}
}

// TestAdminOrganisations has a system administrator create, change and
// search organisations and add a team, with errors beside the fields, and
// an organisation's administrator held to their own.
func TestAdminOrganisations(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	sys, _ := s.adminSignedIn("sam@example.org", "Sam Sysadmin", access.RoleSysadmin)

	sys.page("organisations", "/admin/organisations", "Test organisation", `action="/admin/organisations"`, `<select id="country" name="country"`,
		`<option value="MX">Mexico</option>`, `<label for="name">`, `<label for="country">`)
	res := sys.get("/admin/organisations?lang=fr")
	contains(t, "countries in French", res.body, `<option value="MX">Mexique</option>`)
	if i, j := strings.Index(res.body, ">Égypte<"), strings.Index(res.body, ">Érythrée<"); i < 0 || j < i {
		t.Error("the countries are not sorted by their French names")
	}
	sys.get("/admin/organisations?lang=en")

	res = sys.post("/admin/organisations", url.Values{"name": {" "}, "country": {""}})
	expect(t, "no name", res, http.StatusUnprocessableEntity, "")
	contains(t, "no name", res.body, `<p class="field-error" id="name-error">This field is required.</p>`)
	res = sys.post("/admin/organisations", url.Values{"name": {"Refugio Norte"}, "country": {"XX"}})
	expect(t, "bad country", res, http.StatusUnprocessableEntity, "")
	contains(t, "bad country", res.body, `<p class="field-error" id="country-error">Choose a country from the list.</p>`, `value="Refugio Norte"`)
	res = sys.post("/admin/organisations", url.Values{"name": {"Test organisation"}, "country": {""}})
	expect(t, "taken", res, http.StatusUnprocessableEntity, "")
	contains(t, "taken", res.body, `<p class="field-error" id="name-error">This is already in use; choose another.</p>`)

	res = sys.post("/admin/organisations", url.Values{"name": {"Refugio Norte"}, "country": {"MX"}})
	if res.status != http.StatusSeeOther || !strings.HasSuffix(res.location(), "?done=org_created") {
		t.Fatalf("create: got %d to %q", res.status, res.location())
	}
	orgPath, _, _ := strings.Cut(res.location(), "?")
	sys.page("new organisation", res.location(), "Refugio Norte", "Mexico", "The organisation was created.",
		`<option value="MX" selected>Mexico</option>`, "This organisation has no teams.")

	expect(t, "rename", sys.post(orgPath, url.Values{"name": {"Refugio Sur"}, "country": {""}}),
		http.StatusSeeOther, orgPath+"?done=org_updated")
	res = sys.get("/admin/organisations?q=sur")
	contains(t, "search", res.body, "Refugio Sur")
	if strings.Contains(res.body, "Test organisation") {
		t.Error("the search lists an organisation without the text")
	}
	res = sys.post(orgPath+"/teams", url.Values{"team_name": {""}})
	expect(t, "team without a name", res, http.StatusUnprocessableEntity, "")
	contains(t, "team without a name", res.body, `<p class="field-error" id="team_name-error">This field is required.</p>`, `value="Refugio Sur"`)
	expect(t, "team", sys.post(orgPath+"/teams", url.Values{"team_name": {"Frontera"}}), http.StatusSeeOther, orgPath+"?done=team_created")
	contains(t, "teams", sys.get(orgPath).body, "Frontera")

	// A system administrator picks the organisation of the users page and
	// of a new user.
	res = sys.get("/admin/users?org=" + s.org.ID)
	contains(t, "users of an organisation", res.body, `<option value="`+s.org.ID+`" dir="auto" selected>Test organisation</option>`)
	res = sys.get("/admin/users/new")
	contains(t, "new user", res.body, `<select id="org" name="org" required>`)
	if strings.Contains(res.body, `action="/admin/users"`) {
		t.Error("the form is offered before an organisation is picked")
	}
	contains(t, "new user", sys.get("/admin/users/new?org="+s.org.ID).body, `action="/admin/users"`)

	// An organisation's administrator sees and changes their own only.
	b, _ := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	res = b.get("/admin/organisations")
	contains(t, "own organisations", res.body, "Test organisation")
	if strings.Contains(res.body, "Refugio") || strings.Contains(res.body, `method="post" action="/admin/organisations"`) {
		t.Error("an organisation's administrator sees another organisation or the form to create one")
	}
	expect(t, "create as org admin", b.post("/admin/organisations", url.Values{"name": {"Mine"}}), http.StatusForbidden, "")
	expect(t, "rename own", b.post("/admin/organisations/"+s.org.ID, url.Values{"name": {"Test organisation"}, "country": {"FR"}}),
		http.StatusSeeOther, "/admin/organisations/"+s.org.ID+"?done=org_updated")
}

// TestAdminRoles shows the matrix of roles and permissions.
func TestAdminRoles(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, _ := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	res := b.page("roles", "/admin/roles", "<caption>", `<th scope="col">System administrator</th>`, `<th scope="row">Read the audit log<br><code class="hint">audit.read</code></th>`,
		`<td class="scope-org">Organisation</td>`, `<td class="scope-own">Own</td>`, "Two-factor sign-in required")
	for _, p := range access.Permissions() {
		contains(t, "roles", res.body, `<code class="hint">`+string(p)+"</code>")
	}
}

// page gets path and expects it to answer 200 with wants in its body; what
// names it in failures.
func (b *browser) page(what, path string, wants ...string) response {
	b.s.t.Helper()
	res := b.get(path)
	expect(b.s.t, what, res, http.StatusOK, "")
	contains(b.s.t, what, res.body, wants...)
	return res
}
