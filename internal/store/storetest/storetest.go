// SPDX-License-Identifier: AGPL-3.0-or-later

// Package storetest gives tests fresh, migrated databases on every engine:
// SQLite always, and PostgreSQL too when AMPARO_TEST_POSTGRES_URL is set
// (each test then gets its own schema, dropped at cleanup).
package storetest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// PostgresEnv names the variable holding a PostgreSQL URL for tests.
const PostgresEnv = "AMPARO_TEST_POSTGRES_URL"

// Engines returns the engines this test run covers: "sqlite", and
// "postgres" when PostgresEnv is set.
func Engines() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest once per engine, with a fresh database URL.
func Each(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) { fn(t, URL(t, engine)) })
	}
}

// EachDB is Each with the database opened and migrated.
func EachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	Each(t, func(t *testing.T, url string) { fn(t, Open(t, url)) })
}

// URL returns the URL of a fresh, empty database on engine, removed at
// cleanup.
func URL(t testing.TB, engine string) string {
	t.Helper()
	if engine == "sqlite" {
		return filepath.Join(Dir(t), "amparo.db")
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("%s is not set", PostgresEnv)
	}
	schema := "t_" + ids.New()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("storetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		dumpSchema(t, admin, schema)
		_, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		_ = admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("storetest: %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens and migrates the database at url, closing it at cleanup.
func Open(t testing.TB, url string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatalf("storetest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("storetest: migrate: %v", err)
	}
	return db
}

// IsPostgres reports whether url names a PostgreSQL database.
func IsPostgres(url string) bool { return strings.HasPrefix(url, "postgres") }
