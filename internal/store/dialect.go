// SPDX-License-Identifier: AGPL-3.0-or-later

package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is every difference between SQLite and PostgreSQL that Amparo
// depends on. Nothing outside this file switches on the engine.
type dialect interface {
	name() string
	open(url string) (w, r *sql.DB, path string, err error)
	rebind(query string) string
	ddl(migration string) string
	mapError(err error) error
	checkSettings(ctx context.Context, db *DB) error
	checkpoint(ctx context.Context, db *DB) error
	// prepareReads says whether reads should reuse prepared statements;
	// pgx already caches them per connection, modernc's SQLite does not.
	prepareReads() bool
	// insertRows is Tx.InsertRows: the engine's fastest way to insert
	// many rows in a transaction.
	insertRows(ctx context.Context, t *Tx, table string, columns []string, rows [][]any) error
	// beginBulk sets the writer connection up for a transaction that
	// inserts many rows (InBulkTx) before it begins; endBulk sets it back
	// after it has ended and reports whether it could.
	beginBulk(ctx context.Context, conn *sql.Conn) error
	endBulk(ctx context.Context, conn *sql.Conn) error
}

func dialectFor(url string) (dialect, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return postgres{}, nil
	case url == "":
		return nil, errors.New("store: empty database URL")
	case strings.Contains(url, "://"):
		return nil, fmt.Errorf("store: unsupported database URL scheme in %q (use a file path, sqlite:PATH or postgres://…)", schemeOf(url))
	default:
		return sqliteDialect{}, nil
	}
}

func schemeOf(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		return url[:i]
	}
	return url
}

// SQLite settings, asserted after opening (SECURITY-BAR 19): a recorded case
// must survive a power cut, so synchronous is FULL, not NORMAL.
const sqliteBusyTimeoutMS = 10000

type sqliteDialect struct{}

func (sqliteDialect) name() string { return "sqlite" }

func (sqliteDialect) open(url string) (*sql.DB, *sql.DB, string, error) {
	path := strings.TrimPrefix(url, "sqlite:")
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, nil, "", fmt.Errorf("store: database path: %w", err)
	}
	// SQLite would create the file 0644, and its -wal and -shm files take
	// the database file's mode: create it 0600 first so that no copy of
	// the data is readable by other accounts on the machine.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, "", fmt.Errorf("store: database file: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, nil, "", fmt.Errorf("store: database file: %w", err)
	}
	pragmas := fmt.Sprintf("_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)"+
		"&_pragma=foreign_keys(ON)&_pragma=secure_delete(ON)", sqliteBusyTimeoutMS)
	// The one writer gets a 32 MiB page cache (SQLite's default is 2 MiB),
	// so that a large transaction such as an import of 100,000 rows keeps
	// its index pages in memory instead of spilling them to the WAL before
	// commit; readers keep the default. Its temporary storage is memory:
	// every multi-row INSERT in a transaction keeps a statement journal (to
	// undo that statement alone), which on disk cost a system call per
	// page, and nothing temporary then reaches a file.
	w, err := sql.Open("sqlite", fmt.Sprintf("file:%s?%s&_pragma=cache_size(-%d)&_pragma=temp_store(MEMORY)&_txlock=immediate",
		abs, pragmas, sqliteCacheKiB))
	if err != nil {
		return nil, nil, "", fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", "file:"+abs+"?"+pragmas+"&_pragma=query_only(ON)")
	if err != nil {
		_ = w.Close()
		return nil, nil, "", fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return w, r, abs, nil
}

func (sqliteDialect) prepareReads() bool { return true }

// Page caches of the writer: normally, and during a bulk transaction, so
// that a million rows' index pages stay in memory rather than spill to the
// WAL and be read back before commit.
const (
	sqliteCacheKiB     = 32 << 10
	sqliteBulkCacheKiB = 1 << 20
)

// insertRows uses multi-row INSERT statements: SQLite runs in-process, so
// a statement costs no round trip, only its parsing, which preparing once
// saves. In a bulk transaction the statements resolve a conflict by
// rolling the whole transaction back (OR ROLLBACK) rather than undoing the
// one statement, and foreign keys are off (beginBulk), so that SQLite need
// not journal every page a statement touches in order to undo it alone:
// that journal cost more than the inserting.
//
// An index on an expression brings the journal back, since a function in
// it might fail half-way through a statement: such a table gets one
// statement per row, which SQLite never journals.
func (sqliteDialect) insertRows(ctx context.Context, t *Tx, table string, columns []string, rows [][]any) error {
	if !t.bulk {
		return insertByStatements(ctx, t, "INSERT", table, columns, rows, maxInsertRows)
	}
	expr, ok := t.exprIndex[table]
	if !ok {
		var n int
		err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM pragma_index_list(?) l, pragma_index_xinfo(l.name) x
			WHERE x.cid = -2`, table).Scan(&n)
		if err != nil {
			return err
		}
		expr = n > 0
		if t.exprIndex == nil {
			t.exprIndex = map[string]bool{}
		}
		t.exprIndex[table] = expr
	}
	per := maxInsertRows
	if expr {
		per = 1
	}
	return insertByStatements(ctx, t, "INSERT OR ROLLBACK", table, columns, rows, per)
}

// beginBulk turns foreign keys off (SQLite cannot within a transaction, and
// checks an immediate foreign key of a multi-row statement by journalling
// it) and enlarges the page cache.
func (sqliteDialect) beginBulk(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA foreign_keys = OFF; PRAGMA cache_size = -%d`, sqliteBulkCacheKiB))
	return err
}

