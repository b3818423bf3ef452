// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/store"
)

// BenchmarkBatch writes AMPARO_BENCH_BATCH observations (default 200,000)
// through one batch into a fresh SQLite file, in key order as an import of
// a sorted file does, to show
// what the batch itself costs apart from parsing and validation:
//
//	AMPARO_BENCH_BATCH=1000000 go test -run '^$' -bench Batch -benchtime 1x ./internal/observations/
func BenchmarkBatch(b *testing.B) {
	n := 200000
	if v, err := strconv.Atoi(os.Getenv("AMPARO_BENCH_BATCH")); err == nil && v > 0 {
		n = v
	}
	areas := RegionMembers(World)
	disaggs := []string{"", "SEX=F", "SEX=M", "AGE=Y15T64", "AGE=Y_GE65"}
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		s := New(Config{DB: db, Audit: audit.New(db, clock.System{}), Series: func(_ context.Context, code string) (SeriesInfo, error) {
			return SeriesInfo{Code: code, Dimensions: []string{"SEX", "AGE"}}, nil
		}})
		start := time.Now()
		_, rows, err := s.Import(ctx, analystA, ImportInfo{Kind: KindFile}, func(bt *Batch) error {
			line := 0
			for series := 0; ; series++ {
				code := "BENCH_" + strconv.Itoa(series)
				for _, area := range areas {
					for _, d := range disaggs {
						for year := 1950; year < 2050; year++ {
							line++
							if line > n {
								return nil
							}
							if err := bt.Add(line, Observation{Series: code, Area: area, Disagg: d,
								Period: strconv.Itoa(year), Value: float64(line)}); err != nil {
								return err
							}
						}
					}
				}
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		el := time.Since(start)
		b.ReportMetric(float64(rows)/el.Seconds(), "rows/s")
		db.Close()
	}
}
