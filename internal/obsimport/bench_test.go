// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/validation"
)

// benchSeries stands in for the indicators registry in the benchmark:
// every BENCH_ series is broken down by sex and age.
func benchSeries(_ context.Context, code string) (observations.SeriesInfo, error) {
	if len(code) > 6 && code[:6] == "BENCH_" {
		return observations.SeriesInfo{Code: code, Indicator: "X.1", Dimensions: []string{"SEX", "AGE"}}, nil
	}
	return observations.SeriesInfo{}, observations.ErrUnknownSeries
}

// writeBenchFile writes an SDMX-CSV 2.0 file of at least n observations
// shaped like an SDG Global Database extract: series × every country ×
// 25 years × sex (F, M, total) × four age groups, totals the sums of their
// parts (so that the validation rules hold). It answers the rows written
// and the series.
func writeBenchFile(path string, n int) (int, []string, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,SERIES,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT,UNIT_MEASURE,SOURCE_DETAIL")
	var areas []string
	for _, c := range countries.All() {
		if c.Region != "" {
			areas = append(areas, c.Numeric)
		}
	}
	ages := []string{"Y0T14", "Y15T64", "Y_GE65"}
	rows := 0
	var series []string
	for s := 0; rows < n; s++ {
		code := fmt.Sprintf("BENCH_S%03d", s)
		series = append(series, code)
		for ai, area := range areas {
			for year := 2000; year < 2025; year++ {
				base := float64((ai+1)*(s+1)*7+year) * 10
				var bySex [2]float64
				for si, sex := range []string{"F", "M"} {
					for gi, age := range ages {
						v := base + float64(si*3+gi)
						bySex[si] += v
						fmt.Fprintf(w, "dataflow,UNSD:DF_SDG_GLH(1.0),I,A,%s,%s,%s,%s,%d,%s,A,0,NUMBER,National statistics office\n", area, code, sex, age, year, strconv.FormatFloat(v, 'f', -1, 64))
					}
					fmt.Fprintf(w, "dataflow,UNSD:DF_SDG_GLH(1.0),I,A,%s,%s,%s,_T,%d,%s,A,0,NUMBER,National statistics office\n", area, code, sex, year, strconv.FormatFloat(bySex[si], 'f', -1, 64))
				}
				fmt.Fprintf(w, "dataflow,UNSD:DF_SDG_GLH(1.0),I,A,%s,%s,_T,_T,%d,%s,A,0,NUMBER,National statistics office\n", area, code, year, strconv.FormatFloat(bySex[0]+bySex[1], 'f', -1, 64))
				rows += 9
			}
		}
	}
	if err := w.Flush(); err != nil {
		return 0, nil, err
	}
	return rows, series, f.Close()
}

// BenchmarkImport5M compares an import of AMPARO_BENCH_OBS observations
// (5,000,000 for the figure) from SDMX-CSV into a fresh SQLite
// database, validation rules active, with sqlite3's own `.import --csv`
// of the same file into a fresh database file, in the same run:
//
//	AMPARO_BENCH_OBS=5000000 go test -run '^$' -bench BenchmarkImport5M ./internal/obsimport/ -benchtime 1x
//
// It is skipped unless AMPARO_BENCH_OBS is set, and needs the sqlite3
// command.
func BenchmarkImport5M(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("AMPARO_BENCH_OBS"))
	if n <= 0 {
		b.Skip("set AMPARO_BENCH_OBS to the number of observations to import")
	}
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("the sqlite3 command is not installed")
	}
	ctx := context.Background()
	dir := b.TempDir()
	file := filepath.Join(dir, "obs.csv")
	rows, series, err := writeBenchFile(file, n)
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(file)
	b.Logf("file: %d observations, %d series, %d MiB", rows, len(series), st.Size()>>20)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		ref := filepath.Join(dir, fmt.Sprintf("ref%d.db", i))
		start := time.Now()
		out, err := exec.Command(sqlite3, ref, ".import --csv "+file+" obs").CombinedOutput()
		if err != nil {
			b.Fatalf("sqlite3 .import: %v: %s", err, out)
		}
		refTime := time.Since(start)

		db, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("amparo%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		s, rules := benchService(b, db, series)
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start = time.Now()
		rep, err := s.Import(ctx, benchAnalyst, f, Options{FileName: "obs.csv", Size: st.Size()})
		ampTime := time.Since(start)
		b.StopTimer()
		_ = f.Close()
		if err != nil || rep.Written != rows {
			b.Fatalf("Import = %d written, %d errors %+v, %v", rep.Written, len(rep.Errors), rep.Errors[:min(len(rep.Errors), 5)], err)
		}
		b.Logf("sqlite3 .import: %.2fs; Amparo import with %d validation rules: %.2fs; ratio %.2f (%d violations)",
			refTime.Seconds(), rules, ampTime.Seconds(), ampTime.Seconds()/refTime.Seconds(), len(rep.Violations))
		b.ReportMetric(refTime.Seconds(), "sqlite3-s")
		b.ReportMetric(ampTime.Seconds(), "amparo-s")
		b.ReportMetric(ampTime.Seconds()/refTime.Seconds(), "ratio")
		_ = db.Close()
		b.StartTimer()
	}
}

var benchAnalyst = access.Principal{UserID: "bench-analyst", Role: "analyst", MFA: true}

// benchService wires the import with validation rules on every series:
// female + male = total, and no value below zero.
func benchService(b *testing.B, db *store.DB, series []string) (*Service, int) {
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	val := validation.New(validation.Config{DB: db, Audit: log, Clock: clk, Series: benchSeries})
	rules := 0
	for _, code := range series {
		for i, in := range []validation.Input{
			{Left: "#{" + code + ":SEX=F} + #{" + code + ":SEX=M}", Operator: "==", Right: "#{" + code + "}"},
			{Left: "#{" + code + "}", Operator: ">=", Right: "0"},
		} {
			in.Code = fmt.Sprintf("%s_R%d", code, i)
			in.Names = map[string]string{"en": in.Code}
			in.Missing, in.Importance, in.Active = validation.SkipIfAnyMissing, validation.High, true
			if _, err := val.Create(ctx, benchAnalyst, in); err != nil {
				b.Fatal(err)
			}
			rules++
		}
	}
	obs := observations.New(observations.Config{DB: db, Audit: log, Clock: clk, Series: benchSeries})
	return New(Config{DB: db, Audit: log, Clock: clk, Observations: obs, Validate: val.RunOnBatch, Series: benchSeries}), rules
}
