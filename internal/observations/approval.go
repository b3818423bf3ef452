// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// State is where a set is in its approval.
type State string

const (
	Draft     State = "draft"
	Submitted State = "submitted"
	Approved  State = "approved"
	Published State = "published"
)

// States lists the states in their order.
func States() []State { return []State{Draft, Submitted, Approved, Published} }

// Set is one (series, area, period) and its approval.
type Set struct {
	SetKey
	State                   State
	Rows                    int
	SubmittedBy, ApprovedBy string
	Note, ImportID          string
	ChangedBy               string
	ChangedAt               time.Time
}

// SetFilter selects sets; empty fields select everything. Limit 0 is 50.
type SetFilter struct {
	Series, Area, Period, ImportID string
	State                          State
	Limit, Offset                  int
}

// MaxSetPage bounds one page of sets.
const MaxSetPage = 500

// MaxNoteRunes bounds the note a set is returned with.
const MaxNoteRunes = 500

// Sets lists sets with the number of working rows each holds, in the order
// of series, area and period, and the number matching in all.
func (s *Service) Sets(ctx context.Context, p access.Principal, f SetFilter) ([]Set, int, error) {
	if !p.Can(PermRead) {
		return nil, 0, ErrForbidden
	}
	var conds []string
	var args []any
	for _, c := range []struct{ col, v string }{
		{"series", f.Series}, {"area", f.Area}, {"period", f.Period}, {"import_id", f.ImportID}, {"state", string(f.State)},
	} {
		if c.v != "" {
			conds = append(conds, "s."+c.col+" = ?")
			args = append(args, c.v)
		}
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.Scan(s.db.QueryRow(ctx, "SELECT COUNT(*) FROM observation_sets s"+where, args...), &total); err != nil {
		return nil, 0, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, MaxSetPage)
	list, err := store.QueryAll(ctx, s.db, scanSet, `SELECT s.series, s.area, s.period, s.state,
		(SELECT COUNT(*) FROM observations o WHERE o.series = s.series AND o.area = s.area AND o.period = s.period),
		s.submitted_by, s.approved_by, s.note, s.import_id, s.changed_by, s.changed_at
		FROM observation_sets s`+where+` ORDER BY s.series, s.area, s.period LIMIT ? OFFSET ?`,
		append(args, limit, max(f.Offset, 0))...)
	return list, total, err
}

// StateCounts counts the sets in each state.
func (s *Service) StateCounts(ctx context.Context, p access.Principal) (map[State]int, error) {
	if !p.Can(PermRead) {
		return nil, ErrForbidden
	}
	out := map[State]int{}
	rows, err := s.db.Query(ctx, `SELECT state, COUNT(*) FROM observation_sets GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[State(st)] = n
	}
	return out, rows.Err()
}

func scanSet(r store.Scanner) (Set, error) {
	var x Set
	var st string
	var at int64
	err := r.Scan(&x.Series, &x.Area, &x.Period, &st, &x.Rows, &x.SubmittedBy, &x.ApprovedBy, &x.Note,
		&x.ImportID, &x.ChangedBy, &at)
	x.State, x.ChangedAt = State(st), fromMicros(at)
	return x, err
}

// Submit sends draft sets for approval.
func (s *Service) Submit(ctx context.Context, p access.Principal, keys []SetKey) (int, error) {
	return s.transition(ctx, p, PermWrite, ActionSubmit, keys, []State{Draft}, Submitted, "")
}

// Approve approves submitted sets; nobody approves a set they submitted or
// whose values they wrote last.
func (s *Service) Approve(ctx context.Context, p access.Principal, keys []SetKey) (int, error) {
	return s.transition(ctx, p, PermApprove, ActionApprove, keys, []State{Submitted}, Approved, "")
}

// Return sends submitted or approved sets back to draft with a note
// saying why.
func (s *Service) Return(ctx context.Context, p access.Principal, keys []SetKey, note string) (int, error) {
	var e fielderr.Error
	note = e.Text("note", note, MaxNoteRunes, true)
	if note == "" {
		e.Add("note", CodeRequired)
	}
	if err := e.OrNil(); err != nil {
		return 0, err
	}
	return s.transition(ctx, p, PermApprove, ActionReturn, keys, []State{Submitted, Approved}, Draft, note)
}

// Publish copies approved sets to the published table, replacing what was
// published of them before.
func (s *Service) Publish(ctx context.Context, p access.Principal, keys []SetKey) (int, error) {
	return s.transition(ctx, p, PermApprove, ActionPublish, keys, []State{Approved}, Published, "")
}

// PublishedVersion returns the version of the published values, a number
// that every publication raises, whether it adds, replaces or only removes
// values; caches of figures computed from them key on it. It is public,
// as the published values are.
func (s *Service) PublishedVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.db.Scan(s.db.QueryRow(ctx, `SELECT COALESCE(SUM(version), 0) FROM observation_publications`), &v)
	return v, err
}

// SeriesVersions returns, for each code, the version of that series'
// published values (0 for a series never published), which every
// publication of the series raises.
func (s *Service) SeriesVersions(ctx context.Context, codes []string) (map[string]int64, error) {
	out := make(map[string]int64, len(codes))
	if len(codes) == 0 {
		return out, nil
	}
	rows, err := s.db.Query(ctx, `SELECT series, version FROM observation_publications WHERE series IN (`+
		store.Placeholders(len(codes))+`)`, store.Args(codes)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var v int64
		if err := rows.Scan(&code, &v); err != nil {
			return nil, err
		}
		out[code] = v
	}
	return out, rows.Err()
}

// MaxTransition bounds the sets one change of state may name.
const MaxTransition = 100000

// transition moves every set of keys from one of from to to, or none of
// them: a set that is unknown or in another state fails the whole change.
func (s *Service) transition(ctx context.Context, p access.Principal, perm access.Permission, action string,
	keys []SetKey, from []State, to State, note string) (int, error) {
	if !p.Can(perm) {
		return 0, ErrForbidden
	}
	if len(keys) == 0 {
		return 0, fielderr.One("sets", CodeRequired)
	}
	if len(keys) > MaxTransition {
		return 0, fielderr.One("sets", fielderr.CodeTooLong)
	}
	keys = slices.Clone(keys)
	slices.SortFunc(keys, compareSetKeys)
	keys = slices.Compact(keys)
	at := micros(s.now())
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		series := map[string]bool{}
		for _, k := range keys {
			var st, submitter, writer string
			err := tx.QueryRow(ctx, `SELECT s.state, s.submitted_by, COALESCE(i.created_by, '')
				FROM observation_sets s LEFT JOIN observation_imports i ON i.id = s.import_id
				WHERE s.series = ? AND s.area = ? AND s.period = ?`, k.Series, k.Area, k.Period).Scan(&st, &submitter, &writer)
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			if err != nil {
				return err
			}
			if !slices.Contains(from, State(st)) {
				return ErrState
			}
			// Four eyes: whoever wrote the values last, or submitted them,
			// cannot also approve them.
			if to == Approved && (submitter == p.UserID || writer == p.UserID) {
				return ErrOwnSubmission
			}
			if err := s.move(ctx, tx, p, k, to, note, at); err != nil {
				return err
			}
			series[k.Series] = true
		}
		for _, code := range slices.Sorted(maps.Keys(series)) {
			if to == Published {
				if _, err := tx.Exec(ctx, `INSERT INTO observation_publications (series, version) VALUES (?, 1)
					ON CONFLICT (series) DO UPDATE SET version = observation_publications.version + 1`, code); err != nil {
					return err
				}
			}
			if _, err := s.audit.AppendTx(ctx, tx, s.entry(ctx, p, action, objSet, code, "state")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(keys), nil
}

// move changes one set's state, copying its rows when it is published.
func (s *Service) move(ctx context.Context, tx *store.Tx, p access.Principal, k SetKey, to State, note string, at int64) error {
	var q string
	args := []any{string(to), p.UserID, at}
	switch to {
	case Submitted:
		q = `UPDATE observation_sets SET state = ?, changed_by = ?, changed_at = ?, submitted_by = ?, note = ''`
		args = append(args, p.UserID)
	case Approved:
		q = `UPDATE observation_sets SET state = ?, changed_by = ?, changed_at = ?, approved_by = ?`
		args = append(args, p.UserID)
	case Draft:
		q = `UPDATE observation_sets SET state = ?, changed_by = ?, changed_at = ?, note = ?, approved_by = ''`
		args = append(args, note)
	default:
		q = `UPDATE observation_sets SET state = ?, changed_by = ?, changed_at = ?`
	}
	if _, err := tx.Exec(ctx, q+` WHERE series = ? AND area = ? AND period = ?`,
		append(args, k.Series, k.Area, k.Period)...); err != nil {
		return err
	}
	if to != Published {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM published_observations WHERE series = ? AND area = ? AND period = ?`,
		k.Series, k.Area, k.Period); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO published_observations
		(series, area, disagg, period, value, status, unit_mult, source, footnote, import_id, published_by, published_at)
		SELECT series, area, disagg, period, value, status, unit_mult, source, footnote, import_id, ?, ?
		FROM observations WHERE series = ? AND area = ? AND period = ?`,
		p.UserID, at, k.Series, k.Area, k.Period)
	return err
}

// Delete removes one working observation; its set becomes a draft again.
func (s *Service) Delete(ctx context.Context, p access.Principal, k Key) error {
	_, err := s.withdraw(ctx, p, SetKey{Series: k.Series, Area: k.Area, Period: k.Period}, "value", ` AND disagg = ?`, k.Disagg)
	return err
}

// DeleteSet removes every working observation of a set and answers how
// many there were; the set stays, as a draft. Publishing it once approved
// then removes its published values too: a way to withdraw figures from
// open data that goes through the same four eyes as publishing them.
func (s *Service) DeleteSet(ctx context.Context, p access.Principal, k SetKey) (int, error) {
	return s.withdraw(ctx, p, k, "values", "")
}

// withdraw deletes the working values of set k that cond (with args)
// selects, all in one transaction with the set's return to draft and its
// audit entry naming field; ErrNotFound when nothing matched.
func (s *Service) withdraw(ctx context.Context, p access.Principal, k SetKey, field, cond string, args ...any) (int, error) {
	if !p.Can(PermWrite) {
		return 0, ErrForbidden
	}
	at := micros(s.now())
	var n int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM observations WHERE series = ? AND area = ? AND period = ?`+cond,
			append([]any{k.Series, k.Area, k.Period}, args...)...)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		// The withdrawal is recorded like a batch, so that its author is
		// the set's last writer, whom four eyes keep from approving it.
		id := ids.New()
		if _, err := tx.Exec(ctx, `INSERT INTO observation_imports (id, kind, rows, created_by, created_at)
			VALUES (?, ?, 0, ?, ?)`, id, KindWithdrawal, p.UserID, at); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE observation_sets SET state = ?, submitted_by = '', approved_by = '',
			import_id = ?, changed_by = ?, changed_at = ? WHERE series = ? AND area = ? AND period = ?`,
			string(Draft), id, p.UserID, at, k.Series, k.Area, k.Period); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, s.entry(ctx, p, ActionDelete, objSet, k.Series, field))
		return err
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}

// Import is the provenance record of one batch.
type Import struct {
	ID, Kind, Format, FileName, FileSHA256, Origin string
	Rows                                           int
	CreatedBy                                      string
	CreatedAt                                      time.Time
}

// Imports lists batches, newest first, and how many there are.
func (s *Service) Imports(ctx context.Context, p access.Principal, limit, offset int) ([]Import, int, error) {
	if !p.Can(PermRead) {
		return nil, 0, ErrForbidden
	}
	var total int
	if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT COUNT(*) FROM observation_imports`), &total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 || limit > MaxSetPage {
		limit = 50
	}
	list, err := store.QueryAll(ctx, s.db, scanImport, `SELECT id, kind, format, file_name, file_sha256, origin, rows,
		created_by, created_at FROM observation_imports ORDER BY created_at DESC, id LIMIT ? OFFSET ?`, limit, max(offset, 0))
	return list, total, err
}

// ImportByID reads one batch's provenance record.
func (s *Service) ImportByID(ctx context.Context, id string) (Import, error) {
	x, err := scanImport(s.db.QueryRow(ctx, `SELECT id, kind, format, file_name, file_sha256, origin, rows,
		created_by, created_at FROM observation_imports WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Import{}, ErrNotFound
	}
	return x, err
}

func scanImport(r store.Scanner) (Import, error) {
	var x Import
	var at int64
	err := r.Scan(&x.ID, &x.Kind, &x.Format, &x.FileName, &x.FileSHA256, &x.Origin, &x.Rows, &x.CreatedBy, &at)
	x.CreatedAt = fromMicros(at)
	return x, err
}
