// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/amparo-project/amparo/internal/totp"
)

// fixture is the data most API tests start from: two organisations, a team
// in the first, and users made by the harness, keyed by role. Keys name a
// role in organisation A ("caseworker"), in organisation B with a "_b"
// suffix ("org_admin_b"), "sysadmin" for a system administrator outside
// any organisation and "sysadmin_a" for one who is also a member of A.
// Supervisors and caseworkers of A are in team T.
type fixture struct {
	orgA, orgB accounts.Organisation
	team       accounts.Team
	users      map[string]testutil.User
}

// newFixture creates the organisations and team, and the users named by
// keys only: each costs a password hash, so tests ask for what they use.
func newFixture(t *testing.T, a *testutil.App, keys ...string) *fixture {
	t.Helper()
	f := &fixture{orgA: a.Org("Org A"), orgB: a.Org("Org B"), users: map[string]testutil.User{}}
	team, err := a.Accounts.CreateTeam(context.Background(), access.System, f.orgA.ID, "Team T")
	if err != nil {
		t.Fatal(err)
	}
	f.team = team
	for _, key := range keys {
		role, inB := strings.CutSuffix(key, "_b")
		org, teamID := f.orgA.ID, ""
		switch {
		case key == "sysadmin":
			org = ""
		case key == "sysadmin_a":
			role = access.RoleSysadmin
		case inB:
			org = f.orgB.ID
		case role == access.RoleSupervisor || role == access.RoleCaseworker:
			teamID = team.ID
		}
		f.users[key] = a.NewUser(org, role, teamID)
	}
	return f
}

// token returns the API token of the user with key, "" for "anonymous",
// and a well-formed but unknown token for "bogus".
func (f *fixture) token(t *testing.T, key string) string {
	t.Helper()
	switch key {
	case "anonymous":
		return ""
	case "bogus":
		return accounts.TokenPrefix + ids.Token(32)
	}
	u, ok := f.users[key]
	if !ok {
		t.Fatalf("fixture has no user %q", key)
	}
	return u.Token
}

