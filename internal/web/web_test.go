// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/password"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/retention"
	"github.com/amparo-project/amparo/internal/server"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil/syncbuf"
	"github.com/amparo-project/amparo/internal/vault"
)

// stack is the real server with only the web surface mounted, on a fresh
// database, served over TLS because the __Host- cookie needs https.
type stack struct {
	t     *testing.T
	srv   *httptest.Server
	acc   *accounts.Service
	db    *store.DB
	clock *clock.Fake
	org   accounts.Organisation
	logs  *syncbuf.Buffer
	// The protection services, for tests of the case pages.
	per *persons.Service
	cas *cases.Service
	det *detention.Service
	ref *referrals.Service
	xpl *exploitation.Service
}

func newStack(t *testing.T) *stack {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db := storetest.Open(t, filepath.Join(dir, "amparo.db"))
	ring, err := vault.CreateKeyFile(filepath.Join(dir, "kek"))
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(db, ring)
	if err := v.Init(ctx); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	acc := accounts.New(accounts.Config{DB: db, Vault: v, Audit: log, Hasher: password.NewHasher(4), Clock: clk})
	logs := &syncbuf.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	com := commitments.New(commitments.Config{DB: db, Audit: log, Clock: clk})
	if err := com.SeedShipped(ctx); err != nil {
		t.Fatal(err)
	}
	per := persons.New(persons.Config{DB: db, Vault: v, Audit: log, Clock: clk})
	det := detention.New(detention.ServiceConfig{DB: db, Audit: log, Clock: clk})
	cas := cases.New(cases.Config{DB: db, Vault: v, Audit: log, Clock: clk, Identities: per, Alerts: det})
	ref := referrals.New(referrals.Config{DB: db, Audit: log, Clock: clk, Cases: cas, Consent: per})
	xpl := exploitation.New(exploitation.Config{DB: db, Vault: v, Audit: log, Clock: clk, Cases: cas})
	imp := caseimport.New(caseimport.Config{DB: db, Persons: per, Cases: cas, Audit: log, Clock: clk})
	exp := caseexport.New(caseexport.Config{DB: db, Audit: log, Clock: clk, Auth: acc, Cases: cas, Persons: per,
		Detention: det, Referrals: ref, Exploitation: xpl})
	box := inbox.New(inbox.Config{DB: db, Audit: log, Clock: clk, Cases: cas, Detention: det, Accounts: acc})
	ret := retention.New(retention.Config{DB: db, Audit: log, Clock: clk, Cases: cas, Persons: per})
	w := New(Config{Accounts: acc, Commitments: com, Persons: per, Cases: cas, Detention: det, Referrals: ref,
		Exports: exp, Inbox: box, Retention: ret, CaseImport: imp, Audit: log, Clock: clk, Logger: logger,
		Exploitation: xpl})
	h := server.New(server.Options{
		Accounts: acc, Logger: logger, Metrics: httpx.NewMetrics(), HSTS: true,
		Ready: func(ctx context.Context) error { return db.Raw().PingContext(ctx) },
	}, server.Surface{Routes: w.Routes(), Deny: w.Deny})
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	name := "Test organisation"
	org, err := acc.CreateOrganisation(ctx, access.System, accounts.OrganisationInput{Name: &name}, false)
	if err != nil {
		t.Fatal(err)
	}
	return &stack{t: t, srv: srv, acc: acc, db: db, clock: clk, org: org, logs: logs, per: per, cas: cas, det: det, ref: ref, xpl: xpl}
}

// testPassword is long enough and not on the common-password list.
const testPassword = "lantern orchard velvet 42"

