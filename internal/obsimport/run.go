// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/tabular"
	"github.com/amparo-project/amparo/internal/validation"
)

// Options say what to import and how.
type Options struct {
	// Format is one of Formats(), or "" to tell it from the content.
	Format string
	// FileName and SHA256 are recorded with the import; SHA256 "" is
	// computed when the source can be read twice (an io.Seeker).
	FileName, SHA256 string
	// Size is the file's length in bytes, 0 when unknown, for progress.
	Size int64
	// DryRun checks everything, the validation rules included, and
	// writes nothing.
	DryRun bool
	// Mapping reads a generic CSV or XLSX table; required for those.
	Mapping *Mapping
	// Progress, when set, is called from the importing goroutine.
	Progress func(Progress)
}

// Progress is how far an import has come.
type Progress struct {
	Phase       string
	Rows        int
	Done, Total int64
}

// Phases of an import.
const (
	PhaseRows     = "rows"
	PhaseValidate = "validate"
	PhaseCommit   = "commit"
)

// Report says what an import found and did.
type Report struct {
	// ImportID is the batch's id; "" for a dry run or a failed import.
	ImportID string
	Format   string
	// Rows counts the observations read; Written those written (or, in
	// a dry run, that would be); Sets the approval sets they fall in.
	Rows, Written, Sets int
	// Errors lists the bad rows, by line, at most tabular.MaxErrors;
	// MoreErrors says there were more. When not empty nothing was written.
	Errors     []RowError
	MoreErrors bool
	// Violations are the validation rules the values break. A
	// high-importance one fails the import; the others are warnings.
	Violations []validation.Violation
	DryRun     bool
}

// Failed reports whether a high-importance rule failed the import.
func (r Report) Failed() bool { return validation.HasHigh(r.Violations) }

var (
	errInvalid = errors.New("obsimport: invalid")
	errDryRun  = errors.New("obsimport: dry run")
)

// chunkRows is how many observations travel together from the parser to
// the batch.
const chunkRows = 1024

type parsedRow struct {
	line int
	obs  observations.Observation
}

type chunk struct {
	l    *layout
	rows []parsedRow
}

// Import reads a file from src and writes its observations as one batch:
// all of them, or none when any row is bad (ErrInvalidFile; the report
// lists the errors) or breaks a high-importance validation rule
// (ErrInvalidFile; the report lists the violations). An invalid option is
// a *ValidationError. The principal needs observation.write.
func (s *Service) Import(ctx context.Context, p access.Principal, src io.Reader, opt Options) (Report, error) {
	rep := Report{DryRun: opt.DryRun}
	if !p.Can(observations.PermWrite) {
		return rep, ErrForbidden
	}
	if !ValidFormat(opt.Format) {
		return rep, fielderr.One("format", fielderr.CodeInvalid)
	}
	if opt.SHA256 == "" {
		if rs, ok := src.(io.ReadSeeker); ok {
			h := sha256.New()
			if _, err := io.Copy(h, rs); err != nil {
				return rep, err
			}
			if _, err := rs.Seek(0, io.SeekStart); err != nil {
				return rep, err
			}
			opt.SHA256 = hex.EncodeToString(h.Sum(nil))
		}
	}
	counted := &countingReader{r: src}
	br := bufio.NewReaderSize(counted, 1<<16)
	head, _ := br.Peek(4096)
	if opt.Format == "" {
		opt.Format = Detect(head)
	}
	rep.Format = opt.Format
	parse, err := parserFor(opt)
	if err != nil {
		return rep, err
	}
	r := &run{s: s, ctx: ctx, opt: opt, read: counted, info: map[string]observations.SeriesInfo{}}
	info := observations.ImportInfo{Kind: observations.KindFile, Format: opt.Format, FileName: opt.FileName, FileSHA256: opt.SHA256}
	id, written, err := s.obs.Import(ctx, p, info, func(b *observations.Batch) error { return r.fill(b, br, parse) })
	rep.Rows, rep.Sets, rep.Violations = r.rows, r.sets, r.violations
	switch {
	case errors.Is(err, errDryRun):
		rep.Written = r.added
		return rep, nil
	case errors.Is(err, errInvalid):
		rep.Errors, rep.MoreErrors = r.report()
		rep.Sets = 0
		return rep, ErrInvalidFile
	case errors.Is(err, observations.ErrForbidden):
		return rep, ErrForbidden
	case err != nil:
		return rep, err
	}
	rep.ImportID, rep.Written = id, written
	return rep, nil
}

// parserFor picks the parser of opt's format.
func parserFor(opt Options) (parser, error) {
	switch opt.Format {
	case FormatSDMXCSV:
		return parseSDMXCSV, nil
	case FormatSDGCSV:
		return parseSDGCSV, nil
	case FormatSDMXJSON:
		return parseSDMXJSON, nil
	}
	if opt.Mapping == nil {
		return nil, fielderr.One("mapping", CodeNeedsMapping)
	}
	if err := opt.Mapping.Check(); err != nil {
		return nil, err
	}
	return parseMapped(opt.Mapping), nil
}

// run is one import: a parser goroutine turns the file into chunks of
// observations, and fill, on the batch's goroutine, adds them.
type run struct {
	s    *Service
	ctx  context.Context
	opt  Options
	read *countingReader

	mu   sync.Mutex
	errs []RowError
	// nerrs counts errors found, by both goroutines; stop tells the
	// parser to end early.
	nerrs atomic.Int64
	stop  atomic.Bool

	rows, added, sets int
	violations        []validation.Violation
	info              map[string]observations.SeriesInfo
}

