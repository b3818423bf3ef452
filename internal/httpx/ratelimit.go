// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"net/http"
	"net/netip"
	"strconv"
	"time"
)

// RateLimit asks allow whether the request, under the key keyFn picks for
// it (a client address, a principal, an account name), may proceed. allow
// returns ok, or how long the client should wait; the caller supplies the
// policy (typically a token bucket per key), which must be safe for
// concurrent use. A refused request gets 429 with code "rate_limited" and
// Retry-After in whole seconds, rounded up and at least 1, and never reaches
// the handler.
func RateLimit(keyFn func(*http.Request) string, allow func(key string) (time.Duration, bool)) Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			wait, ok := allow(keyFn(r))
			if !ok {
				w.Header().Set("Retry-After", strconv.FormatInt(retryAfterSeconds(wait), 10))
				WriteProblem(w, r, http.StatusTooManyRequests, codeRateLimited, "Too Many Requests")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// retryAfterSeconds rounds d up to whole seconds, with a floor of 1 so a
// client is never told to retry at once.
func retryAfterSeconds(d time.Duration) int64 {
	s := int64(d / time.Second)
	if d%time.Second != 0 {
		s++
	}
	return max(s, 1)
}

// ClientIP returns the address of the peer the connection came from, taken
// from r.RemoteAddr only, in canonical form (IPv4-mapped IPv6 addresses
// become IPv4). Forwarding headers such as X-Forwarded-For are not trusted:
// any client can send them. When RemoteAddr is not an IP and port (a Unix
// socket, a test), it is returned unchanged.
//
// Note for rate limiting: one IPv6 client usually holds a whole /64, so a
// per-address limit keyed on IPv6 is easy to step around.
func ClientIP(r *http.Request) string {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return ap.Addr().Unmap().String()
}
