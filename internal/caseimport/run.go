// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"context"
	"encoding/hex"
	"io"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/tabular"
	"github.com/amparo-project/amparo/internal/vault"
)

// chunkRows is how many rows travel together from the reader to a worker
// and on to the writer; flushRows how many rows the writer gathers before
// inserting them, so that each COPY or group of INSERTs carries many and,
// inserted in key order (store.Tx.InsertRows), sweeps each index rather
// than jumping about it.
const (
	chunkRows = 512
	flushRows = 16384
)

// run is one import. The reader goroutine streams the file into chunks of
// records; workers, one per core, read, check and seal each chunk's rows;
// the writer (the calling goroutine) takes the chunks in file order,
// finds persons registered twice, numbers the cases and inserts them.
// Once any row is invalid, nothing more is sealed or written, but the
// rest of the file is still checked so that the report is complete.
type run struct {
	s        *Service
	p        access.Principal
	opt      Options
	rec      access.Record
	strict   bool
	size     int64
	now      time.Time
	importID string

	// failed is set as soon as any error is found, by any goroutine.
	failed atomic.Bool
	// read counts the bytes of the file read so far.
	read atomic.Int64

	// The reader's: the layout (set from the header before the first
	// chunk is sent, so workers see it), the rows read, the errors about
	// the file's shape, in line order. The writer reads rows and readErrs
	// only once the reader has ended.
	layout   *layout
	rows     int
	readErrs errorList
	// leadSkipped is set once a row before the first data row was left
	// out, so that only the row right after the header can be a row of
	// labels.
	leadSkipped bool

	// The writer's: row errors in line order, the document tokens seen in
	// the file, the rows gathered for the next insert, and for the audit
	// entries the ids and field sets of what was created.
	rowErrs          errorList
	done             int // rows taken from the chunks, for progress
	seen             map[tokenKey]bool
	keys             [][]any
	personBatch      persons.Batch
	caseBatch        cases.Batch
	exploitBatch     exploitation.Batch
	pending          int
	created, skipped int
	createdIDs       []byte   // per created row, its case's id
	createdFields    []uint16 // per created row, the fields its audit entry names
	fieldSets        map[string]uint16
	fieldLists       [][]string
}

// chunk is rows on their way from the reader through a worker to the
// writer; done closes when the worker has finished with it.
type chunk struct {
	recs []tabular.Record
	done chan struct{}
	out  []prepared
	errs []RowError
	// err is a failure of the system (its random source), not of a row.
	err error
}

// prepared is a valid row, checked and (unless a dry run) sealed.
type prepared struct {
	line   int
	person persons.NewRecord
	kase   cases.NewRecord
	// exploit is the case's exploitation record, nil for none.
	exploit *exploitation.Record
}

// run imports src inside tx, or checks it only when tx is nil (a dry run).
func (r *run) run(ctx context.Context, src io.Reader, tx *store.Tx) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *chunk, 2*runtime.GOMAXPROCS(0))
	ordered := make(chan *chunk, 4*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	wg.Go(func() { r.readFile(ctx, src, work, ordered) })
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for c := range work {
				r.prepare(c)
				close(c.done)
			}
		})
	}
	err := r.write(ctx, tx, ordered)
	if err != nil {
		cancel()
		for c := range ordered {
			<-c.done
		}
	}
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return err
	}
	if len(r.readErrs.errs) > 0 || len(r.rowErrs.errs) > 0 {
		return errInvalid
	}
	if tx == nil {
		return nil
	}
	if err := r.flush(ctx, tx); err != nil {
		return err
	}
	r.progress(PhaseAudit)
	if err := r.auditAll(ctx, tx); err != nil {
		return err
	}
	r.progress(PhaseCommit)
	return nil
}

// readFile streams the file into chunks, each sent to the workers and, in
// the same order, to the writer.
func (r *run) readFile(ctx context.Context, src io.Reader, work, ordered chan<- *chunk) {
	defer close(ordered)
	defer close(work)
	newChunk := func() *chunk { return &chunk{recs: make([]tabular.Record, 0, chunkRows), done: make(chan struct{})} }
	cur := newChunk()
	// send passes the chunk on and starts another. Once ctx ends it drops
	// the chunk (which a worker may already hold, so it is never sent
	// again), and the reading stops at the next read of the file.
	send := func() {
		if len(cur.recs) == 0 {
			return
		}
		defer func() { cur = newChunk() }()
		for _, ch := range []chan<- *chunk{work, ordered} {
			select {
			case ch <- cur:
			case <-ctx.Done():
				return
			}
		}
	}
	tabular.Read(&countingReader{ctx: ctx, r: src, n: &r.read}, tabular.Options{
		MaxRows: maxRows, MaxCell: maxCell, MaxXLSXBytes: MaxXLSXBytes,
		Header: func(rec tabular.Record) bool {
			l, errs := newLayout(r.opt.Mapping, rec, r.strict)
			r.layout = l
			for _, e := range errs {
				r.readError(e)
			}
			return len(errs) == 0
		},
		Row: func(rec tabular.Record) {
			if r.layout.skip(rec, r.rows == 0 && !r.leadSkipped) {
				r.leadSkipped = r.rows == 0
				return
			}
			r.rows++
			rec.Fields = slices.Clone(rec.Fields)
			cur.recs = append(cur.recs, rec)
			if len(cur.recs) == chunkRows {
				send()
			}
		},
		Error: r.readError,
	})
	send()
}

