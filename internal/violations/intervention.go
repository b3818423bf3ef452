// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Intervention is something done about an event: a complaint, litigation,
// an urgent appeal, medical or legal aid (intervention_type vocabulary),
// where it stands (intervention_status), when it started and ended, and
// sealed notes.
type Intervention struct {
	ID, EventID, Type, Status string
	// StartedOn and EndedOn are YYYY-MM-DD, "" when not recorded; a
	// planned intervention may start in the future.
	StartedOn, EndedOn string
	Notes              string
	CreatedBy          string
	CreatedAt          time.Time
	UpdatedBy          string
	UpdatedAt          time.Time
}

// InterventionInput is an intervention as recorded; an update replaces
// every field.
type InterventionInput struct {
	Type, Status, StartedOn, EndedOn, Notes string
}

const interventionColumns = `id, event_id, intervention_type, status, COALESCE(started_on, ''), COALESCE(ended_on, ''),
	notes_enc, created_by, created_at, updated_by, updated_at`

// interventions reads the interventions of event r, notes opened, oldest
// first.
func (s *Service) interventions(ctx context.Context, q store.Queryer, r eventRow) ([]Intervention, error) {
	return s.queryInterventions(ctx, q, r, `SELECT `+interventionColumns+` FROM violation_interventions
		WHERE event_id = ? ORDER BY created_at, id`, r.id)
}

func (s *Service) queryInterventions(ctx context.Context, q store.Queryer, r eventRow, query string, args ...any) ([]Intervention, error) {
	type row struct {
		Intervention
		enc []byte
	}
	rows, err := store.QueryAll(ctx, q, func(sc store.Scanner) (row, error) {
		var x row
		var created, updated int64
		err := sc.Scan(&x.ID, &x.EventID, &x.Type, &x.Status, &x.StartedOn, &x.EndedOn, &x.enc, &x.CreatedBy, &created,
			&x.UpdatedBy, &updated)
		x.CreatedAt, x.UpdatedAt = fromMicros(created), fromMicros(updated)
		return x, err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	out := make([]Intervention, len(rows))
	for i, x := range rows {
		if x.Notes, err = s.open(ctx, q, r.keyID, "violation_interventions", "notes", x.ID, x.enc); err != nil {
			return nil, err
		}
		out[i] = x.Intervention
	}
	return out, nil
}

// checkIntervention validates an intervention; cur is it as it is (zero
// for a new one). The end must not come before the start.
func checkIntervention(ctx context.Context, tx *store.Tx, in InterventionInput, cur Intervention) (InterventionInput, error) {
	v := &ValidationError{}
	var err error
	if in.Type, err = checkCode(ctx, tx, v, "intervention_type", VocabInterventionType, in.Type, cur.Type, true); err != nil {
		return in, err
	}
	if in.Status, err = checkCode(ctx, tx, v, "status", VocabInterventionStatus, in.Status, cur.Status, true); err != nil {
		return in, err
	}
	in.StartedOn = checkDay(v, "started_on", in.StartedOn, nil)
	in.EndedOn = checkDay(v, "ended_on", in.EndedOn, nil)
	if in.StartedOn != "" && in.EndedOn != "" && in.EndedOn < in.StartedOn {
		v.Add("ended_on", CodeDateOrder)
	}
	in.Notes = v.Text("notes", in.Notes, maxDescriptionRunes, true)
	return in, v.OrNil()
}

func interventionFields(in InterventionInput) []string {
	fields := []string{"intervention.intervention_type", "intervention.status"}
	for _, f := range []struct {
		name string
		set  bool
	}{{"intervention.started_on", in.StartedOn != ""}, {"intervention.ended_on", in.EndedOn != ""},
		{"intervention.notes", in.Notes != ""}} {
		if f.set {
			fields = append(fields, f.name)
		}
	}
	return fields
}

func (in InterventionInput) intervention(base Intervention, by string, at time.Time) Intervention {
	base.Type, base.Status, base.StartedOn, base.EndedOn, base.Notes = in.Type, in.Status, in.StartedOn, in.EndedOn, in.Notes
	base.UpdatedBy, base.UpdatedAt = by, at
	return base
}

// AddIntervention records an intervention on event eventID. Audited as
// violation.intervention_add.
func (s *Service) AddIntervention(ctx context.Context, p access.Principal, eventID string, in InterventionInput) (Intervention, error) {
	var out Intervention
	err := s.change(ctx, p, eventID, "violation.intervention_add", func(tx *store.Tx, r eventRow) ([]string, error) {
		in, err := checkIntervention(ctx, tx, in, Intervention{})
		if err != nil {
			return nil, err
		}
		now := s.now()
		out = in.intervention(Intervention{ID: ids.New(), EventID: r.id, CreatedBy: p.UserID, CreatedAt: now}, p.UserID, now)
		enc, err := s.seal(ctx, tx, r.keyID, "violation_interventions", "notes", out.ID, in.Notes)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO violation_interventions (id, org_id, event_id, intervention_type, status,
			started_on, ended_on, notes_enc, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, out.ID, r.orgID, r.id, in.Type, in.Status,
			nullText(in.StartedOn), nullText(in.EndedOn), enc, p.UserID, micros(now), p.UserID, micros(now))
		return interventionFields(in), err
	})
	if err != nil {
		return Intervention{}, err
	}
	return out, nil
}

// UpdateIntervention replaces intervention interventionID of event
// eventID. Audited as violation.intervention_update.
func (s *Service) UpdateIntervention(ctx context.Context, p access.Principal, eventID, interventionID string, in InterventionInput) (Intervention, error) {
	var out Intervention
	err := s.change(ctx, p, eventID, "violation.intervention_update", func(tx *store.Tx, r eventRow) ([]string, error) {
		cur, err := s.queryInterventions(ctx, tx, r, `SELECT `+interventionColumns+` FROM violation_interventions
			WHERE id = ? AND event_id = ?`, interventionID, r.id)
		if err != nil {
			return nil, err
		}
		if len(cur) == 0 {
			return nil, ErrNotFound
		}
		if in, err = checkIntervention(ctx, tx, in, cur[0]); err != nil {
			return nil, err
		}
		enc, err := s.seal(ctx, tx, r.keyID, "violation_interventions", "notes", interventionID, in.Notes)
		if err != nil {
			return nil, err
		}
		now := s.now()
		out = in.intervention(cur[0], p.UserID, now)
		_, err = tx.Exec(ctx, `UPDATE violation_interventions SET intervention_type = ?, status = ?, started_on = ?,
			ended_on = ?, notes_enc = ?, updated_by = ?, updated_at = ? WHERE id = ?`, in.Type, in.Status,
			nullText(in.StartedOn), nullText(in.EndedOn), enc, p.UserID, micros(now), interventionID)
		return interventionFields(in), err
	})
	if err != nil {
		return Intervention{}, err
	}
	return out, nil
}

// DeleteIntervention deletes intervention interventionID of event eventID.
// Audited as violation.intervention_delete.
func (s *Service) DeleteIntervention(ctx context.Context, p access.Principal, eventID, interventionID string) error {
	return s.deletePart(ctx, p, eventID, interventionID,
		`DELETE FROM violation_interventions WHERE id = ? AND event_id = ?`, "violation.intervention_delete", "intervention")
}
