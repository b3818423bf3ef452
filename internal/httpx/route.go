// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"context"
	"net/http"
	"sync/atomic"
)

// unmatched is the route reported for requests no Routed handler served:
// the mux's own 404, 405 and redirect answers, and handlers not wrapped.
const unmatched = "unmatched"

type routeKey struct{}

// routeSlot is where Routed leaves the matched pattern for the outer layers.
// It is atomic because a handler may run on another goroutine than the
// layer that reads it (http.TimeoutHandler does this).
type routeSlot struct {
	pattern atomic.Pointer[string]
}

// withRouteSlot returns r carrying a route slot, reusing the one an outer
// layer already added so that AccessLog and Metrics report the same route.
func withRouteSlot(r *http.Request) (*http.Request, *routeSlot) {
	if s, ok := r.Context().Value(routeKey{}).(*routeSlot); ok {
		return r, s
	}
	s := new(routeSlot)
	return r.WithContext(context.WithValue(r.Context(), routeKey{}, s)), s
}

// route returns the recorded pattern, or "unmatched".
func (s *routeSlot) route() string {
	if p := s.pattern.Load(); p != nil {
		return *p
	}
	return unmatched
}

// routeFrom returns the route recorded for the request whose context is
// ctx, or "unmatched" when none was (or no layer asked for one).
func routeFrom(ctx context.Context) string {
	if s, ok := ctx.Value(routeKey{}).(*routeSlot); ok {
		return s.route()
	}
	return unmatched
}

// Routed wraps a handler registered on an http.ServeMux so that the pattern
// the mux matched (r.Pattern, e.g. "GET /api/v1/organisations/{id}") is
// reported to AccessLog and Metrics. Wrap the whole per-route stack, outside
// any permission check, so that refusals are attributed to their route too:
//
//	mux.Handle("GET /things/{id}", httpx.Routed(perm(h)))
//
// Requests the mux answers itself (404, 405 and its path-cleaning redirects)
// never reach a Routed handler and are reported as "unmatched". That is on
// purpose: for a CONNECT request the mux's trailing-slash redirect sets
// r.Pattern to the request's own path, which must not reach a log or a
// label, so reading r.Pattern around the mux, or from mux.Handler, is not
// safe.
func Routed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s, ok := r.Context().Value(routeKey{}).(*routeSlot); ok && r.Pattern != "" {
			p := r.Pattern
			s.pattern.Store(&p)
		}
		h.ServeHTTP(w, r)
	})
}
