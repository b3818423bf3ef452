// SPDX-License-Identifier: AGPL-3.0-or-later

package vault

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

func TestCacheIsBounded(t *testing.T) {
	c := newDEKCache(clock.NewFake(time.Unix(0, 0)))
	a := mustAEAD(t)
	for i := range cacheMax + 10 {
		c.put(fmt.Sprint("k", i), a)
	}
	if n := c.lru.Len(); n != cacheMax || len(c.byID) != cacheMax {
		t.Fatalf("cache holds %d entries (%d indexed), want %d", n, len(c.byID), cacheMax)
	}
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"k0", false},
		{"k9", false},
		{"k10", true},
		{fmt.Sprint("k", cacheMax+9), true},
	} {
		t.Run(tc.id, func(t *testing.T) {
			if _, ok := c.get(tc.id); ok != tc.want {
				t.Fatalf("get(%s) found = %v, want %v (least recently used goes first)", tc.id, ok, tc.want)
			}
		})
	}
}

func TestCacheUseKeepsRecentKeys(t *testing.T) {
	c := newDEKCache(clock.NewFake(time.Unix(0, 0)))
	a := mustAEAD(t)
	for i := range cacheMax {
		c.put(fmt.Sprint("k", i), a)
	}
	if _, ok := c.get("k0"); !ok {
		t.Fatal("k0 missing")
	}
	c.put("new", a)
	if _, ok := c.get("k0"); !ok {
		t.Fatal("a key just used was evicted before older ones")
	}
	if _, ok := c.get("k1"); ok {
		t.Fatal("the least recently used key was kept")
	}
}

func TestCacheExpires(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	c := newDEKCache(clk)
	c.put("k", mustAEAD(t))
	clk.Advance(cacheTTL - time.Second)
	if _, ok := c.get("k"); !ok {
		t.Fatal("key expired early")
	}
	clk.Advance(time.Second)
	if _, ok := c.get("k"); ok {
		t.Fatalf("key still cached after %v, however often it is used", cacheTTL)
	}
	if c.lru.Len() != 0 {
		t.Fatal("expired entry not removed")
	}
}

// TestEvictBlocksLateLoad covers the race EraseKey must win: a reader that
// loaded the row before the erasing transaction committed puts the key back
// after the eviction. The cache must refuse it for erasedHold.
func TestEvictBlocksLateLoad(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	c := newDEKCache(clk)
	a := mustAEAD(t)
	c.put("k", a)
	c.evict("k")
	if _, ok := c.get("k"); ok {
		t.Fatal("evicted key still cached")
	}
	c.put("k", a)
	if _, ok := c.get("k"); ok {
		t.Fatal("a load that started before the erasure put the key back")
	}
	clk.Advance(erasedHold)
	c.put("k", a)
	if _, ok := c.get("k"); !ok {
		t.Fatal("key (erasure rolled back) still refused after erasedHold")
	}
}

func TestEvictSweepsExpiredIDs(t *testing.T) {
	clk := clock.NewFake(time.Unix(0, 0))
	c := newDEKCache(clk)
	for i := range minSweep - 1 {
		c.evict(fmt.Sprint("old", i))
	}
	clk.Advance(erasedHold)
	for i := range minSweep {
		c.evict(fmt.Sprint("new", i))
	}
	if len(c.erased) > minSweep {
		t.Fatalf("%d erased ids kept, want expired ones swept (at most %d)", len(c.erased), minSweep)
	}
	for i := range minSweep {
		if _, ok := c.erased[fmt.Sprint("new", i)]; !ok {
			t.Fatalf("a recent erasure (new%d) was swept", i)
		}
	}
}

// TestOtherProcessErasureBound checks the documented bound: a process that
// did not run EraseKey stops opening under the erased key once its cached
// copy is cacheTTL old.
func TestOtherProcessErasureBound(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, filepath.Join(t.TempDir(), "amparo.db"))
	ring, err := CreateKeyFile(filepath.Join(t.TempDir(), "amparo.keys"))
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Unix(1_700_000_000, 0))
	eraser, other := newVault(db, ring, clk), newVault(db, ring, clk)
	keyID, err := eraser.NewDataKey(ctx, db, "person")
	if err != nil {
		t.Fatal(err)
	}
	ad := AD{Table: "people", Field: "name_enc", RecordID: "p1"}
	sealed, err := eraser.SealString(ctx, db, keyID, ad, "Amina")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Open(ctx, db, keyID, ad, sealed); err != nil {
		t.Fatal(err)
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return eraser.EraseKey(ctx, tx, keyID) }); err != nil {
		t.Fatal(err)
	}
	// Within the bound the other process still has the key cached; this
	// also shows the test exercises the cache rather than the database.
	clk.Advance(cacheTTL - time.Second)
	if _, err := other.Open(ctx, db, keyID, ad, sealed); err != nil {
		t.Fatalf("other process within the bound: Open = %v, want its cached key", err)
	}
	clk.Advance(time.Second)
	if _, err := other.Open(ctx, db, keyID, ad, sealed); !errors.Is(err, ErrErased) {
		t.Fatalf("other process after %v: Open = %v, want ErrErased", cacheTTL, err)
	}
}

func mustAEAD(t *testing.T) cipher.AEAD {
	t.Helper()
	key, err := randomKey()
	if err != nil {
		t.Fatal(err)
	}
	a, err := newAEAD(key)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
