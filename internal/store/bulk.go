// SPDX-License-Identifier: AGPL-3.0-or-later

package store

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
)

// InsertRows inserts rows (each holding one value per column, in order)
// into table inside the transaction, by the engine's fastest path: COPY on
// PostgreSQL, multi-row INSERT statements prepared once per transaction on
// SQLite. table and columns are names written in the code, never input.
// Constraints are checked as for any insert, and foreign keys too except
// in a transaction of InBulkTx on SQLite. In such a transaction an error
// may have ended the transaction already: return it, so that it rolls
// back, and run nothing more in it.
//
// In a bulk transaction the rows are inserted, and left, in the order of
// their first column, which should be the leading column of the table's
// key (an id): a batch then walks the key's index, and the others led by
// the same id, in order rather than jumping about it, which keeps their
// pages in the cache when a large import outgrows it.
func (t *Tx) InsertRows(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if t.bulk {
		slices.SortStableFunc(rows, func(a, b []any) int { return compareKeys(a[0], b[0]) })
	}
	return t.dialect.mapError(t.dialect.insertRows(ctx, t, table, columns, rows))
}

// compareKeys orders two values of a first column: strings and integers
// by value; other types are left in their order.
func compareKeys(a, b any) int {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y)
		}
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	}
	return 0
}

// maxInsertRows bounds the rows of one INSERT statement, so that a
// statement stays well under SQLite's 32,766 bound parameters and its text
// short to parse.
const maxInsertRows = 256

// insertByStatements is InsertRows for engines without a bulk protocol:
// full batches of at most per rows (fewer when the parameter bound needs)
// through one statement prepared in the transaction, the rest through a
// statement of its own.
func insertByStatements(ctx context.Context, t *Tx, verb, table string, columns []string, rows [][]any, per int) error {
	per = max(1, min(per, 32766/len(columns)))
	args := make([]any, 0, per*len(columns))
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range batch {
			args = append(args, r...)
		}
		query := insertText(verb, table, columns, len(batch))
		var err error
		if len(batch) == per {
			var st *sql.Stmt
			if st, err = t.prepare(ctx, query); err == nil {
				_, err = st.ExecContext(ctx, args...)
			}
		} else {
			_, err = t.tx.ExecContext(ctx, t.dialect.rebind(query), args...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// insertText is verb INTO table (columns) VALUES (?, …), … for n rows.
func insertText(verb, table string, columns []string, n int) string {
	row := "(" + Placeholders(len(columns)) + ")"
	var b strings.Builder
	b.Grow(len(table) + 32 + 8*len(columns) + n*(len(row)+2))
	b.WriteString(verb + " INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// prepare returns query prepared in the transaction, preparing it on first
// use.
func (t *Tx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(ctx, t.dialect.rebind(query))
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[query] = st
	return st, nil
}

// UpsertRows inserts rows into table as InsertRows does, except that a row
// whose key — the first keyCols columns, which must be the table's primary
// key — is already there replaces the other columns of that row, and does
// so only where guard (a condition on the existing row, named by the
// table, and on the new one, named excluded; "" for always) holds. It
// answers how many rows were inserted or replaced, so that a caller can
// tell when the guard turned rows away. The statement is the same on both
// engines. rows must not repeat a key: PostgreSQL refuses that.
func (t *Tx) UpsertRows(ctx context.Context, table string, columns []string, keyCols int, guard string, rows [][]any) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	sets := make([]string, 0, len(columns)-keyCols)
	for _, c := range columns[keyCols:] {
		sets = append(sets, c+" = excluded."+c)
	}
	tail := " ON CONFLICT (" + strings.Join(columns[:keyCols], ", ") + ") DO UPDATE SET " + strings.Join(sets, ", ")
	if guard != "" {
		tail += " WHERE " + guard
	}
	per := max(1, min(maxInsertRows, 32766/len(columns)))
	args := make([]any, 0, per*len(columns))
	var total int64
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(start+per, len(rows))]
		args = args[:0]
		for _, r := range batch {
			args = append(args, r...)
		}
		st, err := t.prepare(ctx, insertText("INSERT", table, columns, len(batch))+tail)
		if err != nil {
			return total, t.dialect.mapError(err)
		}
		res, err := st.ExecContext(ctx, args...)
		if err != nil {
			return total, t.dialect.mapError(err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// Prepare returns query prepared in the transaction, preparing it once per
// transaction, for a caller that runs the same statement many times — a
// bulk write whose text it builds itself.
func (t *Tx) Prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := t.prepare(ctx, query)
	return st, t.dialect.mapError(err)
}