func (r *run) addError(e RowError) bool {
	r.mu.Lock()
	if len(r.errs) <= tabular.MaxErrors {
		r.errs = append(r.errs, e)
	}
	r.mu.Unlock()
	if r.nerrs.Add(1) > tabular.MaxErrors {
		r.stop.Store(true)
	}
	return !r.stop.Load()
}

// report returns the errors in line order, capped.
func (r *run) report() ([]RowError, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	slices.SortStableFunc(r.errs, func(a, b RowError) int { return a.Line - b.Line })
	if len(r.errs) > tabular.MaxErrors {
		return r.errs[:tabular.MaxErrors], true
	}
	return r.errs, false
}

// fill parses src into b, then runs the validation rules.
func (r *run) fill(b *observations.Batch, src io.Reader, parse parser) error {
	out := make(chan *chunk, 8)
	free := make(chan *chunk, 10)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(out)
		cur := &chunk{}
		send := func() {
			if len(cur.rows) > 0 {
				out <- cur
				select {
				case cur = <-free:
					cur.rows = cur.rows[:0]
				default:
					cur = &chunk{rows: make([]parsedRow, 0, chunkRows)}
				}
			}
		}
		parse(src, &sink{
			layout: func(l *layout) {
				send()
				cur.l = l
			},
			row: func(line int, o observations.Observation) bool {
				cur.rows = append(cur.rows, parsedRow{line, o})
				if len(cur.rows) >= chunkRows {
					l := cur.l
					send()
					cur.l = l
				}
				return !r.stop.Load()
			},
			fail: r.addError,
		})
		send()
	})
	broken, err := r.add(b, out, free)
	r.stop.Store(true)
	for range out { // let the parser end
	}
	wg.Wait()
	if err != nil {
		return err
	}
	// The last rows are written now, which finds the duplicates among
	// them, so that the report names them too.
	if !broken {
		if err := b.Flush(); err != nil {
			return r.rowError(err, nil)
		}
	}
	if r.nerrs.Load() > 0 {
		return errInvalid
	}
	r.progress(PhaseValidate)
	if r.s.validate != nil {
		vs, err := r.s.validate(r.ctx, b)
		if err != nil {
			return r.rowError(err, nil)
		}
		r.violations = vs
		if validation.HasHigh(vs) {
			return errInvalid
		}
	}
	if err := b.Flush(); err != nil {
		return r.rowError(err, nil)
	}
	r.sets = len(b.Touched())
	if r.opt.DryRun {
		return errDryRun
	}
	r.progress(PhaseCommit)
	return nil
}

// add adds the parsed rows to b. Once the batch has refused a flush
// (a duplicate), rows are no longer added but the file is still read for
// its other errors.
func (r *run) add(b *observations.Batch, in <-chan *chunk, free chan<- *chunk) (broken bool, err error) {
	for c := range in {
		for i := range c.rows {
			pr := &c.rows[i]
			r.rows++
			if broken {
				continue
			}
			err := b.Add(pr.line, pr.obs)
			if err == nil {
				r.added++
				if r.added%(16*chunkRows) == 0 {
					r.progress(PhaseRows)
				}
				continue
			}
			var re *observations.RowError
			if !errors.As(err, &re) {
				return true, err
			}
			broken = re.Code == observations.CodeDuplicate
			if !r.addError(r.fromBatch(c.l, re, &pr.obs)) {
				r.stop.Store(true)
			}
		}
		select {
		case free <- c:
		default:
		}
	}
	return broken, nil
}

// rowError records a row error the batch found outside Add (a duplicate
// found by the last flush) and fails the import; any other error is
// passed on.
func (r *run) rowError(err error, l *layout) error {
	var re *observations.RowError
	if !errors.As(err, &re) {
		return err
	}
	r.addError(r.fromBatch(l, re, nil))
	return errInvalid
}

// fromBatch turns an error of the batch into one naming the file's
// column.
func (r *run) fromBatch(l *layout, re *observations.RowError, o *observations.Observation) RowError {
	e := RowError{Line: re.Line, Field: re.Field, Code: re.Code, FirstLine: re.FirstLine}
	if l == nil || re.Field == "" {
		return e
	}
	dim := ""
	if re.Field == "disagg" && o != nil {
		dim = r.disallowed(o)
	}
	e.Field = l.columnOf(re.Field, dim)
	return e
}

// disallowed names the first dimension of o its series does not allow.
func (r *run) disallowed(o *observations.Observation) string {
	if r.s.series == nil {
		return ""
	}
	code := strings.ToUpper(strings.TrimSpace(o.Series))
	info, ok := r.info[code]
	if !ok {
		info, _ = r.s.series(r.ctx, code)
		r.info[code] = info
	}
	for pair := range strings.SplitSeq(o.Disagg, ";") {
		dim, _, _ := strings.Cut(pair, "=")
		if dim != "" && !slices.Contains(info.Dimensions, dim) {
			return dim
		}
	}
	return ""
}

func (r *run) progress(phase string) {
	if r.opt.Progress != nil {
		r.opt.Progress(Progress{Phase: phase, Rows: r.added, Done: r.read.n.Load(), Total: r.opt.Size})
	}
}

// countingReader counts the bytes read, for progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