func (r *run) readError(e RowError) {
	r.failed.Store(true)
	r.readErrs.add(e)
}

// errorList holds the first errors of a stream in line order, as many as
// a report lists, and whether more came.
type errorList struct {
	errs []RowError
	more bool
}

func (l *errorList) add(e RowError) {
	if len(l.errs) < tabular.MaxErrors {
		l.errs = append(l.errs, e)
	} else {
		l.more = true
	}
}

// prepare reads and checks each record of c and, unless this is a dry run
// or some row already failed, seals it.
func (r *run) prepare(c *chunk) {
	l, orgID := r.layout, r.rec.OrgID
	c.out = make([]prepared, 0, len(c.recs))
	for _, rec := range c.recs {
		if len(c.errs) >= tabular.MaxErrors {
			return // enough to fill the report from this chunk
		}
		row, errs := l.read(rec, r.now)
		person, pes := r.s.persons.Prepare(orgID, row.person, r.now)
		for _, fe := range pes {
			errs = append(errs, RowError{Line: rec.Line, Field: l.columnOf(personField(fe.Field)), Code: fe.Code})
		}
		kase, ces := cases.Prepare(row.status, row.risk, row.concerns, row.opened)
		at := person.Attributes()
		kase.Principal = cases.PrincipalPlace{Nationality: at.Nationality, Country: at.CurrentCountry, Admin1: at.CurrentAdmin1}
		kase.PrincipalSex, kase.PrincipalBirthYear = at.Sex, at.BirthYear
		for _, fe := range ces {
			errs = append(errs, RowError{Line: rec.Line, Field: l.columnOf(fe.Field), Code: fe.Code})
		}
		var exploit *exploitation.Record
		if row.exploit != nil {
			ex, ees := exploitation.Check(*row.exploit)
			for _, fe := range ees {
				errs = append(errs, RowError{Line: rec.Line, Field: l.columnOf(fe.Field), Code: fe.Code})
			}
			if !ex.Empty() {
				exploit = &ex
			}
		}
		if len(errs) > 0 {
			r.failed.Store(true)
			c.errs = append(c.errs, errs...)
			continue
		}
		if !r.opt.DryRun && !r.failed.Load() {
			if c.err = r.s.persons.Seal(&person); c.err == nil {
				c.err = r.s.cases.Seal(&kase)
			}
			if c.err != nil {
				return
			}
		}
		c.out = append(c.out, prepared{line: rec.Line, person: person, kase: kase, exploit: exploit})
	}
}

// write takes the chunks in file order: it collects their errors, looks
// for persons registered twice, and while every row so far is valid,
// numbers and gathers the rows and inserts them in batches.
func (r *run) write(ctx context.Context, tx *store.Tx, ordered <-chan *chunk) error {
	for c := range ordered {
		<-c.done
		if c.err != nil {
			return c.err
		}
		for _, e := range c.errs {
			r.rowError(e)
		}
		r.done += len(c.recs)
		rows, err := r.dedupe(ctx, c.out)
		if err != nil {
			return err
		}
		if tx != nil && !r.failed.Load() {
			if err := r.gather(ctx, tx, rows); err != nil {
				return err
			}
		} else {
			r.created += len(rows)
		}
		r.progress(PhaseRows)
	}
	return nil
}

func (r *run) rowError(e RowError) {
	r.failed.Store(true)
	r.rowErrs.add(e)
}

// dedupe drops or reports the rows whose document number appears earlier
// in the file or is already registered in the organisation. The file's
// own are remembered here, so the database is asked only about persons
// registered before the import, through the readers (which do not see
// the import's transaction): its planner then judges the index by the
// data as it was, not by a table growing unseen within the transaction,
// which made PostgreSQL scan all of it for every chunk.
func (r *run) dedupe(ctx context.Context, rows []prepared) ([]prepared, error) {
	var tokens []string
	for _, p := range rows {
		tokens = append(tokens, p.person.DocumentTokens()...)
	}
	if len(tokens) == 0 {
		return rows, nil
	}
	existing, err := persons.ExistingDocuments(ctx, r.s.db, tokens)
	if err != nil {
		return nil, err
	}
	column := r.layout.columnOf(FieldDocumentNumber)
	out := rows[:0]
	for _, p := range rows {
		switch code := r.duplicate(p.person.DocumentTokens(), existing); {
		case code == CodeAlreadyExists && r.opt.SkipExisting:
			r.skipped++
		case code != "":
			r.rowError(RowError{Line: p.line, Field: column, Code: code})
		default:
			out = append(out, p)
		}
	}
	return out, nil
}

