// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Source is another Amparo instance this one harvests.
type Source struct {
	ID, Name string
	// URL is the instance's base address (https://…), without a trailing
	// slash; open data is under URL/api/v1/opendata.
	URL           string
	Series, Areas []string
	IntervalHours int
	Active        bool
	// LastRunAt is nil before the first run.
	LastRunAt  *time.Time
	LastStatus string // StatusOK, StatusNotModified, StatusFailed or ""
	LastRows   int
	LastETag   string
	LastDetail string
	CreatedBy  string
	CreatedAt  time.Time
}

// Run outcomes, kept in Source.LastStatus.
const (
	StatusOK          = "ok"
	StatusNotModified = "not_modified"
	StatusFailed      = "failed"
)

// SourceInput is what an administrator gives for a source.
type SourceInput struct {
	Name, URL     string
	Series, Areas string // comma-separated
	IntervalHours int
	Active        bool
}

// Limits of a source's fields.
const (
	maxName          = 200
	maxURL           = 500
	MinIntervalHours = 1
	MaxIntervalHours = 24 * 366
)

// Reason codes of a source's fields beyond fielderr's.
const (
	CodeRequired       = "required"
	CodeHostNotAllowed = "host_not_allowed"
	CodeHTTPS          = "https_required"
	CodeDuplicate      = "duplicate"
	CodeOutOfRange     = "out_of_range"
)

const sourceColumns = `id, name, url, series, areas, interval_hours, active, last_run_at, last_status, last_rows,
	last_etag, last_detail, created_by, created_at`

func scanSource(sc store.Scanner) (Source, error) {
	var src Source
	var series, areas string
	var active int
	var lastRun sql.NullInt64
	var created int64
	err := sc.Scan(&src.ID, &src.Name, &src.URL, &series, &areas, &src.IntervalHours, &active, &lastRun,
		&src.LastStatus, &src.LastRows, &src.LastETag, &src.LastDetail, &src.CreatedBy, &created)
	src.Series, src.Areas, src.Active = splitList(series), splitList(areas), active == 1
	if lastRun.Valid {
		t := time.UnixMicro(lastRun.Int64).UTC()
		src.LastRunAt = &t
	}
	src.CreatedAt = time.UnixMicro(created).UTC()
	return src, err
}

// Sources lists the harvest sources by name.
func (s *Service) Sources(ctx context.Context, p access.Principal) ([]Source, error) {
	if !p.Can(PermConfigure) {
		return nil, ErrForbidden
	}
	return store.QueryAll(ctx, s.db, scanSource, `SELECT `+sourceColumns+` FROM harvest_sources ORDER BY name, id`)
}

// Source reads one source.
func (s *Service) Source(ctx context.Context, p access.Principal, id string) (Source, error) {
	if !p.Can(PermConfigure) {
		return Source{}, ErrForbidden
	}
	return s.source(ctx, id)
}

