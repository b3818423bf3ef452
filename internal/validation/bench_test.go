// SPDX-License-Identifier: AGPL-3.0-or-later

package validation_test

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/validation"
)

// BenchmarkRunOnBatch checks an import touching about 100,000 (area,
// period) groups — every country by month for 40 years, with totals and a
// split by sex — against a sum rule and a range rule, inside the batch's
// transaction on SQLite. It reports the time of the rules alone.
func BenchmarkRunOnBatch(b *testing.B) {
	ctx := context.Background()
	areas := observations.RegionMembers(observations.World)
	for i := 0; i < b.N; i++ {
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		log := audit.New(db, clock.System{})
		obs := observations.New(observations.Config{DB: db, Audit: log, Series: testSeries})
		val := validation.New(validation.Config{DB: db, Audit: log, Series: testSeries})
		for _, in := range []validation.Input{
			{Code: "SUM", Names: map[string]string{"en": "sum"}, Left: "#{VC_HTF_DETV:SEX=F} + #{VC_HTF_DETV:SEX=M}", Operator: "==",
				Right: "#{VC_HTF_DETV}", Active: true},
			{Code: "MIN", Names: map[string]string{"en": "min"}, Left: "#{VC_HTF_DETV}", Operator: ">=", Right: "0", Active: true},
		} {
			if _, err := val.Create(ctx, analyst, in); err != nil {
				b.Fatal(err)
			}
		}
		var took time.Duration
		groups := 0
		_, _, err = obs.Import(ctx, analyst, observations.ImportInfo{Kind: observations.KindFile}, func(bt *observations.Batch) error {
			line := 0
			for _, area := range areas {
				for year := 1984; year < 2024; year++ {
					for month := 1; month <= 12; month++ {
						period := strconv.Itoa(year) + "-" + twoDigits(month)
						groups++
						for d, v := range map[string]float64{"": 100, "SEX=F": 40, "SEX=M": 60} {
							line++
							if err := bt.Add(line, observations.Observation{Series: "VC_HTF_DETV", Area: area, Disagg: d,
								Period: period, Value: v}); err != nil {
								return err
							}
						}
					}
				}
			}
			if err := bt.Flush(); err != nil {
				return err
			}
			start := time.Now()
			vs, err := val.RunOnBatch(ctx, bt)
			took = time.Since(start)
			if err == nil && len(vs) != 0 {
				b.Errorf("%d violations", len(vs))
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(groups), "groups")
		b.ReportMetric(took.Seconds(), "rules-s")
		_ = db.Close()
	}
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