// duplicate says why a row's documents make it a duplicate, "" when they
// do not, and records them as seen.
func (r *run) duplicate(tokens []string, existing map[string]bool) string {
	code := ""
	for _, t := range tokens {
		k := keyOf(t)
		switch {
		case r.seen[k]:
			code = CodeDuplicateInFile
		case existing[t] && code == "":
			code = CodeAlreadyExists
		}
		r.seen[k] = true
	}
	return code
}

// tokenKey is the first half of a document's blind-index token, enough to
// tell a million documents apart at a third of the memory of the token's
// text.
type tokenKey [16]byte

func keyOf(token string) tokenKey {
	var k tokenKey
	_, _ = hex.Decode(k[:], []byte(token[:min(len(token), 2*len(k))])) // a token is hex, written by the vault
	return k
}

// gather numbers rows and adds them to the batches, inserting them when
// enough are gathered.
func (r *run) gather(ctx context.Context, tx *store.Tx, rows []prepared) error {
	perYear := map[int]int{}
	for _, p := range rows {
		perYear[p.kase.Opened.Year()]++
	}
	next := map[int]int64{}
	for _, year := range slices.Sorted(maps.Keys(perYear)) {
		first, err := cases.ReserveNumbers(ctx, tx, r.rec.OrgID, year, perYear[year])
		if err != nil {
			return err
		}
		next[year] = first
	}
	for _, p := range rows {
		year := p.kase.Opened.Year()
		p.kase.Number = cases.FormatNumber(year, next[year])
		next[year]++
		r.keys = append(r.keys, p.person.Key.Row(), p.kase.Key.Row())
		r.personBatch.Add(p.person, r.rec, r.p.UserID, r.now)
		r.caseBatch.Add(p.kase, r.rec, p.person.ID, r.p.UserID, r.now)
		caseFields := p.kase.AuditFields(r.rec)
		if p.exploit != nil {
			r.exploitBatch.Add(p.kase.ID, r.rec.OrgID, *p.exploit, r.p.UserID, r.now)
			// One name for the whole record, as the field sets must stay few.
			caseFields = append(caseFields, "exploitation")
		}
		r.createdIDs = append(r.createdIDs, p.kase.ID...)
		r.createdFields = append(r.createdFields, r.fieldSet(caseFields, p.person.AuditFields()))
	}
	r.created += len(rows)
	if r.pending += len(rows); r.pending >= flushRows {
		return r.flush(ctx, tx)
	}
	return nil
}

// flush inserts the gathered rows: data keys first, then persons, then
// cases, then their exploitation records, as their foreign keys need.
func (r *run) flush(ctx context.Context, tx *store.Tx) error {
	if err := tx.InsertRows(ctx, vault.KeyTable, vault.KeyColumns, r.keys); err != nil {
		return err
	}
	if err := r.personBatch.Insert(ctx, tx); err != nil {
		return err
	}
	if err := r.caseBatch.Insert(ctx, tx); err != nil {
		return err
	}
	if err := r.exploitBatch.Insert(ctx, tx); err != nil {
		return err
	}
	r.keys, r.pending = r.keys[:0], 0
	return nil
}

// fieldSet interns the audit field names of a case and of its person
// (prefixed "person."): a million rows share a few dozen lists.
func (r *run) fieldSet(caseFields, personFields []string) uint16 {
	key := strings.Join(caseFields, ",") + ";" + strings.Join(personFields, ",")
	if i, ok := r.fieldSets[key]; ok {
		return i
	}
	fields := slices.Clone(caseFields)
	for _, f := range personFields {
		fields = append(fields, "person."+f)
	}
	i := uint16(len(r.fieldLists)) // #nosec G115 -- a few dozen combinations of a fixed set of names
	r.fieldSets[key] = i
	r.fieldLists = append(r.fieldLists, fields)
	return i
}

func (r *run) progress(phase string) {
	if r.opt.Progress != nil {
		r.opt.Progress(Progress{Phase: phase, Rows: r.done, Done: r.read.Load(), Total: r.size})
	}
}

// errors returns every error found, in line order, capped.
func (r *run) errors() ([]RowError, bool) {
	errs, more := tabular.Capped(append(slices.Clone(r.readErrs.errs), r.rowErrs.errs...))
	return errs, more || r.readErrs.more || r.rowErrs.more
}

// countingReader counts what it reads and stops when ctx ends.
type countingReader struct {
	ctx context.Context
	r   io.Reader
	n   *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
