// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestChangePasswordErrors checks that each refusal is shown beside its
// field, and that a change replaces the session cookie and ends the old
// session.
func TestChangePasswordErrors(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, _ := s.signedIn("paula@example.org")
	const strong = "marble kettle sunrise 1984"
	cases := []struct {
		name                  string
		current, next, repeat string
		field, message        string
	}{
		{"mismatch", testPassword, strong, strong + "x", "confirm", "The two new passwords do not match."},
		{"too short", testPassword, "short", "short", "new_password", "At least 12 characters."},
		{"too common", testPassword, "1qaz2wsx3edc", "1qaz2wsx3edc", "new_password", "This password is too common; choose another."},
		{"same as current", testPassword, testPassword, testPassword, "new_password", "The new password must differ from the current one."},
		{"wrong current", "not my password", strong, strong, "current_password", "The current password is incorrect."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := b.post("/account/password", url.Values{"current_password": {c.current}, "new_password": {c.next}, "confirm": {c.repeat}})
			expect(t, c.name, res, http.StatusUnprocessableEntity, "")
			// The message follows its input, which points to it.
			beside := regexp.MustCompile(`<input id="` + c.field + `"[^>]*aria-describedby="[^"]*` + c.field + `-error"[^>]*aria-invalid="true">\s*` +
				`<p class="field-error" id="` + c.field + `-error">` + regexp.QuoteMeta(c.message) + `</p>`)
			if !beside.MatchString(res.body) {
				t.Errorf("no %q beside %s:\n%s", c.message, c.field, res.body)
			}
			for _, pw := range []string{c.current, c.next, c.repeat} {
				if strings.Contains(res.body, pw) {
					t.Errorf("a password was echoed back")
				}
			}
		})
	}

	before := b.sessionCookie()
	res := b.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {strong}, "confirm": {strong}})
	expect(t, "change", res, http.StatusSeeOther, "/")
	if b.sessionCookie() == before {
		t.Error("the session cookie did not change with the password")
	}
	expect(t, "old cookie after the change", s.withCookie(http.MethodGet, "/", before), http.StatusSeeOther, "/login")
	expect(t, "home with the new cookie", b.get("/"), http.StatusOK, "")
}
