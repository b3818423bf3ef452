// SPDX-License-Identifier: AGPL-3.0-or-later

// Package testutil boots the real Amparo application on a fresh database
// for tests: the same assembly as `amparo serve`, served over TLS by
// httptest (the session cookie is __Host-, so it needs https), with a fake
// clock and a captured log. Each runs a test once per engine.
package testutil

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/app"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/config"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/password"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil/syncbuf"
)

// App is a running application under test.
type App struct {
	*app.App
	T      testing.TB
	Server *httptest.Server
	Clock  *clock.Fake
	Logs   *SyncBuffer
	// Observe, when set, sees every response the harness's clients get.
	Observe func(req *http.Request, status int, header http.Header, body []byte)
}

// SyncBuffer is a buffer safe for concurrent writers (the logger).
type SyncBuffer = syncbuf.Buffer

// Each runs fn once per engine with a fresh application.
func Each(t *testing.T, fn func(t *testing.T, a *App)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, url string) { fn(t, New(t, url)) })
}

// New boots the application on the database at url.
func New(t testing.TB, url string) *App {
	t.Helper()
	dir := storetest.Dir(t)
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: dir, DatabaseURL: url, LogLevel: "info", LogFormat: "json", BehindTLS: true}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	logs := &SyncBuffer{}
	fake := clock.NewFake(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	a, err := app.Open(context.Background(), cfg, app.Options{Clock: fake, Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		Hasher: password.NewTestHasher()})
	if err != nil {
		t.Fatalf("testutil: open app: %v", err)
	}
	errs := &SyncBuffer{}
	srv := httptest.NewTLSServer(keepErrors(a.Handler, errs))
	t.Cleanup(func() {
		srv.Close()
		_ = a.Close()
		keepOutput(t, dir, logs, errs)
	})
	return &App{App: a, T: t, Server: srv, Clock: fake, Logs: logs}
}

// Client returns an https client trusting the test server, with its own
// cookie jar, that does not follow redirects.
func (a *App) Client() *http.Client {
	c := a.Server.Client()
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: c.Transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// User is an account made by the harness with everything needed to act as it.
type User struct {
	ID, Email, Name, Password, OrgID, Role, TeamID string
	Principal                                      access.Principal
	Token                                          string
}

// Org creates an organisation.
func (a *App) Org(name string) accounts.Organisation {
	a.T.Helper()
	o, err := a.Accounts.CreateOrganisation(context.Background(), access.System, accounts.OrganisationInput{Name: &name}, false)
	if err != nil {
		a.T.Fatalf("testutil: create organisation: %v", err)
	}
	return o
}

// Sentinel returns a unique marker for a sensitive fixture field
// (SECURITY-BAR: SNTL-<field>-<uuid>).
func Sentinel(field string) string { return "SNTL-" + field + "-" + ids.New() }

// NewUser creates an account with role in orgID (a system administrator
// when role is "sysadmin") whose name and e-mail carry sentinels, and
// issues it an API token with every scope its role holds.
func (a *App) NewUser(orgID, role, teamID string) User {
	a.T.Helper()
	ctx := context.Background()
	u := User{Email: strings.ToLower(Sentinel("email")) + "@example.org", Name: Sentinel("name"),
		Password: "correct horse battery " + ids.New(), OrgID: orgID, Role: role, TeamID: teamID}
	in := accounts.NewUser{Email: u.Email, Name: u.Name, Password: u.Password, OrgID: orgID, Role: role, TeamID: teamID}
	if role == access.RoleSysadmin {
		in.Role, in.Sysadmin = access.RoleOrgAdmin, true
		if orgID == "" {
			in.Role = ""
		}
	}
	created, _, err := a.Accounts.CreateUser(ctx, access.System, in)
	if err != nil {
		a.T.Fatalf("testutil: create user: %v", err)
	}
	u.ID = created.ID
	u.Principal = access.Principal{UserID: u.ID, OrgID: orgID, TeamID: teamID, Role: role, MFA: true}
	var scopes []string
	for _, p := range access.Permissions() {
		if u.Principal.Can(p) {
			scopes = append(scopes, string(p))
		}
	}
	_, u.Token, err = a.Accounts.IssueToken(ctx, u.Principal, "test", strings.Join(scopes, " "), 0)
	if err != nil {
		a.T.Fatalf("testutil: issue token: %v", err)
	}
	return u
}

// Response is a finished response with its body read.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v, failing the test on error.
func (r Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %q: %v", r.Body, err)
	}
}

// Do sends a request with an optional bearer token and JSON body (a
// string or bytes are sent as they are; anything else is encoded).
func (a *App) Do(c *http.Client, method, path, token string, body any) Response {
	a.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			a.T.Fatal(err)
		}
		rd = bytes.NewReader(enc)
	}
	req, err := http.NewRequest(method, a.Server.URL+path, rd)
	if err != nil {
		a.T.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if c == nil {
		c = a.Client()
	}
	res, err := c.Do(req)
	if err != nil {
		a.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		a.T.Fatal(err)
	}
	if a.Observe != nil {
		a.Observe(req, res.StatusCode, res.Header, b)
	}
	return Response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// WithT returns a copy of a that reports failures to t: fuzz targets share
// one application across iterations but must fail through each
// iteration's own t.
func (a *App) WithT(t testing.TB) *App {
	c := *a
	c.T = t
	return &c
}
