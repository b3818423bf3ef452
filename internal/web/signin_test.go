// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/totp"
)

// TestSignInAndEnrolment walks a caseworker, whose role needs two-factor
// sign-in, from the first password sign-in through forced enrolment to the
// home page, then signs out and back in with the second factor.
func TestSignInAndEnrolment(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	const email, name = "carla@example.org", "Carla Ñúñez"
	u := s.user(email, name, access.RoleCaseworker)
	b := s.browser()

	expect(t, "home before sign-in", b.get("/"), http.StatusSeeOther, "/login")
	res := b.get("/login")
	expect(t, "login form", res, http.StatusOK, "")
	contains(t, "login form", res.body, `autocomplete="username"`, `autocomplete="current-password"`, `<label for="email">`, `<label for="password">`)

	res = b.login(email, testPassword, "/account/totp/enrol")
	t.Run("cookie attributes", func(t *testing.T) {
		var found bool
		for _, c := range res.cookies {
			if c.Name != authn.CookieName {
				continue
			}
			found = true
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Domain != "" {
				t.Errorf("cookie %+v: want Secure, HttpOnly, SameSite=Strict, Path=/, no Domain", c)
			}
		}
		if !found {
			t.Fatalf("no %s cookie set", authn.CookieName)
		}
	})
	passwordOnly := b.sessionCookie()

	// A password-only session is sent to the step it still needs.
	expect(t, "home with password only", b.get("/"), http.StatusSeeOther, "/account/totp/enrol")
	expect(t, "tokens with password only", b.get("/account/tokens"), http.StatusSeeOther, "/account/totp/enrol")
	expect(t, "TOTP form without a factor", b.get("/login/totp"), http.StatusSeeOther, "/account/totp/enrol")

	// GET shows the explanation and changes nothing.
	res = b.get("/account/totp/enrol")
	expect(t, "enrolment intro", res, http.StatusOK, "")
	contains(t, "enrolment intro", res.body, `action="/account/totp/enrol"`, "Set up authenticator")
	if s.hasTOTPSecret(u.ID) {
		t.Fatal("GET /account/totp/enrol stored a TOTP secret")
	}

	res = b.post("/account/totp/enrol", nil)
	expect(t, "begin enrolment", res, http.StatusOK, "")
	contains(t, "enrolment", res.body, "<svg", "<rect", "otpauth://totp/", `autocomplete="one-time-code"`)
	if !s.hasTOTPSecret(u.ID) {
		t.Fatal("POST /account/totp/enrol stored no TOTP secret")
	}
	secret := strings.ReplaceAll(secretRE.FindStringSubmatch(res.body)[1], " ", "")

	res = b.post("/account/totp/confirm", url.Values{"code": {wrongCode(t, secret, s.clock.Now())}})
	expect(t, "wrong enrolment code", res, http.StatusUnprocessableEntity, "")
	contains(t, "wrong enrolment code", res.body, `aria-describedby="code-error"`, `<p class="field-error" id="code-error">`)

	code, _ := totp.Code(secret, s.clock.Now())
	res = b.post("/account/totp/confirm", url.Values{"code": {code}})
	expect(t, "confirm enrolment", res, http.StatusOK, "")
	codes := regexp.MustCompile(`<li><code>([a-z2-7-]+)</code></li>`).FindAllStringSubmatch(res.body, -1)
	if len(codes) != 10 {
		t.Fatalf("got %d recovery codes, want 10:\n%s", len(codes), res.body)
	}
	contains(t, "recovery codes", res.body, `href="/"`)
	afterTOTP := b.sessionCookie()
	if afterTOTP == passwordOnly || afterTOTP == "" {
		t.Fatal("the session cookie did not change after the second factor")
	}
	expect(t, "old cookie after TOTP", s.withCookie(http.MethodGet, "/", passwordOnly), http.StatusSeeOther, "/login")

	res = b.get("/")
	expect(t, "home", res, http.StatusOK, "")
	contains(t, "home", res.body, html.EscapeString(name), email, "Caseworker", s.org.ID,
		`href="/account/sessions"`, `href="/account/tokens"`, `href="/api/v1/openapi.json"`, `action="/logout"`)

	expect(t, "logout", b.post("/logout", nil), http.StatusSeeOther, "/login")
	if b.sessionCookie() != "" {
		t.Error("logout left the cookie in the browser")
	}
	expect(t, "old cookie after logout", s.withCookie(http.MethodGet, "/", afterTOTP), http.StatusSeeOther, "/login")

	// Signing in again asks for the second factor.
	b.login(email, testPassword, "/login/totp")
	expect(t, "home before the second factor", b.get("/"), http.StatusSeeOther, "/login/totp")
	expect(t, "enrolment while a factor is active", b.get("/account/totp/enrol"), http.StatusSeeOther, "/login/totp")
	expect(t, "password change before the second factor", b.get("/account/password"), http.StatusSeeOther, "/login/totp")
	res = b.get("/login/totp")
	expect(t, "TOTP form", res, http.StatusOK, "")
	contains(t, "TOTP form", res.body, `action="/login/totp"`, `action="/login/recovery"`)

	// The code used at enrolment cannot be replayed.
	res = b.post("/login/totp", url.Values{"code": {code}})
	expect(t, "replayed code", res, http.StatusUnauthorized, "")
	contains(t, "replayed code", res.body, `<p class="field-error" id="code-error">`)

	s.clock.Advance(30 * time.Second)
	code, _ = totp.Code(secret, s.clock.Now())
	expect(t, "TOTP sign-in", b.post("/login/totp", url.Values{"code": {code}}), http.StatusSeeOther, "/")
	expect(t, "home after TOTP", b.get("/"), http.StatusOK, "")

	// A recovery code works once.
	expect(t, "logout", b.post("/logout", nil), http.StatusSeeOther, "/login")
	b.login(email, testPassword, "/login/totp")
	recovery := strings.ToUpper(codes[0][1])
	expect(t, "recovery sign-in", b.post("/login/recovery", url.Values{"recovery_code": {recovery}}), http.StatusSeeOther, "/")
	expect(t, "logout", b.post("/logout", nil), http.StatusSeeOther, "/login")
	b.login(email, testPassword, "/login/totp")
	res = b.post("/login/recovery", url.Values{"recovery_code": {recovery}})
	expect(t, "spent recovery code", res, http.StatusUnauthorized, "")
	contains(t, "spent recovery code", res.body, `<p class="field-error" id="recovery_code-error">`)

	if strings.Contains(s.logs.String(), testPassword) || strings.Contains(s.logs.String(), secret) {
		t.Error("a password or TOTP secret reached the logs")
	}
}

