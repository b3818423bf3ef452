// SPDX-License-Identifier: AGPL-3.0-or-later

package storetest

import (
	"context"
	"os"
	"testing"

	"github.com/amparo-project/amparo/internal/store"
)

func TestEachGivesIsolatedDatabases(t *testing.T) {
	want := 1
	if os.Getenv(PostgresEnv) != "" {
		want = 2
	}
	if got := len(Engines()); got != want {
		t.Fatalf("Engines() = %v, want %d engines", Engines(), want)
	}
	runs := 0
	EachDB(t, func(t *testing.T, db *store.DB) {
		runs++
		ctx := context.Background()
		if _, err := db.Exec(ctx, `INSERT INTO organisations (id, name, created_at, updated_at) VALUES ('x', 'Only here', 1, 1)`); err != nil {
			t.Fatal(err)
		}
		other := Open(t, URL(t, db.Engine()))
		var n int
		if err := other.Scan(other.QueryRow(ctx, `SELECT COUNT(*) FROM organisations`), &n); err != nil || n != 0 {
			t.Fatalf("a fresh database sees %d rows of another, %v", n, err)
		}
	})
	if runs != want {
		t.Fatalf("EachDB ran %d times, want %d", runs, want)
	}
}
