// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipWriters recycles gzip writers, whose compression state is large
// (hundreds of KiB) to allocate per response.
var gzipWriters = sync.Pool{
	New: func() any { return gzip.NewWriter(io.Discard) },
}

// Compress gzips a response when the client accepts gzip and the response's
// Content-Type (set before the first write) is text/*, application/json,
// application/problem+json, image/svg+xml or application/javascript.
// Compressible responses get Vary: Accept-Encoding whether compressed or not,
// so a cache never serves one client's encoding to another.
//
// Responses are left alone when the request is HEAD, the status is 204, 304
// or 206, the handler already set Content-Encoding or Content-Range, or no
// Content-Type was set (net/http then sniffs one after the first write,
// too late to decide). A compressed response loses its Content-Length, and
// a strong ETag becomes weak because the bytes differ from the original
// representation. Flush flushes the compressor and then the connection.
//
// If the handler panics, the gzip stream is left unterminated, so a client
// cannot take a cut-off body for a complete one.
func Compress() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cw := &compressWriter{
				ResponseWriter: w,
				accepts:        acceptsGzip(r.Header.Values("Accept-Encoding")),
				head:           r.Method == http.MethodHead,
			}
			returned := false
			defer func() { cw.finish(returned) }()
			next.ServeHTTP(cw, r)
			returned = true
		})
	}
}

type compressWriter struct {
	http.ResponseWriter
	accepts bool         // the client accepts gzip
	head    bool         // the request is HEAD
	decided bool         // the final header has been sent
	gz      *gzip.Writer // non-nil while compressing
}

// decide chooses whether to compress, given the final status, and prepares
// the header accordingly. It runs once, just before the header is sent.
func (cw *compressWriter) decide(status int) {
	cw.decided = true
	h := cw.Header()
	if !compressible(h.Get("Content-Type")) {
		return
	}
	addVary(h, "Accept-Encoding")
	if !cw.accepts || cw.head ||
		status == http.StatusNoContent || status == http.StatusNotModified || status == http.StatusPartialContent ||
		status < 200 || h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" {
		return
	}
	h.Set("Content-Encoding", "gzip")
	h.Del("Content-Length")
	if etag := h.Get("Etag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		h.Set("Etag", "W/"+etag)
	}
	cw.gz = gzipWriters.Get().(*gzip.Writer)
	cw.gz.Reset(cw.ResponseWriter)
}

func (cw *compressWriter) WriteHeader(code int) {
	// Informational (1xx) headers pass through undecided: the final header
	// follows. 101 Switching Protocols is final.
	if !cw.decided && (code >= 200 || code == http.StatusSwitchingProtocols) {
		cw.decide(code)
	}
	cw.ResponseWriter.WriteHeader(code)
}

func (cw *compressWriter) Write(p []byte) (int, error) {
	if !cw.decided {
		cw.decide(http.StatusOK)
	}
	if cw.gz != nil {
		return cw.gz.Write(p)
	}
	return cw.ResponseWriter.Write(p)
}

// Flush sends what has been compressed so far and flushes the connection.
func (cw *compressWriter) Flush() {
	if !cw.decided {
		cw.WriteHeader(http.StatusOK)
	}
	if cw.gz != nil {
		_ = cw.gz.Flush() // A failed write means the client left; the next Write reports it.
	}
	_ = http.NewResponseController(cw.ResponseWriter).Flush() // ErrNotSupported: nothing to flush.
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (cw *compressWriter) Unwrap() http.ResponseWriter { return cw.ResponseWriter }

// finish terminates the gzip stream if the handler returned normally, and
// recycles the writer either way.
func (cw *compressWriter) finish(returned bool) {
	if cw.gz == nil {
		return
	}
	if returned {
		_ = cw.gz.Close() // A failed write means the client left; there is no one to tell.
	}
	cw.gz.Reset(io.Discard)
	gzipWriters.Put(cw.gz)
	cw.gz = nil
}

// compressible reports whether a Content-Type names a format worth gzipping.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch mt {
	case "application/json", "application/problem+json", "image/svg+xml", "application/javascript":
		return true
	}
	return strings.HasPrefix(mt, "text/")
}

// acceptsGzip reports whether Accept-Encoding header values allow gzip:
// "gzip" (or the legacy "x-gzip") with a non-zero quality, or, when gzip is
// not named, "*" with a non-zero quality. "gzip;q=0" refuses it.
func acceptsGzip(values []string) bool {
	gzipQ, anyQ := -1.0, -1.0
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			q := 1.0
			for param := range strings.SplitSeq(params, ";") {
				name, value, _ := strings.Cut(param, "=")
				if strings.EqualFold(strings.TrimSpace(name), "q") {
					var err error
					if q, err = strconv.ParseFloat(strings.TrimSpace(value), 64); err != nil {
						q = 0 // An unreadable quality is not a promise to decode.
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gzipQ = q
			case "*":
				anyQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}

// addVary adds value to the Vary header unless it is already listed.
func addVary(h http.Header, value string) {
	for _, v := range h.Values("Vary") {
		for part := range strings.SplitSeq(v, ",") {
			if p := strings.TrimSpace(part); p == "*" || strings.EqualFold(p, value) {
				return
			}
		}
	}
	h.Add("Vary", value)
}
