// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Act is one thing done within an event, to one victim.
type Act struct {
	ID, EventID string
	// ActType is a code of the act_type vocabulary; RightAffected one of
	// the right vocabulary, "" when not assessed.
	ActType, RightAffected string
	// VictimPersonID is the person it was done to, "" when unknown or when
	// the person was erased.
	VictimPersonID string
	// Start and End are zero when the act's dates are the event's.
	Start, End Date
	// Consequences are codes of the consequence vocabulary, in its order.
	Consequences []string
	// Description is sealed.
	Description string
	// Perpetrators are who took part, and how, ordered by perpetrator id
	// (pages order them as the event's perpetrators).
	Perpetrators []Involvement
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedBy    string
	UpdatedAt    time.Time
}

// Involvement is a perpetrator's part in an act: a perpetrator of the same
// event, and a code of the involvement vocabulary.
type Involvement struct {
	PerpetratorID, Involvement string
}

// ActInput is an act as recorded; an update replaces every field.
type ActInput struct {
	ActType, RightAffected, VictimPersonID string
	Start, End                             Date
	Consequences                           []string
	Description                            string
	Perpetrators                           []Involvement
}

// Limits on what an act holds.
const (
	maxConsequences = 20
	maxInvolvements = 50
)

type actRow struct {
	Act
	descriptionEnc []byte
	created        int64
	updated        int64
}

const actColumns = `id, event_id, act_type, right_affected, COALESCE(victim_person_id, ''), COALESCE(start_date, ''),
	COALESCE(start_precision, ''), COALESCE(end_date, ''), COALESCE(end_precision, ''), description_enc,
	created_by, created_at, updated_by, updated_at`

func scanAct(sc store.Scanner) (actRow, error) {
	var r actRow
	err := sc.Scan(&r.ID, &r.EventID, &r.ActType, &r.RightAffected, &r.VictimPersonID, &r.Start.Value,
		&r.Start.Precision, &r.End.Value, &r.End.Precision, &r.descriptionEnc, &r.CreatedBy, &r.created,
		&r.UpdatedBy, &r.updated)
	r.CreatedAt, r.UpdatedAt = fromMicros(r.created), fromMicros(r.updated)
	return r, err
}

// acts reads the acts of event r with their consequences and
// perpetrators, descriptions opened, oldest first.
func (s *Service) acts(ctx context.Context, q store.Queryer, r eventRow) ([]Act, error) {
	rows, err := store.QueryAll(ctx, q, scanAct, `SELECT `+actColumns+` FROM violation_acts WHERE event_id = ?
		ORDER BY created_at, id`, r.id)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	consequences, err := pairs(ctx, q, `SELECT c.act_id, c.consequence, '' FROM violation_act_consequences c
		JOIN violation_acts a ON a.id = c.act_id WHERE a.event_id = ?`, r.id)
	if err != nil {
		return nil, err
	}
	involvements, err := pairs(ctx, q, `SELECT l.act_id, l.perpetrator_id, l.involvement FROM violation_act_perpetrators l
		JOIN violation_acts a ON a.id = l.act_id WHERE a.event_id = ? ORDER BY l.perpetrator_id`, r.id)
	if err != nil {
		return nil, err
	}
	out := make([]Act, len(rows))
	for i, row := range rows {
		a := row.Act
		if a.Description, err = s.open(ctx, q, r.keyID, "violation_acts", "description", a.ID, row.descriptionEnc); err != nil {
			return nil, err
		}
		for _, c := range consequences[a.ID] {
			a.Consequences = append(a.Consequences, c[0])
		}
		sortCodes(VocabConsequence, a.Consequences)
		for _, l := range involvements[a.ID] {
			a.Perpetrators = append(a.Perpetrators, Involvement{PerpetratorID: l[0], Involvement: l[1]})
		}
		out[i] = a
	}
	return out, nil
}

// pairs runs a query of (key, a, b) rows and groups (a, b) by key.
func pairs(ctx context.Context, q store.Queryer, query string, args ...any) (map[string][][2]string, error) {
	type row struct{ key, a, b string }
	rows, err := store.QueryAll(ctx, q, func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.key, &r.a, &r.b)
	}, query, args...)
	if err != nil {
		return nil, err
	}
	out := map[string][][2]string{}
	for _, r := range rows {
		out[r.key] = append(out[r.key], [2]string{r.a, r.b})
	}
	return out, nil
}

// sortCodes puts codes of a flat vocabulary in its display order: shipped
// terms as shipped, added ones after.
func sortCodes(vocabulary string, codes []string) {
	index := shipped[vocabulary].index
	rank := func(c string) int {
		if i, ok := index[c]; ok {
			return i
		}
		return len(index)
	}
	slices.SortFunc(codes, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return compareCodes(a, b)
	})
}

