// SPDX-License-Identifier: AGPL-3.0-or-later

package backup_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/backup"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

const insertOrg = `INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, ?, 1, 1)`

func newIdentity(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// seedOrgs inserts n organisations named prefix-0 … prefix-(n-1) in one
// transaction.
func seedOrgs(t *testing.T, db *store.DB, prefix string, n int) {
	t.Helper()
	ctx := context.Background()
	err := db.InTx(ctx, func(tx *store.Tx) error {
		for i := range n {
			if _, err := tx.Exec(ctx, insertOrg, ids.New(), fmt.Sprintf("%s-%d", prefix, i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countOrgs(t *testing.T, db *store.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Scan(db.QueryRow(context.Background(), `SELECT COUNT(*) FROM organisations`), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// orgNames returns every organisation's name by id.
func orgNames(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(context.Background(), `SELECT id, name FROM organisations`)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		out[id] = name
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// dirNames lists the names in dir, sorted.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestSQLiteBackupUnderWriteLoad backs up while four goroutines keep
// inserting, restores into an empty directory and checks that the copy is
// one consistent moment between the start and the end of the backup.
func TestSQLiteBackupUnderWriteLoad(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, filepath.Join(t.TempDir(), "live.db"))
	seedOrgs(t, db, "seed", 5000)
	id := newIdentity(t)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var inserted atomic.Int64
	loadErrs := make(chan error, 4)
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := db.Exec(ctx, insertOrg, ids.New(), fmt.Sprintf("load-%d-%d", w, i)); err != nil {
					loadErrs <- err
					return
				}
				inserted.Add(1)
			}
		})
	}
	stopLoad := func() {
		select {
		case <-stop:
		default:
			close(stop)
			wg.Wait()
		}
	}
	t.Cleanup(stopLoad)
	for deadline := time.Now().Add(10 * time.Second); inserted.Load() < 50; {
		if time.Now().After(deadline) {
			t.Fatal("write load did not start")
		}
		time.Sleep(time.Millisecond)
	}

	outDir := t.TempDir()
	out := filepath.Join(outDir, "amparo-20261122T150405Z.db.age")
	before := countOrgs(t, db)
	res, err := backup.Backup(ctx, db, backup.Options{Out: out, Recipients: []age.Recipient{id.Recipient()}})
	after := countOrgs(t, db)
	stopLoad()
	close(loadErrs)
	for err := range loadErrs {
		t.Fatalf("write load: %v", err)
	}
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if after <= before {
		t.Fatalf("no write landed during the backup (before %d, after %d): the test did not run under load", before, after)
	}
	if res.Path != out || res.Engine != "sqlite" {
		t.Errorf("Result = %q, %q; want %q, sqlite", res.Path, res.Engine, out)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() != res.Bytes || fi.Mode().Perm() != 0o600 {
		t.Errorf("backup file: %v, %v; want %d bytes, mode 0600", fi, err, res.Bytes)
	}
	if got := dirNames(t, outDir); !slices.Equal(got, []string{filepath.Base(out)}) {
		t.Errorf("backup directory holds %q; want only the backup (no plaintext copy, no .tmp)", got)
	}
	inCopy := res.Tables["organisations"]
	if inCopy < before || inCopy > after {
		t.Errorf("backup counted %d organisations; want between %d and %d", inCopy, before, after)
	}
	if res.Tables["schema_migrations"] == 0 {
		t.Errorf("Tables = %v; want every table, schema_migrations included", res.Tables)
	}

	restoreDir := t.TempDir()
	dest := filepath.Join(restoreDir, "restored.db")
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	rres, err := backup.Restore(ctx, f, []age.Identity{id}, dest)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if got := dirNames(t, restoreDir); !slices.Equal(got, []string{"restored.db"}) {
		t.Errorf("restore directory holds %q; want only restored.db", got)
	}
	if !maps.Equal(rres.Tables, res.Tables) {
		t.Errorf("restored tables %v differ from the backup's %v", rres.Tables, res.Tables)
	}

	restored, err := store.Open(ctx, dest)
	if err != nil {
		t.Fatalf("opening the restored database: %v", err)
	}
	defer func() { _ = restored.Close() }()
	var verdict string
	if err := restored.Raw().QueryRow(`PRAGMA integrity_check`).Scan(&verdict); err != nil || verdict != "ok" {
		t.Fatalf("restored integrity_check = %q, %v", verdict, err)
	}
	if n := countOrgs(t, restored); n != inCopy {
		t.Errorf("restored database has %d organisations; the backup counted %d", n, inCopy)
	}
	live := orgNames(t, db)
	for id, name := range orgNames(t, restored) {
		if live[id] != name {
			t.Fatalf("restored organisation %s is named %q; live database has %q", id, name, live[id])
		}
	}
}

// TestBackupIsEncryptedAndTamperEvident checks that a sentinel stored in
// plain text never shows in the backup, and that Restore refuses a wrong key,
// an existing destination and a damaged file without leaving anything.
func TestBackupIsEncryptedAndTamperEvident(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, filepath.Join(t.TempDir(), "live.db"))
	seedOrgs(t, db, "org", 200)
	// A marker in a clear column (an organisation's name), not a sentinel
	// of a sensitive field: the suite-wide scan finds it in the database by
	// design; what matters here is that the backup file never shows it.
	sentinel := "MARKER-backup-" + ids.New()
	if _, err := db.Exec(ctx, insertOrg, ids.New(), sentinel); err != nil {
		t.Fatal(err)
	}
	id := newIdentity(t)
	out := filepath.Join(t.TempDir(), "b.db.age")
	if _, err := backup.Backup(ctx, db, backup.Options{Out: out, Recipients: []age.Recipient{id.Recipient()}}); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("age-encryption.org/v1\n")) {
		t.Fatalf("backup starts %q; want the age header", data[:min(len(data), 24)])
	}
	if bytes.Contains(data, []byte(sentinel)) {
		t.Fatal("the sentinel appears in the backup in plain text")
	}
	// Control: the sentinel is in the decrypted backup, so its absence above
	// is due to encryption and not to a missing row.
	plain, err := age.Decrypt(bytes.NewReader(data), id)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := io.ReadAll(plain)
	if err != nil || !bytes.Contains(pt, []byte(sentinel)) {
		t.Fatalf("decrypted backup: sentinel found = %v, err = %v; want true, nil", bytes.Contains(pt, []byte(sentinel)), err)
	}

	corrupted := bytes.Clone(data)
	corrupted[len(corrupted)/2] ^= 0x01
	// A well-formed age file holding a damaged database: only the
	// integrity_check on the restored copy can catch this one.
	const pageSize = 4096
	badDB := bytes.Clone(pt)
	clear(badDB[2*pageSize : 3*pageSize])
	var badDBAge bytes.Buffer
	enc, err := age.Encrypt(&badDBAge, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := enc.Write(badDB); err != nil || enc.Close() != nil {
		t.Fatalf("encrypting the damaged database: %v", err)
	}
	tests := []struct {
		name       string
		input      []byte
		identities []age.Identity
		existing   []string // files created beside dest before Restore
	}{
		{name: "other identity", input: data, identities: []age.Identity{newIdentity(t)}},
		{name: "no identity", input: data},
		{name: "dest exists", input: data, identities: []age.Identity{id}, existing: []string{"restored.db"}},
		{name: "stale wal beside dest", input: data, identities: []age.Identity{id}, existing: []string{"restored.db-wal"}},
		{name: "truncated", input: data[:len(data)-100], identities: []age.Identity{id}},
		{name: "truncated to the header", input: data[:200], identities: []age.Identity{id}},
		{name: "corrupted", input: corrupted, identities: []age.Identity{id}},
		{name: "not age", input: []byte("SQLite format 3\x00"), identities: []age.Identity{id}},
		{name: "database fails integrity_check", input: badDBAge.Bytes(), identities: []age.Identity{id}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range tc.existing {
				if err := os.WriteFile(filepath.Join(dir, name), []byte("keep me"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			before := dirNames(t, dir)
			_, err := backup.Restore(ctx, bytes.NewReader(tc.input), tc.identities, filepath.Join(dir, "restored.db"))
			if err == nil {
				t.Fatal("Restore succeeded; want an error")
			}
			if got := dirNames(t, dir); !slices.Equal(got, before) {
				t.Errorf("after the failed Restore the directory holds %q; want %q", got, before)
			}
			for _, name := range tc.existing {
				if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != "keep me" {
					t.Errorf("Restore changed the existing %s", name)
				}
			}
		})
	}

	t.Run("wrong identity reports no match", func(t *testing.T) {
		_, err := backup.Restore(ctx, bytes.NewReader(data), []age.Identity{newIdentity(t)}, filepath.Join(t.TempDir(), "r.db"))
		var noMatch *age.NoIdentityMatchError
		if !errors.As(err, &noMatch) {
			t.Fatalf("Restore with another identity = %v; want age.NoIdentityMatchError", err)
		}
	})
}

// TestBackupFailuresLeaveNothing checks that a backup that cannot be made
// leaves no file behind and never touches files it did not create.
func TestBackupFailuresLeaveNothing(t *testing.T) {
	db := storetest.Open(t, filepath.Join(t.TempDir(), "live.db"))
	seedOrgs(t, db, "org", 100)
	rcpt := []age.Recipient{newIdentity(t).Recipient()}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name       string
		ctx        context.Context
		recipients []age.Recipient
		existing   []string // files in the output directory beforehand
		wantErr    string
	}{
		{name: "no recipients", ctx: context.Background(), wantErr: "plain text"},
		{name: "output exists", ctx: context.Background(), recipients: rcpt, existing: []string{"b.db.age"}, wantErr: "existing"},
		{name: "interrupted backup left a .tmp", ctx: context.Background(), recipients: rcpt, existing: []string{"b.db.age.tmp"}, wantErr: ".tmp"},
		{name: "cancelled", ctx: cancelled, recipients: rcpt, wantErr: "cancel"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, name := range tc.existing {
				if err := os.WriteFile(filepath.Join(dir, name), []byte("keep me"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			before := dirNames(t, dir)
			_, err := backup.Backup(tc.ctx, db, backup.Options{Out: filepath.Join(dir, "b.db.age"), Recipients: tc.recipients})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Backup = %v; want an error mentioning %q", err, tc.wantErr)
			}
			if got := dirNames(t, dir); !slices.Equal(got, before) {
				t.Errorf("after the failed Backup the directory holds %q; want %q", got, before)
			}
			for _, name := range tc.existing {
				if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != "keep me" {
					t.Errorf("Backup changed the existing %s", name)
				}
			}
		})
	}
}
