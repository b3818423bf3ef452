// SPDX-License-Identifier: AGPL-3.0-or-later

package demo_test

import (
	"context"
	"testing"

	"github.com/amparo-project/amparo/internal/demo"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestEvidencePublishesMigrantStockOnce: the demonstration's published
// figures are UN DESA's, the world's among them, and a second run adds
// nothing.
func TestEvidencePublishesMigrantStockOnce(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		if _, err := demo.Seed(ctx, a.DB, a.Accounts); err != nil {
			t.Fatal(err)
		}
		n, err := demo.Evidence(ctx, a.Accounts, a.Observations)
		if err != nil || n != 9 {
			t.Fatalf("Evidence = %d, %v", n, err)
		}
		world, ok, err := a.Observations.Latest(ctx, observations.LayerPublished, "AMP_AP7_O1", observations.World, "")
		if err != nil || !ok || world.Value != 280598105 || world.Period != "2020" || world.Status != observations.StatusEstimated {
			t.Fatalf("published world value %+v %v %v", world, ok, err)
		}
		if n, err := demo.Evidence(ctx, a.Accounts, a.Observations); err != nil || n != 0 {
			t.Fatalf("second run published %d, %v", n, err)
		}
	})
}