// send makes a request as a.Do does, but with the given headers, and
// reports the response to a.Observe like every other response.
func send(t *testing.T, a *testutil.App, c *http.Client, method, path, token string, header http.Header, body []byte) testutil.Response {
	t.Helper()
	req, err := http.NewRequest(method, a.Server.URL+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c == nil {
		c = a.Client()
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if a.Observe != nil {
		a.Observe(req, res.StatusCode, res.Header, b)
	}
	return testutil.Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// signIn signs u in through the accounts service as the web pages do,
// enrolling an authenticator when u's role requires two factors, and returns
// a client carrying the finished session's cookie and the session's id.
func signIn(t *testing.T, a *testutil.App, u testutil.User) (*http.Client, string) {
	t.Helper()
	ctx := context.Background()
	token, sess, err := a.Accounts.SignIn(ctx, u.Email, u.Password, "127.0.0.1")
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if sess.MustEnrolTOTP {
		secret, _, err := a.Accounts.BeginTOTPEnrolment(ctx, sess)
		if err != nil {
			t.Fatalf("begin TOTP enrolment: %v", err)
		}
		code, err := totp.Code(secret, a.Clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if token, _, err = a.Accounts.ConfirmTOTPEnrolment(ctx, sess, code); err != nil {
			t.Fatalf("confirm TOTP enrolment: %v", err)
		}
	}
	_, sess, err = a.Accounts.Authenticate(ctx, token)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	c := a.Client()
	base, _ := url.Parse(a.Server.URL)
	c.Jar.SetCookies(base, []*http.Cookie{{Name: authn.CookieName, Value: token, Path: "/", Secure: true, HttpOnly: true}})
	return c, sess.ID
}

// scenario is one request and what must come back (pocketbase's
// tests.ApiScenario). As names a fixture user, "anonymous" or "bogus".
type scenario struct {
	Name               string
	Method             string
	URL                string
	As                 string
	Body               any
	ExpectedStatus     int
	ExpectedContent    []string
	NotExpectedContent []string
}

// run sends the scenario and checks the status, the content, and that
// errors are problem documents.
func (s scenario) run(t *testing.T, a *testutil.App, f *fixture) testutil.Response {
	t.Helper()
	res := a.Do(nil, s.Method, s.URL, f.token(t, s.As), s.Body)
	if res.Status != s.ExpectedStatus {
		t.Errorf("status %d, want %d; body %s", res.Status, s.ExpectedStatus, redact(res.Body))
	}
	for _, want := range s.ExpectedContent {
		if !bytes.Contains(res.Body, []byte(want)) {
			t.Errorf("body lacks %s; body %s", redact([]byte(want)), redact(res.Body))
		}
	}
	for _, unwanted := range s.NotExpectedContent {
		if bytes.Contains(res.Body, []byte(unwanted)) {
			t.Errorf("body has %s, which it must not", redact([]byte(unwanted)))
		}
	}
	if res.Status >= 400 {
		if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "application/problem+json" {
			t.Errorf("error with Content-Type %q, want application/problem+json", res.Header.Get("Content-Type"))
		}
	}
	return res
}

func runScenarios(t *testing.T, a *testutil.App, f *fixture, scenarios []scenario) {
	t.Helper()
	for _, s := range scenarios {
		t.Run(s.Name, func(t *testing.T) { s.run(t, a, f) })
	}
}

// get fetches path as the user with key and decodes the JSON answer into v,
// failing unless the status is 200.
func get(t *testing.T, a *testutil.App, f *fixture, key, path string, v any) []byte {
	t.Helper()
	res := a.Do(nil, http.MethodGet, path, f.token(t, key), nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET %s as %s: status %d; body %s", path, key, res.Status, redact(res.Body))
	}
	if v != nil {
		res.JSON(t, v)
	}
	return res.Body
}

func field(name, code string) string { return fmt.Sprintf(`{"field":%q,"code":%q}`, name, code) }

func TestAPIScenarios(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "sysadmin", "org_admin", "caseworker", "viewer", "org_admin_b")
		A, B := f.orgA.ID, f.orgB.ID
		cw, vw, admA, admB := f.users["caseworker"], f.users["viewer"], f.users["org_admin"], f.users["org_admin_b"]
		unknown := ids.New()
		renamed := testutil.Sentinel("name")
		runScenarios(t, a, f, []scenario{
			// Authentication.
			{Name: "anonymous gets 401", Method: "GET", URL: "/api/v1/organisations", As: "anonymous",
				ExpectedStatus: 401, ExpectedContent: []string{`"code":"unauthorized"`, `"type":"urn:amparo:problem:unauthorized"`}},
			{Name: "unknown token gets 401", Method: "GET", URL: "/api/v1/me", As: "bogus", ExpectedStatus: 401},
			{Name: "anonymous may read the OpenAPI document", Method: "GET", URL: "/api/v1/openapi.json", As: "anonymous",
				ExpectedStatus: 200, ExpectedContent: []string{`"openapi": "3.1.0"`}},

			// Organisations.
			{Name: "sysadmin creates an organisation", Method: "POST", URL: "/api/v1/organisations", As: "sysadmin",
				Body: map[string]any{"name": "Org C", "country": "FR"}, ExpectedStatus: 201,
				ExpectedContent: []string{`"name":"Org C"`, `"country":"FR"`, `"is_demo":false`}},
			{Name: "org admin may not create an organisation", Method: "POST", URL: "/api/v1/organisations", As: "org_admin",
				Body: map[string]any{"name": "Org D"}, ExpectedStatus: 403, ExpectedContent: []string{`"code":"forbidden"`}},
			{Name: "caseworker may not create an organisation", Method: "POST", URL: "/api/v1/organisations", As: "caseworker",
				Body: map[string]any{"name": "Org D"}, ExpectedStatus: 403},
			{Name: "organisation names are unique", Method: "POST", URL: "/api/v1/organisations", As: "sysadmin",
				Body: map[string]any{"name": "Org A"}, ExpectedStatus: 422, ExpectedContent: []string{field("name", "taken")}},
			{Name: "organisation name is required", Method: "POST", URL: "/api/v1/organisations", As: "sysadmin",
				Body: map[string]any{"country": "FR"}, ExpectedStatus: 422,
				ExpectedContent: []string{`"code":"validation.failed"`, field("name", "required")}},
			{Name: "country must be a code", Method: "POST", URL: "/api/v1/organisations", As: "sysadmin",
				Body: map[string]any{"name": "Org E", "country": "France"}, ExpectedStatus: 422,
				ExpectedContent: []string{field("country", "invalid_country_code")}},
			{Name: "org admin lists only their organisation", Method: "GET", URL: "/api/v1/organisations", As: "org_admin",
				ExpectedStatus: 200, ExpectedContent: []string{A}, NotExpectedContent: []string{B, "Org C"}},
			{Name: "caseworker lists only their organisation", Method: "GET", URL: "/api/v1/organisations", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{A}, NotExpectedContent: []string{B}},
			{Name: "sysadmin lists every organisation", Method: "GET", URL: "/api/v1/organisations", As: "sysadmin",
				ExpectedStatus: 200, ExpectedContent: []string{A, B, "Org C"}},
			{Name: "organisations filtered by name", Method: "GET", URL: "/api/v1/organisations?q=org%20b", As: "sysadmin",
				ExpectedStatus: 200, ExpectedContent: []string{B}, NotExpectedContent: []string{A}},
			{Name: "limit below range", Method: "GET", URL: "/api/v1/organisations?limit=0", As: "sysadmin",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},
			{Name: "limit above range", Method: "GET", URL: "/api/v1/organisations?limit=501", As: "sysadmin",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},
			{Name: "limit not a number", Method: "GET", URL: "/api/v1/organisations?limit=ten", As: "sysadmin",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},
			{Name: "unknown cursor", Method: "GET", URL: "/api/v1/organisations?cursor=" + unknown, As: "sysadmin",
				ExpectedStatus: 422, ExpectedContent: []string{field("cursor", "invalid")}},
			{Name: "member reads their organisation", Method: "GET", URL: "/api/v1/organisations/" + A, As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{`"name":"Org A"`}},
			{Name: "another organisation is not found", Method: "GET", URL: "/api/v1/organisations/" + B, As: "org_admin",
				ExpectedStatus: 404, ExpectedContent: []string{`"code":"not_found"`}, NotExpectedContent: []string{"Org B"}},
			{Name: "malformed organisation id is not found", Method: "GET", URL: "/api/v1/organisations/not-an-id", As: "sysadmin",
				ExpectedStatus: 404},
			{Name: "sysadmin reads any organisation", Method: "GET", URL: "/api/v1/organisations/" + B, As: "sysadmin",
				ExpectedStatus: 200, ExpectedContent: []string{`"name":"Org B"`}},
			{Name: "org admin changes their organisation", Method: "PATCH", URL: "/api/v1/organisations/" + A, As: "org_admin",
				Body: map[string]any{"country": "ES"}, ExpectedStatus: 200, ExpectedContent: []string{`"country":"ES"`, `"name":"Org A"`}},
			{Name: "country can be cleared", Method: "PATCH", URL: "/api/v1/organisations/" + A, As: "org_admin",
				Body: map[string]any{"country": ""}, ExpectedStatus: 200, ExpectedContent: []string{`"country":""`}},
			{Name: "organisation name cannot be emptied", Method: "PATCH", URL: "/api/v1/organisations/" + A, As: "org_admin",
				Body: map[string]any{"name": " "}, ExpectedStatus: 422, ExpectedContent: []string{field("name", "required")}},
			{Name: "caseworker may not change the organisation", Method: "PATCH", URL: "/api/v1/organisations/" + A, As: "caseworker",
				Body: map[string]any{"country": "PT"}, ExpectedStatus: 403},
			{Name: "org admin may not change another organisation", Method: "PATCH", URL: "/api/v1/organisations/" + B, As: "org_admin",
				Body: map[string]any{"country": "PT"}, ExpectedStatus: 404},
			{Name: "wrong JSON type names the field", Method: "PATCH", URL: "/api/v1/organisations/" + A, As: "org_admin",
				Body: `{"name": 5}`, ExpectedStatus: 422, ExpectedContent: []string{field("name", "invalid_type")}},

			// Teams.
			{Name: "member lists teams", Method: "GET", URL: "/api/v1/organisations/" + A + "/teams", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{`"name":"Team T"`, f.team.ID}},
			{Name: "another organisation's teams are not found", Method: "GET", URL: "/api/v1/organisations/" + A + "/teams", As: "org_admin_b",
				ExpectedStatus: 404, NotExpectedContent: []string{"Team T"}},
			{Name: "org admin creates a team", Method: "POST", URL: "/api/v1/organisations/" + A + "/teams", As: "org_admin",
				Body: map[string]any{"name": "Team U"}, ExpectedStatus: 201, ExpectedContent: []string{`"name":"Team U"`, `"org_id":"` + A + `"`}},
			{Name: "team names are unique in an organisation", Method: "POST", URL: "/api/v1/organisations/" + A + "/teams", As: "org_admin",
				Body: map[string]any{"name": "Team U"}, ExpectedStatus: 422, ExpectedContent: []string{field("name", "taken")}},
			{Name: "team name is required", Method: "POST", URL: "/api/v1/organisations/" + A + "/teams", As: "org_admin",
				Body: map[string]any{"name": ""}, ExpectedStatus: 422, ExpectedContent: []string{field("name", "required")}},
			{Name: "caseworker may not create a team", Method: "POST", URL: "/api/v1/organisations/" + A + "/teams", As: "caseworker",
				Body: map[string]any{"name": "Team V"}, ExpectedStatus: 403},
			{Name: "org admin may not create a team elsewhere", Method: "POST", URL: "/api/v1/organisations/" + B + "/teams", As: "org_admin",
				Body: map[string]any{"name": "Team V"}, ExpectedStatus: 404},
			{Name: "sysadmin creates a team anywhere", Method: "POST", URL: "/api/v1/organisations/" + B + "/teams", As: "sysadmin",
				Body: map[string]any{"name": "Team V"}, ExpectedStatus: 201},

			// Memberships.
			{Name: "org admin lists every membership", Method: "GET", URL: "/api/v1/organisations/" + A + "/memberships", As: "org_admin",
				ExpectedStatus: 200, ExpectedContent: []string{cw.ID, vw.ID, admA.ID}, NotExpectedContent: []string{admB.ID}},
			{Name: "caseworker lists only their membership", Method: "GET", URL: "/api/v1/organisations/" + A + "/memberships", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{cw.ID}, NotExpectedContent: []string{vw.ID, admA.ID}},
			{Name: "another organisation's memberships are not found", Method: "GET", URL: "/api/v1/organisations/" + B + "/memberships", As: "viewer",
				ExpectedStatus: 404, NotExpectedContent: []string{admB.ID}},
			{Name: "membership limit is checked", Method: "GET", URL: "/api/v1/organisations/" + A + "/memberships?limit=1000", As: "org_admin",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},

			// Users.
			{Name: "caseworker reads themself", Method: "GET", URL: "/api/v1/me", As: "caseworker", ExpectedStatus: 200,
				ExpectedContent:    []string{cw.ID, cw.Name, `"role":"caseworker"`, `"org_id":"` + A + `"`, `"organisation.read"`},
				NotExpectedContent: []string{`"audit.read"`, `"user.update"`}},
			{Name: "sysadmin reads themself", Method: "GET", URL: "/api/v1/me", As: "sysadmin", ExpectedStatus: 200,
				ExpectedContent: []string{`"role":"sysadmin"`, `"is_sysadmin":true`, `"org_id":""`, `"audit.read"`}},
			{Name: "viewer lists only themself", Method: "GET", URL: "/api/v1/users", As: "viewer", ExpectedStatus: 200,
				ExpectedContent: []string{vw.ID, vw.Name}, NotExpectedContent: []string{cw.ID, cw.Name, cw.Email, admA.Name}},
			{Name: "org admin lists their organisation's users", Method: "GET", URL: "/api/v1/users", As: "org_admin", ExpectedStatus: 200,
				ExpectedContent: []string{cw.Name, cw.Email, vw.Name}, NotExpectedContent: []string{admB.ID, admB.Name, admB.Email}},
			{Name: "org admin cannot widen the listing to another organisation", Method: "GET", URL: "/api/v1/users?org_id=" + B, As: "org_admin",
				ExpectedStatus: 200, ExpectedContent: []string{cw.ID}, NotExpectedContent: []string{admB.ID, admB.Name}},
			{Name: "sysadmin lists one organisation's users", Method: "GET", URL: "/api/v1/users?org_id=" + B, As: "sysadmin",
				ExpectedStatus: 200, ExpectedContent: []string{admB.ID}, NotExpectedContent: []string{cw.ID}},
			{Name: "users found by e-mail", Method: "POST", URL: "/api/v1/users/search", As: "org_admin", Body: map[string]any{"email": strings.ToUpper(cw.Email)},
				ExpectedStatus: 200, ExpectedContent: []string{cw.ID}, NotExpectedContent: []string{vw.ID}},
			{Name: "e-mail search needs the address", Method: "POST", URL: "/api/v1/users/search", As: "org_admin", Body: map[string]any{},
				ExpectedStatus: 422, ExpectedContent: []string{field("email", "required")}},
			{Name: "e-mail search stays within scope", Method: "POST", URL: "/api/v1/users/search", As: "org_admin", Body: map[string]any{"email": admB.Email},
				ExpectedStatus: 200, NotExpectedContent: []string{admB.ID, admB.Name}},
			{Name: "user limit is checked", Method: "GET", URL: "/api/v1/users?limit=-1", As: "org_admin",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},
			{Name: "org admin reads a member", Method: "GET", URL: "/api/v1/users/" + cw.ID, As: "org_admin",
				ExpectedStatus: 200, ExpectedContent: []string{cw.Name, cw.Email, f.team.ID}},
			{Name: "another organisation's user is not found", Method: "GET", URL: "/api/v1/users/" + admB.ID, As: "org_admin",
				ExpectedStatus: 404, NotExpectedContent: []string{admB.Name, admB.Email}},
			{Name: "viewer may not read a colleague", Method: "GET", URL: "/api/v1/users/" + cw.ID, As: "viewer",
				ExpectedStatus: 404, NotExpectedContent: []string{cw.Name, cw.Email}},
			{Name: "org admin creates a user with a password", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body: map[string]any{"email": "new.one@example.org", "name": "New One", "password": "a long enough passphrase",
					"org_id": A, "role": "viewer"},
				ExpectedStatus: 201, ExpectedContent: []string{`"email":"new.one@example.org"`, `"must_change_password":false`, `"role":"viewer"`},
				NotExpectedContent: []string{"one_time_password", "passphrase"}},
			{Name: "user created without a password gets a one-time password", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": "new.two@example.org", "name": "New Two", "org_id": A, "role": "caseworker", "team_id": f.team.ID},
				ExpectedStatus: 201, ExpectedContent: []string{`"one_time_password":"`, `"must_change_password":true`, f.team.ID}},
			{Name: "common password refused", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": "new.three@example.org", "name": "New Three", "password": "1qaz2wsx3edc", "org_id": A, "role": "viewer"},
				ExpectedStatus: 422, ExpectedContent: []string{field("password", "too_common")}, NotExpectedContent: []string{"1qaz2wsx3edc"}},
			{Name: "short password refused", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": "new.three@example.org", "name": "New Three", "password": "Tr0ub4dor&3", "org_id": A, "role": "viewer"},
				ExpectedStatus: 422, ExpectedContent: []string{field("password", "too_short")}},
			{Name: "e-mail addresses are unique", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": cw.Email, "name": "Copy", "org_id": A, "role": "viewer"},
				ExpectedStatus: 422, ExpectedContent: []string{field("email", "taken")}},
			{Name: "e-mail must be an address", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": "not an address", "name": "New Four", "org_id": A, "role": "viewer"},
				ExpectedStatus: 422, ExpectedContent: []string{field("email", "invalid_email")}},
			{Name: "role must exist", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": "new.four@example.org", "name": "New Four", "org_id": A, "role": "sysadmin"},
				ExpectedStatus: 422, ExpectedContent: []string{field("role", "invalid_role")}},
			{Name: "org admin may not create users elsewhere", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": "new.four@example.org", "name": "New Four", "org_id": B, "role": "viewer"},
				ExpectedStatus: 422, ExpectedContent: []string{field("org_id", "not_found")}},
			{Name: "org admin may not create a sysadmin", Method: "POST", URL: "/api/v1/users", As: "org_admin",
				Body:           map[string]any{"email": "new.four@example.org", "name": "New Four", "org_id": A, "role": "viewer", "is_sysadmin": true},
				ExpectedStatus: 403},
			{Name: "caseworker may not create users", Method: "POST", URL: "/api/v1/users", As: "caseworker",
				Body:           map[string]any{"email": "new.four@example.org", "name": "New Four", "org_id": A, "role": "viewer"},
				ExpectedStatus: 403},
			{Name: "sysadmin creates a sysadmin", Method: "POST", URL: "/api/v1/users", As: "sysadmin",
				Body:           map[string]any{"email": "root.two@example.org", "name": "Root Two", "is_sysadmin": true},
				ExpectedStatus: 201, ExpectedContent: []string{`"is_sysadmin":true`, `"memberships":[]`, `"one_time_password":"`}},
			{Name: "org admin renames a member", Method: "PATCH", URL: "/api/v1/users/" + vw.ID, As: "org_admin",
				Body: map[string]any{"name": renamed}, ExpectedStatus: 200, ExpectedContent: []string{renamed}, NotExpectedContent: []string{vw.Name}},
			{Name: "e-mail change is checked", Method: "PATCH", URL: "/api/v1/users/" + vw.ID, As: "org_admin",
				Body: map[string]any{"email": "@"}, ExpectedStatus: 422, ExpectedContent: []string{field("email", "invalid_email")}},
			{Name: "caseworker may not change users", Method: "PATCH", URL: "/api/v1/users/" + vw.ID, As: "caseworker",
				Body: map[string]any{"name": "X"}, ExpectedStatus: 403},
			{Name: "org admin may not change another organisation's user", Method: "PATCH", URL: "/api/v1/users/" + admB.ID, As: "org_admin",
				Body: map[string]any{"name": "X"}, ExpectedStatus: 404, NotExpectedContent: []string{admB.Name}},

			// Tokens and sessions.
			{Name: "caseworker lists their tokens", Method: "GET", URL: "/api/v1/tokens", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{`"user_id":"` + cw.ID + `"`}, NotExpectedContent: []string{vw.ID, "amp_"}},
			{Name: "org admin lists the organisation's tokens", Method: "GET", URL: "/api/v1/tokens", As: "org_admin",
				ExpectedStatus: 200, ExpectedContent: []string{cw.ID, vw.ID}, NotExpectedContent: []string{admB.ID, "amp_"}},
			{Name: "a token cannot issue tokens", Method: "POST", URL: "/api/v1/tokens", As: "caseworker",
				Body: map[string]any{"name": "more", "scopes": []string{"organisation.read"}}, ExpectedStatus: 403},
			{Name: "unknown token id", Method: "GET", URL: "/api/v1/tokens/" + unknown, As: "sysadmin", ExpectedStatus: 404},
			{Name: "token cursor is checked", Method: "GET", URL: "/api/v1/tokens?cursor=" + strings.Repeat("z", 65), As: "caseworker",
				ExpectedStatus: 422, ExpectedContent: []string{field("cursor", "invalid")}},
			{Name: "token users have no sessions", Method: "GET", URL: "/api/v1/sessions", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{`{"items":[]}`}},
			{Name: "unknown session", Method: "DELETE", URL: "/api/v1/sessions/" + unknown, As: "caseworker", ExpectedStatus: 404},

			// Audit.
			{Name: "caseworker may not read the audit log", Method: "GET", URL: "/api/v1/audit", As: "caseworker", ExpectedStatus: 403},
			{Name: "viewer may not read the audit log", Method: "GET", URL: "/api/v1/audit", As: "viewer", ExpectedStatus: 403},
			{Name: "org admin reads their organisation's log", Method: "GET", URL: "/api/v1/audit", As: "org_admin",
				ExpectedStatus: 200, ExpectedContent: []string{`"org_id":"` + A + `"`}, NotExpectedContent: []string{`"org_id":"` + B + `"`, `"org_id":""`}},
			{Name: "org admin cannot read another organisation's log", Method: "GET", URL: "/api/v1/audit?org_id=" + B, As: "org_admin",
				ExpectedStatus: 200, NotExpectedContent: []string{`"org_id":"` + B + `"`}},
			{Name: "sysadmin reads one organisation's log", Method: "GET", URL: "/api/v1/audit?org_id=" + B, As: "sysadmin",
				ExpectedStatus: 200, ExpectedContent: []string{`"org_id":"` + B + `"`}, NotExpectedContent: []string{`"org_id":"` + A + `"`}},
			{Name: "since must be a time", Method: "GET", URL: "/api/v1/audit?since=yesterday", As: "org_admin",
				ExpectedStatus: 422, ExpectedContent: []string{field("since", "invalid_time")}},
			{Name: "audit cursor must be a sequence number", Method: "GET", URL: "/api/v1/audit?cursor=abc", As: "org_admin",
				ExpectedStatus: 422, ExpectedContent: []string{field("cursor", "invalid")}},
			{Name: "audit limit is checked", Method: "GET", URL: "/api/v1/audit?limit=0", As: "org_admin",
				ExpectedStatus: 422, ExpectedContent: []string{field("limit", "out_of_range")}},
		})
	})
}

// TestMassAssignment sends fields an operation does not accept beside ones
// it does: the request must fail with 422 naming the field, and the record,
// read again, must be exactly as before (SECURITY-BAR 3).
func TestMassAssignment(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "sysadmin", "org_admin", "caseworker")
		A, cw := f.orgA.ID, f.users["caseworker"]
		cwMembership := membershipOf(t, a, f, "org_admin", A, cw.ID)
		tests := []struct {
			name, as, method, path, field string
			body                          map[string]any
			reread                        string // the GET that must answer the same before and after
		}{
			{"organisation is_demo", "org_admin", "PATCH", "/api/v1/organisations/" + A, "is_demo",
				map[string]any{"name": "Renamed", "is_demo": true}, "/api/v1/organisations/" + A},
			{"organisation id", "sysadmin", "PATCH", "/api/v1/organisations/" + A, "id",
				map[string]any{"id": ids.New(), "country": "DE"}, "/api/v1/organisations/" + A},
			{"user is_sysadmin", "org_admin", "PATCH", "/api/v1/users/" + cw.ID, "is_sysadmin",
				map[string]any{"name": "Renamed", "is_sysadmin": true}, "/api/v1/users/" + cw.ID},
			{"user disabled", "org_admin", "PATCH", "/api/v1/users/" + cw.ID, "disabled",
				map[string]any{"disabled": true}, "/api/v1/users/" + cw.ID},
			{"user password", "org_admin", "PATCH", "/api/v1/users/" + cw.ID, "password",
				map[string]any{"password": "an entirely new passphrase"}, "/api/v1/users/" + cw.ID},
			{"membership org_id", "org_admin", "PATCH", "/api/v1/memberships/" + cwMembership, "org_id",
				map[string]any{"role": "org_admin", "org_id": f.orgB.ID}, "/api/v1/users/" + cw.ID},
			{"membership user_id", "org_admin", "PATCH", "/api/v1/memberships/" + cwMembership, "user_id",
				map[string]any{"user_id": f.users["org_admin"].ID}, "/api/v1/users/" + cw.ID},
			{"new user must_change_password", "org_admin", "POST", "/api/v1/users", "must_change_password",
				map[string]any{"email": "mass@example.org", "name": "Mass", "org_id": A, "role": "viewer", "must_change_password": false},
				"/api/v1/users"},
			{"new team org_id", "org_admin", "POST", "/api/v1/organisations/" + A + "/teams", "org_id",
				map[string]any{"name": "Team M", "org_id": f.orgB.ID}, "/api/v1/organisations/" + A + "/teams"},
			{"new organisation is_demo", "sysadmin", "POST", "/api/v1/organisations", "is_demo",
				map[string]any{"name": "Org M", "is_demo": true}, "/api/v1/organisations?q=Org%20M"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := get(t, a, f, tc.as, tc.reread, nil)
				scenario{Method: tc.method, URL: tc.path, As: tc.as, Body: tc.body, ExpectedStatus: 422,
					ExpectedContent: []string{field(tc.field, "unknown_field")}}.run(t, a, f)
				if after := get(t, a, f, tc.as, tc.reread, nil); !bytes.Equal(before, after) {
					t.Errorf("the record changed:\nbefore %s\nafter  %s", redact(before), redact(after))
				}
			})
		}
	})
}

