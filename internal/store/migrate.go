// SPDX-License-Identifier: AGPL-3.0-or-later

package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one embedded schema change, named NNNN_description.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("store: migration %q has no numeric prefix", name)
		}
		body, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := range out {
		if out[i].Version != i+1 {
			return nil, fmt.Errorf("store: migration versions must run 1, 2, 3…; found %d at position %d", out[i].Version, i+1)
		}
	}
	return out, nil
}

// Pending returns the migrations not yet applied.
func (db *DB) Pending(ctx context.Context) ([]Migration, error) {
	all, err := Migrations()
	if err != nil {
		return nil, err
	}
	if _, err := db.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("store: creating schema_migrations: %w", err)
	}
	var current int
	if err := db.Scan(db.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`), &current); err != nil {
		return nil, err
	}
	if current > len(all) {
		return nil, fmt.Errorf("store: database is at schema version %d but this binary knows only %d; use a newer amparo", current, len(all))
	}
	return all[current:], nil
}

// Migrate applies every pending migration, each with its version bump in one
// transaction, and returns how many it applied.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	pending, err := db.Pending(ctx)
	if err != nil {
		return 0, err
	}
	for _, m := range pending {
		err := db.InTx(ctx, func(tx *Tx) error {
			for _, stmt := range splitStatements(db.dialect.ddl(m.SQL)) {
				if _, err := tx.Exec(ctx, stmt); err != nil {
					return fmt.Errorf("store: migration %s: %w", m.Name, err)
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, time.Now().UTC().UnixMicro())
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	return len(pending), nil
}

// splitStatements splits a migration at semicolons that end a line, and drops
// comment-only lines. Migrations do not use triggers or procedures, whose
// bodies would contain such semicolons.
func splitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(trimmed, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}
