// SPDX-License-Identifier: AGPL-3.0-or-later

package ratelimit

import (
	"math"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

// Buckets meters requests per key (for example a client address) with token
// buckets: each key may make burst requests at once, then one more every
// 1/ratePerSecond seconds.
//
// Memory holds at most maxKeys keys. When a new key arrives and the table is
// full, Buckets evicts the least recently used key. A bucket idle for
// burst/ratePerSecond seconds has refilled and holds no information, so
// evicting it changes nothing; evicting a bucket that has not yet refilled
// hands its key a fresh burst, but only after maxKeys other keys were used
// more recently, which costs an attacker more requests than the burst gives
// back whenever maxKeys > burst.
//
// A Buckets is safe for concurrent use.
type Buckets struct {
	clock     clock.Clock
	rate      float64 // tokens per second; <= 0 means unlimited
	burst     float64
	maxKeys   int
	unlimited bool

	mu   sync.Mutex // guards keys and every bucket in it
	keys *lru[bucket]
}

// bucket is one key's token count as of last.
type bucket struct {
	tokens float64
	last   time.Time
}

// NewBuckets returns Buckets that allow burst requests at once per key and
// refill at ratePerSecond, tracking at most maxKeys keys. A ratePerSecond of
// zero or less means unlimited: Allow always succeeds and stores nothing.
// Otherwise it panics if burst or maxKeys is below 1, which is a programming
// error.
func NewBuckets(c clock.Clock, ratePerSecond float64, burst int, maxKeys int) *Buckets {
	b := &Buckets{clock: c, rate: ratePerSecond, burst: float64(burst), maxKeys: maxKeys, unlimited: ratePerSecond <= 0}
	if !b.unlimited && (burst < 1 || maxKeys < 1) {
		panic("ratelimit: NewBuckets needs burst >= 1 and maxKeys >= 1")
	}
	b.keys = newLRU[bucket]()
	return b
}

// Allow takes one token from key's bucket. If none is left it returns false
// and how long until one is (HTTP 429, with Retry-After rounded up to whole
// seconds); a refused request takes nothing.
func (b *Buckets) Allow(key string) (retryAfter time.Duration, ok bool) {
	if b.unlimited {
		return 0, true
	}
	now := b.clock.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.keys.get(key)
	if s == nil {
		if b.keys.len() >= b.maxKeys {
			b.keys.removeOldest()
		}
		s = b.keys.add(key, bucket{tokens: b.burst, last: now})
	} else {
		b.keys.touch(key)
		// A wall clock that steps back refills nothing rather than
		// draining the bucket.
		if elapsed := now.Sub(s.last); elapsed > 0 {
			s.tokens = math.Min(b.burst, s.tokens+elapsed.Seconds()*b.rate)
		}
		s.last = now
	}
	if s.tokens >= 1 {
		s.tokens--
		return 0, true
	}
	wait := math.Ceil((1 - s.tokens) / b.rate * float64(time.Second))
	if wait >= math.MaxInt64 {
		return math.MaxInt64, false // a rate so low that the wait overflows
	}
	return time.Duration(wait), false
}
