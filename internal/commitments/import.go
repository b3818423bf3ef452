// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/tabular"
)

// ImportOptions tune Import.
type ImportOptions struct {
	// DryRun validates and counts what would change, and changes nothing.
	DryRun bool
	// Progress, when set, is called as rows are checked and written, with
	// the phase ("validate", "compare" or "write"), rows done and rows in all.
	Progress func(phase string, done, total int)
}

// Report says what an import found and did.
type Report struct {
	ImportID string // "" for a dry run or a failed import
	Rows     int
	// Errors lists every invalid field of every row, by line; when it is
	// not empty, nothing was changed.
	Errors []RowError
	// MoreErrors is true when Errors stops at tabular.MaxErrors and the
	// file has more.
	MoreErrors                   bool
	Inserted, Updated, Unchanged int
	DryRun                       bool
}

// progressEvery is how many rows pass between two progress calls.
const progressEvery = 1000

// insertBatch is how many rows one INSERT statement carries: large enough
// to save round trips to PostgreSQL, small enough to stay under either
// engine's limit on bound parameters (11 columns each).
const insertBatch = 500

// Import validates a whole CSV or XLSX file of records and, only when
// every row is valid, writes it in one transaction: new records are added,
// records whose date, source or as_of differ are updated, identical ones
// are left alone, so running the same file twice changes nothing the
// second time. name is the file's name, kept for provenance. The import is
// audited as one entry naming the import, which records who, when, the
// file's SHA-256 and the counts.
func (s *Service) Import(ctx context.Context, p access.Principal, name string, data []byte, opt ImportOptions) (Report, error) {
	if !p.Can(permWrite) {
		return Report{}, ErrForbidden
	}
	progress := opt.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	rep := Report{DryRun: opt.DryRun}
	if len(data) > MaxFileBytes {
		rep.Errors = []RowError{{Line: 0, Field: "", Code: CodeTooLong}}
		return rep, ErrInvalidFile
	}
	rows, errs := Parse(data)
	rep.Rows = len(rows)
	inputs, rowErrs := s.validate(rows, progress)
	rep.Errors = append(errs, rowErrs...)
	if len(rep.Errors) > 0 {
		rep.Errors, rep.MoreErrors = tabular.Capped(rep.Errors)
		return rep, ErrInvalidFile
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		existing, err := loadKeys(ctx, tx)
		if err != nil {
			return err
		}
		var inserts []Input
		var updates []update
		for i, in := range inputs {
			old, ok := existing[keyOf(in)]
			switch {
			case !ok:
				inserts = append(inserts, in)
			case old.Date != in.Date || old.Source != in.Source || old.AsOf != in.AsOf:
				updates = append(updates, update{id: old.ID, in: in})
			default:
				rep.Unchanged++
			}
			if i%progressEvery == 0 {
				progress("compare", i, len(inputs))
			}
		}
		rep.Inserted, rep.Updated = len(inserts), len(updates)
		if opt.DryRun {
			return nil
		}
		rep.ImportID = ids.New()
		return s.write(ctx, tx, p, name, data, inserts, updates, &rep, progress)
	})
	if err != nil {
		return Report{DryRun: opt.DryRun, Rows: rep.Rows}, err
	}
	return rep, nil
}

type update struct {
	id string
	in Input
}

type recordKey struct{ country, instrument, action string }

func keyOf(in Input) recordKey { return recordKey{in.Country, in.Instrument, in.Action} }

// validate normalizes every row, and reports every invalid field and every
// row that repeats the country, instrument and action of an earlier one.
func (s *Service) validate(rows []Row, progress func(string, int, int)) ([]Input, []RowError) {
	today := s.today()
	inputs := make([]Input, 0, len(rows))
	var errs []RowError
	seen := make(map[recordKey]int, len(rows))
	for i, row := range rows {
		if i%progressEvery == 0 {
			progress("validate", i, len(rows))
		}
		in, fes := normalize(row.Input, s.cat, today)
		for _, fe := range fes {
			errs = append(errs, RowError{Line: row.Line, Field: fe.Field, Code: fe.Code})
		}
		if len(fes) == 0 {
			if _, dup := seen[keyOf(in)]; dup {
				errs = append(errs, RowError{Line: row.Line, Field: "action", Code: CodeDuplicateInFile})
			}
			seen[keyOf(in)] = row.Line
		}
		inputs = append(inputs, in)
	}
	progress("validate", len(rows), len(rows))
	return inputs, errs
}

