// SPDX-License-Identifier: AGPL-3.0-or-later

// Package store opens Amparo's database (SQLite by default, PostgreSQL for
// large deployments), applies the embedded migrations and offers the small
// query surface every domain package uses. All SQL is written once with '?'
// placeholders; dialect.go holds every difference between the two engines.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
)

// Errors every domain package can test for, whatever the engine.
var (
	ErrNotFound = errors.New("store: not found")
	ErrConflict = errors.New("store: unique constraint violated")
	ErrBusy     = errors.New("store: database busy")
)

// DB is an open database. On SQLite writes go through a pool of exactly one
// connection (SQLite allows one writer at a time, and queueing in Go is
// cheaper than retrying on SQLITE_BUSY) and reads through a separate pool;
// on PostgreSQL both are the same pool.
type DB struct {
	dialect dialect
	w       *sql.DB
	r       *sql.DB
	stmts   stmtCache
	// SQLitePath is the database file on SQLite, empty on PostgreSQL.
	SQLitePath string
}

// Queryer is what both *DB and *Tx offer, so domain functions can run inside
// or outside a transaction.
type Queryer interface {
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, query string, args ...any) *sql.Row
}

// Open connects to url: "" or "sqlite:" followed by a path (or a bare path)
// means SQLite, "postgres://" or "postgresql://" means PostgreSQL. It does
// not migrate; call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	d, err := dialectFor(url)
	if err != nil {
		return nil, err
	}
	w, r, path, err := d.open(url)
	if err != nil {
		return nil, err
	}
	db := &DB{dialect: d, w: w, r: r, SQLitePath: path}
	if err := d.checkSettings(ctx, db); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}

// Engine names the database engine: "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.name() }

// Close closes both pools.
func (db *DB) Close() error {
	db.stmts.close()
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Exec runs a statement on the writer.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := db.w.ExecContext(ctx, db.dialect.rebind(query), args...)
	return res, db.dialect.mapError(err)
}

// Query runs a query on the reader pool.
func (db *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := db.prepared(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, db.dialect.mapError(err)
	}
	rows, err := db.r.QueryContext(ctx, db.dialect.rebind(query), args...)
	return rows, db.dialect.mapError(err)
}

// QueryRow runs a single-row query on the reader pool. Use Scan from this
// package to get ErrNotFound instead of sql.ErrNoRows.
func (db *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := db.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, db.dialect.rebind(query), args...)
}

// prepared returns a statement prepared once for query on the reader pool,
// or nil when the engine's driver already caches statements, the cache is
// full, or preparing failed (the caller then runs the query as text, which
// reports any error). Parsing SQL was a quarter of the CPU of an
// authenticated read on SQLite.
func (db *DB) prepared(ctx context.Context, query string) *sql.Stmt {
	if !db.dialect.prepareReads() {
		return nil
	}
	return db.stmts.get(ctx, db.r, query)
}

// Tx is a transaction on the writer.
type Tx struct {
	tx      *sql.Tx
	dialect dialect
	// conn is the connection tx runs on, for the engine's own bulk path
	// (InsertRows).
	conn *sql.Conn
	// stmts holds the statements InsertRows prepared in tx, by query text;
	// they close with it.
	stmts map[string]*sql.Stmt
	// bulk is set in a transaction of InBulkTx.
	bulk bool
	// exprIndex caches, by table, whether SQLite's InsertRows found an
	// index on an expression.
	exprIndex map[string]bool
}

// Exec runs a statement inside the transaction.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, t.dialect.rebind(query), args...)
	return res, t.dialect.mapError(err)
}

// Query runs a query inside the transaction.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, t.dialect.rebind(query), args...)
	return rows, t.dialect.mapError(err)
}

// QueryRow runs a single-row query inside the transaction.
func (t *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.dialect.rebind(query), args...)
}

// InTx runs fn in a transaction on the writer and commits if fn returns nil.
// On SQLite the transaction begins IMMEDIATE, so it holds the write lock from
// its first statement and never fails half-way on a lock upgrade.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, false, fn)
}

// InBulkTx is InTx for a transaction that inserts a great many rows with
// InsertRows, such as an import of a million cases. On SQLite the writer
// connection is set up for it before it begins and set back after it ends
// (see dialect.go): foreign keys are not checked, so fn must insert only
// rows whose references it has made sure of, and a conflict rolls the
// whole transaction back. A connection that cannot be set back is closed
// rather than used again.
func (db *DB) InBulkTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, true, fn)
}

func (db *DB) inTx(ctx context.Context, bulk bool, fn func(tx *Tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", db.dialect.mapError(err))
	}
	defer func() { _ = conn.Close() }() // returns it to the pool, or drops it when marked bad
	if bulk {
		defer func() {
			if err := db.dialect.endBulk(context.WithoutCancel(ctx), conn); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
		if err := db.dialect.beginBulk(ctx, conn); err != nil {
			return fmt.Errorf("store: begin: %w", db.dialect.mapError(err))
		}
	}
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", db.dialect.mapError(err))
	}
	if err := fn(&Tx{tx: sqlTx, dialect: db.dialect, conn: conn, bulk: bulk}); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", db.dialect.mapError(err))
	}
	return nil
}

// Scan scans a single row, turning sql.ErrNoRows into ErrNotFound and
// engine errors into this package's errors.
func (db *DB) Scan(row *sql.Row, dest ...any) error {
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return db.dialect.mapError(err)
}

// ScanRow is Scan for rows from a transaction or any Queryer.
func ScanRow(row *sql.Row, dest ...any) error {
	err := row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// Placeholders returns "?, ?, ?" with n marks, for IN lists.
func Placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// Args returns ids as query arguments, for the marks of Placeholders.
func Args(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// Checkpoint makes deleted bytes leave the write-ahead log on SQLite (see
// dialect.go); callers run it after an erasing transaction commits. It
// wraps ErrBusy when a reader kept it from finishing.
func (db *DB) Checkpoint(ctx context.Context) error { return db.dialect.checkpoint(ctx, db) }

// Raw returns the writer pool for the few jobs that need the engine itself
// (backups, checkpoints, tests that tamper with rows on purpose).
func (db *DB) Raw() *sql.DB { return db.w }

// Scanner is a row or rows, as a scan function reads them.
type Scanner interface{ Scan(...any) error }

// QueryAll runs a query and scans every row with scan.
func QueryAll[T any](ctx context.Context, q Queryer, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
