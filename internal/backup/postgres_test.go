// SPDX-License-Identifier: AGPL-3.0-or-later

package backup_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/backup"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// emptyPostgresDatabase creates a database with a random name next to the
// one in base and returns its URL; the database is dropped at cleanup.
func emptyPostgresDatabase(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	name := "amparo_restore_" + ids.New()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// withSearchPath returns dbURL with search_path set to schema.
func withSearchPath(t *testing.T, dbURL, schema string) string {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestPostgresBackupRestore backs up a schema-scoped database with pg_dump,
// restores it into a fresh empty database and compares the rows.
func TestPostgresBackupRestore(t *testing.T) {
	base := os.Getenv(storetest.PostgresEnv)
	if base == "" {
		t.Skipf("%s is not set: no PostgreSQL server to back up", storetest.PostgresEnv)
	}
	if backup.PgToolDir() == "" {
		t.Skip("pg_dump is not on PATH nor under /usr/lib/postgresql/*/bin")
	}
	ctx := context.Background()
	srcURL := storetest.URL(t, "postgres")
	schema, err := url.Parse(srcURL)
	if err != nil {
		t.Fatal(err)
	}
	schemaName := schema.Query().Get("search_path")
	db := storetest.Open(t, srcURL)
	seedOrgs(t, db, "org", 300)
	// A marker in a clear column (an organisation's name), not a sentinel
	// of a sensitive field: the suite-wide scan finds it in the database by
	// design; what matters here is that the backup file never shows it.
	sentinel := "MARKER-backup-" + ids.New()
	if _, err := db.Exec(ctx, insertOrg, ids.New(), sentinel); err != nil {
		t.Fatal(err)
	}
	// Incompressible sealed blobs make the dump span several 64 KiB age
	// chunks, so a truncated backup hands pg_restore a valid beginning and
	// the single transaction has something to roll back.
	const keys = 64
	for range keys {
		blob := make([]byte, 4096)
		_, _ = rand.Read(blob)
		if _, err := db.Exec(ctx, `INSERT INTO data_keys (id, purpose, kek_version, wrapped, created_at) VALUES (?, 'test', 1, ?, 1)`,
			ids.New(), blob); err != nil {
			t.Fatal(err)
		}
	}
	id := newIdentity(t)

	out := filepath.Join(t.TempDir(), "amparo.pgdump.age")
	res, err := backup.Backup(ctx, db, backup.Options{Out: out, Recipients: []age.Recipient{id.Recipient()}, PostgresURL: srcURL})
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if res.Engine != "postgres" {
		t.Errorf("Engine = %q; want postgres", res.Engine)
	}
	if got := res.Tables[schemaName+".organisations"]; got != 301 {
		t.Errorf("backup counted %d rows in %s.organisations; want 301 (Tables = %v)", got, schemaName, res.Tables)
	}
	if got := res.Tables[schemaName+".data_keys"]; got != keys {
		t.Errorf("backup counted %d rows in %s.data_keys; want %d", got, schemaName, keys)
	}
	for table := range res.Tables {
		if !strings.HasPrefix(table, schemaName+".") {
			t.Errorf("the dump holds %s, outside the schema %s", table, schemaName)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("age-encryption.org/v1\n")) || bytes.Contains(data, []byte(sentinel)) {
		t.Fatal("the PostgreSQL backup is not an age file, or shows the sentinel in plain text")
	}
	if len(data) < 3*64<<10 {
		t.Fatalf("backup is %d bytes; the truncation case below needs several age chunks", len(data))
	}

	missing, err := url.Parse(srcURL)
	if err != nil {
		t.Fatal(err)
	}
	missing.Path = "/amparo_missing_" + ids.New()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	failures := []struct {
		name    string
		ctx     context.Context
		url     string
		wantErr string
	}{
		{name: "missing database", ctx: ctx, url: missing.String(), wantErr: "pg_dump"},
		{name: "cancelled", ctx: cancelled, url: srcURL, wantErr: "cancel"},
	}
	for _, tc := range failures {
		t.Run(tc.name+" leaves no backup", func(t *testing.T) {
			dir := t.TempDir()
			_, err := backup.Backup(tc.ctx, db, backup.Options{Out: filepath.Join(dir, "b.age"), Recipients: []age.Recipient{id.Recipient()}, PostgresURL: tc.url})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Backup = %v; want an error mentioning %q", err, tc.wantErr)
			}
			if got := dirNames(t, dir); len(got) != 0 {
				t.Errorf("after the failed Backup the directory holds %q; want nothing", got)
			}
		})
	}

	t.Run("restore into an empty database", func(t *testing.T) {
		target := emptyPostgresDatabase(t, base)
		if err := backup.RestorePostgres(ctx, bytes.NewReader(data), []age.Identity{id}, target); err != nil {
			t.Fatalf("RestorePostgres: %v", err)
		}
		restored, err := store.Open(ctx, withSearchPath(t, target, schemaName))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = restored.Close() }()
		for table, want := range res.Tables {
			var n int64
			bare := strings.TrimPrefix(table, schemaName+".")
			if err := restored.Scan(restored.QueryRow(ctx, `SELECT COUNT(*) FROM `+bare), &n); err != nil || n != want {
				t.Errorf("restored %s has %d rows, %v; the backup counted %d", bare, n, err, want)
			}
		}
		if got, want := orgNames(t, restored), orgNames(t, db); !maps.Equal(got, want) {
			t.Errorf("restored organisations differ from the live ones (%d vs %d rows)", len(got), len(want))
		}

		// The target is no longer empty: a second restore is refused.
		err = backup.RestorePostgres(ctx, bytes.NewReader(data), []age.Identity{id}, target)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Fatalf("second RestorePostgres = %v; want a refusal of a non-empty database", err)
		}
	})

	damaged := []struct {
		name       string
		input      []byte
		identities []age.Identity
	}{
		{name: "truncated", input: data[:len(data)*2/3], identities: []age.Identity{id}},
		{name: "other identity", input: data, identities: []age.Identity{newIdentity(t)}},
	}
	for _, tc := range damaged {
		t.Run(tc.name+" leaves the target empty", func(t *testing.T) {
			target := emptyPostgresDatabase(t, base)
			if err := backup.RestorePostgres(ctx, bytes.NewReader(tc.input), tc.identities, target); err == nil {
				t.Fatal("RestorePostgres succeeded; want an error")
			}
			check, err := sql.Open("pgx", target)
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = check.Close() }()
			var n int
			if err := check.QueryRow(`SELECT COUNT(*) FROM pg_namespace WHERE nspname = $1`, schemaName).Scan(&n); err != nil || n != 0 {
				t.Fatalf("after a failed restore the target holds schema %s (%d, %v); want nothing", schemaName, n, err)
			}
		})
	}
}
