// SPDX-License-Identifier: AGPL-3.0-or-later

// Package authn connects HTTP requests to accounts: it reads the session
// cookie or the bearer token, puts the acting principal in the request
// context, and guards each route with the permission written beside it.
// Every surface (JSON API, web pages) declares its routes as a []Route so
// that the access-control tests can walk all of them.
package authn

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/httpx"
)

// CookieName is the session cookie. The __Host- prefix makes browsers
// refuse it unless it is Secure, has Path=/ and no Domain, so no sibling
// host can set or read it.
const CookieName = "__Host-amparo_session"

// Kind says who may call a route.
type Kind int

// Route kinds.
const (
	// Public routes need no credentials.
	Public Kind = iota
	// SignInStep routes need a session, even one that has not finished
	// signing in (second factor, forced password change): the sign-in steps
	// themselves and sign-out.
	SignInStep
	// Permitted routes need a completed sign-in and the route's permission.
	Permitted
)

// Route is one endpoint, with who may call it on the same line.
type Route struct {
	Pattern string // "METHOD /path/{param}"
	Kind    Kind
	Perm    access.Permission // for Permitted routes
	Handler http.HandlerFunc
	// MaxBody caps the request body in bytes; 0 means the server's
	// default. Only routes that take files raise it.
	MaxBody int64
}

// WithMaxBody returns the route with its body cap set to n bytes.
func (r Route) WithMaxBody(n int64) Route { r.MaxBody = n; return r }

// Public, Step and Perm build routes compactly in route tables.
func PublicRoute(pattern string, h http.HandlerFunc) Route {
	return Route{Pattern: pattern, Kind: Public, Handler: h}
}

// StepRoute builds a SignInStep route.
func StepRoute(pattern string, h http.HandlerFunc) Route {
	return Route{Pattern: pattern, Kind: SignInStep, Handler: h}
}

// PermRoute builds a Permitted route.
func PermRoute(pattern string, perm access.Permission, h http.HandlerFunc) Route {
	return Route{Pattern: pattern, Kind: Permitted, Perm: perm, Handler: h}
}

type ctxKey struct{}

type identity struct {
	principal access.Principal
	session   *accounts.Session
	token     string // session token, for sign-out
}

// PrincipalFrom returns the principal acting in ctx (Anonymous when none).
func PrincipalFrom(ctx context.Context) access.Principal {
	if id, ok := ctx.Value(ctxKey{}).(*identity); ok {
		return id.principal
	}
	return access.Anonymous
}

// SessionFrom returns the browser session of ctx and its token, or nil.
func SessionFrom(ctx context.Context) (*accounts.Session, string) {
	if id, ok := ctx.Value(ctxKey{}).(*identity); ok && id.session != nil {
		return id.session, id.token
	}
	return nil, ""
}

// Middleware authenticates each request from its bearer token or session
// cookie. A bad or expired credential leaves the request anonymous (and
// clears a dead cookie); routes decide what anonymity means.
func Middleware(acc *accounts.Service) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := &identity{principal: access.Anonymous}
			if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
				if p, err := acc.AuthenticateToken(r.Context(), strings.TrimSpace(bearer)); err == nil {
					id.principal = p
				} else if !errors.Is(err, accounts.ErrUnauthorized) {
					unavailable(w, r)
					return
				}
			} else if c, err := r.Cookie(CookieName); err == nil {
				p, sess, err := acc.Authenticate(r.Context(), c.Value)
				switch {
				case err == nil:
					id.principal, id.session, id.token = p, &sess, c.Value
				case errors.Is(err, accounts.ErrUnauthorized):
					ClearCookie(w)
				default:
					unavailable(w, r)
					return
				}
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, id)))
		})
	}
}

// unavailable answers when credentials could not be checked (the database
// did not answer): not a refusal, so not 401.
func unavailable(w http.ResponseWriter, r *http.Request) {
	httpx.WriteProblem(w, r, http.StatusServiceUnavailable, "unavailable", "The service is unavailable; try again shortly.")
}

// SetCookie sends the session cookie.
func SetCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: int(accounts.SessionAbsolute / time.Second),
	})
}

// ClearCookie removes the session cookie.
func ClearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, MaxAge: -1})
}

// Refusal says why Guard refused a request.
type Refusal int

// Refusals.
const (
	Allowed Refusal = iota
	NotSignedIn
	SignInIncomplete
	Forbidden
)

// Check decides whether the request in ctx may call rt.
func Check(ctx context.Context, rt Route) Refusal {
	p := PrincipalFrom(ctx)
	sess, _ := SessionFrom(ctx)
	switch rt.Kind {
	case Public:
		return Allowed
	case SignInStep:
		if sess == nil {
			return NotSignedIn
		}
		return Allowed
	}
	if !p.Authenticated() {
		return NotSignedIn
	}
	if sess != nil && (sess.NeedsTOTP || sess.MustEnrolTOTP || sess.MustChangePassword) {
		return SignInIncomplete
	}
	if !p.Can(rt.Perm) {
		return Forbidden
	}
	return Allowed
}