// wrongCode returns a six-digit code that is valid at no step around now.
func wrongCode(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		c, err := totp.Code(secret, now.Add(d))
		if err != nil {
			t.Fatal(err)
		}
		valid[c] = true
	}
	for i := 0; ; i++ {
		if c := fmt.Sprintf("%06d", i); !valid[c] {
			return c
		}
	}
}

func (s *stack) hasTOTPSecret(userID string) bool {
	s.t.Helper()
	var enc []byte
	if err := s.db.Scan(s.db.QueryRow(context.Background(), `SELECT totp_secret_enc FROM users WHERE id = ?`, userID), &enc); err != nil {
		s.t.Fatal(err)
	}
	return enc != nil
}

// TestLoginFailuresLookAlike checks that an unknown e-mail, a wrong
// password and a disabled account get the same status and the same page,
// and that the eleventh failure for an account is throttled.
func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	const known, disabledEmail, unknown = "known@example.org", "gone@example.org", "nobody@example.org"
	s.user(known, "Kim Known", access.RoleViewer)
	gone := s.user(disabledEmail, "Dana Disabled", access.RoleViewer)
	if err := s.acc.SetDisabled(context.Background(), access.System, gone.ID, true); err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	attempt := func(email, pw string) response {
		t.Helper()
		res := b.post("/login", url.Values{"email": {email}, "password": {pw}})
		if len(res.cookies) != 0 {
			t.Errorf("failed sign-in for %s set a cookie", email)
		}
		// The e-mail typed is shown again; everything else must match.
		res.body = strings.ReplaceAll(res.body, email, "EMAIL")
		return res
	}
	wrong := attempt(known, "not the password at all")
	cases := map[string]response{
		"unknown e-mail":   attempt(unknown, "not the password at all"),
		"disabled account": attempt(disabledEmail, testPassword),
	}
	if wrong.status != http.StatusUnauthorized {
		t.Fatalf("wrong password: got %d, want 401", wrong.status)
	}
	contains(t, "wrong password", wrong.body, "E-mail or password is incorrect.", `value="EMAIL"`)
	if strings.Contains(wrong.body, "not the password at all") {
		t.Error("the password was echoed back")
	}
	for name, res := range cases {
		if res.status != wrong.status || res.body != wrong.body {
			t.Errorf("%s: got %d and a different page than for a wrong password:\n%s\n---\n%s", name, res.status, res.body, wrong.body)
		}
	}

	for i := 2; i <= 10; i++ {
		if res := attempt(known, "not the password at all"); res.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: got %d, want 401", i, res.status)
		}
	}
	res := attempt(known, testPassword)
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("11th attempt: got %d, want 429", res.status)
	}
	if ra := res.header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("429 without a usable Retry-After: %q", ra)
	}
	contains(t, "throttled", res.body, "Too many attempts.")
}

// TestForcedPasswordChange follows an account with an administrator-set
// one-time password, which must be replaced before anything else.
func TestForcedPasswordChange(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	const email = "otto@example.org"
	_, oneTime, err := s.acc.CreateUser(context.Background(), access.System, accounts.NewUser{
		Email: email, Name: "Otto One-Time", OrgID: s.org.ID, Role: access.RoleViewer,
	})
	if err != nil {
		t.Fatal(err)
	}
	b := s.browser()
	b.login(email, oneTime, "/account/password")
	expect(t, "home before the change", b.get("/"), http.StatusSeeOther, "/account/password")
	res := b.get("/account/password")
	expect(t, "password form", res, http.StatusOK, "")
	contains(t, "password form", res.body, "Choose your own", `autocomplete="new-password"`)
	res = b.post("/account/password", url.Values{"current_password": {oneTime}, "new_password": {testPassword}, "confirm": {testPassword}})
	expect(t, "change", res, http.StatusSeeOther, "/")
	expect(t, "home after the change", b.get("/"), http.StatusOK, "")
}

// TestCrossSitePostRefused checks that a form posted from another site's
// page is refused before it acts.
func TestCrossSitePostRefused(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, _ := s.signedIn("xena@example.org")
	for _, path := range []string{"/logout", "/login", "/account/tokens"} {
		req := b.request(http.MethodPost, path, strings.NewReader("name=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := b.do(req); res.status != http.StatusForbidden {
			t.Errorf("cross-site POST %s: got %d, want 403", path, res.status)
		}
	}
	expect(t, "home after the refused sign-out", b.get("/"), http.StatusOK, "")
}
