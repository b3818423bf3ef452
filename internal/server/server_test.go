// SPDX-License-Identifier: AGPL-3.0-or-later

package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
)

func testHandler(ready error) *Handler {
	ok := func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("done")) }
	return New(Options{
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Metrics: httpx.NewMetrics(),
		Ready:   func(context.Context) error { return ready },
	}, Surface{Routes: []authn.Route{
		authn.PublicRoute("GET /open", ok),
		authn.PublicRoute("POST /open", ok),
		authn.PermRoute("GET /closed", "organisation.read", ok),
		authn.StepRoute("POST /step", ok),
	}, Deny: DenyProblem})
}

func TestGuardsAndOperationalRoutes(t *testing.T) {
	h := testHandler(nil)
	tests := []struct {
		name, method, path string
		header             map[string]string
		status             int
		contains           string
	}{
		{"public route", "GET", "/open", nil, 200, "done"},
		{"permission route anonymous", "GET", "/closed", nil, 401, `"code":"unauthorized"`},
		{"sign-in step without a session", "POST", "/step", nil, 401, "unauthorized"},
		{"bad bearer token is anonymous", "GET", "/closed", map[string]string{"Authorization": "Bearer nonsense"}, 401, "unauthorized"},
		{"cross-site POST refused", "POST", "/open", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross_origin"},
		{"same-origin POST allowed", "POST", "/open", map[string]string{"Sec-Fetch-Site": "same-origin"}, 200, "done"},
		{"health", "GET", "/healthz", nil, 200, "ok"},
		{"ready", "GET", "/readyz", nil, 200, "ready"},
		{"unknown path", "GET", "/nowhere", nil, 404, ""},
		{"unknown API path", "DELETE", "/api/v1/nowhere", nil, 404, `"code":"not_found"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.contains) {
				t.Fatalf("%s %s = %d %q, want %d containing %q", tt.method, tt.path, rec.Code, rec.Body, tt.status, tt.contains)
			}
			if got := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(got, "default-src 'self'; frame-ancestors 'none'") {
				t.Errorf("CSP = %q", got)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("security headers missing: %v", rec.Header())
			}
		})
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if !strings.Contains(rec.Body.String(), `route="GET /closed"`) {
		t.Errorf("metrics do not count refused requests by route:\n%s", rec.Body)
	}
	if len(h.Routes) != 8 {
		t.Errorf("%d routes mounted, want 8 (4 + healthz, readyz, metrics, API not found)", len(h.Routes))
	}
}

func TestNotReady(t *testing.T) {
	rec := httptest.NewRecorder()
	testHandler(errors.New("database gone")).ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "database gone") {
		t.Fatalf("readyz = %d %q; want 503 without the internal error", rec.Code, rec.Body)
	}
}

// Shutdown lets a request in flight finish before Run returns.
func TestRunShutsDownGracefully(t *testing.T) {
	started := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		_, _ = w.Write([]byte("finished"))
	})
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, "127.0.0.1:0", "", "", slow, slog.New(slog.NewTextHandler(io.Discard, nil)), ready)
	}()
	addr := <-ready
	body := make(chan string, 1)
	go func() {
		res, err := http.Get("http://" + addr + "/")
		if err != nil {
			body <- err.Error()
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body <- string(b)
	}()
	<-started
	cancel()
	if got := <-body; got != "finished" {
		t.Fatalf("request in flight got %q, want it to finish", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
}
