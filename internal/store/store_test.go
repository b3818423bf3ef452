// SPDX-License-Identifier: AGPL-3.0-or-later

package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		n, err := db.Migrate(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("second Migrate = %d, %v; want 0, nil", n, err)
		}
	})
}

func TestErrorsAreMapped(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ins := `INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, ?, 1, 1)`
		if _, err := db.Exec(ctx, ins, "a", "Same name"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, ins, "b", "Same name"); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate name: err = %v, want ErrConflict", err)
		}
		var name string
		err := db.Scan(db.QueryRow(ctx, `SELECT name FROM organisations WHERE id = ?`, "missing"), &name)
		if !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing row: err = %v, want ErrNotFound", err)
		}
	})
}

func TestInTxRollsBackOnError(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO organisations (id, name, created_at, updated_at) VALUES ('x', 'X', 1, 1)`); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx = %v, want boom", err)
		}
		var n int
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations`), &n); err != nil || n != 0 {
			t.Fatalf("count = %d, %v; want 0 after rollback", n, err)
		}
	})
}

func TestSQLitePragmasAreDurable(t *testing.T) {
	db := storetest.Open(t, filepath.Join(t.TempDir(), "a.db"))
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "secure_delete": "1"} {
		var got string
		if err := db.Raw().QueryRow("PRAGMA " + pragma).Scan(&got); err != nil || !strings.EqualFold(got, want) {
			t.Errorf("PRAGMA %s = %q, %v; want %q", pragma, got, err, want)
		}
	}
}

func TestSQLiteFilesArePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	db := storetest.Open(t, path)
	if _, err := db.Exec(context.Background(), `INSERT INTO organisations (id, name, created_at, updated_at) VALUES ('x', 'X', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v, want no access for group or others", filepath.Base(f), st.Mode().Perm())
		}
	}
}

func TestOpenRejectsUnknownScheme(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://localhost/x")
	if err == nil || !strings.Contains(err.Error(), "mysql") {
		t.Fatalf("Open(mysql://) = %v, want an error naming the scheme", err)
	}
}

func TestRebindSkipsQuotedMarks(t *testing.T) {
	got := store.RebindPostgresForTest(`SELECT '?' , ? WHERE a = ?`)
	if want := `SELECT '?' , $1 WHERE a = $2`; got != want {
		t.Fatalf("rebind = %q, want %q", got, want)
	}
}

// Reads reuse prepared statements on SQLite; the answers must be those of
// the current data, including after writes and for queries that fail.
func TestPreparedReadsSeeCurrentData(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		count := func() int {
			var n int
			if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE country = ?`, "ES"), &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i := range 3 {
			if got := count(); got != i {
				t.Fatalf("count = %d, want %d", got, i)
			}
			if _, err := db.Exec(ctx, `INSERT INTO organisations (id, name, country, created_at, updated_at) VALUES (?, ?, 'ES', 1, 1)`,
				"id"+string(rune('a'+i)), "Org "+string(rune('a'+i))); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM no_such_table`), &n); err == nil {
			t.Fatal("a query on a missing table succeeded")
		}
	})
}

// TestInsertRows inserts more rows than one statement carries, with blobs
// and NULLs, and checks that a duplicate fails as ErrConflict and that a
// rolled-back transaction keeps none of them.
func TestInsertRows(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 600
		orgs := make([][]any, n)
		for i := range orgs {
			orgs[i] = []any{fmt.Sprintf("org%04d", i), fmt.Sprintf("Org %d", i), int64(i), int64(i)}
		}
		err := db.InTx(ctx, func(tx *store.Tx) error {
			if err := tx.InsertRows(ctx, "organisations", []string{"id", "name", "created_at", "updated_at"}, orgs); err != nil {
				return err
			}
			return tx.InsertRows(ctx, "persons", []string{"id", "org_id", "team_id", "identity_enc", "created_at", "updated_at"},
				[][]any{{"p1", "org0001", nil, []byte{0, 1, 0xff}, int64(1), int64(2)}})
		})
		if err != nil {
			t.Fatal(err)
		}
		var count int
		var enc []byte
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations`), &count); err != nil || count != n {
			t.Fatalf("count = %d, %v; want %d", count, err, n)
		}
		if err := db.Scan(db.QueryRow(ctx, `SELECT identity_enc FROM persons WHERE id = 'p1' AND team_id IS NULL`), &enc); err != nil ||
			!bytes.Equal(enc, []byte{0, 1, 0xff}) {
			t.Fatalf("blob = %x, %v", enc, err)
		}
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return tx.InsertRows(ctx, "organisations", []string{"id", "name", "created_at", "updated_at"},
				[][]any{{"new", "New", 1, 1}, {"org0003", "Again", 1, 1}})
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate: err = %v, want ErrConflict", err)
		}
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations`), &count); err != nil || count != n {
			t.Fatalf("after the failed insert count = %d, %v; want %d", count, err, n)
		}
	})
}

// TestInBulkTx checks that a bulk transaction runs without foreign-key
// checks and with a larger cache on SQLite, that the writer is set back
// afterwards whether it commits or not, and that it commits and rolls back
// as InTx does.
func TestInBulkTx(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		pragma := func(row func(ctx context.Context, query string, args ...any) *sql.Row, name string) int {
			var v int
			if err := row(ctx, `PRAGMA `+name).Scan(&v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		rows := [][]any{{"o1", "Org 1", 1, 1}}
		err := db.InBulkTx(ctx, func(tx *store.Tx) error {
			if db.Engine() == "sqlite" {
				if fk, cache := pragma(tx.QueryRow, "foreign_keys"), pragma(tx.QueryRow, "cache_size"); fk != 0 || cache > -32768 {
					t.Errorf("inside: foreign_keys %d, cache_size %d", fk, cache)
				}
			}
			return tx.InsertRows(ctx, "organisations", []string{"id", "name", "created_at", "updated_at"}, rows)
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.InBulkTx(ctx, func(tx *store.Tx) error {
			return tx.InsertRows(ctx, "organisations", []string{"id", "name", "created_at", "updated_at"},
				[][]any{{"o2", "Org 2", 1, 1}, {"o1", "Again", 1, 1}})
		})
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("conflict: %v", err)
		}
		var n int
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations`), &n); err != nil || n != 1 {
			t.Fatalf("organisations = %d, %v; want 1", n, err)
		}
		if db.Engine() == "sqlite" {
			if fk, cache := pragma(db.Raw().QueryRowContext, "foreign_keys"), pragma(db.Raw().QueryRowContext, "cache_size"); fk != 1 || cache != -32768 {
				t.Errorf("after: foreign_keys %d, cache_size %d", fk, cache)
			}
		}
	})
}
