// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"

	"github.com/amparo-project/amparo/internal/requestid"
)

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestRequestID(t *testing.T) {
	var seenCtx, seenDomain string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /x", func(w http.ResponseWriter, r *http.Request) {
		seenCtx = RequestIDFrom(r.Context())
		seenDomain = requestid.From(r.Context())
	})
	h := Chain(mux, RequestID())

	seen := map[string]bool{}
	for range 100 {
		req := httptest.NewRequest(http.MethodGet, "/x", nil)
		req.Header.Set("X-Request-Id", "client-chosen-SNTL")
		rec := serve(h, req)
		id := rec.Header().Get("X-Request-Id")
		if !hexID.MatchString(id) {
			t.Fatalf("X-Request-Id = %q, want 32 hex digits (the client's value must be ignored)", id)
		}
		if seenCtx != id || seenDomain != id {
			t.Fatalf("context id %q / requestid.From %q, header %q", seenCtx, seenDomain, id)
		}
		if seen[id] {
			t.Fatalf("duplicate request id %q", id)
		}
		seen[id] = true
	}
}

func TestRequestIDFromWithoutMiddleware(t *testing.T) {
	if got := RequestIDFrom(httptest.NewRequest(http.MethodGet, "/", nil).Context()); got != "" {
		t.Fatalf("RequestIDFrom = %q, want empty", got)
	}
}
