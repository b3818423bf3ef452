// SPDX-License-Identifier: AGPL-3.0-or-later

package password

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"runtime/debug"
	"sync/atomic"
)

// Hasher hashes and verifies passwords with argon2id. Each computation holds
// 64 MiB for about 0.1 s, so a burst of logins could exhaust memory; a Hasher
// therefore lets at most maxInFlight computations run at once and makes the
// rest wait their turn. Production uses one Hasher with maxInFlight 4, which
// caps hashing memory at 256 MiB.
//
// A Hasher is safe for concurrent use.
type Hasher struct {
	// sem holds one token per running computation; its capacity is
	// maxInFlight.
	sem    chan struct{}
	params Params
	// dummySalt and dummyKey give VerifyDummy a target of the same shape as
	// a real stored hash. They are random so that no constant in the code
	// could ever match a real password.
	dummySalt []byte
	dummyKey  []byte
	// hook, if set, is told each stage of every computation. Only tests set
	// it, to count computations in flight without relying on timing.
	hook func(stage)
	// running counts computations in flight, so the last one to end can
	// return the memory.
	running atomic.Int64
}

// stage is a point in Hasher.compute reported to Hasher.hook.
type stage int

const (
	stageWaiting stage = iota // about to wait for a slot
	stageRunning              // holds a slot, about to derive the key
	stageDone                 // derived the key, about to free the slot
)

// NewHasher returns a Hasher that hashes with m=65536 KiB, t=3, p=4, a
// 16-byte salt and a 32-byte key, running at most maxInFlight computations at
// once. It panics if maxInFlight < 1, which is a programming error.
func NewHasher(maxInFlight int) *Hasher {
	return newHasher(maxInFlight, defaultParams)
}

// NewTestHasher returns a Hasher for test harnesses that create thousands
// of accounts: argon2id at its minimum cost (64 KiB, one pass, one lane),
// so that each hash takes microseconds instead of 64 MiB and a tenth of a
// second. Its hashes are ordinary PHC strings that any Hasher verifies (and
// NewHasher's would rehash). Never for a server: internal/app uses it only
// when a test passes it in its Options.
func NewTestHasher() *Hasher {
	return newHasher(4, Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32})
}

// newHasher is NewHasher with chosen parameters, so that tests of the
// throttle need not spend 64 MiB per computation.
func newHasher(maxInFlight int, p Params) *Hasher {
	if maxInFlight < 1 {
		panic("password: NewHasher needs maxInFlight >= 1")
	}
	h := &Hasher{
		sem:       make(chan struct{}, maxInFlight),
		params:    p,
		dummySalt: make([]byte, p.SaltLen),
		dummyKey:  make([]byte, p.KeyLen),
	}
	// crypto/rand.Read never returns an error since Go 1.24: it aborts the
	// program if the system's generator fails.
	_, _ = rand.Read(h.dummySalt)
	_, _ = rand.Read(h.dummyKey)
	return h
}

// Hash returns the PHC string for pw with a fresh random salt. It waits for a
// free slot; if ctx ends first it returns ctx.Err() without hashing. Hash
// does not apply Validate: callers validate a newly chosen password first.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	salt := make([]byte, h.params.SaltLen)
	_, _ = rand.Read(salt) // never fails; see newHasher
	key, err := h.compute(ctx, h.params, pw, salt)
	if err != nil {
		return "", err
	}
	return formatPHC(h.params, salt, key), nil
}

// Verify reports whether pw matches the stored PHC string. The parameters
// come from phc itself, so hashes made before a cost increase still verify;
// call NeedsRehash after a successful Verify to upgrade them. The key
// comparison takes constant time. A malformed phc returns false and
// ErrMalformedHash; an ended ctx returns false and ctx.Err().
func (h *Hasher) Verify(ctx context.Context, pw, phc string) (bool, error) {
	p, salt, want, err := ParsePHC(phc)
	if err != nil {
		return false, err
	}
	got, err := h.compute(ctx, p, pw, salt)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// VerifyDummy does the work of a Verify against a hash with the Hasher's
// current parameters, including waiting for a slot, and discards the result.
// Login calls it when the account does not exist, so that the response time
// and the answer do not reveal which accounts exist. Its cost matches Verify
// for hashes at current parameters, which NeedsRehash keeps the norm. If ctx
// ends while waiting it returns early; the caller's request is over then.
func (h *Hasher) VerifyDummy(ctx context.Context, pw string) {
	got, err := h.compute(ctx, h.params, pw, h.dummySalt)
	if err != nil {
		return
	}
	// The comparison's answer is always "no"; it is made so that the work
	// matches Verify's.
	_ = subtle.ConstantTimeCompare(got, h.dummyKey)
}

// NeedsRehash reports whether phc should be replaced by a new Hash of the
// same password: true when its parameters differ from the Hasher's, or when
// it does not parse.
func (h *Hasher) NeedsRehash(phc string) bool {
	p, _, _, err := ParsePHC(phc)
	return err != nil || p != h.params
}

// compute derives the key for pw once a slot is free. A ctx that has already
// ended returns at once, even if a slot is free.
func (h *Hasher) compute(ctx context.Context, p Params, pw string, salt []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	h.notify(stageWaiting)
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() {
		<-h.sem
		// Each hash leaves 64 MiB of garbage. When the last one in flight
		// ends, collect it and return it to the system at once, so a burst
		// of sign-ins does not leave the server holding hundreds of MiB.
		if h.running.Add(-1) == 0 {
			debug.FreeOSMemory()
		}
	}()
	h.running.Add(1)
	h.notify(stageRunning)
	defer h.notify(stageDone) // runs before the slot is freed
	return derive(p, pw, salt), nil
}

func (h *Hasher) notify(s stage) {
	if h.hook != nil {
		h.hook(s)
	}
}
