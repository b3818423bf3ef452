// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecover(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		wantType  string
		wantPanic string
	}{
		{"string with personal data", func(http.ResponseWriter, *http.Request) { panic("SNTL-name-1 not found") },
			"string", ""},
		{"error with personal data", func(http.ResponseWriter, *http.Request) { panic(errors.New("SNTL-email-2 rejected")) },
			"*errors.errorString", ""},
		{"runtime error", func(_ http.ResponseWriter, r *http.Request) {
			var s []int
			_ = s[len(r.URL.Path)]
		}, "runtime.boundsError", "runtime error: index out of range [7] with length 0"},
		{"headers set before panic", func(w http.ResponseWriter, _ *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "SNTL-token"})
			w.Header().Set("Content-Disposition", "attachment; filename=SNTL-file.csv")
			w.Header().Set("Content-Type", "text/csv")
			panic("SNTL-partial")
		}, "string", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logger, logs := newLogger()
			mux := http.NewServeMux()
			mux.Handle("GET /panics", Routed(tt.handler))
			h := Chain(mux, RequestID(), SecurityHeaders(false), AccessLog(logger), Recover(logger))
			rec := serve(h, httptest.NewRequest(http.MethodGet, "/panics", nil))

			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("status = %d, want 500", rec.Code)
			}
			body := rec.Body.String()
			p := decodeProblem(t, rec)
			if p.Code != "internal" || p.RequestID != rec.Header().Get("X-Request-Id") || p.RequestID == "" {
				t.Errorf("problem = %+v, header id %q", p, rec.Header().Get("X-Request-Id"))
			}
			for _, leak := range []string{"SNTL", "goroutine", "panic", "recover_test.go", "runtime error"} {
				if strings.Contains(body, leak) {
					t.Errorf("response body contains %q: %s", leak, body)
				}
			}
			for _, gone := range []string{"Set-Cookie", "Content-Disposition"} {
				if v := rec.Header().Get(gone); v != "" {
					t.Errorf("header %s = %q survived the panic", gone, v)
				}
			}
			if rec.Header().Get("Content-Security-Policy") == "" || rec.Header().Get("X-Request-Id") == "" {
				t.Errorf("outer headers lost: %v", rec.Header())
			}

			out := logs.String()
			if strings.Contains(out, "SNTL") {
				t.Errorf("log contains the panic value: %s", out)
			}
			var panicLine map[string]any
			for _, r := range logs.records(t) {
				if r["msg"] == "panic serving request" {
					panicLine = r
				}
			}
			if panicLine == nil {
				t.Fatalf("no panic log line: %s", out)
			}
			if panicLine["level"] != "ERROR" || panicLine["request_id"] != p.RequestID || panicLine["route"] != "GET /panics" {
				t.Errorf("panic line = %v", panicLine)
			}
			stack, _ := panicLine["stack"].(string)
			if !strings.Contains(stack, "recover_test.go") || !strings.Contains(stack, "goroutine") {
				t.Errorf("stack does not point at the panic: %q", stack)
			}
			if tt.wantType != "" && panicLine["panic_type"] != tt.wantType {
				t.Errorf("panic_type = %v, want %q", panicLine["panic_type"], tt.wantType)
			}
			if got, _ := panicLine["panic"].(string); got != tt.wantPanic {
				t.Errorf("panic = %q, want %q", got, tt.wantPanic)
			}
		})
	}
}

func TestRecoverAbortHandlerPassesThrough(t *testing.T) {
	logger, logs := newLogger()
	h := Recover(logger)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", p)
		}
		if logs.String() != "" {
			t.Errorf("ErrAbortHandler was logged: %s", logs.String())
		}
	}()
	serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
}

// A panic after the response started cannot become a clean 500; the
// connection must be cut so the client sees a broken response.
func TestRecoverAfterResponseStartedAbortsConnection(t *testing.T) {
	logger, logs := newLogger()
	mux := http.NewServeMux()
	mux.Handle("GET /half", Routed(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":1},`))
		w.(http.Flusher).Flush()
		panic("SNTL-late")
	})))
	srv := httptest.NewServer(Chain(mux, RequestID(), Recover(logger)))
	resp, err := srv.Client().Get(srv.URL + "/half")
	if err != nil {
		t.Fatal(err)
	}
	body, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	srv.Close()
	if readErr == nil {
		t.Fatalf("body read cleanly (%q); the connection should have been cut", body)
	}
	if strings.Contains(string(body), "internal") {
		t.Errorf("a problem was appended to a started response: %q", body)
	}
	if !strings.Contains(logs.String(), "panic serving request") {
		t.Errorf("the panic was not logged: %s", logs.String())
	}
}
