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

// boundColumns are bound per row; the batch id is written into the
// statement (an id of ours, see upsertText), as it is the same for every
// row and binding costs more than the row's insertion in the pure-Go
// SQLite.
var boundColumns = []string{"series", "area", "disagg", "period", "value", "status", "unit_mult", "source", "footnote"}

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
	// norm caches the spelling of areas, periods and disaggregation keys,
	// of which a file has few distinct ones over millions of rows.
	norm normCache
	// writer writes full queues while the caller parses the next rows
	// (the second core): one queue at a time, its error kept for the next
	// call.
	writing chan struct{}
	werr    error
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
	b := &Batch{s: s, ctx: ctx, p: p, id: ids.New(), at: s.now(), info: info, norm: newNormCache(),
		series: map[string]SeriesInfo{}, sets: map[SetKey]struct{}{}, intern: map[string]string{},
		seed: maphash.MakeSeed()}
	if !ids.Valid(b.id) {
		return "", 0, errors.New("observations: batch id is not an id of ids.New")
	}
	err = s.db.InBulkTx(ctx, func(tx *store.Tx) error {
		b.tx = tx
		err := fill(b)
		if werr := b.wait(); err == nil {
			err = werr
		}
		if err != nil {
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
	if field, code := b.norm.normalize(&o, info); field != "" {
		return &RowError{Line: line, Field: field, Code: code}
	}
	o.Series = b.interned(o.Series)
	o.ImportID, o.ChangedBy, o.ChangedAt = b.id, b.p.UserID, b.at
	b.sets[o.SetKey()] = struct{}{}
	b.pending = append(b.pending, pendingRow{line, o})
	b.seen = append(b.seen, lineHash{b.hash(o.Key()), line})
	if len(b.pending) >= flushRows {
		return b.startFlush()
	}
	return nil
}

// Flush writes the queued rows, so that reads through Tx see them.
func (b *Batch) Flush() error {
	if err := b.wait(); err != nil {
		return err
	}
	return b.flush()
}

// startFlush hands the queue to the writer and starts a new one.
func (b *Batch) startFlush() error {
	if err := b.wait(); err != nil {
		return err
	}
	rows := b.pending
	b.pending = make([]pendingRow, 0, flushRows)
	b.writing = make(chan struct{})
	go func() {
		defer close(b.writing)
		b.werr = b.write(rows)
	}()
	return nil
}

// wait waits for the writer and answers its error.
func (b *Batch) wait() error {
	if b.writing != nil {
		<-b.writing
		b.writing = nil
	}
	return b.werr
}

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
	if err := b.write(b.pending); err != nil {
		return err
	}
	b.pending = b.pending[:0]
	return nil
}

func (b *Batch) write(rows []pendingRow) error {
	if len(rows) == 0 {
		return nil
	}
	// The rows are written in key order, through an index sorted in their
	// place: moving indexes costs far less than moving observations.
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return compareKeys(rows[x].o.Key(), rows[y].o.Key()) })
	for i := 1; i < len(order); i++ {
		prev, cur := &rows[order[i-1]], &rows[order[i]]
		if cur.o.Key() == prev.o.Key() {
			first, dup := prev.line, cur.line
			if dup < first {
				first, dup = dup, first
			}
			return &RowError{Line: dup, Field: "", Code: CodeDuplicate, FirstLine: first}
		}
	}
	per := upsertRows
	args := make([]any, 0, per*len(boundColumns))
	var changed int64
	for start := 0; start < len(order); start += per {
		chunk := order[start:min(start+per, len(order))]
		uniform := sharesAttributes(rows, chunk)
		args = args[:0]
		if uniform {
			o := &rows[chunk[0]].o
			args = append(args, o.Status, o.UnitMult, o.Source, o.Footnote)
		}
		for _, i := range chunk {
			o := &rows[i].o
			args = append(args, o.Series, o.Area, o.Disagg, o.Period, o.Value)
			if !uniform {
				args = append(args, o.Status, o.UnitMult, o.Source, o.Footnote)
			}
		}
		st, err := b.tx.Prepare(b.ctx, upsertText(b.id, uniform, len(chunk)))
		if err != nil {
			return err
		}
		res, err := st.ExecContext(b.ctx, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		changed += n
	}
	if int(changed) < len(rows) {
		return b.duplicateError()
	}
	b.written += len(rows)
	return nil
}