// TestRequestBodyChecks covers what DecodeJSON refuses before a handler
// sees the body; none of the refused requests may create anything.
func TestRequestBodyChecks(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "sysadmin")
		token := f.token(t, "sysadmin")
		countOrgs := func() int {
			var l struct{ Items []json.RawMessage }
			get(t, a, f, "sysadmin", "/api/v1/organisations?limit=500", &l)
			return len(l.Items)
		}
		before := countOrgs()
		huge := []byte(`{"name":"` + strings.Repeat("a", 1<<20) + `"}`)
		tests := []struct {
			name        string
			contentType string
			body        []byte
			status      int
			code        string
		}{
			{"plain text", "text/plain", []byte(`{"name":"Org X"}`), 415, "request.unsupported_media_type"},
			{"form", "application/x-www-form-urlencoded", []byte(`name=Org+X`), 415, "request.unsupported_media_type"},
			{"no content type", "", []byte(`{"name":"Org X"}`), 415, "request.unsupported_media_type"},
			{"latin-1 JSON", "application/json; charset=iso-8859-1", []byte(`{"name":"Org X"}`), 415, "request.unsupported_media_type"},
			{"over 1 MiB", "application/json", huge, 413, "request.too_large"},
			{"malformed", "application/json", []byte(`{"name":`), 400, "json.malformed"},
			{"empty", "application/json", nil, 400, "json.malformed"},
			{"two values", "application/json", []byte(`{"name":"Org X"} {}`), 400, "json.malformed"},
			{"not an object", "application/json", []byte(`["Org X"]`), 422, "validation.failed"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				h := http.Header{}
				if tc.contentType != "" {
					h.Set("Content-Type", tc.contentType)
				}
				res := send(t, a, nil, http.MethodPost, "/api/v1/organisations", token, h, tc.body)
				if res.Status != tc.status {
					t.Fatalf("status %d, want %d; body %s", res.Status, tc.status, redact(res.Body))
				}
				var p struct{ Code, Type string }
				res.JSON(t, &p)
				if p.Code != tc.code || p.Type != "urn:amparo:problem:"+tc.code {
					t.Errorf("problem code %q type %q, want %q", p.Code, p.Type, tc.code)
				}
				if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "application/problem+json" {
					t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
				}
			})
		}
		if after := countOrgs(); after != before {
			t.Errorf("%d organisations after refused requests, want %d", after, before)
		}
		t.Run("UTF-8 in any case is JSON", func(t *testing.T) {
			res := send(t, a, nil, http.MethodPost, "/api/v1/organisations", token,
				http.Header{"Content-Type": {"application/json; charset=UTF-8"}}, []byte(`{"name":"Org Y"}`))
			if res.Status != http.StatusCreated {
				t.Errorf("status %d, want 201", res.Status)
			}
		})
	})
}

