// SPDX-License-Identifier: AGPL-3.0-or-later

package password

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// cheapParams keep tests of the throttle and of parsing fast; the tests that
// check production parameters use NewHasher.
var cheapParams = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashStoresProductionParams(t *testing.T) {
	h := NewHasher(4)
	phc, err := h.Hash(context.Background(), "correct horse battery")
	if err != nil {
		t.Fatalf("Hash() error = %v", err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Fatalf("Hash() = %q, want prefix $argon2id$v=19$m=65536,t=3,p=4$", phc)
	}
	p, salt, key, err := ParsePHC(phc)
	if err != nil {
		t.Fatalf("ParsePHC(Hash()) error = %v", err)
	}
	if p.Memory != 65536 || p.Time != 3 || p.Threads != 4 {
		t.Fatalf("params = %+v, want m=65536 t=3 p=4", p)
	}
	if len(salt) != 16 || len(key) != 32 {
		t.Fatalf("salt %d bytes, key %d bytes, want 16 and 32", len(salt), len(key))
	}
	if h.NeedsRehash(phc) {
		t.Fatal("NeedsRehash(fresh hash) = true, want false")
	}
	if strings.Contains(phc, "correct horse") {
		t.Fatal("PHC string contains the password")
	}
}

func TestVerify(t *testing.T) {
	h := NewHasher(4)
	ctx := context.Background()
	const pw = "correct horse battery"
	phc, err := h.Hash(ctx, pw)
	if err != nil {
		t.Fatalf("Hash() error = %v", err)
	}
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{"right password", pw, true},
		{"wrong password", "correct horse batterz", false},
		{"different case", "Correct horse battery", false},
		{"prefix", "correct horse batter", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(ctx, tt.pw, phc)
			if err != nil || ok != tt.want {
				t.Fatalf("Verify() = %v, %v, want %v, nil", ok, err, tt.want)
			}
		})
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	h := newHasher(1, cheapParams)
	ctx := context.Background()
	a, errA := h.Hash(ctx, "same password here")
	b, errB := h.Hash(ctx, "same password here")
	if errA != nil || errB != nil {
		t.Fatalf("Hash() errors = %v, %v", errA, errB)
	}
	if a == b {
		t.Fatal("two hashes of one password are equal; salt is not random")
	}
}

func TestVerifyReadsParamsFromString(t *testing.T) {
	ctx := context.Background()
	old := newHasher(1, cheapParams)
	phc, err := old.Hash(ctx, "correct horse battery")
	if err != nil {
		t.Fatalf("Hash() error = %v", err)
	}
	// A Hasher with other target parameters still verifies the old hash, and
	// says it should be upgraded.
	h := newHasher(1, Params{Memory: 128, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32})
	ok, err := h.Verify(ctx, "correct horse battery", phc)
	if err != nil || !ok {
		t.Fatalf("Verify(old hash) = %v, %v, want true, nil", ok, err)
	}
	if !h.NeedsRehash(phc) {
		t.Fatal("NeedsRehash(old hash) = false, want true")
	}
	if old.NeedsRehash(phc) {
		t.Fatal("NeedsRehash(current hash) = true, want false")
	}
	if !h.NeedsRehash("not a hash") {
		t.Fatal("NeedsRehash(garbage) = false, want true")
	}
}

func TestVerifyRejectsTampered(t *testing.T) {
	ctx := context.Background()
	h := newHasher(1, cheapParams)
	const pw = "correct horse battery"
	phc, err := h.Hash(ctx, pw)
	if err != nil {
		t.Fatalf("Hash() error = %v", err)
	}
	fields := strings.Split(phc, "$") // "", alg, version, params, salt, key
	flip := func(s string) string {
		c := byte('A')
		if s[0] == 'A' {
			c = 'B'
		}
		return string(c) + s[1:]
	}
	join := func(f ...string) string { return strings.Join(f, "$") }
	tests := []struct {
		name    string
		phc     string
		wantErr error
	}{
		{"key changed", join("", fields[1], fields[2], fields[3], fields[4], flip(fields[5])), nil},
		{"salt changed", join("", fields[1], fields[2], fields[3], flip(fields[4]), fields[5]), nil},
		{"time changed", join("", fields[1], fields[2], "m=64,t=2,p=1", fields[4], fields[5]), nil},
		{"memory changed", join("", fields[1], fields[2], "m=72,t=1,p=1", fields[4], fields[5]), nil},
		{"algorithm changed", join("", "argon2i", fields[2], fields[3], fields[4], fields[5]), ErrMalformedHash},
		{"version changed", join("", fields[1], "v=16", fields[3], fields[4], fields[5]), ErrMalformedHash},
		{"key truncated", join("", fields[1], fields[2], fields[3], fields[4], fields[5][:20]), ErrMalformedHash},
		{"salt removed", join("", fields[1], fields[2], fields[3], "", fields[5]), ErrMalformedHash},
		{"memory bomb", join("", fields[1], fields[2], "m=4294967295,t=1,p=1", fields[4], fields[5]), ErrMalformedHash},
		{"empty", "", ErrMalformedHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := h.Verify(ctx, pw, tt.phc)
			if ok || !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify() = %v, %v, want false, %v", ok, err, tt.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), pw) {
				t.Fatalf("error %q contains the password", err)
			}
		})
	}
}

