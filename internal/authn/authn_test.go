// SPDX-License-Identifier: AGPL-3.0-or-later

package authn

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
)

func withIdentity(p access.Principal, sess *accounts.Session) context.Context {
	return context.WithValue(context.Background(), ctxKey{}, &identity{principal: p, session: sess})
}

func TestCheck(t *testing.T) {
	caseworker := access.Principal{UserID: "u", OrgID: "o", Role: access.RoleCaseworker, MFA: true}
	done := &accounts.Session{ID: "s", MFA: true}
	needsTOTP := &accounts.Session{ID: "s", NeedsTOTP: true}
	perm := PermRoute("GET /x", "organisation.read", nil)
	tests := []struct {
		name string
		ctx  context.Context
		rt   Route
		want Refusal
	}{
		{"public for anyone", context.Background(), PublicRoute("GET /p", nil), Allowed},
		{"step needs a session", context.Background(), StepRoute("POST /s", nil), NotSignedIn},
		{"step with unfinished session", withIdentity(access.Principal{UserID: "u"}, needsTOTP), StepRoute("POST /s", nil), Allowed},
		{"anonymous on permission route", context.Background(), perm, NotSignedIn},
		{"unfinished sign-in", withIdentity(caseworker, needsTOTP), perm, SignInIncomplete},
		{"finished sign-in with permission", withIdentity(caseworker, done), perm, Allowed},
		{"token with permission", withIdentity(caseworker, nil), perm, Allowed},
		{"role without permission", withIdentity(caseworker, done), PermRoute("GET /a", "audit.read", nil), Forbidden},
		{"caseworker without MFA", withIdentity(access.Principal{UserID: "u", OrgID: "o", Role: access.RoleCaseworker}, nil), perm, Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Check(tt.ctx, tt.rt); got != tt.want {
				t.Fatalf("Check = %v, want %v", got, tt.want)
			}
		})
	}
}

// The session cookie is __Host- with Secure, HttpOnly, SameSite=Strict and
// Path=/ (SECURITY-BAR 7).
func TestCookieAttributes(t *testing.T) {
	rec := httptest.NewRecorder()
	SetCookie(rec, "token")
	c := rec.Result().Cookies()[0]
	if c.Name != "__Host-amparo_session" || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" || c.Domain != "" {
		t.Fatalf("cookie = %+v", c)
	}
	rec = httptest.NewRecorder()
	ClearCookie(rec)
	if c := rec.Result().Cookies()[0]; c.MaxAge >= 0 || c.Value != "" {
		t.Fatalf("cleared cookie = %+v", c)
	}
	if p := PrincipalFrom(context.Background()); p.Authenticated() {
		t.Fatal("empty context has a principal")
	}
	if s, tok := SessionFrom(context.Background()); s != nil || tok != "" {
		t.Fatal("empty context has a session")
	}
}