// membershipOf returns the id of user's membership of org, read through
// the API as the user with key.
func membershipOf(t *testing.T, a *testutil.App, f *fixture, key, orgID, userID string) string {
	t.Helper()
	var l struct {
		Items []struct {
			ID     string `json:"id"`
			UserID string `json:"user_id"`
		} `json:"items"`
	}
	get(t, a, f, key, "/api/v1/organisations/"+orgID+"/memberships?limit=500", &l)
	for _, m := range l.Items {
		if m.UserID == userID {
			return m.ID
		}
	}
	t.Fatalf("no membership of %s visible to %s", userID, key)
	return ""
}

func TestMembershipLifecycle(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "sysadmin", "org_admin", "caseworker", "org_admin_b")
		A, B := f.orgA.ID, f.orgB.ID
		admA, cw := f.users["org_admin"], f.users["caseworker"]
		// A user of organisation A only, made through the API.
		res := scenario{Method: "POST", URL: "/api/v1/users", As: "org_admin", ExpectedStatus: 201,
			Body: map[string]any{"email": "member@example.org", "name": "Member", "org_id": A, "role": "viewer"}}.run(t, a, f)
		var u struct{ ID string }
		res.JSON(t, &u)
		mA := membershipOf(t, a, f, "org_admin", A, u.ID)
		mSelf := membershipOf(t, a, f, "org_admin", A, admA.ID)

		runScenarios(t, a, f, []scenario{
			{Name: "existing member cannot be added twice", Method: "POST", URL: "/api/v1/organisations/" + A + "/memberships", As: "org_admin",
				Body: map[string]any{"user_id": u.ID, "role": "viewer"}, ExpectedStatus: 422, ExpectedContent: []string{field("user_id", "already_member")}},
			{Name: "org admin cannot add a user of another organisation", Method: "POST", URL: "/api/v1/organisations/" + B + "/memberships", As: "org_admin_b",
				Body: map[string]any{"user_id": u.ID, "role": "viewer"}, ExpectedStatus: 422, ExpectedContent: []string{field("user_id", "not_found")}},
			{Name: "unknown user", Method: "POST", URL: "/api/v1/organisations/" + A + "/memberships", As: "org_admin",
				Body: map[string]any{"user_id": ids.New(), "role": "viewer"}, ExpectedStatus: 422, ExpectedContent: []string{field("user_id", "not_found")}},
			{Name: "role must be a membership role", Method: "POST", URL: "/api/v1/organisations/" + A + "/memberships", As: "org_admin",
				Body: map[string]any{"user_id": u.ID, "role": "sysadmin"}, ExpectedStatus: 422, ExpectedContent: []string{field("role", "invalid_role")}},
			{Name: "caseworker may not add members", Method: "POST", URL: "/api/v1/organisations/" + A + "/memberships", As: "caseworker",
				Body: map[string]any{"user_id": u.ID, "role": "viewer"}, ExpectedStatus: 403},
			{Name: "org admin may not add members elsewhere", Method: "POST", URL: "/api/v1/organisations/" + B + "/memberships", As: "org_admin",
				Body: map[string]any{"user_id": u.ID, "role": "viewer"}, ExpectedStatus: 404},
			{Name: "sysadmin adds the user to another organisation", Method: "POST", URL: "/api/v1/organisations/" + B + "/memberships", As: "sysadmin",
				Body: map[string]any{"user_id": u.ID, "role": "caseworker"}, ExpectedStatus: 201,
				ExpectedContent: []string{`"org_id":"` + B + `"`, `"role":"caseworker"`, `"team_id":""`}},
			{Name: "each organisation sees only its own membership", Method: "GET", URL: "/api/v1/users/" + u.ID, As: "org_admin_b",
				ExpectedStatus: 200, ExpectedContent: []string{`"org_id":"` + B + `"`}, NotExpectedContent: []string{A}},
			{Name: "org admin moves a member into a team", Method: "PATCH", URL: "/api/v1/memberships/" + mA, As: "org_admin",
				Body: map[string]any{"role": "analyst", "team_id": f.team.ID}, ExpectedStatus: 200,
				ExpectedContent: []string{`"role":"analyst"`, `"team_id":"` + f.team.ID + `"`}},
			{Name: "team can be cleared", Method: "PATCH", URL: "/api/v1/memberships/" + mA, As: "org_admin",
				Body: map[string]any{"team_id": ""}, ExpectedStatus: 200, ExpectedContent: []string{`"role":"analyst"`, `"team_id":""`}},
			{Name: "team must belong to the organisation", Method: "PATCH", URL: "/api/v1/memberships/" + mA, As: "org_admin",
				Body: map[string]any{"team_id": ids.New()}, ExpectedStatus: 422, ExpectedContent: []string{field("team_id", "not_found")}},
			{Name: "role must be a membership role", Method: "PATCH", URL: "/api/v1/memberships/" + mA, As: "org_admin",
				Body: map[string]any{"role": "sysadmin"}, ExpectedStatus: 422, ExpectedContent: []string{field("role", "invalid_role")}},
			{Name: "own role cannot be changed", Method: "PATCH", URL: "/api/v1/memberships/" + mSelf, As: "org_admin",
				Body: map[string]any{"role": "viewer"}, ExpectedStatus: 422, ExpectedContent: []string{field("role", "cannot_change_own_role")}},
			{Name: "caseworker may not change memberships", Method: "PATCH", URL: "/api/v1/memberships/" + mA, As: "caseworker",
				Body: map[string]any{"role": "viewer"}, ExpectedStatus: 403},
			{Name: "another organisation's membership is not found", Method: "PATCH", URL: "/api/v1/memberships/" + mA, As: "org_admin_b",
				Body: map[string]any{"role": "viewer"}, ExpectedStatus: 404},
			{Name: "membership cannot be removed by another organisation", Method: "DELETE", URL: "/api/v1/memberships/" + mA, As: "org_admin_b",
				ExpectedStatus: 404},
			{Name: "caseworker may not remove members", Method: "DELETE", URL: "/api/v1/memberships/" + mA, As: "caseworker",
				ExpectedStatus: 403},
			{Name: "own membership cannot be removed", Method: "DELETE", URL: "/api/v1/memberships/" + mSelf, As: "org_admin",
				ExpectedStatus: 422, ExpectedContent: []string{field("id", "cannot_remove_self")}},
			{Name: "org admin removes a member", Method: "DELETE", URL: "/api/v1/memberships/" + mA, As: "org_admin", ExpectedStatus: 204},
			{Name: "removed membership is gone", Method: "DELETE", URL: "/api/v1/memberships/" + mA, As: "org_admin", ExpectedStatus: 404},
			{Name: "removed member is out of reach", Method: "GET", URL: "/api/v1/users/" + u.ID, As: "org_admin", ExpectedStatus: 404},
			{Name: "the other membership remains", Method: "GET", URL: "/api/v1/users/" + u.ID, As: "org_admin_b",
				ExpectedStatus: 200, ExpectedContent: []string{`"org_id":"` + B + `"`}},
			{Name: "caseworker still reads themself", Method: "GET", URL: "/api/v1/users/" + cw.ID, As: "caseworker", ExpectedStatus: 200},
		})
	})
}