func TestVerifyDummyComputes(t *testing.T) {
	h := newHasher(1, cheapParams)
	var ran atomic.Int32
	h.hook = func(s stage) {
		if s == stageRunning {
			ran.Add(1)
		}
	}
	h.VerifyDummy(context.Background(), "some password")
	if got := ran.Load(); got != 1 {
		t.Fatalf("VerifyDummy ran %d computations, want 1", got)
	}
	// The dummy target has the shape of a real hash at current parameters,
	// so it costs what a Verify of a current hash costs.
	if len(h.dummySalt) != cheapParams.SaltLen || len(h.dummyKey) != cheapParams.KeyLen {
		t.Fatalf("dummy salt %d bytes, key %d bytes, want %d and %d",
			len(h.dummySalt), len(h.dummyKey), cheapParams.SaltLen, cheapParams.KeyLen)
	}
}

// TestHasherBoundsInFlight launches 8 Hash calls on a Hasher with 2 slots.
// Each computation, once in its slot, waits for the test to let it finish,
// so the slots stay full while the other calls queue; a counter of
// computations in flight must never exceed 2 and must reach 2.
func TestHasherBoundsInFlight(t *testing.T) {
	const slots, calls = 2, 8
	h := newHasher(slots, cheapParams)
	var inFlight, peak atomic.Int32
	entered := make(chan struct{}, calls)
	release := make(chan struct{})
	h.hook = func(s stage) {
		switch s {
		case stageRunning:
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			entered <- struct{}{}
			<-release
		case stageDone:
			inFlight.Add(-1)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Go(func() {
			_, err := h.Hash(context.Background(), "correct horse battery")
			errs <- err
		})
	}
	// Fill both slots, then let one computation finish each time another
	// starts, keeping the Hasher saturated until the queue is empty.
	<-entered
	for range calls - 1 {
		<-entered
		release <- struct{}{}
	}
	release <- struct{}{}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Hash() error = %v", err)
		}
	}
	if got := peak.Load(); got != slots {
		t.Fatalf("peak computations in flight = %d, want %d", got, slots)
	}
	if got := inFlight.Load(); got != 0 {
		t.Fatalf("computations in flight after all returned = %d, want 0", got)
	}
}

// TestHashCancelledWhileWaiting holds the only slot and cancels a second
// call while it waits for it.
func TestHashCancelledWhileWaiting(t *testing.T) {
	h := newHasher(1, cheapParams)
	waiting := make(chan struct{}, 2)
	running := make(chan struct{}, 1)
	release := make(chan struct{})
	h.hook = func(s stage) {
		switch s {
		case stageWaiting:
			waiting <- struct{}{}
		case stageRunning:
			running <- struct{}{}
			<-release
		}
	}
	holder := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "first password")
		holder <- err
	}()
	<-waiting
	<-running

	tests := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Hash", func(ctx context.Context) error {
			_, err := h.Hash(ctx, "second password")
			return err
		}},
		{"Verify", func(ctx context.Context) error {
			_, err := h.Verify(ctx, "second password", validPHC)
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- tt.call(ctx) }()
			<-waiting // the call is past its first ctx check and queues for the slot
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("error = %v, want context.Canceled", err)
			}
		})
	}

	close(release)
	if err := <-holder; err != nil {
		t.Fatalf("holder Hash() error = %v", err)
	}
}

func TestHashEndedContext(t *testing.T) {
	h := newHasher(1, cheapParams)
	var ran atomic.Int32
	h.hook = func(s stage) {
		if s == stageRunning {
			ran.Add(1)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.Hash(ctx, "correct horse battery"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash() error = %v, want context.Canceled", err)
	}
	h.VerifyDummy(ctx, "correct horse battery")
	if got := ran.Load(); got != 0 {
		t.Fatalf("%d computations ran on an ended context, want 0", got)
	}
}

func TestNewHasherRejectsZeroSlots(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewHasher(0) did not panic")
		}
	}()
	NewHasher(0)
}