// user creates an account with testPassword in the stack's organisation.
func (s *stack) user(email, name, role string) accounts.User {
	s.t.Helper()
	u, _, err := s.acc.CreateUser(context.Background(), access.System, accounts.NewUser{
		Email: email, Name: name, Password: testPassword, OrgID: s.org.ID, Role: role,
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// browser is a client with its own cookie jar that does not follow
// redirects, so tests see each 303.
type browser struct {
	s *stack
	c *http.Client
}

func (s *stack) browser() *browser {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		s.t.Fatal(err)
	}
	return &browser{s: s, c: s.client(jar)}
}

// client returns a client that trusts the test server, uses jar (which
// may be nil) and does not follow redirects. srv.Client returns one shared
// client, so each browser gets a copy of it.
func (s *stack) client(jar http.CookieJar) *http.Client {
	c := *s.srv.Client()
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// response is an answer read in full.
type response struct {
	status  int
	header  http.Header
	body    string
	cookies []*http.Cookie
}

func (r response) location() string { return r.header.Get("Location") }

func (b *browser) do(req *http.Request) response {
	b.s.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.s.t.Fatal(err)
	}
	out := response{status: res.StatusCode, header: res.Header, body: string(body), cookies: res.Cookies()}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") && (res.StatusCode < 300 || res.StatusCode >= 400) {
		checkPage(b.s.t, req.Method+" "+req.URL.Path, out.body)
	}
	return out
}

// checkPage asserts what every page must be: no script, no inline style
// (the CSP forbids both), no message missing from the translations, and
// the base layout, in one of the languages with its direction.
func checkPage(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range []string{"<script", " style=", "<style", "<no value>", "⟦"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: page contains %q", what, bad)
		}
	}
	if m := placeholderRE.FindString(body); m != "" {
		t.Errorf("%s: page shows the placeholder %s unfilled", what, m)
	}
	if lang, dir := pageLang(body); lang == "" || dir != langDir(lang) {
		t.Errorf("%s: page lacks the layout, or its dir does not suit its lang (%q, %q)", what, lang, dir)
	}
}

// placeholderRE finds a message placeholder left in a page.
var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)

// htmlRE finds the layout's root element.
var htmlRE = regexp.MustCompile(`<html lang="([a-z]+)" dir="(ltr|rtl)">`)

// pageLang returns the language and direction a page declares, or "".
func pageLang(body string) (lang, dir string) {
	if m := htmlRE.FindStringSubmatch(body); m != nil {
		return m[1], m[2]
	}
	return "", ""
}

// langDir returns the direction of a language of the interface, or "" for
// any other code.
func langDir(code string) string {
	for _, l := range i18n.Languages {
		if l.Code == code {
			return l.Dir
		}
	}
	return ""
}

func (b *browser) request(method, path string, body io.Reader) *http.Request {
	b.s.t.Helper()
	req, err := http.NewRequest(method, b.s.srv.URL+path, body)
	if err != nil {
		b.s.t.Fatal(err)
	}
	return req
}

func (b *browser) get(path string) response {
	b.s.t.Helper()
	return b.do(b.request(http.MethodGet, path, nil))
}

func (b *browser) post(path string, form url.Values) response {
	b.s.t.Helper()
	req := b.request(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// sessionCookie returns the session cookie the browser holds, or "".
func (b *browser) sessionCookie() string {
	u, _ := url.Parse(b.s.srv.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == authn.CookieName {
			return c.Value
		}
	}
	return ""
}

// withCookie makes a request with the given session cookie and no jar.
func (s *stack) withCookie(method, path, cookie string) response {
	s.t.Helper()
	b := &browser{s: s, c: s.client(nil)}
	req := b.request(method, path, nil)
	req.AddCookie(&http.Cookie{Name: authn.CookieName, Value: cookie})
	return b.do(req)
}

// login signs in with e-mail and password and expects a redirect to next.
func (b *browser) login(email, pw, next string) response {
	b.s.t.Helper()
	res := b.post("/login", url.Values{"email": {email}, "password": {pw}})
	if res.status != http.StatusSeeOther || res.location() != next {
		b.s.t.Fatalf("login: got %d to %q, want 303 to %q; body:\n%s", res.status, res.location(), next, res.body)
	}
	return res
}

func expect(t *testing.T, what string, res response, status int, location string) {
	t.Helper()
	if res.status != status || res.location() != location {
		t.Fatalf("%s: got %d to %q, want %d to %q; body:\n%s", what, res.status, res.location(), status, location, res.body)
	}
}

func contains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("%s: body lacks %q:\n%s", what, want, body)
		}
	}
}

// secretRE finds the grouped TOTP secret on the enrolment page.
var secretRE = regexp.MustCompile(`<code data-testid="totp-secret">([A-Z2-7 ]+)</code>`)

// signedIn returns a browser signed in as a new viewer, a role that needs
// no second factor, with the user.
func (s *stack) signedIn(email string) (*browser, accounts.User) {
	s.t.Helper()
	u := s.user(email, "Vera Viewer", access.RoleViewer)
	b := s.browser()
	b.login(email, testPassword, "/")
	return b, u
}
