// SPDX-License-Identifier: AGPL-3.0-or-later

// Package backup makes consistent, verified, age-encrypted backups of
// Amparo's database and restores them (SECURITY-BAR 20). A backup is only
// ever written encrypted to at least one age recipient; it is checked before
// it is encrypted, and it appears under its final name only once it is
// complete and on disk, so a crash or an error leaves either the whole
// backup or nothing. A backup or restore never replaces an existing file.
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	_ "modernc.org/sqlite" // the "sqlite" driver, for the snapshot and its checks

	"github.com/amparo-project/amparo/internal/store"
)

// Options says where a backup goes and who can read it.
type Options struct {
	// Out is the destination file, e.g. amparo-20261122T150405Z.db.age. It
	// must not exist yet: a backup never replaces an earlier one.
	Out string
	// Recipients are the age public keys the backup is encrypted to. At least
	// one is required; backups are never written in plain text.
	Recipients []age.Recipient
	// PostgresURL is the URL pg_dump connects to. It is required on
	// PostgreSQL, because the store does not keep its URL, and ignored on
	// SQLite. When it sets search_path, only those schemas are dumped.
	PostgresURL string
}

// Result describes a finished backup or restore.
type Result struct {
	// Path is the backup file (Backup) or the restored database (Restore).
	Path string
	// Bytes is the size of Path.
	Bytes int64
	// Engine is "sqlite" or "postgres".
	Engine string
	// Tables holds the row count of every table, counted in the verified
	// copy rather than in the live database. On PostgreSQL the names are
	// qualified as pg_dump writes them (schema.table).
	Tables map[string]int64
}

// Backup writes an encrypted, verified backup of db to opt.Out. On error no
// file is left at opt.Out and every temporary file is removed.
func Backup(ctx context.Context, db *store.DB, opt Options) (Result, error) {
	if len(opt.Recipients) == 0 {
		return Result{}, errors.New("backup: no recipients: backups are never written in plain text")
	}
	if opt.Out == "" {
		return Result{}, errors.New("backup: no output path")
	}
	out, err := filepath.Abs(opt.Out)
	if err != nil {
		return Result{}, fmt.Errorf("backup: output path: %w", err)
	}
	if err := mustNotExist(out); err != nil {
		return Result{}, err
	}
	res := Result{Path: out, Engine: db.Engine()}
	switch db.Engine() {
	case "sqlite":
		res.Bytes, res.Tables, err = backupSQLite(ctx, db.SQLitePath, out, opt.Recipients)
	case "postgres":
		if opt.PostgresURL == "" {
			return Result{}, errors.New("backup: PostgreSQL backup needs Options.PostgresURL")
		}
		res.Bytes, res.Tables, err = backupPostgres(ctx, opt.PostgresURL, out, opt.Recipients)
	default:
		return Result{}, fmt.Errorf("backup: unsupported engine %q", db.Engine())
	}
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// backupSQLite backs up the database file at src. The order of the steps is
// what makes the backup trustworthy:
//
//  1. VACUUM INTO takes the copy inside one read transaction, so it is a
//     consistent snapshot even while other goroutines keep writing (in WAL
//     mode the writer is not blocked while it runs). Copying the file and
//     its -wal by hand could catch a half-applied checkpoint.
//  2. The copy is checked (integrity_check, row counts) before it is
//     encrypted, because nobody can look inside the backup afterwards
//     without the private key: a corrupt backup must fail now, not on the
//     day it is needed.
//  3. Encryption streams into <out>.tmp, which is fsynced before it is
//     linked to out, and the directory is fsynced after, so out either does
//     not exist or holds a complete backup that survives a power cut.
//
// VACUUM INTO briefly writes a plain (unencrypted at the file level) copy of
// the database into the destination directory. Sensitive fields inside it
// are already sealed by field encryption, and the copy is created 0600 and
// removed on every path before backupSQLite returns, but the destination
// directory should be no more widely readable than the database's own.
func backupSQLite(ctx context.Context, src, out string, recipients []age.Recipient) (int64, map[string]int64, error) {
	// VACUUM INTO accepts an existing empty file. Creating it first with
	// CreateTemp gives it a unique name and mode 0600 whatever the umask.
	plain, err := os.CreateTemp(filepath.Dir(out), ".amparo-backup-*.sqlite")
	if err != nil {
		return 0, nil, fmt.Errorf("backup: snapshot file: %w", err)
	}
	plainPath := plain.Name()
	defer func() { _ = os.Remove(plainPath) }()
	if err := plain.Close(); err != nil {
		return 0, nil, fmt.Errorf("backup: snapshot file: %w", err)
	}
	if err := vacuumInto(ctx, src, plainPath); err != nil {
		return 0, nil, err
	}
	tables, err := verifySQLite(ctx, plainPath)
	if err != nil {
		return 0, nil, fmt.Errorf("backup: snapshot failed its check: %w", err)
	}
	n, err := writeEncrypted(out, recipients, func(w io.Writer) error {
		f, err := os.Open(plainPath)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		_, err = io.Copy(w, ctxReader{ctx: ctx, r: f})
		return err
	})
	if err != nil {
		return 0, nil, err
	}
	return n, tables, nil
}

// vacuumInto snapshots src into dst through a connection of its own, opened
// read-only, so the store's single writer stays free for the application.
// The target path is a bound parameter, so no quoting of it is needed.
func vacuumInto(ctx context.Context, src, dst string) error {
	dsn, err := sqliteDSN(src, "mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return fmt.Errorf("backup: open database: %w", err)
	}
	defer func() { _ = conn.Close() }()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("backup: VACUUM INTO: %w", err)
	}
	return nil
}

