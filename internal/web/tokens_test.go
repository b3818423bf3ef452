// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	tokenSecretRE = regexp.MustCompile(`value="(amp_[A-Za-z0-9_-]+)"`)
	tokenRevokeRE = regexp.MustCompile(`action="(/account/tokens/[^/"]+/revoke)"`)
)

// TestTokens issues a token, which is shown once and works as a bearer
// token, and revokes it.
func TestTokens(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, u := s.signedIn("tina@example.org")

	res := b.get("/account/tokens")
	expect(t, "tokens", res, http.StatusOK, "")
	contains(t, "tokens", res.body, "You have no tokens.", "<code>token.read</code>", "<code>user.read</code>", `value="90"`)
	if strings.Contains(res.body, "<code>user.create</code>") {
		t.Error("the hint lists a permission a viewer does not hold")
	}

	t.Run("field errors", func(t *testing.T) {
		cases := []struct {
			name, scopes, days, field, message string
		}{
			{"unknown scope", "nope.read", "90", "scopes", "One of these permissions does not exist."},
			{"not held", "user.create", "90", "scopes", "A token can only have permissions you hold yourself."},
			{"no days", "user.read", "0", "expires_in_days", "Enter a whole number of days in the range shown."},
			{"too many days", "user.read", "367", "expires_in_days", "Enter a whole number of days in the range shown."},
		}
		for _, c := range cases {
			res := b.post("/account/tokens", url.Values{"name": {"ci"}, "scopes": {c.scopes}, "expires_in_days": {c.days}})
			expect(t, c.name, res, http.StatusUnprocessableEntity, "")
			contains(t, c.name, res.body, `<p class="field-error" id="`+c.field+`-error">`+c.message+`</p>`, `value="ci"`)
		}
	})

	res = b.post("/account/tokens", url.Values{"name": {"Nightly export"}, "scopes": {"user.read"}, "expires_in_days": {"30"}})
	expect(t, "issue", res, http.StatusOK, "")
	contains(t, "issue", res.body, "It will not be shown again.", "1 April 2026, 09:00 UTC")
	m := tokenSecretRE.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no token secret on the page:\n%s", res.body)
	}
	secret := m[1]

	res = b.get("/account/tokens")
	if strings.Contains(res.body, secret) {
		t.Fatal("the token list shows the secret again")
	}
	contains(t, "tokens", res.body, "Nightly export", "<code>user.read</code>")
	revoke := tokenRevokeRE.FindStringSubmatch(res.body)
	if revoke == nil {
		t.Fatalf("no revoke button:\n%s", res.body)
	}

	api := s.browser()
	bearer := func(path string) response {
		req := api.request(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		return api.do(req)
	}
	res = bearer("/")
	expect(t, "home with the token", res, http.StatusOK, "")
	contains(t, "home with the token", res.body, u.Name)
	// The token holds user.read only.
	expect(t, "sessions with the token", bearer("/account/sessions"), http.StatusForbidden, "")

	expect(t, "revoke", b.post(revoke[1], nil), http.StatusSeeOther, "/account/tokens")
	expect(t, "home with the revoked token", bearer("/"), http.StatusSeeOther, "/login")
	res = b.get("/account/tokens")
	contains(t, "tokens", res.body, "Revoked on 2 March 2026, 09:00")
	if tokenRevokeRE.MatchString(res.body) {
		t.Error("a revoked token still has a revoke button")
	}
}