// endBulk turns foreign keys back on, checks that they are, and gives the
// writer its usual page cache back, freeing the rest.
func (sqliteDialect) endBulk(ctx context.Context, conn *sql.Conn) error {
	_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA foreign_keys = ON; PRAGMA cache_size = -%d; PRAGMA shrink_memory`,
		sqliteCacheKiB))
	if err != nil {
		return err
	}
	var on int
	if err := conn.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil {
		return err
	}
	if on != 1 {
		return errors.New("store: foreign keys stayed off after a bulk transaction")
	}
	return nil
}

// rebind leaves '?' placeholders as they are: SQLite understands them.
func (sqliteDialect) rebind(q string) string { return q }

// ddl leaves migrations as written; they use SQLite's spelling of types.
func (sqliteDialect) ddl(m string) string { return m }

func (sqliteDialect) mapError(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", ErrConflict, err)
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %v", ErrBusy, err)
		}
	}
	return err
}

// checkSettings reads the pragmas back on both pools and refuses to run when
// any differs from what durability and erasure depend on.
func (sqliteDialect) checkSettings(ctx context.Context, db *DB) error {
	want := []struct {
		pragma string
		ok     func(string) bool
		expect string
	}{
		{"journal_mode", func(v string) bool { return strings.EqualFold(v, "wal") }, "wal"},
		{"synchronous", func(v string) bool { return v == "2" }, "2 (FULL)"},
		{"foreign_keys", func(v string) bool { return v == "1" }, "1"},
		{"secure_delete", func(v string) bool { return v == "1" }, "1"},
		{"busy_timeout", func(v string) bool {
			var n int
			_, err := fmt.Sscan(v, &n)
			return err == nil && n >= 5000
		}, ">= 5000"},
	}
	for _, pool := range []*sql.DB{db.w, db.r} {
		for _, p := range want {
			var v string
			if err := pool.QueryRowContext(ctx, "PRAGMA "+p.pragma).Scan(&v); err != nil {
				return fmt.Errorf("store: reading PRAGMA %s: %w", p.pragma, err)
			}
			if !p.ok(v) {
				return fmt.Errorf("store: refusing to run: PRAGMA %s is %q, want %s", p.pragma, v, p.expect)
			}
		}
	}
	if n := db.w.Stats().MaxOpenConnections; n != 1 {
		return fmt.Errorf("store: refusing to run: %d writer connections, want 1", n)
	}
	return nil
}

// checkpoint copies the WAL into the database file and truncates the WAL,
// so that bytes deleted with secure_delete=ON (an erased data key) leave
// the log too.
func (sqliteDialect) checkpoint(ctx context.Context, db *DB) error {
	var busy, logFrames, checkpointed int
	if err := db.w.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &checkpointed); err != nil {
		return fmt.Errorf("store: WAL checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("store: WAL checkpoint could not finish while a reader held the log: %w", ErrBusy)
	}
	return nil
}

type postgres struct{}

func (postgres) name() string { return "postgres" }

func (postgres) open(url string) (*sql.DB, *sql.DB, string, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, nil, "", fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	return db, db, "", nil
}

func (postgres) prepareReads() bool { return false }

// beginBulk and endBulk have nothing to do: COPY needs no setting.
func (postgres) beginBulk(context.Context, *sql.Conn) error { return nil }
func (postgres) endBulk(context.Context, *sql.Conn) error   { return nil }

// insertRows streams the rows with COPY FROM STDIN on the transaction's
// own connection, which pgx exposes under database/sql's handle: one
// round trip for any number of rows, and no SQL to parse per row.
func (postgres) insertRows(ctx context.Context, t *Tx, table string, columns []string, rows [][]any) error {
	return t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: COPY needs a pgx connection, not %T", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
		return err
	})
}

// rebind turns '?' placeholders into $1, $2, … outside quoted text.
func (postgres) rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			fmt.Fprintf(&b, "$%d", n)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// ddl turns SQLite's spelling of types into PostgreSQL's.
func (postgres) ddl(m string) string {
	return strings.NewReplacer(" BLOB", " BYTEA", ") WITHOUT ROWID;", ");").Replace(m)
}

func (postgres) mapError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return fmt.Errorf("%w: %s", ErrConflict, pe.ConstraintName)
		case "40001", "40P01", "55P03":
			return fmt.Errorf("%w: %s", ErrBusy, pe.Code)
		}
	}
	return err
}

func (postgres) checkSettings(ctx context.Context, db *DB) error {
	return db.w.PingContext(ctx)
}

// checkpoint does nothing on PostgreSQL: deleted rows leave the heap at the
// next VACUUM and old WAL segments are recycled by the server; the erasure
// bound there is documented in docs/SECURITY.md.
func (postgres) checkpoint(context.Context, *DB) error { return nil }
