// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
)

// Recover turns a panic in a later handler into a 500 problem response with
// code "internal" and the request id, and logs "panic serving request" at
// Error with request_id, route, panic_type and stack.
//
// The client never sees the panic value or the stack. The log gets the
// stack (function names and lines) and the panic value's type, but the value
// itself only when it is a runtime.Error (an index out of range, a nil
// dereference), whose text the runtime composes; any other value is text a
// program built, possibly from the record it was handling.
//
// Headers the handler set before panicking are dropped, back to those the
// outer layers set (security headers, request id), so a half-built response
// cannot leak a cookie or a Content-Disposition onto the error. If the
// handler had already started the response, a well-formed error can no
// longer be sent: Recover then panics with http.ErrAbortHandler, which makes
// net/http cut the connection so the client sees a broken response rather
// than a truncated one that looks whole. A panic with http.ErrAbortHandler
// itself is passed on unlogged, as net/http expects.
func Recover(logger *slog.Logger) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w}
			before := w.Header().Clone()
			defer func() {
				p := recover()
				if p == nil {
					return
				}
				if p == http.ErrAbortHandler {
					panic(p)
				}
				attrs := []slog.Attr{
					slog.String("request_id", RequestIDFrom(r.Context())),
					slog.String("route", routeFrom(r.Context())),
					slog.String("panic_type", fmt.Sprintf("%T", p)),
				}
				if re, ok := p.(runtime.Error); ok {
					attrs = append(attrs, slog.String("panic", re.Error()))
				}
				attrs = append(attrs, slog.String("stack", string(debug.Stack())))
				logger.LogAttrs(r.Context(), slog.LevelError, "panic serving request", attrs...)

				if sw.status != 0 {
					panic(http.ErrAbortHandler)
				}
				h := w.Header()
				clear(h)
				for k, v := range before {
					h[k] = v
				}
				WriteProblem(w, r, http.StatusInternalServerError, codeInternal, "Internal Server Error")
			}()
			next.ServeHTTP(sw, r)
		})
	}
}
