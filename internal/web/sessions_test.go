// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestSessions lists one's sessions and ends another browser's.
func TestSessions(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	const email = "sam@example.org"
	a, _ := s.signedIn(email)
	other := s.browser()
	other.login(email, testPassword, "/")

	res := a.get("/account/sessions")
	expect(t, "sessions", res, http.StatusOK, "")
	if n := strings.Count(res.body, "<tr class=\"current\">"); n != 1 {
		t.Errorf("%d rows marked current, want 1", n)
	}
	forms := regexp.MustCompile(`action="(/account/sessions/[^/"]+/revoke)"`).FindAllStringSubmatch(res.body, -1)
	if len(forms) != 1 {
		t.Fatalf("%d End buttons, want 1 (for the other browser):\n%s", len(forms), res.body)
	}
	contains(t, "sessions", res.body, "2 March 2026, 09:00", `<time datetime="2026-03-02T09:00:00Z">`, "You have 2 active sessions.")

	expect(t, "end the other session", a.post(forms[0][1], nil), http.StatusSeeOther, "/account/sessions")
	expect(t, "the other browser", other.get("/"), http.StatusSeeOther, "/login")
	expect(t, "this browser", a.get("/"), http.StatusOK, "")
	expect(t, "end it again", a.post(forms[0][1], nil), http.StatusNotFound, "")
	expect(t, "end a made-up session", a.post("/account/sessions/nonsense/revoke", nil), http.StatusNotFound, "")
}
