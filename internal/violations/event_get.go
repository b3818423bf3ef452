// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Get returns event id with all it holds, sealed content opened, if p may
// read it, and audits violation.read naming the sealed fields read.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Event, error) {
	if !ids.Valid(id) {
		return Event{}, ErrNotFound
	}
	var out Event
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.Allows(PermRead, r.record()) {
			return ErrNotFound
		}
		fields, err := s.fill(ctx, tx, r, &out)
		if err != nil {
			return err
		}
		return s.logEvent(ctx, tx, p, "violation.read", id, r.orgID, fields...)
	})
	if err != nil {
		return Event{}, err
	}
	return out, nil
}

// fill reads everything event r holds into e, opening its sealed content,
// and returns the names of the sealed fields read, for the audit entry.
func (s *Service) fill(ctx context.Context, q store.Queryer, r eventRow, e *Event) ([]string, error) {
	var err error
	if *e, err = s.openEvent(ctx, q, r); err != nil {
		return nil, err
	}
	fields := []string{"title", "description", "place"}
	if e.Acts, err = s.acts(ctx, q, r); err != nil {
		return nil, err
	}
	if e.Perpetrators, err = s.perpetrators(ctx, q, r); err != nil {
		return nil, err
	}
	if e.Sources, err = s.sources(ctx, q, r); err != nil {
		return nil, err
	}
	if e.Interventions, err = s.interventions(ctx, q, r); err != nil {
		return nil, err
	}
	if e.Cases, err = caseLinks(ctx, q, r.id); err != nil {
		return nil, err
	}
	if e.Persons, err = personLinks(ctx, q, r.id); err != nil {
		return nil, err
	}
	for _, a := range e.Acts {
		e.ActTypes = append(e.ActTypes, a.ActType)
	}
	slices.SortFunc(e.ActTypes, compareCodes)
	e.ActTypes = slices.Compact(e.ActTypes)
	for _, part := range []struct {
		field string
		n     int
	}{{"act.description", len(e.Acts)}, {"perpetrator.identity", len(e.Perpetrators)},
		{"source.details", len(e.Sources)}, {"intervention.notes", len(e.Interventions)}} {
		if part.n > 0 {
			fields = append(fields, part.field)
		}
	}
	return fields, nil
}
