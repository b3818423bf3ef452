// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync/atomic"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// permWrite guards every change to the records.
const permWrite access.Permission = "ratification.write"

// Service is the commitments domain.
type Service struct {
	db    *store.DB
	audit *audit.Log
	clock clock.Clock
	cat   *Catalog
	// matrix caches the last matrix computed, with the version of the
	// records it was computed from.
	matrix atomic.Pointer[versionedMatrix]
}

type versionedMatrix struct {
	version int64
	m       *Matrix
}

// Config holds the collaborators of a Service. Catalog nil means the
// shipped instruments.
type Config struct {
	DB      *store.DB
	Audit   *audit.Log
	Clock   clock.Clock
	Catalog *Catalog
}

// New returns a Service.
func New(c Config) *Service {
	if c.Catalog == nil {
		c.Catalog = Instruments()
	}
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, cat: c.Catalog}
}

// Catalog returns the instruments the service knows.
func (s *Service) Catalog() *Catalog { return s.cat }

// today is the current UTC date as YYYY-MM-DD.
func (s *Service) today() string { return s.clock.Now().UTC().Format(dateLayout) }

const recordColumns = `id, country, instrument, action, action_date, source, as_of, import_id, updated_by, updated_at`

func scanRecord(sc interface{ Scan(...any) error }) (Record, error) {
	var r Record
	var importID sql.NullString
	var updated int64
	err := sc.Scan(&r.ID, &r.Country, &r.Instrument, &r.Action, &r.Date, &r.Source, &r.AsOf, &importID,
		&r.UpdatedBy, &updated)
	r.ImportID = importID.String
	r.UpdatedAt = time.UnixMicro(updated).UTC()
	return r, err
}

// Filter narrows List. Empty fields match everything.
type Filter struct {
	Country    string // alpha-3
	Instrument string // code
}

// List returns the records matching f, by country, instrument, then date.
func (s *Service) List(ctx context.Context, f Filter) ([]Record, error) {
	q, args := `SELECT `+recordColumns+` FROM ratifications WHERE 1 = 1`, []any{}
	if f.Country != "" {
		q, args = q+` AND country = ?`, append(args, f.Country)
	}
	if f.Instrument != "" {
		q, args = q+` AND instrument = ?`, append(args, f.Instrument)
	}
	rows, err := s.db.Query(ctx, q+` ORDER BY country, instrument, action_date, action`, args...)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Get returns one record.
func (s *Service) Get(ctx context.Context, id string) (Record, error) {
	if !ids.Valid(id) {
		return Record{}, ErrNotFound
	}
	r, err := scanRecord(s.db.QueryRow(ctx, `SELECT `+recordColumns+` FROM ratifications WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// Create adds a record for p.
func (s *Service) Create(ctx context.Context, p access.Principal, in Input) (Record, error) {
	if !p.Can(permWrite) {
		return Record{}, ErrForbidden
	}
	norm, errs := normalize(in, s.cat, s.today())
	if len(errs) > 0 {
		return Record{}, &ValidationError{Errors: errs}
	}
	id := ids.New()
	now := s.clock.Now().UTC().UnixMicro()
	err := s.change(ctx, p, "ratification.create", id, recordFields, `INSERT INTO ratifications (id, country,
		instrument, action, action_date, source, as_of, updated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, norm.Country, norm.Instrument, norm.Action, norm.Date, norm.Source, norm.AsOf, p.UserID, now, now)
	if err != nil {
		return Record{}, err
	}
	return s.Get(ctx, id)
}

// recordFields names the fields of a record, for the audit log.
var recordFields = []string{"country", "instrument", "action", "date", "source", "as_of"}

// Update replaces the fields of a record for p. The audit entry names the
// fields whose value changed.
func (s *Service) Update(ctx context.Context, p access.Principal, id string, in Input) (Record, error) {
	if !p.Can(permWrite) {
		return Record{}, ErrForbidden
	}
	old, err := s.Get(ctx, id)
	if err != nil {
		return Record{}, err
	}
	norm, errs := normalize(in, s.cat, s.today())
	if len(errs) > 0 {
		return Record{}, &ValidationError{Errors: errs}
	}
	changed := changedFields(old, norm)
	if len(changed) == 0 {
		return old, nil
	}
	err = s.change(ctx, p, "ratification.update", id, changed, `UPDATE ratifications SET country = ?, instrument = ?,
		action = ?, action_date = ?, source = ?, as_of = ?, import_id = NULL, updated_by = ?, updated_at = ? WHERE id = ?`,
		norm.Country, norm.Instrument, norm.Action, norm.Date, norm.Source, norm.AsOf, p.UserID,
		s.clock.Now().UTC().UnixMicro(), id)
	if err != nil {
		return Record{}, err
	}
	return s.Get(ctx, id)
}

func changedFields(old Record, in Input) []string {
	var out []string
	pairs := [][2]string{{old.Country, in.Country}, {old.Instrument, in.Instrument}, {string(old.Action), in.Action},
		{old.Date, in.Date}, {old.Source, in.Source}, {old.AsOf, in.AsOf}}
	for i, p := range pairs {
		if p[0] != p[1] {
			out = append(out, recordFields[i])
		}
	}
	return out
}

// Delete removes a record for p.
func (s *Service) Delete(ctx context.Context, p access.Principal, id string) error {
	if !p.Can(permWrite) {
		return ErrForbidden
	}
	if !ids.Valid(id) {
		return ErrNotFound
	}
	return s.change(ctx, p, "ratification.delete", id, nil, `DELETE FROM ratifications WHERE id = ?`, id)
}

// change runs one statement that writes the record id, in a transaction
// that also marks the records changed and audits action for p naming
// fields: the one way a single record is written, so that none of the
// three is ever left out. A statement that touches no row means the record
// is gone.
func (s *Service) change(ctx context.Context, p access.Principal, action, id string, fields []string, query string, args ...any) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, query, args...)
		if errors.Is(err, store.ErrConflict) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrNotFound
		}
		if err := bump(ctx, tx); err != nil {
			return err
		}
		return s.log(ctx, tx, p, action, "ratification", id, fields...)
	})
}

// bump marks the records changed, inside the transaction that changes
// them, so that cached matrices are recomputed.
func bump(ctx context.Context, tx *store.Tx) error {
	_, err := tx.Exec(ctx, `UPDATE ratifications_version SET version = version + 1 WHERE id = 1`)
	return err
}

// log appends an audit entry for p inside tx. Records are not any
// organisation's, so the entry names none.
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, objType, objID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, Action: action, ObjectType: objType, ObjectID: objID,
		Fields: slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}
