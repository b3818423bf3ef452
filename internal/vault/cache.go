// SPDX-License-Identifier: AGPL-3.0-or-later

package vault

import (
	"container/list"
	"crypto/cipher"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

// Cache limits. Every read of a person or case opens several fields under one
// data key, so unwrapped keys are kept in memory, but not for ever:
const (
	// cacheMax bounds the number of unwrapped keys held (least recently
	// used goes first); at about 200 bytes each this is under 1 MiB.
	cacheMax = 4096
	// cacheTTL is how long a key stays cached after it was read from the
	// database, however often it is used. It is the erasure bound for other
	// processes sharing the database: they cannot see this process's
	// EraseKey, so they may open data under an erased key for at most this
	// long.
	cacheTTL = 5 * time.Minute
	// erasedHold is how long EraseKey stops a key from being cached again.
	// A reader that loaded the row before the erasing transaction committed
	// must not put the key back afterwards, so this must outlast any
	// transaction plus any read in flight when it commits.
	erasedHold = 15 * time.Minute
	// minSweep is the smallest number of erased ids kept before expired
	// ones are swept out.
	minSweep = 1024
)

// dekCache holds unwrapped data keys, ready to use, by key id. It is safe for
// concurrent use.
type dekCache struct {
	clock clock.Clock

	mu sync.Mutex // guards every field below
	// lru holds *cacheEntry, most recently used at the front; byID indexes it.
	lru  *list.List
	byID map[string]*list.Element
	// erased maps ids passed to evict to the time until which put ignores
	// them.
	erased map[string]time.Time
	// sweepAt is the size of erased at which expired ids are next removed,
	// so the map stays proportional to the erasures of the last erasedHold.
	sweepAt int
}

type cacheEntry struct {
	id      string
	aead    cipher.AEAD
	expires time.Time
}

func newDEKCache(c clock.Clock) *dekCache {
	return &dekCache{
		clock:   c,
		lru:     list.New(),
		byID:    map[string]*list.Element{},
		erased:  map[string]time.Time{},
		sweepAt: minSweep,
	}
}

// get returns the cached cipher for id, or false if it is absent or expired.
func (c *dekCache) get(id string) (cipher.AEAD, bool) {
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byID[id]
	if !ok {
		return nil, false
	}
	e := el.Value.(*cacheEntry)
	if !now.Before(e.expires) {
		c.lru.Remove(el)
		delete(c.byID, id)
		return nil, false
	}
	c.lru.MoveToFront(el)
	return e.aead, true
}

// put caches a for id unless id was evicted within erasedHold, dropping the
// least recently used entry when full.
func (c *dekCache) put(id string, a cipher.AEAD) {
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if until, ok := c.erased[id]; ok && now.Before(until) {
		return
	}
	if el, ok := c.byID[id]; ok {
		c.lru.Remove(el)
		delete(c.byID, id)
	}
	for c.lru.Len() >= cacheMax {
		oldest := c.lru.Back()
		c.lru.Remove(oldest)
		delete(c.byID, oldest.Value.(*cacheEntry).id)
	}
	c.byID[id] = c.lru.PushFront(&cacheEntry{id: id, aead: a, expires: now.Add(cacheTTL)})
}

// evict removes id and keeps it out of the cache for erasedHold.
func (c *dekCache) evict(id string) {
	now := c.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		c.lru.Remove(el)
		delete(c.byID, id)
	}
	c.erased[id] = now.Add(erasedHold)
	if len(c.erased) >= c.sweepAt {
		for k, until := range c.erased {
			if !now.Before(until) {
				delete(c.erased, k)
			}
		}
		c.sweepAt = max(minSweep, 2*len(c.erased))
	}
}
