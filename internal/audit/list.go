// SPDX-License-Identifier: AGPL-3.0-or-later

package audit

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/amparo-project/amparo/internal/access"
	"strings"
	"time"
)

// Page sizes for List.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// entryColumns is the column list scanEntry expects, in its order.
const entryColumns = `seq, at, actor_id, org_id, action, object_type, object_id, fields, outcome, request_id, prev_hash, hash`

// Filter selects entries for List. Zero-valued attributes do not filter.
type Filter struct {
	OrgID, ActorID, Action, ObjectType, ObjectID string
	// Since (inclusive) and Until (exclusive) bound At, to the microsecond.
	Since, Until time.Time
	// Before is the cursor: when > 0, only entries with Seq < Before.
	Before int64
	// Limit is the page size: DefaultLimit when <= 0, at most MaxLimit.
	Limit int
}

// Restrict narrows f to what a reader with scope may see, whatever else
// it asks for: everything (all), their organisation's entries (org), or
// the entries of their own acts (own, as an analyst sees their changes to
// reference data, which belong to no organisation).
// A reader without an organisation (or without an id) under a narrower
// scope sees nothing rather than everything: the filter then matches no
// entry.
func (f *Filter) Restrict(scope access.Scope, orgID, userID string) {
	switch {
	case scope >= access.ScopeAll:
	case scope >= access.ScopeOrg:
		f.OrgID = orgID
		if orgID == "" {
			f.ActorID = noEntry
		}
	default:
		f.ActorID = userID
		if userID == "" {
			f.ActorID = noEntry
		}
	}
}

// noEntry is an actor id no entry has (ids are 26 base32 characters), for
// a filter that must match nothing.
const noEntry = "-"

// List returns the entries matching f, newest (highest Seq) first, and the
// cursor for the next page: pass next as f.Before to continue, and stop when
// next is 0. List does not authorise: an empty OrgID lists every
// organisation's entries, so org-scoped views must always set it.
func (l *Log) List(ctx context.Context, f Filter) (entries []Entry, next int64, err error) {
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	var conds []string
	var args []any
	for _, c := range []struct {
		column, value string
	}{
		{"org_id", f.OrgID},
		{"actor_id", f.ActorID},
		{"action", f.Action},
		{"object_type", f.ObjectType},
		{"object_id", f.ObjectID},
	} {
		if c.value != "" {
			conds = append(conds, c.column+" = ?")
			args = append(args, c.value)
		}
	}
	if !f.Since.IsZero() {
		conds = append(conds, "at >= ?")
		args = append(args, f.Since.UnixMicro())
	}
	if !f.Until.IsZero() {
		conds = append(conds, "at < ?")
		args = append(args, f.Until.UnixMicro())
	}
	if f.Before > 0 {
		conds = append(conds, "seq < ?")
		args = append(args, f.Before)
	}
	q := `SELECT ` + entryColumns + ` FROM audit_log`
	if len(conds) > 0 {
		q += ` WHERE ` + strings.Join(conds, " AND ")
	}
	// One row more than the page tells whether another page follows.
	q += ` ORDER BY seq DESC LIMIT ?`
	args = append(args, limit+1)

	rows, err := l.db.Query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("audit: listing: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("audit: listing: %w", err)
		}
		entries = append(entries, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("audit: listing: %w", err)
	}
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[limit-1].Seq
	}
	return entries, next, nil
}

// scanEntry reads one row selected with entryColumns. Stored field names are
// split back into a slice (nil when there are none); strings.Join undoes the
// split exactly, so entryHash of the result hashes the stored text.
func scanEntry(rows *sql.Rows) (Entry, error) {
	var e Entry
	var at int64
	var fields string
	err := rows.Scan(&e.Seq, &at, &e.ActorID, &e.OrgID, &e.Action, &e.ObjectType, &e.ObjectID,
		&fields, &e.Outcome, &e.RequestID, &e.PrevHash, &e.Hash)
	if err != nil {
		return Entry{}, err
	}
	e.At = time.UnixMicro(at).UTC()
	if fields != "" {
		e.Fields = strings.Split(fields, ",")
	}
	return e, nil
}