// checkAct validates an act of event r, cur being the act as it is (zero
// for a new one), and returns it normalised. Codes must be offered terms
// unless the act holds them already; the victim must be a person of the
// event's organisation p may read; perpetrators must be the event's, each
// once.
func (s *Service) checkAct(ctx context.Context, tx *store.Tx, p access.Principal, r eventRow, in ActInput, cur Act) (ActInput, error) {
	v := &ValidationError{}
	var err error
	if in.ActType, err = checkCode(ctx, tx, v, "act_type", VocabActType, in.ActType, cur.ActType, true); err != nil {
		return in, err
	}
	if in.RightAffected, err = checkCode(ctx, tx, v, "right_affected", VocabRight, in.RightAffected, cur.RightAffected, false); err != nil {
		return in, err
	}
	in.Start, in.End = checkSpan(v, "", in.Start, in.End, false, today(s.now()))
	in.Description = v.Text("description", in.Description, maxDescriptionRunes, true)
	if in.VictimPersonID != "" && in.VictimPersonID != cur.VictimPersonID {
		if err := s.reachPerson(ctx, p, v, "victim_person_id", in.VictimPersonID, r.orgID); err != nil {
			return in, err
		}
	}
	if len(in.Consequences) > maxConsequences {
		v.Add("consequences", CodeTooMany)
	} else {
		seen := map[string]bool{}
		for i, c := range in.Consequences {
			field := fmt.Sprintf("consequences.%d", i)
			was := ""
			if slices.Contains(cur.Consequences, c) {
				was = c
			}
			if in.Consequences[i], err = checkCode(ctx, tx, v, field, VocabConsequence, c, was, true); err != nil {
				return in, err
			}
			if seen[in.Consequences[i]] {
				v.Add(field, CodeDuplicate)
			}
			seen[in.Consequences[i]] = true
		}
	}
	if err := s.checkInvolvements(ctx, tx, v, r, in.Perpetrators, cur.Perpetrators); err != nil {
		return in, err
	}
	return in, v.OrNil()
}

// checkInvolvements checks an act's perpetrators: at most maxInvolvements,
// each a perpetrator of event r given once, with an involvement code.
func (s *Service) checkInvolvements(ctx context.Context, tx *store.Tx, v *ValidationError, r eventRow, in, cur []Involvement) error {
	if len(in) > maxInvolvements {
		v.Add("perpetrators", CodeTooMany)
		return nil
	}
	if len(in) == 0 {
		return nil
	}
	ofEvent, err := store.QueryAll(ctx, tx, func(sc store.Scanner) (string, error) {
		var id string
		return id, sc.Scan(&id)
	}, `SELECT id FROM violation_perpetrators WHERE event_id = ?`, r.id)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, l := range in {
		prefix := fmt.Sprintf("perpetrators.%d.", i)
		switch {
		case l.PerpetratorID == "":
			v.Add(prefix+"perpetrator_id", CodeRequired)
		case !slices.Contains(ofEvent, l.PerpetratorID):
			// Another event's perpetrator and an id that does not exist
			// look alike.
			v.Add(prefix+"perpetrator_id", CodeNotFound)
		case seen[l.PerpetratorID]:
			v.Add(prefix+"perpetrator_id", CodeDuplicate)
		}
		seen[l.PerpetratorID] = true
		was := ""
		if j := slices.IndexFunc(cur, func(c Involvement) bool { return c.PerpetratorID == l.PerpetratorID }); j >= 0 {
			was = cur[j].Involvement
		}
		if in[i].Involvement, err = checkCode(ctx, tx, v, prefix+"involvement", VocabInvolvement, l.Involvement, was, true); err != nil {
			return err
		}
	}
	return nil
}

// actFields names the fields of an act that hold something, for the audit.
func actFields(in ActInput) []string {
	fields := []string{"act.act_type"}
	for _, f := range []struct {
		name string
		set  bool
	}{{"act.right_affected", in.RightAffected != ""}, {"act.victim_person_id", in.VictimPersonID != ""},
		{"act.start", !in.Start.IsZero()}, {"act.end", !in.End.IsZero()},
		{"act.consequences", len(in.Consequences) > 0}, {"act.description", in.Description != ""},
		{"act.perpetrators", len(in.Perpetrators) > 0}} {
		if f.set {
			fields = append(fields, f.name)
		}
	}
	return fields
}