func (s *Service) source(ctx context.Context, id string) (Source, error) {
	src, err := scanSource(s.db.QueryRow(ctx, `SELECT `+sourceColumns+` FROM harvest_sources WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return src, ErrNotFound
	}
	return src, err
}

// validate checks in and gives it its one spelling.
func (s *Service) validate(in SourceInput) (SourceInput, []string, []string, error) {
	var e fielderr.Error
	in.Name = e.Text("name", in.Name, maxName, false)
	if in.Name == "" {
		e.Add("name", CodeRequired)
	}
	in.URL = strings.TrimRight(strings.TrimSpace(in.URL), "/")
	if in.URL == "" {
		e.Add("url", CodeRequired)
	} else if u, err := url.Parse(in.URL); err != nil || len(in.URL) > maxURL || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		e.Add("url", fielderr.CodeInvalid)
	} else if u.Scheme != "https" {
		e.Add("url", CodeHTTPS)
	} else if !s.hostAllowed(u) {
		e.Add("url", CodeHostNotAllowed)
	}
	var series, areas []string
	for _, code := range splitList(in.Series) {
		code = strings.ToUpper(code)
		if !observations.SeriesCode.MatchString(code) {
			e.Add("series", fielderr.CodeInvalid)
			break
		}
		if !slices.Contains(series, code) {
			series = append(series, code)
		}
	}
	if len(series) > maxSeries {
		e.Add("series", CodeOutOfRange)
	}
	for _, a := range splitList(in.Areas) {
		code, err := observations.NormalizeArea(a)
		if err != nil {
			e.Add("areas", fielderr.CodeInvalid)
			break
		}
		if !slices.Contains(areas, code) {
			areas = append(areas, code)
		}
	}
	if len(areas) > maxAreas {
		e.Add("areas", CodeOutOfRange)
	}
	if in.IntervalHours < MinIntervalHours || in.IntervalHours > MaxIntervalHours {
		e.Add("interval_hours", CodeOutOfRange)
	}
	slices.Sort(series)
	slices.Sort(areas)
	return in, series, areas, e.OrNil()
}

func (s *Service) entry(ctx context.Context, p access.Principal, action, id string, fields ...string) audit.Entry {
	return audit.Entry{ActorID: p.UserID, OrgID: p.OrgID, Action: action, ObjectType: objSource, ObjectID: id,
		Fields: fields, RequestID: requestid.From(ctx)}
}

// sourceFields are the fields an audit entry of a change names.
var sourceFields = []string{"name", "url", "series", "areas", "interval_hours", "active"}

// CreateSource adds a source.
func (s *Service) CreateSource(ctx context.Context, p access.Principal, in SourceInput) (Source, error) {
	if !p.Can(PermConfigure) {
		return Source{}, ErrForbidden
	}
	in, series, areas, err := s.validate(in)
	if err != nil {
		return Source{}, err
	}
	id := ids.New()
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO harvest_sources (id, name, url, series, areas, interval_hours, active,
			created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, in.Name, in.URL, strings.Join(series, ","),
			strings.Join(areas, ","), in.IntervalHours, boolInt(in.Active), p.UserID, s.now().UnixMicro()); err != nil {
			return err
		}
		_, err := s.audit.AppendTx(ctx, tx, s.entry(ctx, p, ActionCreate, id, sourceFields...))
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return Source{}, fielderr.One("url", CodeDuplicate)
	}
	if err != nil {
		return Source{}, err
	}
	return s.source(ctx, id)
}

// UpdateSource changes a source. A new address or selection forgets the
// last ETag, so that the next run fetches everything.
func (s *Service) UpdateSource(ctx context.Context, p access.Principal, id string, in SourceInput) (Source, error) {
	if !p.Can(PermConfigure) {
		return Source{}, ErrForbidden
	}
	old, err := s.source(ctx, id)
	if err != nil {
		return Source{}, err
	}
	in, series, areas, err := s.validate(in)
	if err != nil {
		return Source{}, err
	}
	etag := old.LastETag
	if in.URL != old.URL || !slices.Equal(series, old.Series) || !slices.Equal(areas, old.Areas) {
		etag = ""
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE harvest_sources SET name = ?, url = ?, series = ?, areas = ?,
			interval_hours = ?, active = ?, last_etag = ? WHERE id = ?`, in.Name, in.URL, strings.Join(series, ","),
			strings.Join(areas, ","), in.IntervalHours, boolInt(in.Active), etag, id); err != nil {
			return err
		}
		_, err := s.audit.AppendTx(ctx, tx, s.entry(ctx, p, ActionUpdate, id, sourceFields...))
		return err
	})
	if errors.Is(err, store.ErrConflict) {
		return Source{}, fielderr.One("url", CodeDuplicate)
	}
	if err != nil {
		return Source{}, err
	}
	return s.source(ctx, id)
}

// DeleteSource removes a source. What it harvested stays, with its
// provenance.
func (s *Service) DeleteSource(ctx context.Context, p access.Principal, id string) error {
	if !p.Can(PermConfigure) {
		return ErrForbidden
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM harvest_sources WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = s.audit.AppendTx(ctx, tx, s.entry(ctx, p, ActionDelete, id))
		return err
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
