// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"log/slog"
	"net/http"
	"time"
)

// AccessLog writes one Info line, "http request", per request with the
// attributes method, route, status, bytes, duration_ms and request_id.
//
// It never logs the path, the query string, headers or the remote address:
// any of them can identify a person. The route is the mux pattern recorded
// by Routed, or "unmatched". The method is one of the standard methods or
// "other". A request whose handler panicked past this layer is logged with
// status 500 before the panic continues.
func AccessLog(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			r, slot := withRouteSlot(r)
			sw := &statusWriter{ResponseWriter: w}
			returned := false
			defer func() {
				logger.LogAttrs(r.Context(), slog.LevelInfo, "http request",
					slog.String("method", methodLabel(r.Method)),
					slog.String("route", slot.route()),
					slog.Int("status", finalStatus(sw.status, returned)),
					slog.Int64("bytes", sw.bytes),
					slog.Float64("duration_ms", float64(time.Since(start))/float64(time.Millisecond)),
					slog.String("request_id", RequestIDFrom(r.Context())),
				)
			}()
			next.ServeHTTP(sw, r)
			returned = true
		})
	}
}
