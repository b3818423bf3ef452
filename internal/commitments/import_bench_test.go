// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// benchRows is the size of the import the issue sets a target for.
const benchRows = 100_000

// benchFile builds a valid file of benchRows distinct records. The real
// catalogue has 16 instruments, too few for 100,000 distinct (country,
// instrument, action) keys, so the benchmark uses a synthetic catalogue
// of instruments BENCH000, BENCH001, ... adopted in 1950.
func benchFile(tb testing.TB) (*Catalog, []byte) {
	tb.Helper()
	all := countries.All()
	perInstrument := len(all) * len(Actions)
	n := (benchRows + perInstrument - 1) / perInstrument
	list := make([]Instrument, n)
	for i := range list {
		list[i] = Instrument{Code: fmt.Sprintf("BENCH%03d", i), Title: map[string]string{"en": "Benchmark"}, Adopted: "1950-01-01"}
	}
	cat, err := NewCatalog(list)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("country,instrument,action,date,source,as_of\n")
	rows := 0
	for _, in := range list {
		for _, c := range all {
			for _, a := range Actions {
				if rows == benchRows {
					return cat, []byte(b.String())
				}
				fmt.Fprintf(&b, "%s,%s,%s,1990-01-%02d,https://treaties.un.org/Pages/ViewDetails.aspx?chapter=4,2026-11-01\n",
					c.Alpha3, in.Code, a, rows%28+1)
				rows++
			}
		}
	}
	return cat, []byte(b.String())
}

// BenchmarkImport100k imports 100,000 rows into a fresh SQLite database
// (validation, comparison, batched inserts and the audit entry, in one
// transaction) and reports rows per second. When the sqlite3 shell is
// installed, the same file is also loaded with its .import into a bare
// table in the same run, and reported as sqlite3-rows/s: the floor of what
// loading these bytes into SQLite costs, without any checking.
func BenchmarkImport100k(b *testing.B) {
	cat, data := benchFile(b)
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	var elapsed time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		db := storetest.Open(b, filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)))
		s := New(Config{DB: db, Audit: audit.New(db, clk), Clock: clk, Catalog: cat})
		b.StartTimer()
		start := time.Now()
		rep, err := s.Import(ctx, access.System, "bench.csv", data, ImportOptions{})
		elapsed += time.Since(start)
		if err != nil || rep.Inserted != benchRows {
			b.Fatalf("import: %+v, %v", rep.Errors[:min(len(rep.Errors), 5)], err)
		}
		b.StopTimer()
		_ = db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/elapsed.Seconds(), "rows/s")
	if rate, ok := sqlite3Import(b, data); ok {
		b.ReportMetric(rate, "sqlite3-rows/s")
	}
}

// sqlite3Import times the sqlite3 shell's .import of data into a bare
// table, best of three, or reports false when the shell is not installed.
func sqlite3Import(b *testing.B, data []byte) (float64, bool) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		return 0, false
	}
	dir := b.TempDir()
	file := filepath.Join(dir, "bench.csv")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		b.Fatal(err)
	}
	best := time.Duration(0)
	for i := range 3 {
		script := fmt.Sprintf(".mode csv\nCREATE TABLE r (country TEXT, instrument TEXT, action TEXT, action_date TEXT, source TEXT, as_of TEXT);\n.import --skip 1 %s r\n", file)
		cmd := exec.Command(bin, filepath.Join(dir, fmt.Sprintf("s%d.db", i)))
		cmd.Stdin = strings.NewReader(script)
		start := time.Now()
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("sqlite3: %v: %s", err, out)
		}
		if d := time.Since(start); best == 0 || d < best {
			best = d
		}
	}
	return float64(benchRows) / best.Seconds(), true
}
