// SPDX-License-Identifier: AGPL-3.0-or-later

package ratelimit

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

func TestBucketsBurstThrottleRefill(t *testing.T) {
	c := clock.NewFake(start)
	b := NewBuckets(c, 2, 3, 100) // 2 per second, burst 3
	allow := func(step string, want bool) time.Duration {
		t.Helper()
		d, ok := b.Allow("ip")
		if ok != want {
			t.Fatalf("%s: Allow() ok = %v, want %v", step, ok, want)
		}
		if ok && d != 0 {
			t.Fatalf("%s: Allow() = %v on success, want 0", step, d)
		}
		return d
	}
	for i := range 3 {
		allow(fmt.Sprintf("burst %d", i+1), true)
	}
	if d := allow("over burst", false); d != 500*time.Millisecond {
		t.Fatalf("Retry-After = %v, want 500ms", d)
	}
	c.Advance(250 * time.Millisecond)
	if d := allow("half a token", false); d != 250*time.Millisecond {
		t.Fatalf("Retry-After = %v, want 250ms", d)
	}
	c.Advance(250 * time.Millisecond)
	allow("one token refilled", true)
	allow("empty again", false)

	// A long idle refills to burst, not beyond.
	c.Advance(time.Hour)
	for i := range 3 {
		allow(fmt.Sprintf("refilled burst %d", i+1), true)
	}
	allow("over refilled burst", false)
}

func TestBucketsKeysIndependent(t *testing.T) {
	c := clock.NewFake(start)
	b := NewBuckets(c, 1, 1, 100)
	if _, ok := b.Allow("a"); !ok {
		t.Fatal("first request from a refused")
	}
	if _, ok := b.Allow("a"); ok {
		t.Fatal("second request from a allowed")
	}
	if _, ok := b.Allow("b"); !ok {
		t.Fatal("a's usage throttled b")
	}
}

func TestBucketsUnlimited(t *testing.T) {
	for _, rate := range []float64{0, -1} {
		t.Run(fmt.Sprint(rate), func(t *testing.T) {
			b := NewBuckets(clock.NewFake(start), rate, 0, 0)
			for i := range 1000 {
				if d, ok := b.Allow(fmt.Sprint(i % 3)); !ok || d != 0 {
					t.Fatalf("Allow() = %v, %v, want 0, true", d, ok)
				}
			}
			if n := b.keys.len(); n != 0 {
				t.Fatalf("unlimited Buckets stored %d keys, want 0", n)
			}
		})
	}
}

func TestBucketsMaxKeys(t *testing.T) {
	const maxKeys = 10
	c := clock.NewFake(start)
	b := NewBuckets(c, 1, 2, maxKeys)
	b.Allow("hot")
	b.Allow("hot")
	for i := range 1000 {
		b.Allow(fmt.Sprintf("cycle-%d", i))
		if n := b.keys.len(); n > maxKeys {
			t.Fatalf("after %d keys the table holds %d, want <= %d", i+1, n, maxKeys)
		}
		if i%5 == 0 {
			// A key in steady use stays, and stays throttled.
			if _, ok := b.Allow("hot"); ok {
				t.Fatalf("hot key allowed after %d cycled keys", i+1)
			}
		}
	}
}

func TestBucketsClockStepsBack(t *testing.T) {
	c := clock.NewFake(start)
	b := NewBuckets(c, 1, 1, 10)
	b.Allow("ip")
	c.Set(start.Add(-time.Hour))
	if _, ok := b.Allow("ip"); ok {
		t.Fatal("a clock stepping back refilled the bucket")
	}
}

func TestBucketsConcurrent(t *testing.T) {
	c := clock.NewFake(start)
	b := NewBuckets(c, 1, 5, 8)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				if _, ok := b.Allow(fmt.Sprintf("k%d", (g+i)%4)); ok {
					allowed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	// Four keys, never evicted (maxKeys 8), clock standing still: exactly
	// four bursts of five get through.
	if got := allowed.Load(); got != 20 {
		t.Fatalf("%d requests allowed, want 20", got)
	}
}

func TestNewBucketsRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name           string
		burst, maxKeys int
	}{
		{"zero burst", 0, 10},
		{"zero maxKeys", 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("NewBuckets did not panic")
				}
			}()
			NewBuckets(clock.NewFake(start), 1, tt.burst, tt.maxKeys)
		})
	}
}