// upsertRows is how many rows one statement writes: under SQLite's bound
// on parameters, and large enough that a statement's overhead is spread.
const upsertRows = 512

// sharesAttributes says whether a statement's rows share their status,
// unit multiplier, source and footnote, as the rows of most files do (one
// source for a series, no footnotes): those are then bound once for the
// statement rather than once per row, since binding a value costs more than
// inserting it in the pure-Go SQLite.
func sharesAttributes(rows []pendingRow, chunk []int) bool {
	first := &rows[chunk[0]].o
	for _, i := range chunk {
		o := &rows[i].o
		if o.Status != first.Status || o.UnitMult != first.UnitMult || o.Source != first.Source || o.Footnote != first.Footnote {
			return false
		}
	}
	return true
}

// upsertText writes n rows of a batch: each replaces a value an earlier
// batch wrote under its key, but not one this batch wrote, so that a
// repeated row changes fewer rows than were sent (see write). When the
// rows share their attributes (uniform), those are the statement's first
// four parameters, and each row binds only its key and value. The batch id
// is written into the text: it is an id of ids.New (lower-case letters and
// digits), checked by Import, so it cannot change the statement.
func upsertText(id string, uniform bool, n int) string {
	var b strings.Builder
	if uniform {
		b.WriteString(`WITH shared (status, unit_mult, source, footnote) AS
			(SELECT CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT))
		INSERT INTO observations (series, area, disagg, period, value, status, unit_mult, source, footnote, import_id)
		SELECT v.column1, v.column2, v.column3, v.column4, v.column5,
			shared.status, shared.unit_mult, shared.source, shared.footnote, '` + id + `'
		FROM (VALUES `)
	} else {
		b.WriteString("INSERT INTO observations (series, area, disagg, period, value, status, unit_mult, source, footnote, import_id) VALUES ")
	}
	row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, '" + id + "')"
	if uniform {
		row = "(?, ?, ?, ?, CAST(? AS DOUBLE PRECISION))"
	}
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	if uniform {
		b.WriteString(") AS v, shared WHERE true")
	}
	b.WriteString(` ON CONFLICT (series, area, disagg, period) DO UPDATE SET value = excluded.value,
		status = excluded.status, unit_mult = excluded.unit_mult, source = excluded.source,
		footnote = excluded.footnote, import_id = excluded.import_id
		WHERE observations.import_id <> excluded.import_id`)
	return b.String()
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
	for start := 0; start < len(keys); start += upsertRows {
		chunk := keys[start:min(start+upsertRows, len(keys))]
		args := make([]any, 0, 3*len(chunk))
		for _, k := range chunk {
			args = append(args, k.Series, k.Area, k.Period)
		}
		st, err := b.tx.Prepare(b.ctx, setsText(len(chunk)))
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(b.ctx, append(args, b.id, b.p.UserID, at)...); err != nil {
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

// setsText makes n sets drafts written by the batch: new ones, and
// existing ones in any state (a published set keeps its published copy).
// The batch's id, user and time are the statement's last three parameters.
func setsText(n int) string {
	var b strings.Builder
	b.WriteString(`WITH touched (series, area, period) AS (VALUES `)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?)")
	}
	b.WriteString(`), batch (import_id, changed_by, changed_at) AS (SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT))
		INSERT INTO observation_sets (series, area, period, state, import_id, changed_by, changed_at)
		SELECT t.series, t.area, t.period, 'draft', b.import_id, b.changed_by, b.changed_at FROM touched t, batch b WHERE true
		ON CONFLICT (series, area, period) DO UPDATE SET state = 'draft', submitted_by = '', approved_by = '', note = '',
		import_id = excluded.import_id, changed_by = excluded.changed_by, changed_at = excluded.changed_at`)
	return b.String()
}

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
