// SPDX-License-Identifier: AGPL-3.0-or-later

package backup

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"filippo.io/age"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, for the empty-target check
)

// PgToolDir returns the directory holding pg_dump and pg_restore: the one on
// PATH if any, else the newest /usr/lib/postgresql/<version>/bin (Debian
// and Ubuntu install them there without putting them on PATH). It returns
// "" when neither has pg_dump.
func PgToolDir() string {
	if p, err := exec.LookPath("pg_dump"); err == nil {
		return filepath.Dir(p)
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	best, bestVersion := "", []int(nil)
	for _, d := range dirs {
		v, ok := parseVersion(filepath.Base(filepath.Dir(d)))
		if !ok {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "pg_dump")); err != nil {
			continue
		}
		if best == "" || versionLess(bestVersion, v) {
			best, bestVersion = d, v
		}
	}
	return best
}

// parseVersion reads "15" or "9.6" as numbers.
func parseVersion(s string) ([]int, bool) {
	var v []int
	for _, part := range strings.Split(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

func versionLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// pgTarget is how a child pg_dump or pg_restore reaches a database without
// a password on its command line, where any local user could read it in ps.
type pgTarget struct {
	// dbname is the URL for --dbname, without password or search_path
	// (libpq rejects search_path as a URL parameter).
	dbname string
	// env holds PGPASSWORD=… when the URL carried a password.
	env []string
	// schemas are the search_path entries, as pg_dump --schema patterns.
	schemas []string
}

// parsePgURL splits a store URL into what the PostgreSQL tools need. Errors
// never quote the URL, which may hold a password.
func parsePgURL(raw string) (pgTarget, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return pgTarget{}, errors.New("backup: the PostgreSQL URL must be a postgres:// or postgresql:// URL")
	}
	var t pgTarget
	if u.User != nil {
		if pw, ok := u.User.Password(); ok {
			t.env = append(t.env, "PGPASSWORD="+pw)
			u.User = url.User(u.User.Username())
		}
	}
	q := u.Query()
	if q.Has("password") {
		t.env = append(t.env, "PGPASSWORD="+q.Get("password"))
		q.Del("password")
	}
	for _, entry := range strings.Split(q.Get("search_path"), ",") {
		if name, ok := schemaName(entry); ok {
			t.schemas = append(t.schemas, `"`+strings.ReplaceAll(name, `"`, `""`)+`"`)
		}
	}
	q.Del("search_path")
	u.RawQuery = q.Encode()
	t.dbname = u.String()
	return t, nil
}

// schemaName reads one search_path entry as PostgreSQL does: an unquoted
// name is folded to lower case, a double-quoted one is taken literally.
// "$user" names no fixed schema and is skipped, as are empty entries.
func schemaName(entry string) (string, bool) {
	entry = strings.TrimSpace(entry)
	switch {
	case entry == "" || entry == "$user":
		return "", false
	case len(entry) >= 2 && strings.HasPrefix(entry, `"`) && strings.HasSuffix(entry, `"`):
		return strings.ReplaceAll(entry[1:len(entry)-1], `""`, `"`), true
	default:
		return strings.ToLower(entry), true
	}
}

// pgCommand prepares one of the PostgreSQL client tools with t's password,
// if any, in its environment.
func pgCommand(ctx context.Context, tool string, t pgTarget, args ...string) (*exec.Cmd, error) {
	dir := PgToolDir()
	if dir == "" {
		return nil, errors.New("backup: pg_dump not found on PATH or under /usr/lib/postgresql/*/bin")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(dir, tool), args...)
	cmd.Env = append(os.Environ(), t.env...)
	return cmd, nil
}

// backupPostgres streams pg_dump --format=custom through age into out. The
// same byte stream is fed at once to pg_restore, which turns the whole
// archive back into SQL; that reads its table of contents (what
// pg_restore --list checks) and every data block too, and the COPY rows in
// its output give the row counts. A backup is published only when pg_dump
// and pg_restore both exit 0. Verifying the stream as it is encrypted,
// rather than by decrypting the file afterwards, needs no private key on
// the machine that makes backups, and the plain dump only ever passes
// through pipes: unlike on SQLite, no plaintext copy touches the disk.
func backupPostgres(ctx context.Context, rawURL, out string, recipients []age.Recipient) (int64, map[string]int64, error) {
	t, err := parsePgURL(rawURL)
	if err != nil {
		return 0, nil, err
	}
	args := []string{"--format=custom", "--no-password", "--dbname=" + t.dbname}
	for _, s := range t.schemas {
		args = append(args, "--schema="+s)
	}
	var tables map[string]int64
	n, err := writeEncrypted(out, recipients, func(w io.Writer) error {
		var err error
		tables, err = dumpAndCheck(ctx, t, args, w)
		return err
	})
	if err != nil {
		return 0, nil, err
	}
	return n, tables, nil
}

// dumpAndCheck runs pg_dump with args, copies its output to w and, at the
// same time, to pg_restore --file=- for checking, and returns the row counts
// pg_restore's script holds.
func dumpAndCheck(ctx context.Context, t pgTarget, args []string, w io.Writer) (map[string]int64, error) {
	// runCtx stops both tools as soon as either side of the copy fails; ctx
	// itself is left alone so that a caller's cancellation can be told
	// apart below.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()

	dump, err := pgCommand(runCtx, "pg_dump", t, args...)
	if err != nil {
		return nil, err
	}
	dumpOut, err := dump.StdoutPipe()
	if err != nil {
		return nil, err
	}
	dumpErr := &tailBuffer{}
	dump.Stderr = dumpErr

	check, err := pgCommand(runCtx, "pg_restore", pgTarget{}, "--file=-")
	if err != nil {
		return nil, err
	}
	checkIn, err := check.StdinPipe()
	if err != nil {
		return nil, err
	}
	checkOut, err := check.StdoutPipe()
	if err != nil {
		return nil, err
	}
	checkErr := &tailBuffer{}
	check.Stderr = checkErr

	if err := check.Start(); err != nil {
		return nil, fmt.Errorf("pg_restore: %w", err)
	}
	if err := dump.Start(); err != nil {
		cancel()
		_ = checkIn.Close()
		_ = check.Wait()
		return nil, fmt.Errorf("pg_dump: %w", err)
	}

	type counted struct {
		tables map[string]int64
		err    error
	}
	countDone := make(chan counted, 1)
	go func() {
		tables, err := countCopyRows(checkOut)
		// Drain whatever is left so pg_restore never blocks on a full pipe.
		_, _ = io.Copy(io.Discard, checkOut)
		countDone <- counted{tables, err}
	}()

	// Copy by hand rather than through io.MultiWriter, so that a failure
	// is blamed on the side that failed: the backup file or the check.
	var readErr, writeErr, checkPipeErr error
	buf := make([]byte, 64<<10)
	for {
		n, err := dumpOut.Read(buf)
		if n > 0 {
			if _, writeErr = w.Write(buf[:n]); writeErr != nil {
				break
			}
			if _, checkPipeErr = checkIn.Write(buf[:n]); checkPipeErr != nil {
				break
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			readErr = err
			break
		}
	}
	if readErr != nil || writeErr != nil || checkPipeErr != nil {
		// Stop both tools: the backup fails whatever they do next.
		cancel()
	}
	closeErr := checkIn.Close()
	dumpWait := dump.Wait()
	c := <-countDone
	checkWait := check.Wait()

	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case writeErr != nil:
		return nil, fmt.Errorf("writing the backup: %w", writeErr)
	case checkPipeErr != nil:
		// pg_restore stopped reading: it rejected the dump.
		return nil, fmt.Errorf("pg_restore check of the dump: %w: %s", errors.Join(checkWait, checkPipeErr), checkErr)
	case readErr != nil:
		return nil, fmt.Errorf("reading pg_dump's output: %w", readErr)
	case dumpWait != nil:
		return nil, fmt.Errorf("pg_dump: %w: %s", dumpWait, dumpErr)
	case checkWait != nil:
		return nil, fmt.Errorf("pg_restore check of the dump: %w: %s", checkWait, checkErr)
	case closeErr != nil:
		return nil, fmt.Errorf("pg_restore check of the dump: %w", closeErr)
	case c.err != nil:
		return nil, fmt.Errorf("reading pg_restore's script: %w", c.err)
	}
	return c.tables, nil
}

// countCopyRows counts the data rows of every COPY … FROM stdin; block in a
// SQL script written by pg_restore, keyed by the table as the COPY line
// names it. A row is one line in COPY's text format (newlines inside values
// are escaped), and "\." ends the block. Lines can be very long (bytea
// columns hold whole sealed attachments), so only the start of each line is
// looked at and nothing is kept in memory.
func countCopyRows(r io.Reader) (map[string]int64, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	tables := map[string]int64{}
	var table string
	inCopy, atLineStart := false, true
	for {
		frag, err := br.ReadSlice('\n')
		if atLineStart && len(frag) > 0 {
			switch {
			case inCopy && string(frag) == "\\.\n":
				inCopy = false
			case inCopy:
				tables[table]++
			case bytes.HasPrefix(frag, []byte("COPY ")):
				head := strings.TrimSuffix(string(frag), "\n")
				name, ok := strings.CutSuffix(strings.TrimPrefix(head, "COPY "), " FROM stdin;")
				if !ok {
					return nil, fmt.Errorf("unrecognised COPY line %.200q", head)
				}
				table, inCopy = copyTarget(name), true
				tables[table] += 0
			}
		}
		// ErrBufferFull means the line goes on in the next fragment.
		atLineStart = err == nil
		switch {
		case err == nil || errors.Is(err, bufio.ErrBufferFull):
		case errors.Is(err, io.EOF):
			if inCopy {
				return nil, fmt.Errorf("COPY data for %s ends without its end-of-data marker", table)
			}
			return tables, nil
		default:
			return nil, err
		}
	}
}

// copyTarget returns the table of a COPY head such as
// `s.t (a, b)` or `"S"."odd (name)" (a)`: the text before the first " ("
// that is outside double quotes.
func copyTarget(head string) string {
	quoted := false
	for i := 0; i < len(head); i++ {
		switch {
		case head[i] == '"':
			quoted = !quoted
		case !quoted && strings.HasPrefix(head[i:], " ("):
			return head[:i]
		}
	}
	return head
}

// RestorePostgres decrypts a PostgreSQL backup read from in and pipes it into
// pg_restore --no-owner --exit-on-error --single-transaction --dbname dbURL.
// The target must be an empty database: RestorePostgres checks that it holds
// no table, sequence, view or index outside the system schemas, and the
// single transaction means a failed restore leaves it empty. The backup's
// schemas are recreated as they were dumped; a search_path in dbURL is used
// only for the emptiness check.
func RestorePostgres(ctx context.Context, in io.Reader, identities []age.Identity, dbURL string) error {
	if len(identities) == 0 {
		return errors.New("backup: no identities to decrypt with")
	}
	t, err := parsePgURL(dbURL)
	if err != nil {
		return err
	}
	if err := requireEmptyPostgres(ctx, dbURL); err != nil {
		return err
	}
	plain, err := age.Decrypt(in, identities...)
	if err != nil {
		return fmt.Errorf("backup: decrypt: %w", err)
	}
	cmd, err := pgCommand(ctx, "pg_restore", t,
		"--no-owner", "--no-password", "--exit-on-error", "--single-transaction", "--dbname="+t.dbname)
	if err != nil {
		return err
	}
	// When in is truncated or altered, age fails the read, pg_restore sees
	// its input end early and fails, and Run reports the error.
	cmd.Stdin = ctxReader{ctx: ctx, r: plain}
	stderr := &tailBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("backup: pg_restore: %w: %s", err, stderr)
	}
	return nil
}

// requireEmptyPostgres fails unless the database at dbURL has no relation
// outside information_schema and the pg_* schemas (pg_catalog, pg_toast…).
func requireEmptyPostgres(ctx context.Context, dbURL string) error {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return errors.New("backup: cannot open the target database")
	}
	defer func() { _ = db.Close() }()
	var n int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace
		WHERE s.nspname <> 'information_schema' AND s.nspname NOT LIKE 'pg\_%'`).Scan(&n)
	if err != nil {
		return fmt.Errorf("backup: checking the target database is empty: %w", err)
	}
	if n != 0 {
		return fmt.Errorf("backup: refusing to restore into a database that is not empty (%d relations)", n)
	}
	return nil
}

// tailBuffer keeps the last 4 KiB written to it: enough of a tool's stderr
// to explain a failure, bounded whatever the tool prints. Its methods may be
// called from the goroutine exec uses to copy stderr.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const tailBufferSize = 4 << 10

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > tailBufferSize {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-tailBufferSize:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(string(b.buf))
}
