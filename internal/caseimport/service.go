// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/jobs"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
)

// PermImport is the permission to import cases (internal/access/
// permissions.json). Its scope is checked against the cases to be opened,
// as placed by their owner: an organisation's administrator may import
// for any caseworker of the organisation, a supervisor for their team.
const PermImport access.Permission = "case.import"

// Service imports cases.
type Service struct {
	db      *store.DB
	persons *persons.Service
	cases   *cases.Service
	audit   *audit.Log
	clock   clock.Clock
	jobs    jobs.Registry[Progress, Report]
}

// Config holds the collaborators of a Service. Clock nil means the system
// clock.
type Config struct {
	DB      *store.DB
	Persons *persons.Service
	Cases   *cases.Service
	Audit   *audit.Log
	Clock   clock.Clock
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, persons: c.Persons, cases: c.Cases, audit: c.Audit, clock: c.Clock}
}

// Options say what to import and how.
type Options struct {
	// OrgID is the organisation the cases open in; "" means the
	// principal's.
	OrgID string
	// OwnerID is the caseworker who owns every case and person; "" means
	// the principal. The cases join the owner's team.
	OwnerID string
	// Mapping reads the file's columns; nil means DefaultMapping.
	Mapping *Mapping
	// DryRun checks everything and changes nothing.
	DryRun bool
	// SkipExisting leaves out, and counts, the rows whose document number
	// is already registered in the organisation, instead of reporting
	// them as errors; importing the same file again then adds nothing.
	SkipExisting bool
	// Progress, when set, is called from the importing goroutine as rows
	// are checked and written.
	Progress func(Progress)
}

// Progress is how far an import has come.
type Progress struct {
	// Phase is PhaseRows while rows are read, checked and written, then
	// PhaseAudit and PhaseCommit.
	Phase string
	// Rows are the data rows done.
	Rows int
	// Done and Total are the bytes of the file read and its size (0 when
	// unknown), for a percentage.
	Done, Total int64
}

// Phases of an import.
const (
	PhaseRows   = "rows"
	PhaseAudit  = "audit"
	PhaseCommit = "commit"
)

// Report says what an import found and did.
type Report struct {
	// ImportID names the import in the audit log; "" for a dry run or a
	// failed import.
	ImportID string
	// Rows counts the file's data rows.
	Rows int
	// Created counts the persons and cases opened (each row one of each),
	// or that a dry run would open; Skipped the rows left out as already
	// registered.
	Created, Skipped int
	// Errors lists every invalid field of every row, by line; when it is
	// not empty, nothing was changed.
	Errors []RowError
	// MoreErrors is true when Errors stops at tabular.MaxErrors and the
	// file has more.
	MoreErrors bool
	DryRun     bool
}

// Limits on a file: rows, bytes in a cell (an address of 1,000
// characters), and bytes of a workbook. A CSV file is streamed, so its
// size is bounded only by its rows.
const (
	maxCell      = 4096
	MaxXLSXBytes = 64 << 20
)

// MaxUploadBytes bounds a file sent over HTTP (SECURITY-BAR 24: uploads
// of at most 25 MiB, about 150,000 rows); the command line streams a file
// of any size.
const MaxUploadBytes = 25 << 20

// maxRows is a variable only so that a test can lower it.
var maxRows = 2_000_000

// errInvalid rolls the import's transaction back when a row is invalid.
var errInvalid = errors.New("caseimport: invalid rows")

// placement fills in the defaults of opt's organisation and owner and
// returns where the cases will be placed, checked through q: the owner
// must be able to own cases there, and p may import for them.
func (s *Service) placement(ctx context.Context, p access.Principal, opt *Options, q store.Queryer) (access.Record, error) {
	if opt.OrgID == "" {
		opt.OrgID = p.OrgID
	}
	if opt.OwnerID == "" {
		opt.OwnerID = p.UserID
	}
	if opt.OrgID == "" || !p.Can(PermImport) {
		return access.Record{}, ErrForbidden
	}
	rec, err := s.cases.Owner(ctx, q, opt.OrgID, opt.OwnerID)
	if err != nil {
		return access.Record{}, err
	}
	if !p.Allows(PermImport, rec) {
		return access.Record{}, ErrForbidden
	}
	return rec, nil
}

// Import reads a CSV or XLSX file from src (size is its length in bytes,
// or 0 when unknown, for progress only) and opens a case for the person
// of each row, all in one transaction, or none when any row is invalid:
// then it returns ErrInvalidFile and the report names every error. The
// principal needs case.import over the cases as their owner places them.
// An invalid mapping or owner is a ValidationError.
func (s *Service) Import(ctx context.Context, p access.Principal, src io.Reader, size int64, opt Options) (Report, error) {
	rep := Report{DryRun: opt.DryRun}
	if !p.Can(PermImport) {
		return rep, ErrForbidden
	}
	strict := opt.Mapping == nil
	if strict {
		opt.Mapping = DefaultMapping()
	}
	r := &run{s: s, p: p, opt: opt, strict: strict, size: size, now: s.clock.Now().UTC().Truncate(time.Microsecond),
		seen: map[tokenKey]bool{}, fieldSets: map[string]uint16{}}
	// The owner is checked inside the import's transaction, whose lock
	// (SQLite) or foreign keys (PostgreSQL) keep them until it commits.
	do := func(q store.Queryer, tx *store.Tx) error {
		rec, err := s.placement(ctx, p, &r.opt, q)
		if err != nil {
			return err
		}
		r.rec = rec
		return r.run(ctx, src, tx)
	}
	var err error
	if opt.DryRun {
		err = do(s.db, nil)
	} else {
		r.importID = ids.New()
		// Every other reference the rows make is to a row inserted before
		// them in the same transaction.
		err = s.db.InBulkTx(ctx, func(tx *store.Tx) error { return do(tx, tx) })
	}
	rep.Rows, rep.Created, rep.Skipped = r.rows, r.created, r.skipped
	switch {
	case errors.Is(err, errInvalid):
		rep.Created, rep.Skipped = 0, 0
		rep.Errors, rep.MoreErrors = r.errors()
		return rep, ErrInvalidFile
	case err != nil:
		return Report{DryRun: opt.DryRun, Rows: r.rows}, err
	}
	rep.ImportID = r.importID
	return rep, nil
}
