// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// ImportInfo describes a batch for its provenance record.
type ImportInfo struct {
	Kind       string // KindFile, KindForm, KindLive or KindHarvest
	Format     string // "sdmx-csv", "sdg-csv", "sdmx-json", "csv", "xlsx", "" for forms
	FileName   string
	FileSHA256 string
	Origin     string // a harvest's source instance
}

// RowError says what is wrong with one row of a batch: the caller's line
// number, the field and the reason code. It never holds the value.
type RowError struct {
	Line  int
	Field string
	Code  string
	// FirstLine is, for a duplicate, the line of the row it repeats.
	FirstLine int
}

func (e *RowError) Error() string {
	if e.FirstLine > 0 {
		return fmt.Sprintf("line %d: %s: %s (line %d)", e.Line, e.Field, e.Code, e.FirstLine)
	}
	return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Code)
}

// flushRows is how many rows a batch holds before writing them. They are
// written sorted by key, so that a large import walks the table's key in
// order rather than jumping about it.
const flushRows = 4096

var obsColumns = []string{"series", "area", "disagg", "period", "value", "status", "unit_mult",
	"source", "footnote", "import_id", "changed_by", "changed_at"}

// Batch is one write of observations: a file, a form, a live computation
// or a harvest. It is one transaction, which Import commits only when the
// function filling it returns nil.
type Batch struct {
	s       *Service
	ctx     context.Context
	tx      *store.Tx
	p       access.Principal
	id      string
	at      time.Time
	info    ImportInfo
	series  map[string]SeriesInfo
	pending []pendingRow
	written int
	// sets are the approval sets written to; strings are interned so that
	// a file of millions of rows holds each series, area and period once.
	sets   map[SetKey]struct{}
	intern map[string]string
	// seen holds a hash and the line of every row, to name the first line
	// of a duplicate the database has found (see flush).
	seed maphash.Seed
	seen []lineHash
}

type pendingRow struct {
	line int
	o    Observation
}

type lineHash struct {
	hash uint64
	line int
}

// Import runs fill with a new batch in one transaction and commits what
// fill added when fill returns nil; any error rolls everything back. It
// answers the number of observations written. The batch's values become
// drafts of their sets, and the batch is recorded for provenance and
// audited as one entry.
func (s *Service) Import(ctx context.Context, p access.Principal, info ImportInfo, fill func(b *Batch) error) (id string, rows int, err error) {
	if !p.Can(PermWrite) {
		return "", 0, ErrForbidden
	}
	switch info.Kind {
	case KindFile, KindForm, KindLive, KindHarvest:
	default:
		return "", 0, fmt.Errorf("observations: unknown batch kind %q", info.Kind)
	}
	b := &Batch{s: s, ctx: ctx, p: p, id: ids.New(), at: s.now(), info: info,
		series: map[string]SeriesInfo{}, sets: map[SetKey]struct{}{}, intern: map[string]string{},
		seed: maphash.MakeSeed()}
	err = s.db.InBulkTx(ctx, func(tx *store.Tx) error {
		b.tx = tx
		if err := fill(b); err != nil {
			return err
		}
		if err := b.flush(); err != nil {
			return err
		}
		return b.finish()
	})
	if err != nil {
		return "", 0, err
	}
	return b.id, b.written, nil
}

// ID is the batch's provenance id.
func (b *Batch) ID() string { return b.id }

// Tx is the batch's transaction: validation reads the batch's rows through
// it before they are committed. Call Flush first.
func (b *Batch) Tx() *store.Tx { return b.tx }

// Touched lists the sets the batch has written to, sorted.
func (b *Batch) Touched() []SetKey {
	out := make([]SetKey, 0, len(b.sets))
	for k := range b.sets {
		out = append(out, k)
	}
	slices.SortFunc(out, compareSetKeys)
	return out
}

// Add checks one row and queues it; line is the caller's line number for
// error reports. A bad row answers a *RowError for its first bad field;
// the caller may go on adding rows to collect every error, but must then
// fail the batch.
func (b *Batch) Add(line int, o Observation) error {
	o.Series = strings.ToUpper(strings.TrimSpace(o.Series))
	info, err := b.seriesInfo(o.Series)
	if err != nil {
		return err
	}
	if info.Code == "" {
		return &RowError{Line: line, Field: "series", Code: CodeUnknown}
	}
	if fe := normalize(&o, info); len(fe.Errors) > 0 {
		return &RowError{Line: line, Field: fe.Errors[0].Field, Code: fe.Errors[0].Code}
	}
	o.Series, o.Area, o.Period = b.interned(o.Series), b.interned(o.Area), b.interned(o.Period)
	o.ImportID, o.ChangedBy, o.ChangedAt = b.id, b.p.UserID, b.at
	b.sets[o.SetKey()] = struct{}{}
	b.pending = append(b.pending, pendingRow{line, o})
	b.seen = append(b.seen, lineHash{b.hash(o.Key()), line})
	if len(b.pending) >= flushRows {
		return b.flush()
	}
	return nil
}

// Flush writes the queued rows, so that reads through Tx see them.
func (b *Batch) Flush() error { return b.flush() }