// AddAct records an act of event eventID. Audited as violation.act_add.
func (s *Service) AddAct(ctx context.Context, p access.Principal, eventID string, in ActInput) (Act, error) {
	var out Act
	err := s.change(ctx, p, eventID, "violation.act_add", func(tx *store.Tx, r eventRow) ([]string, error) {
		in, err := s.checkAct(ctx, tx, p, r, in, Act{})
		if err != nil {
			return nil, err
		}
		now := s.now()
		out = Act{ID: ids.New(), EventID: r.id, CreatedBy: p.UserID, CreatedAt: now}
		enc, err := s.seal(ctx, tx, r.keyID, "violation_acts", "description", out.ID, in.Description)
		if err != nil {
			return nil, err
		}
		start, end := optionalDate(in.Start, false), optionalDate(in.End, true)
		if _, err := tx.Exec(ctx, `INSERT INTO violation_acts (id, org_id, event_id, act_type, right_affected,
			victim_person_id, start_date, start_precision, start_first, end_date, end_precision, end_last,
			description_enc, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, r.orgID, r.id, in.ActType, in.RightAffected, nullText(in.VictimPersonID), start[0], start[1],
			start[2], end[0], end[1], end[2], enc, p.UserID, micros(now), p.UserID, micros(now)); err != nil {
			return nil, err
		}
		if err := writeActLists(ctx, tx, out.ID, in); err != nil {
			return nil, err
		}
		out = in.act(out, p.UserID, now)
		return actFields(in), nil
	})
	if err != nil {
		return Act{}, err
	}
	return out, nil
}

// act is the Act in describes, with the id, event and creation of base.
func (in ActInput) act(base Act, by string, at time.Time) Act {
	base.ActType, base.RightAffected, base.VictimPersonID = in.ActType, in.RightAffected, in.VictimPersonID
	base.Start, base.End, base.Description = in.Start, in.End, in.Description
	base.Consequences = slices.Clone(in.Consequences)
	sortCodes(VocabConsequence, base.Consequences)
	base.Perpetrators = slices.Clone(in.Perpetrators)
	slices.SortFunc(base.Perpetrators, func(a, b Involvement) int { return strings.Compare(a.PerpetratorID, b.PerpetratorID) })
	base.UpdatedBy, base.UpdatedAt = by, at
	return base
}

// optionalDate is the stored date, precision and first (or, for an end,
// last) day of d: NULLs for none.
func optionalDate(d Date, end bool) [3]any {
	if d.IsZero() {
		return [3]any{nil, nil, nil}
	}
	day := d.First()
	if end {
		day = d.Last()
	}
	return [3]any{d.Value, string(d.Precision), day}
}

// writeActLists replaces an act's consequences and perpetrators.
func writeActLists(ctx context.Context, tx *store.Tx, actID string, in ActInput) error {
	for _, q := range []string{`DELETE FROM violation_act_consequences WHERE act_id = ?`,
		`DELETE FROM violation_act_perpetrators WHERE act_id = ?`} {
		if _, err := tx.Exec(ctx, q, actID); err != nil {
			return err
		}
	}
	for _, c := range in.Consequences {
		if _, err := tx.Exec(ctx, `INSERT INTO violation_act_consequences (act_id, consequence) VALUES (?, ?)`,
			actID, c); err != nil {
			return err
		}
	}
	for _, l := range in.Perpetrators {
		if _, err := tx.Exec(ctx, `INSERT INTO violation_act_perpetrators (act_id, perpetrator_id, involvement)
			VALUES (?, ?, ?)`, actID, l.PerpetratorID, l.Involvement); err != nil {
			return err
		}
	}
	return nil
}

// UpdateAct replaces act actID of event eventID. A term since retired may
// stay. Audited as violation.act_update.
func (s *Service) UpdateAct(ctx context.Context, p access.Principal, eventID, actID string, in ActInput) (Act, error) {
	var out Act
	err := s.change(ctx, p, eventID, "violation.act_update", func(tx *store.Tx, r eventRow) ([]string, error) {
		acts, err := s.acts(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(acts, func(a Act) bool { return a.ID == actID })
		if i < 0 {
			return nil, ErrNotFound
		}
		cur := acts[i]
		if in, err = s.checkAct(ctx, tx, p, r, in, cur); err != nil {
			return nil, err
		}
		enc, err := s.seal(ctx, tx, r.keyID, "violation_acts", "description", actID, in.Description)
		if err != nil {
			return nil, err
		}
		now := s.now()
		start, end := optionalDate(in.Start, false), optionalDate(in.End, true)
		if _, err := tx.Exec(ctx, `UPDATE violation_acts SET act_type = ?, right_affected = ?, victim_person_id = ?,
			start_date = ?, start_precision = ?, start_first = ?, end_date = ?, end_precision = ?, end_last = ?,
			description_enc = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			in.ActType, in.RightAffected, nullText(in.VictimPersonID), start[0], start[1], start[2], end[0], end[1],
			end[2], enc, p.UserID, micros(now), actID); err != nil {
			return nil, err
		}
		if err := writeActLists(ctx, tx, actID, in); err != nil {
			return nil, err
		}
		out = in.act(cur, p.UserID, now)
		return actFields(in), nil
	})
	if err != nil {
		return Act{}, err
	}
	return out, nil
}

// DeleteAct deletes act actID of event eventID. Audited as
// violation.act_delete.
func (s *Service) DeleteAct(ctx context.Context, p access.Principal, eventID, actID string) error {
	return s.deletePart(ctx, p, eventID, actID, `DELETE FROM violation_acts WHERE id = ? AND event_id = ?`,
		"violation.act_delete", "act")
}

// deletePart deletes one part of event eventID with query (taking the
// part's id and the event's), answering ErrNotFound when the event has no
// such part.
func (s *Service) deletePart(ctx context.Context, p access.Principal, eventID, partID, query, action, field string) error {
	return s.change(ctx, p, eventID, action, func(tx *store.Tx, r eventRow) ([]string, error) {
		res, err := tx.Exec(ctx, query, partID, r.id)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return nil, ErrNotFound
		}
		return []string{field}, nil
	})
}
