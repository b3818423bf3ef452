// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/amparo-project/amparo/internal/requestid"
)

// RequestID gives every request a fresh id of 16 random bytes in hex, stored
// in the request context (through package requestid, so that domain code and
// the audit log can read it without importing HTTP) and sent back in the
// X-Request-Id response header. An incoming X-Request-Id is ignored: a
// client-chosen id could collide with another request's and confuse the
// audit trail, or carry text into the logs.
func RequestID() Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := newRequestID()
			w.Header().Set("X-Request-Id", id)
			next.ServeHTTP(w, r.WithContext(requestid.With(r.Context(), id)))
		})
	}
}

// RequestIDFrom returns the id RequestID gave the request whose context is
// ctx, or "" when the request did not pass through RequestID.
func RequestIDFrom(ctx context.Context) string {
	return requestid.From(ctx)
}

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms.
	return hex.EncodeToString(b)
}
