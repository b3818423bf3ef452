// SPDX-License-Identifier: AGPL-3.0-or-later

package storetest

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// KeepEnv names a directory where, when it is set, tests keep everything the
// application wrote to disk — SQLite files with their WAL, a text dump of
// every PostgreSQL table, logs and error responses — instead of deleting it,
// so that the suite-wide sentinel scan (internal/testutil, TestSentinelScan)
// can look for sensitive fixture values that reached any of them in clear.
const KeepEnv = "AMPARO_SENTINEL_DIR"

// Dir returns a fresh directory for a test's files: under KeepEnv when that
// is set (kept after the test), else t.TempDir() (removed).
func Dir(t testing.TB) string {
	t.Helper()
	root := os.Getenv(KeepEnv)
	if root == "" {
		return t.TempDir()
	}
	dir, err := os.MkdirTemp(root, "test-*")
	if err != nil {
		t.Fatalf("storetest: keep dir: %v", err)
	}
	return dir
}

// dumpSchema writes every row of every table of a PostgreSQL schema, as
// text, to a file under KeepEnv (nothing when it is not set), before the
// schema is dropped.
func dumpSchema(t testing.TB, admin *sql.DB, schema string) {
	if os.Getenv(KeepEnv) == "" {
		return
	}
	f, err := os.Create(filepath.Join(Dir(t), "postgres-"+schema+".txt"))
	if err != nil {
		t.Errorf("storetest: dump: %v", err)
		return
	}
	defer f.Close()
	rows, err := admin.Query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, schema)
	if err != nil {
		t.Errorf("storetest: dump: %v", err)
		return
	}
	var tables []string
	for rows.Next() {
		var name string
		if rows.Scan(&name) == nil {
			tables = append(tables, name)
		}
	}
	_ = rows.Close()
	for _, table := range tables {
		// The names come from the catalogue of a schema this package made.
		rs, err := admin.Query(fmt.Sprintf(`SELECT t::text FROM %s.%s t`, schema, table)) // #nosec G201
		if err != nil {
			t.Errorf("storetest: dump %s: %v", table, err)
			continue
		}
		for rs.Next() {
			var line string
			if rs.Scan(&line) == nil {
				fmt.Fprintf(f, "%s\t%s\n", table, line)
			}
		}
		_ = rs.Close()
	}
}