// verifySQLite requires PRAGMA integrity_check to answer "ok" for the
// database file at path and returns the row count of every table in
// sqlite_master. The file is opened immutable: nothing else writes it, and
// SQLite then creates no -wal, -shm or -journal file beside it.
func verifySQLite(ctx context.Context, path string) (map[string]int64, error) {
	dsn, err := sqliteDSN(path, "mode=ro&immutable=1")
	if err != nil {
		return nil, err
	}
	conn, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	defer func() { _ = conn.Close() }()
	conn.SetMaxOpenConns(1)

	// integrity_check answers a single "ok" row, or one row per problem
	// (at most 100). Its messages name pages and indexes, never values.
	verdict, err := queryStrings(ctx, conn, `PRAGMA integrity_check`)
	if err != nil {
		return nil, fmt.Errorf("integrity_check: %w", err)
	}
	if len(verdict) != 1 || verdict[0] != "ok" {
		return nil, fmt.Errorf("integrity_check: %s", strings.Join(verdict[:min(len(verdict), 5)], "; "))
	}

	names, err := queryStrings(ctx, conn, `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("listing tables: %w", err)
	}
	tables := make(map[string]int64, len(names))
	for _, name := range names {
		var n int64
		quoted := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
		if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+quoted).Scan(&n); err != nil {
			return nil, fmt.Errorf("counting %s: %w", name, err)
		}
		tables[name] = n
	}
	return tables, nil
}

// queryStrings returns the first column of every row query returns.
func queryStrings(ctx context.Context, conn *sql.DB, query string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			_ = rows.Close()
			return nil, err
		}
		out = append(out, s)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}

// sqliteDSN makes a driver DSN for the file at path. The driver reads the
// DSN as a URI, so a path holding '?', '#' or '%' would be cut short or
// decoded into another file; such paths are refused rather than guessed at.
func sqliteDSN(path, params string) (string, error) {
	if strings.ContainsAny(path, "?#%") {
		return "", fmt.Errorf("backup: path %q contains '?', '#' or '%%', which SQLite would read as part of a URI", path)
	}
	return "file:" + path + "?" + params, nil
}

// writeEncrypted encrypts what fill writes to recipients, into out+".tmp"
// (created 0600, never over an existing file), fsyncs it, publishes it as
// out and returns its size. On error neither out nor the .tmp file is left.
func writeEncrypted(out string, recipients []age.Recipient, fill func(w io.Writer) error) (int64, error) {
	tmp := out + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return 0, fmt.Errorf("backup: %s exists: another backup is running or one was interrupted; remove it if not", tmp)
		}
		return 0, fmt.Errorf("backup: %w", err)
	}
	published := false
	defer func() {
		if !published {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	enc, err := age.Encrypt(f, recipients...)
	if err != nil {
		return 0, fmt.Errorf("backup: age: %w", err)
	}
	if err := fill(enc); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	// Close writes age's last chunk, which marks the end of the stream; a
	// file without it does not decrypt.
	if err := enc.Close(); err != nil {
		return 0, fmt.Errorf("backup: age: %w", err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("backup: fsync: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := f.Close(); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	if err := publish(tmp, out); err != nil {
		return 0, err
	}
	published = true
	return fi.Size(), nil
}

// publish gives the complete, fsynced file tmp its final name and fsyncs the
// directory so the name survives a power cut. It never replaces an existing
// file: a hard link fails when final exists, where a rename would silently
// overwrite it (an older backup lost, or a restore laid over a live
// database). On filesystems without hard links (some network mounts) it
// re-checks and renames, which narrows the race to that moment. On success
// tmp is gone; on error it is left for the caller to remove.
func publish(tmp, final string) error {
	err := os.Link(tmp, final)
	switch {
	case err == nil:
		if err := os.Remove(tmp); err != nil {
			_ = os.Remove(final)
			return fmt.Errorf("backup: %w", err)
		}
	case errors.Is(err, fs.ErrExist):
		return fmt.Errorf("backup: refusing to replace existing %s", final)
	default:
		if err := mustNotExist(final); err != nil {
			return err
		}
		if err := os.Rename(tmp, final); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	if err := syncDir(filepath.Dir(final)); err != nil {
		_ = os.Remove(final)
		return err
	}
	return nil
}

// mustNotExist fails when anything, even a dangling symlink, is at path.
func mustNotExist(path string) error {
	_, err := os.Lstat(path)
	switch {
	case err == nil:
		return fmt.Errorf("backup: refusing to replace existing %s", path)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("backup: %w", err)
	}
}

// syncDir fsyncs a directory, making the names created or removed in it
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("backup: fsync directory: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: fsync directory: %w", err)
	}
	return nil
}

// ctxReader stops a long copy once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
