// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"bufio"
	"context"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store"
)

// BenchmarkOpenDataCSV writes one series of AMPARO_BENCH_OPENDATA published
// values (default 200,000) as CSV from a fresh SQLite file, and reports the
// process's peak resident memory during the write, which must not grow
// with the series (docs/PERFORMANCE.md, "Open data"):
//
//	AMPARO_BENCH_OPENDATA=5000000 go test -run '^$' -bench OpenDataCSV -benchtime 1x ./internal/opendata/
func BenchmarkOpenDataCSV(b *testing.B) {
	n := 200000
	if v, err := strconv.Atoi(os.Getenv("AMPARO_BENCH_OPENDATA")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	// The values go straight into the published table: the write is what
	// is measured, not the import and approval.
	start := time.Now()
	if _, err := db.Exec(ctx, `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
		INSERT INTO published_observations (series, area, disagg, period, value, status, unit_mult, source, footnote,
			import_id, published_by, published_at)
		SELECT 'SM_POP_TOT', printf('%03d', i / 200000), 'ITEM=I' || ((i / 200) % 1000), CAST(1900 + i % 200 AS TEXT),
			i * 0.5, 'A', 0, 'Bench source', '', 'bench', 'bench', 1 + i FROM n`, n); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d published values in %s", n, time.Since(start).Round(time.Millisecond))
	in := newInstance(b, db, Outbound{})
	p := in.prepare(b, DataQuery{Series: []string{"SM_POP_TOT"}, Format: FormatCSV})
	resetPeakRSS()
	before := peakRSSKiB()
	b.ResetTimer()
	var written int64
	for range b.N {
		cw := &countingWriter{w: bufio.NewWriter(io.Discard)}
		if err := in.od.Write(ctx, cw, p); err != nil {
			b.Fatal(err)
		}
		written = cw.n
	}
	b.StopTimer()
	peak := peakRSSKiB()
	b.ReportMetric(float64(peak)/1024, "peak-RSS-MiB")
	b.ReportMetric(float64(written)/(1<<20), "MiB-written")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "values/s")
	b.Logf("peak RSS %d MiB during the write (%d MiB before it), %d MiB of CSV", peak/1024, before/1024, written>>20)
}

type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return c.w.Write(p) }

// resetPeakRSS resets VmHWM (Linux: writing 5 to clear_refs), so that the
// peak read afterwards is the write's, not the data generation's.
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSSKiB reads VmHWM, the peak resident set size, in KiB (0 where
// /proc is absent).
func peakRSSKiB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kib
		}
	}
	return 0
}