func TestTokenLifecycle(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "org_admin", "caseworker", "viewer", "org_admin_b")
		vw := f.users["viewer"]
		browser, sessionID := signIn(t, a, vw)
		post := func(body any) testutil.Response { return a.Do(browser, http.MethodPost, "/api/v1/tokens", "", body) }

		t.Run("invalid requests", func(t *testing.T) {
			for _, tc := range []struct {
				name      string
				body      map[string]any
				fieldCode string
			}{
				{"scope not held", map[string]any{"name": "x", "scopes": []string{"audit.read"}}, field("scopes", "not_held")},
				{"unknown scope", map[string]any{"name": "x", "scopes": []string{"cases.read"}}, field("scopes", "unknown_scope")},
				{"no scopes", map[string]any{"name": "x", "scopes": []string{}}, field("scopes", "required")},
				{"no name", map[string]any{"name": " ", "scopes": []string{"user.read"}}, field("name", "required")},
				{"lifetime too long", map[string]any{"name": "x", "scopes": []string{"user.read"}, "expires_in_days": 400}, field("expires_in_days", "out_of_range")},
				{"lifetime negative", map[string]any{"name": "x", "scopes": []string{"user.read"}, "expires_in_days": -1}, field("expires_in_days", "out_of_range")},
				{"unknown field", map[string]any{"name": "x", "scopes": []string{"user.read"}, "user_id": f.users["org_admin"].ID}, field("user_id", "unknown_field")},
			} {
				t.Run(tc.name, func(t *testing.T) {
					res := post(tc.body)
					if res.Status != http.StatusUnprocessableEntity || !bytes.Contains(res.Body, []byte(tc.fieldCode)) {
						t.Errorf("status %d body %s, want 422 with %s", res.Status, redact(res.Body), tc.fieldCode)
					}
				})
			}
		})

		res := post(map[string]any{"name": "reporting", "scopes": []string{"organisation.read", "user.read"}, "expires_in_days": 30})
		if res.Status != http.StatusCreated {
			t.Fatalf("issuing a token: status %d; body %s", res.Status, redact(res.Body))
		}
		var tok struct {
			ID        string    `json:"id"`
			Secret    string    `json:"secret"`
			Scopes    []string  `json:"scopes"`
			ExpiresAt time.Time `json:"expires_at"`
			UserID    string    `json:"user_id"`
		}
		res.JSON(t, &tok)
		if !strings.HasPrefix(tok.Secret, accounts.TokenPrefix) || tok.UserID != vw.ID {
			t.Errorf("token secret prefix or owner wrong: user %s", tok.UserID)
		}
		if want := a.Clock.Now().Add(30 * 24 * time.Hour); !tok.ExpiresAt.Equal(want.Truncate(time.Second)) {
			t.Errorf("expires_at %s, want %s", tok.ExpiresAt, want)
		}
		f.users["issued"] = testutil.User{ID: vw.ID, Token: tok.Secret}

		runScenarios(t, a, f, []scenario{
			{Name: "the new token acts within its scopes", Method: "GET", URL: "/api/v1/me", As: "issued", ExpectedStatus: 200,
				ExpectedContent: []string{`"permissions":["organisation.read","user.read"]`}},
			{Name: "the new token is refused beyond its scopes", Method: "GET", URL: "/api/v1/tokens", As: "issued", ExpectedStatus: 403},
			{Name: "owner reads the token without its secret", Method: "GET", URL: "/api/v1/tokens/" + tok.ID, As: "viewer", ExpectedStatus: 200,
				ExpectedContent: []string{`"name":"reporting"`, `"revoked_at":null`}, NotExpectedContent: []string{tok.Secret, "secret"}},
			{Name: "owner lists the token without its secret", Method: "GET", URL: "/api/v1/tokens", As: "viewer", ExpectedStatus: 200,
				ExpectedContent: []string{tok.ID}, NotExpectedContent: []string{tok.Secret}},
			{Name: "org admin reads the organisation's token", Method: "GET", URL: "/api/v1/tokens/" + tok.ID, As: "org_admin", ExpectedStatus: 200},
			{Name: "colleague may not read the token", Method: "GET", URL: "/api/v1/tokens/" + tok.ID, As: "caseworker", ExpectedStatus: 404},
			{Name: "another organisation may not read the token", Method: "GET", URL: "/api/v1/tokens/" + tok.ID, As: "org_admin_b", ExpectedStatus: 404},
			{Name: "colleague may not revoke the token", Method: "DELETE", URL: "/api/v1/tokens/" + tok.ID, As: "caseworker", ExpectedStatus: 404},
			{Name: "another organisation may not revoke the token", Method: "DELETE", URL: "/api/v1/tokens/" + tok.ID, As: "org_admin_b", ExpectedStatus: 404},
			{Name: "owner revokes the token", Method: "DELETE", URL: "/api/v1/tokens/" + tok.ID, As: "viewer", ExpectedStatus: 204},
			{Name: "the revoked token gets 401", Method: "GET", URL: "/api/v1/me", As: "issued", ExpectedStatus: 401},
			{Name: "revoking again succeeds", Method: "DELETE", URL: "/api/v1/tokens/" + tok.ID, As: "viewer", ExpectedStatus: 204},
			{Name: "the token shows when it was revoked", Method: "GET", URL: "/api/v1/tokens/" + tok.ID, As: "viewer", ExpectedStatus: 200,
				NotExpectedContent: []string{`"revoked_at":null`}},
			{Name: "another user's session is not found", Method: "DELETE", URL: "/api/v1/sessions/" + sessionID, As: "org_admin", ExpectedStatus: 404},
		})

		t.Run("sessions", func(t *testing.T) {
			res := a.Do(browser, http.MethodGet, "/api/v1/sessions", "", nil)
			var l struct {
				Items []struct {
					ID      string `json:"id"`
					Current bool   `json:"current"`
				} `json:"items"`
			}
			res.JSON(t, &l)
			if res.Status != http.StatusOK || len(l.Items) != 1 || l.Items[0].ID != sessionID || !l.Items[0].Current {
				t.Fatalf("status %d, sessions %+v; want the current session %s", res.Status, l.Items, sessionID)
			}
			if res := a.Do(browser, http.MethodDelete, "/api/v1/sessions/"+sessionID, "", nil); res.Status != http.StatusNoContent {
				t.Fatalf("ending the session: status %d", res.Status)
			}
			if res := a.Do(browser, http.MethodGet, "/api/v1/me", "", nil); res.Status != http.StatusUnauthorized {
				t.Errorf("ended session: status %d, want 401", res.Status)
			}
		})

		t.Run("two-factor session issues tokens", func(t *testing.T) {
			admin, _ := signIn(t, a, f.users["org_admin"])
			res := a.Do(admin, http.MethodPost, "/api/v1/tokens", "", map[string]any{"name": "admin", "scopes": []string{"audit.*"}})
			if res.Status != http.StatusCreated || !bytes.Contains(res.Body, []byte(`"scopes":["audit.*"]`)) {
				t.Errorf("status %d body %s, want 201 with scope audit.*", res.Status, redact(res.Body))
			}
			res = a.Do(admin, http.MethodGet, "/api/v1/sessions", "", nil)
			if !bytes.Contains(res.Body, []byte(`"mfa":true,"current":true`)) {
				t.Errorf("sessions %s, want the current two-factor session", redact(res.Body))
			}
		})
	})
}

