// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var wantSecurityHeaders = map[string]string{
	"Content-Security-Policy":      "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
	"X-Content-Type-Options":       "nosniff",
	"Referrer-Policy":              "no-referrer",
	"X-Frame-Options":              "DENY",
	"Cross-Origin-Opener-Policy":   "same-origin",
	"Cross-Origin-Resource-Policy": "same-origin",
	"Cache-Control":                "no-store",
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	files := fstest.MapFS{"app.css": {Data: []byte("body{}")}}
	mux := http.NewServeMux()
	mux.Handle("GET /ok", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"a": "b"})
	})))
	mux.Handle("GET /boom", Routed(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	mux.Handle("GET /static/", Routed(http.StripPrefix("/static/", http.FileServerFS(files))))
	mux.Handle("GET /strip", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Del("Cache-Control")
		w.Header().Del("Content-Security-Policy")
		w.WriteHeader(http.StatusOK)
	})))
	mux.Handle("GET /strip-flush", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Del("X-Frame-Options")
		w.(http.Flusher).Flush()
	})))

	paths := []struct {
		name   string
		method string
		target string
		status int
	}{
		{"200", "GET", "/ok", 200},
		{"404 from the mux", "GET", "/nowhere", 404},
		{"405 from the mux", "DELETE", "/ok", 405},
		{"500 from a panic", "GET", "/boom", 500},
		// http.ServeContent's error path deletes Cache-Control.
		{"404 from a file server", "GET", "/static/missing.css", 404},
		{"handler deleted headers", "GET", "/strip", 200},
		{"handler deleted a header then flushed", "GET", "/strip-flush", 200},
	}
	for _, hsts := range []bool{false, true} {
		logger, _ := newLogger()
		h := stack(mux, logger, NewMetrics(), hsts)
		for _, p := range paths {
			t.Run(fmt.Sprintf("%s hsts=%v", p.name, hsts), func(t *testing.T) {
				rec := serve(h, httptest.NewRequest(p.method, p.target, nil))
				if rec.Code != p.status {
					t.Fatalf("status = %d, want %d", rec.Code, p.status)
				}
				for k, want := range wantSecurityHeaders {
					if got := rec.Header().Values(k); len(got) != 1 || got[0] != want {
						t.Errorf("%s = %q, want %q", k, got, want)
					}
				}
				got := rec.Header().Get("Strict-Transport-Security")
				switch {
				case hsts && got != "max-age=31536000; includeSubDomains":
					t.Errorf("HSTS = %q with hsts on", got)
				case !hsts && got != "":
					t.Errorf("HSTS = %q with hsts off", got)
				}
			})
		}
	}
}

// A handler may replace a security header (a public asset's Cache-Control);
// only removal is undone.
func TestSecurityHeadersReplaceable(t *testing.T) {
	h := SecurityHeaders(true)(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		_, _ = w.Write([]byte("x"))
	}))
	rec := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Fatalf("Cache-Control = %q, want the handler's", got)
	}
	if got := rec.Header().Get("Strict-Transport-Security"); got == "" {
		t.Fatal("HSTS missing")
	}
}

func TestMaxBody(t *testing.T) {
	tests := []struct {
		name    string
		size    int
		wantErr bool
	}{
		{"under the cap", 99, false},
		{"at the cap", 100, false},
		{"over the cap", 101, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var readErr error
			var n int
			mux := http.NewServeMux()
			mux.HandleFunc("POST /up", func(w http.ResponseWriter, r *http.Request) {
				var b []byte
				b, readErr = io.ReadAll(r.Body)
				n = len(b)
			})
			h := Chain(mux, MaxBody(100))
			serve(h, httptest.NewRequest(http.MethodPost, "/up", strings.NewReader(strings.Repeat("a", tt.size))))
			var mbe *http.MaxBytesError
			if got := errors.As(readErr, &mbe); got != tt.wantErr {
				t.Fatalf("MaxBytesError = %v (err %v), want %v", got, readErr, tt.wantErr)
			}
			if n > 100 {
				t.Fatalf("handler read %d bytes past the cap", n)
			}
		})
	}
}
