// SPDX-License-Identifier: AGPL-3.0-or-later

package vault_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

type sealedRecord struct {
	keyID  string
	ad     vault.AD
	sealed []byte
	plain  string
}

// sealRecords makes n data keys and seals one value under each.
func sealRecords(t *testing.T, f fixture, n int) []sealedRecord {
	t.Helper()
	ctx := context.Background()
	out := make([]sealedRecord, n)
	for i := range out {
		r := sealedRecord{keyID: f.newKey(t, f.db), ad: vault.AD{Table: "people", Field: "name_enc", RecordID: fmt.Sprint("p", i)}, plain: fmt.Sprint("SNTL-name-", i)}
		var err error
		if r.sealed, err = f.v.SealString(ctx, f.db, r.keyID, r.ad, r.plain); err != nil {
			t.Fatal(err)
		}
		out[i] = r
	}
	return out
}

// kekVersions returns the versions on the kek lines of the key file.
func kekVersions(t *testing.T, path string) []string {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for line := range strings.Lines(string(text)) {
		if fields := strings.Fields(line); len(fields) == 3 && fields[0] == "kek" {
			out = append(out, fields[1])
		}
	}
	return out
}

func openAll(t *testing.T, v *vault.Vault, db *store.DB, records []sealedRecord) {
	t.Helper()
	for i, r := range records {
		if got, err := v.OpenString(context.Background(), db, r.keyID, r.ad, r.sealed); err != nil || got != r.plain {
			t.Fatalf("record %d: Open = %q, %v; want the plaintext", i, got, err)
		}
	}
}

func TestRotate(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		// More rows than one batch, to cover the paging.
		records := sealRecords(t, f, 520)
		index := f.v.BlindIndex("users.email", "amina@example.org")
		var rows int
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM data_keys`), &rows); err != nil {
			t.Fatal(err)
		}

		for round, want := range []string{"2", "3"} {
			n, err := vault.Rotate(ctx, db, f.keyPath)
			if err != nil {
				t.Fatalf("rotation %d: %v", round+1, err)
			}
			if n != rows {
				t.Fatalf("rotation %d re-wrapped %d keys, want all %d rows", round+1, n, rows)
			}
			if got := kekVersions(t, f.keyPath); len(got) != 1 || got[0] != want {
				t.Fatalf("key file after rotation %d holds versions %v, want only %s", round+1, got, want)
			}
			info, err := os.Stat(f.keyPath)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o600 {
				t.Fatalf("key file mode after rotation = %04o, want 0600", info.Mode().Perm())
			}
			var stale int
			if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM data_keys WHERE kek_version <> ?`, want), &stale); err != nil || stale != 0 {
				t.Fatalf("%d rows not at version %s, %v", stale, want, err)
			}
			// A process started from the new key file, which no longer
			// holds the old KEKs, opens every record and keeps the same
			// blind index.
			fresh := f.fresh(t)
			openAll(t, fresh, db, records)
			if fresh.BlindIndex("users.email", "amina@example.org") != index {
				t.Fatal("rotation changed the blind index")
			}
		}
	})
}

func TestRotateFailureKeepsEveryKEK(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		records := sealRecords(t, f, 3)
		// A row whose wrapped key no longer authenticates stops the
		// re-wrap transaction half-way.
		if _, err := db.Exec(ctx, `UPDATE data_keys SET wrapped = ? WHERE id = ?`, []byte("not a wrapped key"), records[2].keyID); err != nil {
			t.Fatal(err)
		}
		if _, err := vault.Rotate(ctx, db, f.keyPath); err == nil {
			t.Fatal("Rotate succeeded over a tampered row")
		}
		if got := kekVersions(t, f.keyPath); strings.Join(got, " ") != "1 2" {
			t.Fatalf("key file after a failed rotation holds versions %v, want 1 and 2", got)
		}
		var moved int
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM data_keys WHERE kek_version <> 1`), &moved); err != nil || moved != 0 {
			t.Fatalf("%d rows left version 1 after a rolled-back rotation, %v", moved, err)
		}
		openAll(t, f.fresh(t), db, records[:2])

		// Once the bad row is gone, rotating again moves everything to
		// version 3 and drops 1 and the unused 2.
		if err := db.InTx(ctx, func(tx *store.Tx) error { return f.v.EraseKey(ctx, tx, records[2].keyID) }); err != nil {
			t.Fatal(err)
		}
		if _, err := vault.Rotate(ctx, db, f.keyPath); err != nil {
			t.Fatal(err)
		}
		if got := kekVersions(t, f.keyPath); strings.Join(got, " ") != "3" {
			t.Fatalf("key file holds versions %v, want only 3", got)
		}
		openAll(t, f.fresh(t), db, records[:2])
	})
}

func TestRotateRefusesLooseKeyFile(t *testing.T) {
	db := storetest.Open(t, filepath.Join(t.TempDir(), "amparo.db"))
	f := newFixture(t, db)
	if err := os.Chmod(f.keyPath, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.Rotate(context.Background(), db, f.keyPath); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("Rotate with a 0644 key file = %v, want a refusal", err)
	}
}
