// SPDX-License-Identifier: AGPL-3.0-or-later

// Package ratelimit throttles brute force and request floods in memory:
// Failures counts failed logins per key, and Buckets meters requests per key
// with token buckets. Both bound their memory by a maximum number of keys,
// so an attacker who cycles through keys cannot grow them without limit.
//
// State lives in the memory of one process, as Amparo runs as one; a
// restart clears it, blocks included.
package ratelimit

import (
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

// maxBackoffFactor caps the growth of the block: a block never outlasts
// maxBackoffFactor windows (2 hours at production settings, 10 failures per
// 15 minutes), so no lockout is permanent.
const maxBackoffFactor = 8

// Failures throttles password guessing per key (an account). Up to max
// failures are allowed within window; then the key is blocked until the
// oldest of those failures ages out of the window. Each block that follows
// without a success doubles the window the failures are counted over, and so
// the block, up to maxBackoffFactor windows: a steady attacker gets max
// guesses per 15, 30, 60, 120, 120, ... minutes. A success clears the key;
// a key with no failure for twice the longest block (4 hours) starts afresh.
//
// Blocking is per account, so an attacker can keep a real person locked out
// by guessing at their account; the block is never permanent, and login
// answers an unknown account exactly as a known one, so blocks cannot be used
// to find accounts.
//
// Memory holds at most maxKeys keys. When a new key arrives and the table is
// full, Failures evicts the key whose last failure is oldest among keys that
// are not blocked, so a blocked key cannot escape by being pushed out. Only
// if every key is blocked does it evict the one whose block ends soonest;
// choose maxKeys so that filling the table with blocked keys (maxKeys × max
// failures at the rate login can hash) takes longer than the longest block,
// and that case cannot free a key early. Evicting an unblocked key forgets up
// to max-1 recent failures and its backoff; that is the price of bounded
// memory, and falls on the least recently active key.
//
// A Failures is safe for concurrent use.
type Failures struct {
	clock  clock.Clock
	max    int
	window time.Duration
	// maxKeys bounds keys.len().
	maxKeys int

	mu   sync.Mutex // guards keys and every failureState in it
	keys *lru[failureState]
}

// failureState is one key's record. The lru order is by last failure.
type failureState struct {
	// fails holds the times of the most recent failures, oldest first, at
	// most max of them: older ones cannot affect a decision.
	fails []time.Time
	// strikes counts the blocks since the last success or fresh start.
	strikes int
	// until is the end of the current or last block; zero if none.
	until time.Time
}

// NewFailures returns a Failures that blocks a key after max failures within
// window, tracking at most maxKeys keys. Production uses max 10 and window
// 15 minutes. Each key costs about 200 bytes plus 24 per allowed failure. It panics if max, window or maxKeys is not positive, which is a
// programming error.
func NewFailures(c clock.Clock, max int, window time.Duration, maxKeys int) *Failures {
	if max < 1 || window <= 0 || maxKeys < 1 {
		panic("ratelimit: NewFailures needs max >= 1, window > 0 and maxKeys >= 1")
	}
	return &Failures{clock: c, max: max, window: window, maxKeys: maxKeys, keys: newLRU[failureState]()}
}

// Check reports whether key is blocked now and, if so, how long until it is
// not. Call it before verifying a password, and refuse without verifying
// while blocked (HTTP 429, with Retry-After rounded up to whole seconds).
// Check does not record anything.
func (f *Failures) Check(key string) (retryAfter time.Duration, blocked bool) {
	now := f.clock.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.keys.get(key)
	if s == nil || !now.Before(s.until) {
		return 0, false
	}
	return s.until.Sub(now), true
}

// Fail records a failed attempt for key, and blocks the key when it reaches
// max failures within its current window. A failure recorded while the key
// is already blocked (a request that passed Check before the block) counts
// towards later decisions but does not lengthen the block in force.
func (f *Failures) Fail(key string) {
	now := f.clock.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.keys.get(key)
	switch {
	case s == nil:
		f.makeRoom(now)
		s = f.keys.add(key, failureState{fails: make([]time.Time, 0, f.max)})
	case now.Sub(s.fails[len(s.fails)-1]) >= f.forgetAfter():
		*s = failureState{fails: s.fails[:0]}
		f.keys.touch(key)
	default:
		f.keys.touch(key)
	}
	if len(s.fails) == f.max {
		copy(s.fails, s.fails[1:])
		s.fails = s.fails[:f.max-1]
	}
	s.fails = append(s.fails, now)

	if now.Before(s.until) || len(s.fails) < f.max {
		return
	}
	oldest := s.fails[0]
	if now.Sub(oldest) >= f.span(s.strikes) {
		return
	}
	if s.strikes < maxStrikes {
		s.strikes++
	}
	s.until = oldest.Add(f.span(s.strikes))
}

// Succeed forgets key, after a successful login.
func (f *Failures) Succeed(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys.remove(key)
}

// maxStrikes is the number of strikes at which span reaches its cap;
// counting further would change nothing.
const maxStrikes = 4 // 2^(4-1) = maxBackoffFactor

// span is the window failures are counted over, and the length of a block
// measured from its oldest failure, after the given number of strikes:
// window for 0 and 1, then doubling, capped at maxBackoffFactor windows.
func (f *Failures) span(strikes int) time.Duration {
	factor := 1
	for i := 1; i < strikes && factor < maxBackoffFactor; i++ {
		factor *= 2
	}
	return time.Duration(factor) * f.window
}

// forgetAfter is how long after its last failure a key starts afresh: twice
// the longest block. It must exceed the longest block, or an attacker who
// waits out each block exactly would find the backoff reset every time.
func (f *Failures) forgetAfter() time.Duration {
	return 2 * maxBackoffFactor * f.window
}

// makeRoom evicts one key if the table is full, as the Failures comment
// describes. f.mu must be held.
func (f *Failures) makeRoom(now time.Time) {
	if f.keys.len() < f.maxKeys {
		return
	}
	var victim, soonest string
	var found, anyBlocked bool
	var soonestUntil time.Time
	for key, s := range f.keys.oldestFirst() {
		if !now.Before(s.until) {
			victim, found = key, true
			break
		}
		if !anyBlocked || s.until.Before(soonestUntil) {
			soonest, soonestUntil, anyBlocked = key, s.until, true
		}
	}
	if !found {
		victim = soonest
	}
	f.keys.remove(victim)
}
