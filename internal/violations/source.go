// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Source is how the organisation knows of an event: a type of source, its
// reliability and the information's credibility on the Admiralty scale,
// when it was obtained, and sealed details (who, what they said).
type Source struct {
	ID, EventID                          string
	SourceType, Reliability, Credibility string
	// ObtainedOn is YYYY-MM-DD, "" when not recorded.
	ObtainedOn string
	Details    string
	CreatedBy  string
	CreatedAt  time.Time
	UpdatedBy  string
	UpdatedAt  time.Time
}

// SourceInput is a source as recorded; an update replaces every field.
type SourceInput struct {
	SourceType, Reliability, Credibility, ObtainedOn, Details string
}

const sourceColumns = `id, event_id, source_type, reliability, credibility, COALESCE(obtained_on, ''), details_enc,
	created_by, created_at, updated_by, updated_at`

// sources reads the sources of event r, details opened, oldest first.
func (s *Service) sources(ctx context.Context, q store.Queryer, r eventRow) ([]Source, error) {
	return s.querySources(ctx, q, r, `SELECT `+sourceColumns+` FROM violation_sources WHERE event_id = ?
		ORDER BY created_at, id`, r.id)
}

func (s *Service) querySources(ctx context.Context, q store.Queryer, r eventRow, query string, args ...any) ([]Source, error) {
	type row struct {
		Source
		enc []byte
	}
	rows, err := store.QueryAll(ctx, q, func(sc store.Scanner) (row, error) {
		var x row
		var created, updated int64
		err := sc.Scan(&x.ID, &x.EventID, &x.SourceType, &x.Reliability, &x.Credibility, &x.ObtainedOn, &x.enc,
			&x.CreatedBy, &created, &x.UpdatedBy, &updated)
		x.CreatedAt, x.UpdatedAt = fromMicros(created), fromMicros(updated)
		return x, err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	out := make([]Source, len(rows))
	for i, x := range rows {
		if x.Details, err = s.open(ctx, q, r.keyID, "violation_sources", "details", x.ID, x.enc); err != nil {
			return nil, err
		}
		out[i] = x.Source
	}
	return out, nil
}

// checkDay checks an optional day (YYYY-MM-DD) of field; with notAfter
// set, it must not be later than that day.
func checkDay(v *ValidationError, field, day string, notAfter *time.Time) string {
	if day == "" {
		return ""
	}
	d, err := ParseDate(day, PrecisionExact)
	switch {
	case err != nil:
		v.Add(field, err.(*DateError).Code)
		return ""
	case notAfter != nil && d.first().After(*notAfter):
		v.Add(field, CodeFuture)
		return ""
	}
	return d.Value
}

// checkSource validates a source; cur is the source as it is (zero for a
// new one).
func (s *Service) checkSource(ctx context.Context, tx *store.Tx, in SourceInput, cur Source) (SourceInput, error) {
	v := &ValidationError{}
	for _, c := range []struct {
		field, vocabulary string
		value             *string
		was               string
	}{{"source_type", VocabSourceType, &in.SourceType, cur.SourceType},
		{"reliability", VocabReliability, &in.Reliability, cur.Reliability},
		{"credibility", VocabCredibility, &in.Credibility, cur.Credibility}} {
		code, err := checkCode(ctx, tx, v, c.field, c.vocabulary, *c.value, c.was, true)
		if err != nil {
			return in, err
		}
		*c.value = code
	}
	day := today(s.now())
	in.ObtainedOn = checkDay(v, "obtained_on", in.ObtainedOn, &day)
	in.Details = v.Text("details", in.Details, maxDescriptionRunes, true)
	return in, v.OrNil()
}

func sourceFields(in SourceInput) []string {
	fields := []string{"source.source_type", "source.reliability", "source.credibility"}
	if in.ObtainedOn != "" {
		fields = append(fields, "source.obtained_on")
	}
	if in.Details != "" {
		fields = append(fields, "source.details")
	}
	return fields
}

// AddSource records a source of event eventID. Audited as
// violation.source_add.
func (s *Service) AddSource(ctx context.Context, p access.Principal, eventID string, in SourceInput) (Source, error) {
	var out Source
	err := s.change(ctx, p, eventID, "violation.source_add", func(tx *store.Tx, r eventRow) ([]string, error) {
		in, err := s.checkSource(ctx, tx, in, Source{})
		if err != nil {
			return nil, err
		}
		now := s.now()
		out = in.source(Source{ID: ids.New(), EventID: r.id, CreatedBy: p.UserID, CreatedAt: now}, p.UserID, now)
		enc, err := s.seal(ctx, tx, r.keyID, "violation_sources", "details", out.ID, in.Details)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO violation_sources (id, org_id, event_id, source_type, reliability, credibility,
			obtained_on, details_enc, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, out.ID, r.orgID, r.id, in.SourceType, in.Reliability,
			in.Credibility, nullText(in.ObtainedOn), enc, p.UserID, micros(now), p.UserID, micros(now))
		return sourceFields(in), err
	})
	if err != nil {
		return Source{}, err
	}
	return out, nil
}

func (in SourceInput) source(base Source, by string, at time.Time) Source {
	base.SourceType, base.Reliability, base.Credibility = in.SourceType, in.Reliability, in.Credibility
	base.ObtainedOn, base.Details, base.UpdatedBy, base.UpdatedAt = in.ObtainedOn, in.Details, by, at
	return base
}

// UpdateSource replaces source sourceID of event eventID. Audited as
// violation.source_update.
func (s *Service) UpdateSource(ctx context.Context, p access.Principal, eventID, sourceID string, in SourceInput) (Source, error) {
	var out Source
	err := s.change(ctx, p, eventID, "violation.source_update", func(tx *store.Tx, r eventRow) ([]string, error) {
		cur, err := s.querySources(ctx, tx, r, `SELECT `+sourceColumns+` FROM violation_sources
			WHERE id = ? AND event_id = ?`, sourceID, r.id)
		if err != nil {
			return nil, err
		}
		if len(cur) == 0 {
			return nil, ErrNotFound
		}
		if in, err = s.checkSource(ctx, tx, in, cur[0]); err != nil {
			return nil, err
		}
		enc, err := s.seal(ctx, tx, r.keyID, "violation_sources", "details", sourceID, in.Details)
		if err != nil {
			return nil, err
		}
		now := s.now()
		out = in.source(cur[0], p.UserID, now)
		_, err = tx.Exec(ctx, `UPDATE violation_sources SET source_type = ?, reliability = ?, credibility = ?,
			obtained_on = ?, details_enc = ?, updated_by = ?, updated_at = ? WHERE id = ?`, in.SourceType, in.Reliability,
			in.Credibility, nullText(in.ObtainedOn), enc, p.UserID, micros(now), sourceID)
		return sourceFields(in), err
	})
	if err != nil {
		return Source{}, err
	}
	return out, nil
}

// DeleteSource deletes source sourceID of event eventID. Audited as
// violation.source_delete.
func (s *Service) DeleteSource(ctx context.Context, p access.Principal, eventID, sourceID string) error {
	return s.deletePart(ctx, p, eventID, sourceID, `DELETE FROM violation_sources WHERE id = ? AND event_id = ?`,
		"violation.source_delete", "source")
}