func TestDisableAndReset(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "org_admin", "caseworker", "viewer", "org_admin_b")
		cw, admA := f.users["caseworker"], f.users["org_admin"]
		runScenarios(t, a, f, []scenario{
			{Name: "viewer may not disable", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/disable", As: "viewer", ExpectedStatus: 403},
			{Name: "another organisation may not disable", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/disable", As: "org_admin_b", ExpectedStatus: 404},
			{Name: "unknown user", Method: "POST", URL: "/api/v1/users/" + ids.New() + "/disable", As: "org_admin", ExpectedStatus: 404},
			{Name: "nobody disables themself", Method: "POST", URL: "/api/v1/users/" + admA.ID + "/disable", As: "org_admin",
				ExpectedStatus: 422, ExpectedContent: []string{field("id", "cannot_disable_self")}},
			{Name: "org admin disables a member", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/disable", As: "org_admin", ExpectedStatus: 204},
			{Name: "the disabled user's token gets 401", Method: "GET", URL: "/api/v1/me", As: "caseworker", ExpectedStatus: 401},
			{Name: "the user shows as disabled", Method: "GET", URL: "/api/v1/users/" + cw.ID, As: "org_admin",
				ExpectedStatus: 200, ExpectedContent: []string{`"disabled":true`}},
			{Name: "another organisation may not enable", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/enable", As: "org_admin_b", ExpectedStatus: 404},
			{Name: "org admin enables the member", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/enable", As: "org_admin", ExpectedStatus: 204},
			{Name: "the token works again", Method: "GET", URL: "/api/v1/me", As: "caseworker", ExpectedStatus: 200, ExpectedContent: []string{`"disabled":false`}},
			{Name: "viewer may not reset passwords", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/reset-password", As: "viewer", ExpectedStatus: 403},
			{Name: "another organisation may not reset passwords", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/reset-password", As: "org_admin_b", ExpectedStatus: 404},
			{Name: "viewer may not reset second factors", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/reset-2fa", As: "viewer", ExpectedStatus: 403},
			{Name: "another organisation may not reset second factors", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/reset-2fa", As: "org_admin_b", ExpectedStatus: 404},
			{Name: "org admin resets a second factor", Method: "POST", URL: "/api/v1/users/" + cw.ID + "/reset-2fa", As: "org_admin", ExpectedStatus: 204},
		})
		t.Run("reset password", func(t *testing.T) {
			res := a.Do(nil, http.MethodPost, "/api/v1/users/"+cw.ID+"/reset-password", admA.Token, nil)
			var otp struct {
				OneTimePassword string `json:"one_time_password"`
			}
			res.JSON(t, &otp)
			if res.Status != http.StatusOK || len(otp.OneTimePassword) < 12 {
				t.Fatalf("status %d, one-time password of %d characters", res.Status, len(otp.OneTimePassword))
			}
			ctx := context.Background()
			if _, _, err := a.Accounts.SignIn(ctx, cw.Email, cw.Password, "127.0.0.1"); err == nil {
				t.Error("the old password still signs in")
			}
			_, sess, err := a.Accounts.SignIn(ctx, cw.Email, otp.OneTimePassword, "127.0.0.1")
			if err != nil || !sess.MustChangePassword {
				t.Errorf("one-time password: err %v, must change %v; want a session that must change it", err, sess.MustChangePassword)
			}
			scenario{Method: "GET", URL: "/api/v1/users/" + cw.ID, As: "org_admin", ExpectedStatus: 200,
				ExpectedContent: []string{`"must_change_password":true`}}.run(t, a, f)
		})
	})
}

// TestOrgAdminCannotTakeOverWiderAccounts: an organisation administrator
// administers their organisation's members, but not an account that reaches
// further than their organisation: a system administrator who is also a
// member, or a member of another organisation too. Resetting such an
// account's password and second factor, or changing its e-mail, would let
// the organisation administrator sign in as it and reach what it reaches
// (SECURITY-BAR 2).
func TestOrgAdminCannotTakeOverWiderAccounts(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "sysadmin_a", "org_admin", "caseworker_b")
		both := f.users["caseworker_b"]
		if _, err := a.Accounts.AddMembership(context.Background(), access.System, f.orgA.ID, both.ID, access.RoleViewer, ""); err != nil {
			t.Fatal(err)
		}
		for _, target := range []struct{ name, id string }{
			{"system administrator", f.users["sysadmin_a"].ID},
			{"member of another organisation", both.ID},
		} {
			for _, tc := range []struct {
				name, method, path string
				body               any
			}{
				{"reset password", "POST", "/api/v1/users/" + target.id + "/reset-password", nil},
				{"reset second factor", "POST", "/api/v1/users/" + target.id + "/reset-2fa", nil},
				{"change e-mail", "PATCH", "/api/v1/users/" + target.id, map[string]any{"email": ids.New() + "@example.org"}},
				{"disable", "POST", "/api/v1/users/" + target.id + "/disable", nil},
			} {
				t.Run(target.name+"/"+tc.name, func(t *testing.T) {
					res := a.Do(nil, tc.method, tc.path, f.token(t, "org_admin"), tc.body)
					if res.Status != http.StatusForbidden {
						t.Errorf("status %d, want 403", res.Status)
					}
				})
			}
		}
	})
}

type auditPage struct {
	Items []struct {
		Seq      int64  `json:"seq"`
		ActorID  string `json:"actor_id"`
		OrgID    string `json:"org_id"`
		Action   string `json:"action"`
		ObjectID string `json:"object_id"`
	} `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func TestAuditFiltersAndPagination(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "sysadmin", "org_admin", "caseworker", "org_admin_b")
		A, B := f.orgA.ID, f.orgB.ID
		admA, cw := f.users["org_admin"], f.users["caseworker"]
		// A read of a person's name and e-mail must leave an entry.
		get(t, a, f, "org_admin", "/api/v1/users/"+cw.ID, nil)

		for _, tc := range []struct {
			name, as, query string
			min, max        int
		}{
			{"org admin sees only their organisation", "org_admin", "", 3, 500},
			{"org admin cannot choose another organisation", "org_admin_b", "org_id=" + A, 1, 500},
			{"filter by action", "org_admin", "action=user.create", 2, 500},
			{"filter by object", "org_admin", "object_id=" + cw.ID, 2, 500},
			{"filter by actor", "org_admin", "actor_id=" + admA.ID + "&action=user.read&object_id=" + cw.ID, 1, 500},
			{"sysadmin filters by organisation", "sysadmin", "org_id=" + B, 1, 500},
			{"nothing after until", "sysadmin", "until=" + url.QueryEscape(a.Clock.Now().Add(-time.Hour).Format(time.RFC3339)), 0, 0},
			{"nothing before since", "sysadmin", "since=" + url.QueryEscape(a.Clock.Now().Add(time.Hour).Format(time.RFC3339)), 0, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var p auditPage
				get(t, a, f, tc.as, "/api/v1/audit?limit=500&"+tc.query, &p)
				if len(p.Items) < tc.min || len(p.Items) > tc.max {
					t.Errorf("%d entries, want %d to %d", len(p.Items), tc.min, tc.max)
				}
				q, _ := url.ParseQuery(tc.query)
				// Only a system administrator chooses the organisation;
				// everyone else is held to their own whatever they ask.
				wantOrg := q.Get("org_id")
				if tc.as != "sysadmin" {
					wantOrg = map[string]string{"org_admin": A, "org_admin_b": B}[tc.as]
				}
				for _, e := range p.Items {
					if wantOrg != "" && e.OrgID != wantOrg {
						t.Errorf("entry %d is of organisation %q, want %q", e.Seq, e.OrgID, wantOrg)
					}
					for name, got := range map[string]string{"action": e.Action, "object_id": e.ObjectID, "actor_id": e.ActorID} {
						if want := q.Get(name); want != "" && got != want {
							t.Errorf("entry %d has %s %q outside the filter %q", e.Seq, name, got, want)
						}
					}
				}
			})
		}

		t.Run("cursor pagination", func(t *testing.T) {
			var all auditPage
			get(t, a, f, "org_admin", "/api/v1/audit?limit=500", &all)
			var seqs []int64
			cursor, pages := "", 0
			for {
				var p auditPage
				get(t, a, f, "org_admin", "/api/v1/audit?limit=2&cursor="+cursor, &p)
				pages++
				if len(p.Items) == 0 || len(p.Items) > 2 {
					t.Fatalf("page %d has %d entries", pages, len(p.Items))
				}
				for _, e := range p.Items {
					if len(seqs) > 0 && e.Seq >= seqs[len(seqs)-1] {
						t.Fatalf("seq %d after %d: not newest first, or repeated", e.Seq, seqs[len(seqs)-1])
					}
					seqs = append(seqs, e.Seq)
				}
				if p.NextCursor == "" {
					break
				}
				cursor = p.NextCursor
			}
			if len(seqs) != len(all.Items) || pages < 2 {
				t.Errorf("pages gave %d entries in %d pages; one page gives %d", len(seqs), pages, len(all.Items))
			}
		})
	})
}

// listAll walks a cursor-paginated list with the given page size and
// returns the ids in order, failing on an empty page after a cursor: a
// next_cursor promises another page.
func listAll(t *testing.T, a *testutil.App, f *fixture, as, path string, limit int) []string {
	t.Helper()
	var out []string
	cursor := ""
	for range 100 {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		var p struct {
			Items      []struct{ ID string } `json:"items"`
			NextCursor string                `json:"next_cursor"`
		}
		get(t, a, f, as, fmt.Sprintf("%s%slimit=%d&cursor=%s", path, sep, limit, cursor), &p)
		if len(p.Items) > limit || (cursor != "" && len(p.Items) == 0) {
			t.Fatalf("%s: a page of %d items after cursor %q, want 1 to %d", path, len(p.Items), cursor, limit)
		}
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		if p.NextCursor == "" {
			return out
		}
		cursor = p.NextCursor
	}
	t.Fatalf("%s: more than 100 pages", path)
	return nil
}

func TestCursorPagination(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "sysadmin", "org_admin", "viewer")
		for _, name := range []string{"Page 1", "Page 2", "Page 3"} {
			scenario{Method: "POST", URL: "/api/v1/organisations", As: "sysadmin", Body: map[string]any{"name": name}, ExpectedStatus: 201}.run(t, a, f)
		}

		t.Run("organisations, two pages", func(t *testing.T) {
			var first struct {
				Items      []struct{ Name string } `json:"items"`
				NextCursor string                  `json:"next_cursor"`
			}
			get(t, a, f, "sysadmin", "/api/v1/organisations?q=page&limit=2", &first)
			if len(first.Items) != 2 || first.Items[0].Name != "Page 1" || first.Items[1].Name != "Page 2" || first.NextCursor == "" {
				t.Fatalf("first page %+v cursor %q, want Page 1 and Page 2 and a cursor", first.Items, first.NextCursor)
			}
			var second struct {
				Items      []struct{ Name string } `json:"items"`
				NextCursor *string                 `json:"next_cursor"`
			}
			get(t, a, f, "sysadmin", "/api/v1/organisations?q=page&limit=2&cursor="+first.NextCursor, &second)
			if len(second.Items) != 1 || second.Items[0].Name != "Page 3" || second.NextCursor != nil {
				t.Errorf("second page %+v, want Page 3 alone and no next_cursor", second.Items)
			}
		})

		for _, tc := range []struct {
			name, as, path string
			limit          int
		}{
			{"organisations one by one", "sysadmin", "/api/v1/organisations", 1},
			{"organisations in pages the size of the list", "sysadmin", "/api/v1/organisations", 5},
			{"users one by one", "org_admin", "/api/v1/users", 1},
			{"users in pages the size of the list", "org_admin", "/api/v1/users", 2},
			{"memberships one by one", "org_admin", "/api/v1/organisations/" + f.orgA.ID + "/memberships", 1},
			{"memberships in pages the size of the list", "org_admin", "/api/v1/organisations/" + f.orgA.ID + "/memberships", 2},
			{"tokens one by one", "org_admin", "/api/v1/tokens", 1},
			{"tokens in pages the size of the list", "org_admin", "/api/v1/tokens", 2},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var whole struct{ Items []struct{ ID string } }
				get(t, a, f, tc.as, tc.path+"?limit=500", &whole)
				var want []string
				for _, it := range whole.Items {
					want = append(want, it.ID)
				}
				if got := listAll(t, a, f, tc.as, tc.path, tc.limit); !slices.Equal(got, want) {
					t.Errorf("pages give %d items, one page %d, or in another order", len(got), len(want))
				}
			})
		}
	})
}