// loadKeys reads every record's key and values, inside the import's
// transaction so that what is compared is what is written over.
func loadKeys(ctx context.Context, tx *store.Tx) (map[recordKey]Record, error) {
	rows, err := tx.Query(ctx, `SELECT `+recordColumns+` FROM ratifications`)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	out := map[recordKey]Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out[recordKey{r.Country, r.Instrument, string(r.Action)}] = r
	}
	return out, rows.Err()
}

// write records the import, inserts and updates its rows, and audits it.
func (s *Service) write(ctx context.Context, tx *store.Tx, p access.Principal, name string, data []byte,
	inserts []Input, updates []update, rep *Report, progress func(string, int, int)) error {
	sum := sha256.Sum256(data)
	now := s.clock.Now().UTC().UnixMicro()
	if _, err := tx.Exec(ctx, `INSERT INTO ratification_imports (id, file_name, file_sha256, actor_id, rows_total,
		inserted, updated, unchanged, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rep.ImportID, truncate(name, 255), hex.EncodeToString(sum[:]), p.UserID, rep.Rows,
		rep.Inserted, rep.Updated, rep.Unchanged, now); err != nil {
		return err
	}
	total := len(inserts) + len(updates)
	for start := 0; start < len(inserts); start += insertBatch {
		batch := inserts[start:min(start+insertBatch, len(inserts))]
		args := make([]any, 0, len(batch)*11)
		for _, in := range batch {
			args = append(args, ids.New(), in.Country, in.Instrument, in.Action, in.Date, in.Source, in.AsOf,
				rep.ImportID, p.UserID, now, now)
		}
		values := strings.TrimSuffix(strings.Repeat("("+store.Placeholders(11)+"), ", len(batch)), ", ")
		if _, err := tx.Exec(ctx, `INSERT INTO ratifications (id, country, instrument, action, action_date, source,
			as_of, import_id, updated_by, created_at, updated_at) VALUES `+values, args...); err != nil {
			return err
		}
		progress("write", start+len(batch), total)
	}
	for i, u := range updates {
		if _, err := tx.Exec(ctx, `UPDATE ratifications SET action_date = ?, source = ?, as_of = ?, import_id = ?,
			updated_by = ?, updated_at = ? WHERE id = ?`,
			u.in.Date, u.in.Source, u.in.AsOf, rep.ImportID, p.UserID, now, u.id); err != nil {
			return err
		}
		if (i+1)%progressEvery == 0 || i == len(updates)-1 {
			progress("write", len(inserts)+i+1, total)
		}
	}
	if err := bump(ctx, tx); err != nil {
		return err
	}
	return s.log(ctx, tx, p, "ratification.import", "ratification_import", rep.ImportID, recordFields...)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// ImportRecord is one past import, for the provenance of records.
type ImportRecord struct {
	ID, FileName, FileSHA256, ActorID  string
	Rows, Inserted, Updated, Unchanged int
	At                                 time.Time
}

// RecentImports lists the last n imports, newest first.
func (s *Service) RecentImports(ctx context.Context, n int) ([]ImportRecord, error) {
	rows, err := s.db.Query(ctx, `SELECT id, file_name, file_sha256, actor_id, rows_total, inserted, updated, unchanged,
		created_at FROM ratification_imports ORDER BY created_at DESC, id DESC LIMIT ?`, n)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []ImportRecord
	for rows.Next() {
		var r ImportRecord
		var at int64
		if err := rows.Scan(&r.ID, &r.FileName, &r.FileSHA256, &r.ActorID, &r.Rows, &r.Inserted, &r.Updated,
			&r.Unchanged, &at); err != nil {
			return nil, err
		}
		r.At = time.UnixMicro(at).UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}
