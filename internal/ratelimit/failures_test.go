// SPDX-License-Identifier: AGPL-3.0-or-later

package ratelimit

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

var start = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

const (
	prodMax    = 10
	prodWindow = 15 * time.Minute
)

// failN records n failures for key, each allowed by Check first, as login
// does.
func failN(t *testing.T, f *Failures, key string, n int) {
	t.Helper()
	for i := range n {
		if d, blocked := f.Check(key); blocked {
			t.Fatalf("attempt %d for %q blocked (Retry-After %v), want allowed", i+1, key, d)
		}
		f.Fail(key)
	}
}

func TestFailuresBlocksAfterMax(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 100)
	failN(t, f, "ana", prodMax)
	d, blocked := f.Check("ana")
	if !blocked || d <= 0 {
		t.Fatalf("11th Check() = %v, %v, want blocked with Retry-After > 0", d, blocked)
	}
	if d != prodWindow {
		t.Fatalf("Retry-After = %v, want %v (until the oldest failure ages out)", d, prodWindow)
	}
}

func TestFailuresUnblocksWhenOldestAgesOut(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 100)
	// Failures one minute apart: the block lasts until the first is 15
	// minutes old.
	for range prodMax {
		failN(t, f, "ana", 1)
		c.Advance(time.Minute)
	}
	d, blocked := f.Check("ana")
	if want := prodWindow - prodMax*time.Minute; !blocked || d != want {
		t.Fatalf("Check() = %v, %v, want blocked for %v", d, blocked, want)
	}
	c.Advance(d - time.Second)
	if _, blocked := f.Check("ana"); !blocked {
		t.Fatal("unblocked one second early")
	}
	c.Advance(time.Second)
	if d, blocked := f.Check("ana"); blocked {
		t.Fatalf("still blocked (Retry-After %v) once the oldest failure left the window", d)
	}
}

func TestFailuresBackoffGrowsAndEnds(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 100)
	wants := []time.Duration{
		prodWindow, 2 * prodWindow, 4 * prodWindow, 8 * prodWindow,
		8 * prodWindow, 8 * prodWindow, // capped: never permanent
	}
	for round, want := range wants {
		failN(t, f, "ana", prodMax)
		d, blocked := f.Check("ana")
		if !blocked || d != want {
			t.Fatalf("round %d: Check() = %v, %v, want blocked for %v", round+1, d, blocked, want)
		}
		c.Advance(d)
		if d, blocked := f.Check("ana"); blocked {
			t.Fatalf("round %d: still blocked (Retry-After %v) after Retry-After passed", round+1, d)
		}
	}
	// A quiet spell of twice the longest block restarts the backoff; one
	// second less does not.
	c.Advance(2*maxBackoffFactor*prodWindow - maxBackoffFactor*prodWindow - time.Second)
	failN(t, f, "ana", prodMax)
	if d, _ := f.Check("ana"); d != maxBackoffFactor*prodWindow {
		t.Fatalf("after a short quiet spell Retry-After = %v, want %v", d, maxBackoffFactor*prodWindow)
	}
	c.Advance(2 * maxBackoffFactor * prodWindow)
	failN(t, f, "ana", prodMax)
	if d, _ := f.Check("ana"); d != prodWindow {
		t.Fatalf("after a quiet spell Retry-After = %v, want %v", d, prodWindow)
	}
}

func TestFailuresSlowGuessingNotBlocked(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 100)
	// One failure every 100 s is 9 per 15 minutes: never blocked.
	for range 50 {
		failN(t, f, "ana", 1)
		c.Advance(100 * time.Second)
	}
}

func TestFailuresSucceedClears(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 100)
	failN(t, f, "ana", prodMax-1)
	f.Succeed("ana")
	failN(t, f, "ana", prodMax) // a full allowance again
	if _, blocked := f.Check("ana"); !blocked {
		t.Fatal("not blocked after max failures")
	}
	f.Succeed("ana")
	if d, blocked := f.Check("ana"); blocked {
		t.Fatalf("blocked (Retry-After %v) after Succeed", d)
	}
}

func TestFailuresKeysIndependent(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 100)
	failN(t, f, "ana", prodMax)
	failN(t, f, "bo", prodMax-1)
	tests := []struct {
		key         string
		wantBlocked bool
	}{
		{"ana", true},
		{"bo", false},
		{"never seen", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if _, blocked := f.Check(tt.key); blocked != tt.wantBlocked {
				t.Fatalf("Check(%q) blocked = %v, want %v", tt.key, blocked, tt.wantBlocked)
			}
		})
	}
	f.Succeed("bo")
	if _, blocked := f.Check("ana"); !blocked {
		t.Fatal("Succeed on one key unblocked another")
	}
}

func TestFailuresMaxKeys(t *testing.T) {
	const maxKeys = 5
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, maxKeys)
	failN(t, f, "victim", prodMax)

	// An attacker cycling keys: the table stays bounded, and the blocked
	// key is never the one evicted.
	for i := range 1000 {
		f.Fail(fmt.Sprintf("cycle-%d", i))
		c.Advance(time.Millisecond)
		if n := f.keys.len(); n > maxKeys {
			t.Fatalf("after %d keys the table holds %d, want <= %d", i+1, n, maxKeys)
		}
	}
	if _, blocked := f.Check("victim"); !blocked {
		t.Fatal("blocked key escaped by eviction")
	}
	// The most recent cycled key kept its failure; the oldest did not.
	if f.keys.get("cycle-999") == nil || f.keys.get("cycle-0") != nil {
		t.Fatal("eviction did not remove the least recently failed key")
	}
}

func TestFailuresMaxKeysAllBlocked(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 2)
	failN(t, f, "early", prodMax)
	c.Advance(time.Minute)
	failN(t, f, "late", prodMax)
	// With every key blocked, the one whose block ends soonest goes.
	f.Fail("new")
	if n := f.keys.len(); n != 2 {
		t.Fatalf("table holds %d keys, want 2", n)
	}
	if _, blocked := f.Check("early"); blocked {
		t.Fatal("want the key with the soonest-ending block evicted")
	}
	if _, blocked := f.Check("late"); !blocked {
		t.Fatal("the key with the later block was evicted")
	}
}

func TestFailuresConcurrent(t *testing.T) {
	c := clock.NewFake(start)
	f := NewFailures(c, prodMax, prodWindow, 16)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				key := fmt.Sprintf("k%d", (g+i)%24)
				f.Check(key)
				f.Fail(key)
				if i%50 == 0 {
					f.Succeed(key)
					c.Advance(time.Second)
				}
			}
		})
	}
	wg.Wait()
	if n := f.keys.len(); n > 16 {
		t.Fatalf("table holds %d keys, want <= 16", n)
	}
}

func TestNewFailuresRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name    string
		max     int
		window  time.Duration
		maxKeys int
	}{
		{"zero max", 0, prodWindow, 10},
		{"zero window", prodMax, 0, 10},
		{"zero maxKeys", prodMax, prodWindow, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("NewFailures did not panic")
				}
			}()
			NewFailures(clock.NewFake(start), tt.max, tt.window, tt.maxKeys)
		})
	}
}
