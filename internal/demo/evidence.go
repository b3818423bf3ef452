// SPDX-License-Identifier: AGPL-3.0-or-later

package demo

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/observations"
)

// migrantStock is UN DESA's international migrant stock at mid-2020 by SDG
// region and for the world (data/SOURCE.md).
//
//go:embed data/ims2020_sdg_regions.csv
var migrantStock []byte

// migrantStockSeries is the series of indicator AP7.O1, international
// migrant stock.
const migrantStockSeries = "AMP_AP7_O1"

const migrantStockSource = "UN DESA Population Division, International Migrant Stock 2020 (POP/DB/MIG/Stock/Rev.2020), table 1"

// Evidence publishes real figures for the demonstration's scorecards: the
// 2020 international migrant stock of the world and the SDG regions,
// entered as the demo analyst and submitted, then approved and published
// by the system (two different people, as approval requires). It does
// nothing when the series has published values already, so that running
// the demonstration again changes nothing.
func Evidence(ctx context.Context, acc *accounts.Service, obs *observations.Service) (int, error) {
	n, err := obs.Count(ctx, observations.Query{Series: []string{migrantStockSeries}})
	if err != nil || n > 0 {
		return 0, err
	}
	analystID, err := acc.UserIDByEmail(ctx, "analyst@demo.amparo.test")
	if err != nil {
		return 0, fmt.Errorf("demo evidence: %w", err)
	}
	rows, err := csv.NewReader(bytes.NewReader(migrantStock)).ReadAll()
	if err != nil || len(rows) < 2 {
		return 0, fmt.Errorf("demo evidence: embedded migrant stock: %v", err)
	}
	var values []observations.Observation
	var sets []observations.SetKey
	for _, r := range rows[1:] {
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			return 0, fmt.Errorf("demo evidence: embedded migrant stock: %w", err)
		}
		values = append(values, observations.Observation{Series: migrantStockSeries, Area: r[0], Period: "2020",
			Value: v, Status: observations.StatusEstimated, Source: migrantStockSource})
		sets = append(sets, observations.SetKey{Series: migrantStockSeries, Area: r[0], Period: "2020"})
	}
	analyst := access.Principal{UserID: analystID, Role: access.RoleAnalyst, MFA: true}
	if _, err := obs.Put(ctx, analyst, observations.KindForm, values); err != nil {
		return 0, fmt.Errorf("demo evidence: %w", err)
	}
	if _, err := obs.Submit(ctx, analyst, sets); err != nil {
		return 0, fmt.Errorf("demo evidence: %w", err)
	}
	if _, err := obs.Approve(ctx, access.System, sets); err != nil {
		return 0, fmt.Errorf("demo evidence: %w", err)
	}
	return obs.Publish(ctx, access.System, sets)
}
