// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/amparo-project/amparo/internal/observations"
)

// TestTruthMigrantStockWorldIsSumOfRegions reproduces UN DESA's published
// world migrant stock for mid-2020 (280,598,105) from its eight SDG
// regions' published figures with the sum rule of AP7.O1 (the figures and their
// source are in internal/demo/data, which the demonstration publishes).
func TestTruthMigrantStockWorldIsSumOfRegions(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "demo", "data", "ims2020_sdg_regions.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]observations.Observation{}
	var members []string
	var world float64
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			t.Fatal(err)
		}
		if r[0] == observations.World {
			world = v
			continue
		}
		members = append(members, r[0])
		values[r[0]] = observations.Observation{Area: r[0], Value: v, Status: observations.StatusEstimated}
	}
	list, _, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	rule := ""
	for _, in := range list {
		if in.Code == "AP7.O1" {
			rule = in.Aggregation
		}
	}
	got, n, status, ok := aggregate(rule, members, values, nil)
	if !ok || n != 8 || got != world || world != 280598105 {
		t.Fatalf("world = %v from %d regions (rule %q), want the published %v", got, n, rule, world)
	}
	if status != observations.StatusEstimated {
		t.Errorf("status = %q", status)
	}
}
