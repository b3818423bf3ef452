// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/observations"
)

// Harvester is the principal harvested values are written as: the system,
// as for the other jobs of the machine. Who asked for a run is audited
// separately (harvest.run).
var Harvester = access.System

// Result is what one run did.
type Result struct {
	Status string // StatusOK, StatusNotModified or StatusFailed
	Rows   int
	// ImportID is the batch written, "" when none was.
	ImportID string
	Detail   string
	// Skipped are the series a harvest of every series found at the source
	// but that this instance does not define; their values were left out.
	Skipped []string
}

// ValidateFunc checks a batch before it is committed (validation rules);
// an error fails the whole run.
type ValidateFunc func(ctx context.Context, b *observations.Batch) error

// SetValidate installs the check harvested batches go through, as imports
// do; nil means none.
func (s *Service) SetValidate(v ValidateFunc) { s.validateBatch = v }

// RunSource harvests one source now, for p (who needs harvest.configure),
// and records the outcome on the source.
func (s *Service) RunSource(ctx context.Context, p access.Principal, id string) (Result, error) {
	if !p.Can(PermConfigure) {
		return Result{}, ErrForbidden
	}
	src, err := s.source(ctx, id)
	if err != nil {
		return Result{}, err
	}
	res, runErr := s.harvest(ctx, src.URL, src.Series, src.Areas, src.LastETag)
	if err := s.record(ctx, p, src, res); err != nil {
		return res, err
	}
	return res, runErr
}

// RunURL harvests an address that is not a saved source (the command
// line's --url): no ETag is kept, and only the import records it.
func (s *Service) RunURL(ctx context.Context, p access.Principal, base string, series, areas []string) (Result, error) {
	if !p.Can(PermConfigure) {
		return Result{}, ErrForbidden
	}
	in, series, areas, err := s.validate(SourceInput{Name: "cli", URL: base, Series: strings.Join(series, ","),
		Areas: strings.Join(areas, ","), IntervalHours: MinIntervalHours})
	if err != nil {
		return Result{}, err
	}
	res, runErr := s.harvest(ctx, in.URL, series, areas, "")
	if _, err := s.audit.Append(ctx, s.entry(ctx, p, ActionRun, res.ImportID, "url")); err != nil {
		return res, err
	}
	return res, runErr
}

// RunDue runs every active source whose interval has passed since its last
// run, one after the other, and answers how many ran. A failed source is
// recorded on it and logged; the others still run.
func (s *Service) RunDue(ctx context.Context, now time.Time) (int, error) {
	list, err := s.Sources(ctx, Harvester)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, src := range list {
		if !src.Active || (src.LastRunAt != nil && now.Before(src.LastRunAt.Add(time.Duration(src.IntervalHours)*time.Hour))) {
			continue
		}
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		res, err := s.RunSource(ctx, Harvester, src.ID)
		n++
		if err != nil {
			s.logger.LogAttrs(ctx, slog.LevelWarn, "harvest failed", slog.String("source", src.ID),
				slog.String("detail", res.Detail))
		}
	}
	return n, nil
}

// harvest fetches and imports; the error is also said in res.Detail.
func (s *Service) harvest(ctx context.Context, base string, series, areas []string, etag string) (Result, error) {
	f, err := s.fetch(ctx, base, series, areas, etag)
	if err != nil {
		return failed(err), err
	}
	if f.notModified {
		return Result{Status: StatusNotModified}, nil
	}
	defer f.body.Close()
	info := observations.ImportInfo{Kind: observations.KindHarvest, Format: string(FormatSDMXCSV), Origin: base}
	// A harvest of named series fails on a series this instance does not
	// define, as any import would; a harvest of every series leaves such
	// series out and says so, since a source may publish series of its own.
	keep := s.seriesFilter(ctx, len(series) == 0)
	id, rows, err := s.obs.Import(ctx, Harvester, info, func(b *observations.Batch) error {
		if err := ReadSDMXCSV(f.body, func(line int, o observations.Observation) error {
			if ok, err := keep.wants(o.Series); !ok || err != nil {
				return err
			}
			return b.Add(line, o)
		}); err != nil {
			return err
		}
		if s.validateBatch == nil {
			return nil
		}
		if err := b.Flush(); err != nil {
			return err
		}
		return s.validateBatch(ctx, b)
	})
	if err != nil {
		return failed(err), err
	}
	return Result{Status: StatusOK, Rows: rows, ImportID: id, Detail: f.etag, Skipped: keep.skippedList()}, nil
}

// seriesKeep decides which harvested series are written: every one when
// all is false (the source's series were named), else those this instance
// defines, remembering the others.
type seriesKeep struct {
	ctx     context.Context
	reg     Registry
	all     bool
	known   map[string]bool
	skipped map[string]bool
}

func (s *Service) seriesFilter(ctx context.Context, all bool) *seriesKeep {
	return &seriesKeep{ctx: ctx, reg: s.reg, all: all, known: map[string]bool{}, skipped: map[string]bool{}}
}

func (k *seriesKeep) wants(code string) (bool, error) {
	if !k.all {
		return true, nil
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	if ok, seen := k.known[code]; seen {
		return ok, nil
	}
	_, err := k.reg.Series(k.ctx, code)
	switch {
	case errors.Is(err, ErrNotFound):
		k.known[code], k.skipped[code] = false, true
		return false, nil
	case err != nil:
		return false, err
	}
	k.known[code] = true
	return true, nil
}

func (k *seriesKeep) skippedList() []string {
	return slices.Sorted(maps.Keys(k.skipped))
}

// failed says what went wrong in a few words: the row and field for bad
// data, the cause for a failed fetch. Other errors (the database's) are
// not shown, only logged by the caller.
func failed(err error) Result {
	var re *observations.RowError
	var pe *ParseError
	var fe *fetchError
	detail := "internal error"
	switch {
	case errors.As(err, &re):
		detail = re.Error()
	case errors.As(err, &pe):
		detail = pe.Error()
	case errors.As(err, &fe):
		detail = fe.detail
	case errors.Is(err, ErrHostNotAllowed):
		detail = "host not on the outbound allow-list"
	}
	return Result{Status: StatusFailed, Detail: detail}
}

// record keeps a run's outcome on its source and audits it. The ETag is
// kept only from a successful run, so that a failed one is tried in full
// again.
func (s *Service) record(ctx context.Context, p access.Principal, src Source, res Result) error {
	etag, detail := src.LastETag, res.Detail
	if res.Status == StatusOK {
		etag, detail = res.Detail, ""
		if len(res.Skipped) > 0 {
			detail = "series not defined here, left out: " + strings.Join(res.Skipped, ", ")
		}
	}
	if _, err := s.db.Exec(ctx, `UPDATE harvest_sources SET last_run_at = ?, last_status = ?, last_rows = ?,
		last_etag = ?, last_detail = ? WHERE id = ?`, s.now().UnixMicro(), res.Status, res.Rows, etag,
		truncate(detail, 300), src.ID); err != nil {
		return err
	}
	_, err := s.audit.Append(ctx, s.entry(ctx, p, ActionRun, src.ID, "status"))
	return err
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
