// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// logBuffer collects JSON log lines; it is safe for the concurrent writes a
// test server makes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records decodes the log lines, failing the test on one that is not JSON.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.SplitSeq(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

func newLogger() (*slog.Logger, *logBuffer) {
	b := new(logBuffer)
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// stack assembles mux the way a surface does, in the order the package
// comment recommends.
func stack(mux http.Handler, logger *slog.Logger, m *Metrics, hsts bool) http.Handler {
	return Chain(mux,
		RequestID(),
		SecurityHeaders(hsts),
		AccessLog(logger),
		m.Middleware(),
		Compress(),
		Recover(logger),
		MaxBody(1<<20),
	)
}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeProblem(t *testing.T, rec *httptest.ResponseRecorder) Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type = %q, want application/problem+json", ct)
	}
	var p Problem
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem body does not decode: %v", err)
	}
	if p.Status != rec.Code {
		t.Errorf("problem status %d, response status %d", p.Status, rec.Code)
	}
	if want := "urn:amparo:problem:" + p.Code; p.Type != want {
		t.Errorf("problem type %q, want %q", p.Type, want)
	}
	return p
}

func TestChainOrder(t *testing.T) {
	var order []string
	mark := func(name string) Middleware {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { order = append(order, "handler") }),
		mark("first"), mark("second"), mark("third"))
	serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	if got, want := strings.Join(order, ","), "first,second,third,handler"; got != want {
		t.Fatalf("order = %s, want %s", got, want)
	}
}

func TestChainNoMiddleware(t *testing.T) {
	called := false
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })
	serve(Chain(h), httptest.NewRequest(http.MethodGet, "/", nil))
	if !called {
		t.Fatal("handler not called")
	}
}

func TestMethodLabel(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"get", "GET", "GET"},
		{"patch", "PATCH", "PATCH"},
		{"lower case is not standard", "get", "other"},
		{"invented", "SNTL-METHOD", "other"},
		{"empty", "", "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := methodLabel(tt.in); got != tt.want {
				t.Fatalf("methodLabel(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// Every wrapping writer must let http.ResponseController reach the
// connection, or handlers lose per-request deadlines behind the middleware.
func TestResponseControllerThroughStack(t *testing.T) {
	errs := make(chan error, 1)
	mux := http.NewServeMux()
	mux.Handle("GET /deadline", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		errs <- http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute))
	})))
	logger, _ := newLogger()
	srv := httptest.NewServer(stack(mux, logger, NewMetrics(), false))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/deadline")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if err := <-errs; err != nil {
		t.Fatalf("SetWriteDeadline through the stack: %v", err)
	}
}
