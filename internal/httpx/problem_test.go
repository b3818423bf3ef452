// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteProblem(t *testing.T) {
	tests := []struct {
		name     string
		errs     []FieldError
		withID   bool
		wantJSON string
	}{
		{
			name:     "without field errors or request id",
			wantJSON: `{"type":"urn:amparo:problem:validation.failed","title":"Invalid input","status":422,"code":"validation.failed"}`,
		},
		{
			name: "with field errors",
			errs: []FieldError{{Field: "email", Code: "required"}, {Field: "birth_date", Code: "invalid", Row: 7}},
			wantJSON: `{"type":"urn:amparo:problem:validation.failed","title":"Invalid input","status":422,"code":"validation.failed",` +
				`"errors":[{"field":"email","code":"required"},{"field":"birth_date","code":"invalid","row":7}]}`,
		},
		{
			name:   "with request id",
			withID: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var id string
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				id = RequestIDFrom(r.Context())
				w.Header().Set("Content-Length", "999")
				WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "Invalid input", tt.errs...)
			})
			var handler http.Handler = h
			if tt.withID {
				handler = RequestID()(h)
			}
			rec := serve(handler, httptest.NewRequest(http.MethodPost, "/", nil))
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d", rec.Code)
			}
			if rec.Header().Get("Content-Length") == "999" {
				t.Error("a stale Content-Length survived")
			}
			body := strings.TrimSpace(rec.Body.String())
			p := decodeProblem(t, rec)
			if tt.withID {
				if p.RequestID == "" || p.RequestID != id {
					t.Errorf("request_id = %q, want %q", p.RequestID, id)
				}
				return
			}
			if body != tt.wantJSON {
				t.Errorf("body =\n%s\nwant\n%s", body, tt.wantJSON)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Length", "999")
	WriteJSON(rec, http.StatusCreated, map[string]any{"id": "abc", "html": "<script>"})
	if rec.Code != http.StatusCreated {
		t.Fatalf("status = %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if rec.Header().Get("Content-Length") == "999" {
		t.Error("a stale Content-Length survived")
	}
	var got map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got["id"] != "abc" {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	if strings.Contains(rec.Body.String(), "<script>") {
		t.Error("HTML in JSON not escaped")
	}
}

// An unencodable value must panic before anything is written, naming the
// type but not the value, so Recover can still send a clean 500.
func TestWriteJSONUnencodable(t *testing.T) {
	logger, logs := newLogger()
	h := Chain(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]float64{"SNTL-key": math.NaN()})
	}), RequestID(), Recover(logger))
	rec := serve(h, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	if p := decodeProblem(t, rec); p.Code != "internal" {
		t.Errorf("code = %q", p.Code)
	}
	if strings.Contains(logs.String(), "SNTL") {
		t.Errorf("log holds the value: %s", logs.String())
	}
	if !strings.Contains(logs.String(), "WriteJSON") {
		t.Errorf("log stack does not lead to WriteJSON: %s", logs.String())
	}
}
