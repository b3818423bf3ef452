// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/demo"
	"github.com/amparo-project/amparo/internal/password"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

// benchRows is the size of the file BenchmarkImport imports;
// scripts/bench-import.sh measures a million rows against sqlite3's own
// .import.
const benchRows = 10_000

// BenchmarkImport imports the synthetic demo file into a fresh SQLite
// database per iteration, with the services the import needs and nothing
// else (no HTTP surfaces).
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var file bytes.Buffer
	if err := demo.WriteCases(&file, 1, benchRows, now); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		db := storetest.Open(b, storetest.URL(b, "sqlite"))
		ring, err := vault.CreateKeyFile(filepath.Join(b.TempDir(), "master.key"))
		if err != nil {
			b.Fatal(err)
		}
		v := vault.New(db, ring)
		if err := v.Init(ctx); err != nil {
			b.Fatal(err)
		}
		c := clock.NewFake(now)
		log := audit.New(db, c)
		acc := accounts.New(accounts.Config{DB: db, Vault: v, Audit: log, Hasher: password.NewHasher(1), Clock: c})
		per := persons.New(persons.Config{DB: db, Vault: v, Audit: log, Clock: c})
		imp := caseimport.New(caseimport.Config{DB: db, Audit: log, Clock: c, Persons: per,
			Cases: cases.New(cases.Config{DB: db, Vault: v, Audit: log, Clock: c})})
		if _, err := demo.Seed(ctx, db, acc); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := demo.Cases(ctx, db, acc, imp, benchRows, now, nil)
		if err != nil || rep.Created != benchRows {
			b.Fatalf("Import = %+v, %v", rep, err)
		}
		b.StopTimer()
		_ = db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
