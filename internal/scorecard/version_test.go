// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"testing"

	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// Wired as the application wires it, the cache of regional aggregates is
// kept per observations.Service.PublishedVersion: a draft leaves it, a
// publication renews it, one that only withdraws values included.
func TestCacheFollowsPublications(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		var obs *observations.Service
		e := newEnv(t, db, func(ctx context.Context) (int64, error) { return obs.PublishedVersion(ctx) })
		obs = e.obs
		ctx := context.Background()
		e.seed(t)
		latest := func() float64 {
			t.Helper()
			sc, err := e.sc.Scorecard(ctx, frameworks.AgendaCode, "419") // Latin America and the Caribbean
			if err != nil {
				t.Fatal(err)
			}
			return line(t, sc, "T.1").Latest.Value
		}
		if got := latest(); got != 110 {
			t.Fatalf("T.1 of the region is %v, want 70 + 40", got)
		}
		// Mexico's 2025 value is withdrawn: deleted, then published as a
		// set without values.
		key := observations.SetKey{Series: "AMP_T_1", Area: "484", Period: "2025"}
		if n, err := e.obs.DeleteSet(ctx, analystA, key); err != nil || n != 1 {
			t.Fatalf("withdraw: %d %v", n, err)
		}
		if got := latest(); got != 110 {
			t.Errorf("an unpublished withdrawal changed the aggregate to %v", got)
		}
		before, err := e.obs.PublishedVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		keys := []observations.SetKey{key}
		if _, err := e.obs.Submit(ctx, analystA, keys); err != nil {
			t.Fatal(err)
		}
		if _, err := e.obs.Approve(ctx, analystB, keys); err != nil {
			t.Fatal(err)
		}
		if _, err := e.obs.Publish(ctx, analystB, keys); err != nil {
			t.Fatal(err)
		}
		if v, _ := e.obs.PublishedVersion(ctx); v != before+1 {
			t.Errorf("version %d after a publication that only removes values, want %d", v, before+1)
		}
		if got := latest(); got != 70 {
			t.Errorf("after the withdrawal T.1 of the region is %v, want Brazil's 70 alone", got)
		}
	})
}
