// SPDX-License-Identifier: AGPL-3.0-or-later

// Package httpx is the HTTP plumbing shared by every Amparo surface, the JSON
// API and the server-rendered pages alike: middleware (request ids, access
// log, panic recovery, security headers, body cap, compression, rate
// limiting, metrics), RFC 9457 problem responses and strict JSON decoding.
//
// Nothing here writes a raw URL path, query string, header value, remote
// address or error text to a log line, a metric label or a response body:
// paths and queries can hold names and case numbers, and error text can hold
// whatever the failing code was looking at. Requests are named by their
// http.ServeMux pattern instead, which is source code and so bounded and free
// of personal data.
//
// A surface is assembled with the outermost middleware first:
//
//	mux := http.NewServeMux()
//	mux.Handle("GET /api/v1/organisations/{id}", httpx.Routed(perm(orgGet)))
//	h := httpx.Chain(mux,
//		httpx.RequestID(),           // first, so every later layer can name the request
//		httpx.SecurityHeaders(hsts), // before anything can write a response
//		httpx.AccessLog(logger),     // outside Recover, so it sees the 500
//		metrics.Middleware(),
//		httpx.Compress(),            // outside Recover, so the 500 body is compressed too
//		httpx.Recover(logger),
//		httpx.MaxBody(1<<20),
//	)
//
// The mux records the matched pattern on the request it hands to the
// handler, which is a copy the outer middleware never sees; Routed, wrapped
// around each registered handler, carries the pattern back out. See Routed.
package httpx

import (
	"net/http"
)

// Middleware wraps a handler in behaviour that runs around it.
type Middleware func(http.Handler) http.Handler

// Chain wraps h in m so that m[0] is the outermost layer: a request passes
// through m[0], then m[1], and so on, before reaching h.
func Chain(h http.Handler, m ...Middleware) http.Handler {
	for i := len(m) - 1; i >= 0; i-- {
		h = m[i](h)
	}
	return h
}

// methodLabel returns the request method for logs and metric labels. The
// method is chosen by the client, so anything but a standard method becomes
// "other": that keeps metric cardinality bounded and client-chosen text out
// of the logs.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
		http.MethodPatch, http.MethodDelete, http.MethodOptions,
		http.MethodConnect, http.MethodTrace:
		return m
	}
	return "other"
}

// statusWriter records the status and the body size a handler produced, for
// the layers (access log, metrics, recovery) that report on the response.
type statusWriter struct {
	http.ResponseWriter
	status int   // the final status sent, 0 until the header is written
	bytes  int64 // body bytes passed to Write
}

func (w *statusWriter) WriteHeader(code int) {
	// 1xx responses other than 101 are informational and followed by the
	// real status, so they are passed on but not recorded.
	if w.status == 0 && (code >= 200 || code == http.StatusSwitchingProtocols) {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += int64(n)
	return n, err
}

// Flush commits the header (as 200 unless already written) and flushes the
// underlying writer when it can flush.
func (w *statusWriter) Flush() {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush() // ErrNotSupported: nothing to flush.
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finalStatus is the status to report, given the status a statusWriter
// recorded and whether the handler returned normally. A handler that returned without writing got an implicit 200 from
// net/http; one that panicked past the reporting layer got no response at
// all, which is reported as 500 so the failure is counted.
func finalStatus(recorded int, returned bool) int {
	switch {
	case recorded != 0:
		return recorded
	case returned:
		return http.StatusOK
	default:
		return http.StatusInternalServerError
	}
}
