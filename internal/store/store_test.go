// SPDX-License-Identifier: AGPL-3.0-or-later

package store_test

import (
	"context"
	"errors"
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