func (b *Batch) seriesInfo(code string) (SeriesInfo, error) {
	if info, ok := b.series[code]; ok {
		return info, nil
	}
	if !SeriesCode.MatchString(code) || b.s.series == nil {
		b.series[code] = SeriesInfo{}
		return SeriesInfo{}, nil
	}
	info, err := b.s.series(b.ctx, code)
	if errors.Is(err, ErrUnknownSeries) {
		info, err = SeriesInfo{}, nil
	}
	if err != nil {
		return SeriesInfo{}, err
	}
	b.series[code] = info
	return info, nil
}

func (b *Batch) interned(s string) string {
	if v, ok := b.intern[s]; ok {
		return v
	}
	b.intern[s] = s
	return s
}

func (b *Batch) hash(k Key) uint64 {
	var h maphash.Hash
	h.SetSeed(b.seed)
	for _, s := range []string{k.Series, k.Area, k.Disagg, k.Period} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// flush writes the queued rows sorted by key. A row whose key this batch
// has already written is a duplicate: within the queue it is found by the
// sort; against earlier flushes, the upsert's guard leaves it unwritten
// (a row is replaced only when an earlier batch wrote it), so fewer rows
// change than were sent, and the hashes of every row name the lines.
func (b *Batch) flush() error {
	if len(b.pending) == 0 {
		return nil
	}
	rows := b.pending
	slices.SortStableFunc(rows, func(x, y pendingRow) int { return compareKeys(x.o.Key(), y.o.Key()) })
	for i := 1; i < len(rows); i++ {
		if rows[i].o.Key() == rows[i-1].o.Key() {
			first, dup := rows[i-1].line, rows[i].line
			if dup < first {
				first, dup = dup, first
			}
			return &RowError{Line: dup, Field: "", Code: CodeDuplicate, FirstLine: first}
		}
	}
	values := make([][]any, len(rows))
	for i, r := range rows {
		o := r.o
		values[i] = []any{o.Series, o.Area, o.Disagg, o.Period, o.Value, o.Status, o.UnitMult,
			o.Source, o.Footnote, o.ImportID, o.ChangedBy, micros(o.ChangedAt)}
	}
	n, err := b.tx.UpsertRows(b.ctx, "observations", obsColumns, 4, "observations.import_id <> excluded.import_id", values)
	if err != nil {
		return err
	}
	if int(n) < len(rows) {
		return b.duplicateError()
	}
	b.written += len(rows)
	b.pending = b.pending[:0]
	return nil
}

// duplicateError names the first row whose key an earlier row of the batch
// had.
func (b *Batch) duplicateError() error {
	first := map[uint64]int{}
	for _, s := range b.seen {
		if l, ok := first[s.hash]; ok {
			return &RowError{Line: s.line, Code: CodeDuplicate, FirstLine: l}
		}
		first[s.hash] = s.line
	}
	return &RowError{Code: CodeDuplicate}
}

// finish makes every touched set a draft, records the batch and audits it.
func (b *Batch) finish() error {
	keys := b.Touched()
	at := micros(b.at)
	const per = 200
	for start := 0; start < len(keys); start += per {
		chunk := keys[start:min(start+per, len(keys))]
		rows := make([][]any, len(chunk))
		for i, k := range chunk {
			rows[i] = []any{k.Series, k.Area, k.Period, string(Draft), "", "", "", b.id, b.p.UserID, at}
		}
		if _, err := b.tx.UpsertRows(b.ctx, "observation_sets", setColumns, 3, "", rows); err != nil {
			return err
		}
	}
	if _, err := b.tx.Exec(b.ctx, `INSERT INTO observation_imports
		(id, kind, format, file_name, file_sha256, origin, rows, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.id, b.info.Kind, b.info.Format, b.info.FileName, b.info.FileSHA256, b.info.Origin,
		b.written, b.p.UserID, at); err != nil {
		return err
	}
	_, err := b.s.audit.AppendTx(b.ctx, b.tx, b.s.entry(b.ctx, b.p, ActionImport, objImport, b.id))
	return err
}

var setColumns = []string{"series", "area", "period", "state", "submitted_by", "approved_by", "note", "import_id", "changed_by", "changed_at"}

func compareKeys(a, b Key) int {
	if c := strings.Compare(a.Series, b.Series); c != 0 {
		return c
	}
	if c := strings.Compare(a.Area, b.Area); c != 0 {
		return c
	}
	if c := strings.Compare(a.Disagg, b.Disagg); c != 0 {
		return c
	}
	return strings.Compare(a.Period, b.Period)
}

func compareSetKeys(a, b SetKey) int {
	if c := strings.Compare(a.Series, b.Series); c != 0 {
		return c
	}
	if c := strings.Compare(a.Area, b.Area); c != 0 {
		return c
	}
	return strings.Compare(a.Period, b.Period)
}

// Put writes a few observations (a form, a live computation) as one batch
// and answers its id; the first bad row's error, if any, and nothing is
// written.
func (s *Service) Put(ctx context.Context, p access.Principal, kind string, obs []Observation) (string, error) {
	var errs fielderr.Error
	id, _, err := s.Import(ctx, p, ImportInfo{Kind: kind}, func(b *Batch) error {
		for i, o := range obs {
			if err := b.Add(i+1, o); err != nil {
				var re *RowError
				if !errors.As(err, &re) {
					return err
				}
				errs.Add(fmt.Sprintf("rows.%d.%s", i, re.Field), re.Code)
			}
		}
		return errs.OrNil()
	})
	return id, err
}
