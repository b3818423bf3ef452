// SPDX-License-Identifier: AGPL-3.0-or-later

// Package server assembles Amparo's HTTP surface: it registers every
// surface's route table on one http.ServeMux, guards each route with its
// permission, wraps the mux in the shared middleware, and runs the HTTP
// server with graceful shutdown.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/ratelimit"
)

// MaxBody caps request bodies (SECURITY-BAR 24) on every route that does
// not set its own cap (authn.Route.MaxBody).
const MaxBody = 1 << 20

// Surface is a set of routes and how to refuse a request to one of them.
type Surface struct {
	Routes []authn.Route
	// Deny answers a refused request: a problem document for the API, a
	// redirect to sign-in or an error page for the web pages.
	Deny func(w http.ResponseWriter, r *http.Request, why authn.Refusal)
}

// Options configures the handler.
type Options struct {
	Accounts *accounts.Service
	Logger   *slog.Logger
	Metrics  *httpx.Metrics
	HSTS     bool
	// Proxies are the trusted reverse proxies (see httpx.TrustProxies).
	Proxies []netip.Prefix
	// Allow is the request rate limit per client (principal, or address
	// when anonymous); nil means unlimited.
	Allow func(key string) (time.Duration, bool)
	// Ready reports whether the server can serve (the database answers).
	Ready func(ctx context.Context) error
}

// Handler is the assembled HTTP handler with the routes it serves.
type Handler struct {
	http.Handler
	Routes []authn.Route
}

// New builds the handler for the given surfaces plus /healthz, /readyz and
// /metrics.
func New(opt Options, surfaces ...Surface) *Handler {
	mux := http.NewServeMux()
	ops := Surface{Routes: []authn.Route{
		authn.PublicRoute("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write([]byte("ok\n"))
		}),
		authn.PublicRoute("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
			if err := opt.Ready(r.Context()); err != nil {
				opt.Logger.WarnContext(r.Context(), "not ready", "err", err)
				httpx.WriteProblem(w, r, http.StatusServiceUnavailable, "not_ready", "Not ready.")
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			_, _ = w.Write([]byte("ready\n"))
		}),
		// Metrics hold counts and timings by route pattern, never paths,
		// users or values, so a scraper needs no account.
		authn.PublicRoute("GET /metrics", opt.Metrics.Handler().ServeHTTP),
		// Unknown API paths answer with a problem document like the rest of
		// the API, not the router's plain text.
		authn.PublicRoute("/api/", func(w http.ResponseWriter, r *http.Request) {
			httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "No such endpoint.")
		}),
	}, Deny: DenyProblem}
	h := &Handler{}
	for _, s := range append([]Surface{ops}, surfaces...) {
		for _, rt := range s.Routes {
			mux.Handle(rt.Pattern, httpx.Routed(guard(rt, s.Deny)))
			h.Routes = append(h.Routes, rt)
		}
	}
	middleware := []httpx.Middleware{
		httpx.RequestID(),
		httpx.TrustProxies(opt.Proxies),
		httpx.SecurityHeaders(opt.HSTS),
		httpx.AccessLog(opt.Logger),
		opt.Metrics.Middleware(),
		httpx.Compress(),
		httpx.Recover(opt.Logger),
		crossOrigin(),
		authn.Middleware(opt.Accounts),
	}
	if opt.Allow != nil {
		middleware = append(middleware, httpx.RateLimit(rateKey, opt.Allow))
	}
	h.Handler = httpx.Chain(mux, middleware...)
	return h
}

// crossOrigin refuses state-changing requests sent by another site's page
// (Sec-Fetch-Site / Origin checks, Go's CrossOriginProtection); with
// SameSite=Strict cookies this is the cross-site request protection.
func crossOrigin() httpx.Middleware {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.WriteProblem(w, r, http.StatusForbidden, "cross_origin", "Cross-site request refused.")
	}))
	return cop.Handler
}

func rateKey(r *http.Request) string {
	if p := authn.PrincipalFrom(r.Context()); p.Authenticated() {
		return "user:" + p.UserID
	}
	return "addr:" + ratelimit.AddressKey(httpx.ClientIP(r))
}

// guard lets a request through to its route's handler only when the
// route's access rule allows it, with the body capped at the route's limit
// (MaxBody unless the route takes files).
func guard(rt authn.Route, deny func(http.ResponseWriter, *http.Request, authn.Refusal)) http.Handler {
	limit := rt.MaxBody
	if limit <= 0 {
		limit = MaxBody
	}
	h := httpx.MaxBody(limit)(rt.Handler)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if why := authn.Check(r.Context(), rt); why != authn.Allowed {
			deny(w, r, why)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// DenyProblem answers a refused API request with a problem document.
func DenyProblem(w http.ResponseWriter, r *http.Request, why authn.Refusal) {
	switch why {
	case authn.NotSignedIn:
		w.Header().Set("WWW-Authenticate", `Bearer realm="amparo"`)
		httpx.WriteProblem(w, r, http.StatusUnauthorized, "unauthorized", "Sign in or give a valid token.")
	case authn.SignInIncomplete:
		httpx.WriteProblem(w, r, http.StatusForbidden, "mfa_required", "Finish signing in with your second factor first.")
	default:
		httpx.WriteProblem(w, r, http.StatusForbidden, "forbidden", "You are not permitted to do this.")
	}
}

// Run serves h on addr until ctx ends, then shuts down gracefully, letting
// requests in flight finish for up to 15 seconds. ready, when not nil,
// receives the bound address once the server listens.
func Run(ctx context.Context, addr, certFile, keyFile string, h http.Handler, logger *slog.Logger, ready chan<- string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() {
		if certFile != "" {
			errc <- srv.ServeTLS(ln, certFile, keyFile)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
