// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAccessLog(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("GET /things/{id}", Routed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("hello"))
	})))
	mux.Handle("GET /folders/{id}/", Routed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	mux.Handle("POST /refuse", Routed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	})))
	mux.Handle("/any/{id}/", Routed(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	mux.HandleFunc("GET /unwrapped", func(w http.ResponseWriter, r *http.Request) {})

	tests := []struct {
		name       string
		method     string
		target     string
		wantRoute  string
		wantMethod string
		wantStatus int
		wantBytes  float64
	}{
		{"matched route", http.MethodGet, "/things/SECRET-123?q=SNTL", "GET /things/{id}", "GET", 200, 5},
		{"status from handler", http.MethodPost, "/refuse?q=SNTL", "POST /refuse", "POST", 403, 0},
		{"mux not found", http.MethodGet, "/nowhere/SECRET-123?q=SNTL", "unmatched", "GET", 404, 19},
		{"mux method not allowed", http.MethodDelete, "/things/SECRET-123?q=SNTL", "unmatched", "DELETE", 405, 19},
		{"mux redirect", http.MethodGet, "/folders/SECRET-123?q=SNTL", "unmatched", "GET", 307, -1},
		// For CONNECT the mux sets r.Pattern of its own redirect handler to
		// the request path, "/any/SECRET-123/"; it must not reach the log.
		{"mux redirect for CONNECT", http.MethodConnect, "/any/SECRET-123", "unmatched", "CONNECT", 307, -1},
		{"handler without Routed", http.MethodGet, "/unwrapped?q=SNTL", "unmatched", "GET", 200, 0},
		{"non-standard method", "SNTLMETHOD", "/things/SECRET-123", "unmatched", "other", 405, 19},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := newLogger()
			h := Chain(mux, RequestID(), AccessLog(logger))
			rec := serve(h, httptest.NewRequest(tt.method, tt.target, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			out := logs.String()
			for _, secret := range []string{"SECRET-123", "SNTL", "192.0.2.1", "things/"} {
				if strings.Contains(out, secret) && !strings.Contains(tt.wantRoute, secret) {
					t.Errorf("access log contains %q: %s", secret, out)
				}
			}
			recs := logs.records(t)
			if len(recs) != 1 {
				t.Fatalf("%d log lines, want 1: %s", len(recs), out)
			}
			got := recs[0]
			if got["msg"] != "http request" || got["level"] != "INFO" {
				t.Errorf("msg %v level %v", got["msg"], got["level"])
			}
			if got["route"] != tt.wantRoute {
				t.Errorf("route = %v, want %q", got["route"], tt.wantRoute)
			}
			if got["method"] != tt.wantMethod {
				t.Errorf("method = %v, want %q", got["method"], tt.wantMethod)
			}
			if got["status"] != float64(tt.wantStatus) {
				t.Errorf("status = %v, want %d", got["status"], tt.wantStatus)
			}
			if tt.wantBytes >= 0 && got["bytes"] != tt.wantBytes {
				t.Errorf("bytes = %v, want %v", got["bytes"], tt.wantBytes)
			}
			if got["request_id"] != rec.Header().Get("X-Request-Id") || got["request_id"] == "" {
				t.Errorf("request_id = %v, header %q", got["request_id"], rec.Header().Get("X-Request-Id"))
			}
			if d, ok := got["duration_ms"].(float64); !ok || d < 0 {
				t.Errorf("duration_ms = %v", got["duration_ms"])
			}
			want := map[string]bool{"time": true, "level": true, "msg": true, "method": true, "route": true,
				"status": true, "bytes": true, "duration_ms": true, "request_id": true}
			for k := range got {
				if !want[k] {
					t.Errorf("unexpected log attribute %q", k)
				}
			}
		})
	}
}

func TestAccessLogPanicPastIt(t *testing.T) {
	logger, logs := newLogger()
	mux := http.NewServeMux()
	mux.Handle("GET /boom", Routed(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })))
	h := Chain(mux, AccessLog(logger))
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("panic did not propagate")
			}
		}()
		serve(h, httptest.NewRequest(http.MethodGet, "/boom", nil))
	}()
	recs := logs.records(t)
	if len(recs) != 1 || recs[0]["status"] != float64(500) || recs[0]["route"] != "GET /boom" {
		t.Fatalf("log = %v, want one line with status 500 and the route", recs)
	}
}
