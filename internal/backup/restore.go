// SPDX-License-Identifier: AGPL-3.0-or-later

package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"filippo.io/age"
)

// Restore decrypts an SQLite backup read from in into a new database file at
// destSQLitePath. The plaintext goes to a 0600 temporary file beside the
// destination, must pass PRAGMA integrity_check, is fsynced and only then
// takes the destination's name, so on error no file is left at
// destSQLitePath. Restore refuses to run when the destination, or a -wal,
// -shm or -journal file beside it, exists: SQLite would replay a stale
// journal into the restored database. Result.Bytes is the size of the
// restored database and Result.Tables its row counts.
func Restore(ctx context.Context, in io.Reader, identities []age.Identity, destSQLitePath string) (Result, error) {
	if len(identities) == 0 {
		return Result{}, errors.New("backup: no identities to decrypt with")
	}
	dest, err := filepath.Abs(destSQLitePath)
	if err != nil {
		return Result{}, fmt.Errorf("backup: destination path: %w", err)
	}
	for _, p := range []string{dest, dest + "-wal", dest + "-shm", dest + "-journal"} {
		if err := mustNotExist(p); err != nil {
			return Result{}, err
		}
	}
	plain, err := age.Decrypt(in, identities...)
	if err != nil {
		return Result{}, fmt.Errorf("backup: decrypt: %w", err)
	}

	f, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".restore-*")
	if err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	tmp := f.Name()
	published := false
	defer func() {
		if !published {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	// age authenticates every chunk and the end of the stream, so a
	// truncated or altered backup fails here rather than yielding a
	// shortened database.
	n, err := io.Copy(f, ctxReader{ctx: ctx, r: plain})
	if err != nil {
		return Result{}, fmt.Errorf("backup: decrypt: %w", err)
	}
	if err := f.Sync(); err != nil {
		return Result{}, fmt.Errorf("backup: fsync: %w", err)
	}
	if err := f.Close(); err != nil {
		return Result{}, fmt.Errorf("backup: %w", err)
	}
	tables, err := verifySQLite(ctx, tmp)
	if err != nil {
		return Result{}, fmt.Errorf("backup: restored database failed its check: %w", err)
	}
	if err := publish(tmp, dest); err != nil {
		return Result{}, err
	}
	published = true
	return Result{Path: dest, Bytes: n, Engine: "sqlite", Tables: tables}, nil
}
