// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import "net/http"

// securityHeaders are set on every response. The CSP allows only this
// origin, forbids framing (clickjacking) and <base> rewriting, and limits
// form targets to this origin. Cache-Control: no-store keeps personal data
// out of browser and proxy caches; a public static asset handler may
// replace it.
var securityHeaders = [...][2]string{
	{"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
	{"X-Content-Type-Options", "nosniff"},
	{"Referrer-Policy", "no-referrer"},
	{"X-Frame-Options", "DENY"},
	{"Cross-Origin-Opener-Policy", "same-origin"},
	{"Cross-Origin-Resource-Policy", "same-origin"},
	{"Cache-Control", "no-store"},
}

const hstsValue = "max-age=31536000; includeSubDomains"

// SecurityHeaders sets the security headers on every response, and
// Strict-Transport-Security as well when hsts is true (the server runs TLS
// or sits behind a TLS proxy; over plain HTTP the header would be ignored
// and, on a development host, only confusing).
//
// The headers are set before the handler runs, so error paths carry them
// too. A handler may replace one (a static asset handler replaces
// Cache-Control), but one removed outright is put back when the response
// starts: some stdlib error paths (http.ServeContent's) delete
// Cache-Control, and an error page must not become cacheable.
func SecurityHeaders(hsts bool) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			setMissingSecurityHeaders(w.Header(), hsts, true)
			next.ServeHTTP(&secureWriter{ResponseWriter: w, hsts: hsts}, r)
		})
	}
}

// setMissingSecurityHeaders sets each security header that is absent, or
// every one when overwrite is true.
func setMissingSecurityHeaders(h http.Header, hsts, overwrite bool) {
	for _, kv := range securityHeaders {
		if overwrite || len(h.Values(kv[0])) == 0 {
			h.Set(kv[0], kv[1])
		}
	}
	if hsts && (overwrite || len(h.Values("Strict-Transport-Security")) == 0) {
		h.Set("Strict-Transport-Security", hstsValue)
	}
}

// secureWriter restores removed security headers when the header is sent.
type secureWriter struct {
	http.ResponseWriter
	hsts    bool
	started bool // the final header has been sent
}

func (w *secureWriter) start() {
	if !w.started {
		setMissingSecurityHeaders(w.Header(), w.hsts, false)
	}
}

func (w *secureWriter) WriteHeader(code int) {
	// Informational (1xx) headers get the check too, but do not end it:
	// the final header follows.
	w.start()
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.started = true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *secureWriter) Write(p []byte) (int, error) {
	w.start()
	w.started = true
	return w.ResponseWriter.Write(p)
}

// Flush sends the header (with the security headers checked) and flushes.
func (w *secureWriter) Flush() {
	w.start()
	w.started = true
	_ = http.NewResponseController(w.ResponseWriter).Flush() // ErrNotSupported: nothing to flush.
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *secureWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// MaxBody caps the request body at n bytes with http.MaxBytesReader. Reading
// past the cap fails with *http.MaxBytesError, which DecodeJSON answers with
// 413; the server also closes the connection after the response, so a client
// cannot keep streaming. The API uses n = 1 MiB.
func MaxBody(n int64) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body != nil {
				// A shallow copy, because a handler must not modify the
				// request it was given.
				r = r.WithContext(r.Context())
				r.Body = http.MaxBytesReader(w, r.Body, n)
			}
			next.ServeHTTP(w, r)
		})
	}
}
