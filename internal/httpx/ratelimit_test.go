// SPDX-License-Identifier: AGPL-3.0-or-later

package httpx

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	tests := []struct {
		name           string
		wait           time.Duration
		wantRetryAfter string
	}{
		{"whole seconds", 3 * time.Second, "3"},
		{"rounded up", 1500 * time.Millisecond, "2"},
		{"just over", 2*time.Second + time.Nanosecond, "3"},
		{"under a second", 10 * time.Millisecond, "1"},
		{"zero", 0, "1"},
		{"negative", -time.Second, "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[string]int{}
			allow := func(key string) (time.Duration, bool) {
				mu.Lock()
				defer mu.Unlock()
				seen[key]++
				return tt.wait, seen[key] <= 2
			}
			served := 0
			mux := http.NewServeMux()
			mux.HandleFunc("POST /login", func(http.ResponseWriter, *http.Request) { served++ })
			h := Chain(mux, RequestID(), RateLimit(ClientIP, allow))

			for i := range 4 {
				req := httptest.NewRequest(http.MethodPost, "/login", nil)
				req.RemoteAddr = fmt.Sprintf("192.0.2.7:%d", 4000+i) // Same client, new port each time.
				rec := serve(h, req)
				if i < 2 {
					if rec.Code != http.StatusOK {
						t.Fatalf("request %d: status %d, want 200", i, rec.Code)
					}
					continue
				}
				if rec.Code != http.StatusTooManyRequests {
					t.Fatalf("request %d: status %d, want 429", i, rec.Code)
				}
				if got := rec.Header().Get("Retry-After"); got != tt.wantRetryAfter {
					t.Errorf("Retry-After = %q, want %q", got, tt.wantRetryAfter)
				}
				if p := decodeProblem(t, rec); p.Code != "rate_limited" || p.RequestID == "" {
					t.Errorf("problem = %+v", p)
				}
			}
			if served != 2 {
				t.Errorf("handler ran %d times, want 2", served)
			}
			if seen["192.0.2.7"] != 4 || len(seen) != 1 {
				t.Errorf("keys = %v, want four calls for 192.0.2.7", seen)
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		name       string
		remoteAddr string
		forwarded  string
		want       string
	}{
		{"ipv4", "192.0.2.1:1234", "", "192.0.2.1"},
		{"ipv6", "[2001:db8::1]:443", "", "2001:db8::1"},
		{"ipv6 non-canonical", "[2001:0db8:0000::0001]:443", "", "2001:db8::1"},
		{"ipv4-mapped ipv6", "[::ffff:192.0.2.1]:80", "", "192.0.2.1"},
		{"forwarding headers ignored", "192.0.2.1:1234", "203.0.113.9", "192.0.2.1"},
		{"not an address", "@", "", "@"},
		{"empty", "", "203.0.113.9", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.remoteAddr
			if tt.forwarded != "" {
				r.Header.Set("X-Forwarded-For", tt.forwarded)
				r.Header.Set("X-Real-Ip", tt.forwarded)
				r.Header.Set("Forwarded", "for="+tt.forwarded)
			}
			if got := ClientIP(r); got != tt.want {
				t.Fatalf("ClientIP = %q, want %q", got, tt.want)
			}
		})
	}
}
