// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Event is a documented event. Get fills everything; List and ForCase fill
// the event's own fields and ActTypes, Title being the only sealed one
// they open.
type Event struct {
	ID, OrgID string
	// OwnerID and TeamID ("" for none) place the event for record scope,
	// as a case's owner and team do.
	OwnerID, TeamID string
	// Title, Description and Place are sealed: names of places and people
	// may be in them.
	Title, Description, Place string
	// Start is always known, to some precision; End is zero for an event
	// of one day, month or year, or one still going on.
	Start, End Date
	// Country is ISO 3166-1 alpha-3 and Admin1 the first-level area, ""
	// when not known.
	Country, Admin1 string
	// ActTypes are the distinct types of the event's acts, in code order.
	ActTypes      []string
	Acts          []Act
	Perpetrators  []Perpetrator
	Sources       []Source
	Interventions []Intervention
	Cases         []CaseLink
	Persons       []PersonLink
	CreatedBy     string
	CreatedAt     time.Time
	UpdatedBy     string
	UpdatedAt     time.Time
}

// Record locates the event for scope checks, so that a page can tell which
// forms to offer (the domain decides again on every change).
func (e Event) Record() access.Record {
	return access.Record{OrgID: e.OrgID, OwnerID: e.OwnerID, TeamID: e.TeamID}
}

// Limits on what an event holds.
const (
	maxTitleRunes       = 200
	maxPlaceRunes       = 200
	maxDescriptionRunes = 20000
	maxAdmin1Runes      = 64
)

// eventRow is a violation_events row as stored.
type eventRow struct {
	id, orgID, ownerID, teamID, keyID  string
	titleEnc, descriptionEnc, placeEnc []byte
	start, end                         Date
	country, admin1                    string
	createdBy, updatedBy               string
	created, updated                   int64
}

func (r eventRow) record() access.Record {
	return access.Record{OrgID: r.orgID, OwnerID: r.ownerID, TeamID: r.teamID}
}

// eventColumns is what scanEvent expects. They are unqualified, so that
// the same list serves single-table reads, RETURNING and the list query.
const eventColumns = `id, org_id, owner_id, COALESCE(team_id, ''), COALESCE(data_key_id, ''), title_enc,
	description_enc, place_enc, start_date, start_precision, COALESCE(end_date, ''), COALESCE(end_precision, ''),
	country, admin1, created_by, created_at, updated_by, updated_at`

func scanEvent(sc store.Scanner) (eventRow, error) {
	var r eventRow
	err := sc.Scan(&r.id, &r.orgID, &r.ownerID, &r.teamID, &r.keyID, &r.titleEnc, &r.descriptionEnc, &r.placeEnc,
		&r.start.Value, &r.start.Precision, &r.end.Value, &r.end.Precision, &r.country, &r.admin1, &r.createdBy,
		&r.created, &r.updatedBy, &r.updated)
	return r, err
}

// loadEvent reads event id through q, without locking it.
func loadEvent(ctx context.Context, q store.Queryer, id string) (eventRow, error) {
	r, err := scanEvent(q.QueryRow(ctx, `SELECT `+eventColumns+` FROM violation_events WHERE id = ?`, id))
	return r, notFound(err)
}

// lockEvent reads event id inside tx and holds its row until tx ends (a
// row lock on PostgreSQL; SQLite's write transaction holds the database),
// so that changes to one event and its parts never interleave.
func lockEvent(ctx context.Context, tx *store.Tx, id string) (eventRow, error) {
	r, err := scanEvent(tx.QueryRow(ctx, `UPDATE violation_events SET updated_at = updated_at WHERE id = ?
		RETURNING `+eventColumns, id))
	return r, notFound(err)
}

// allowed answers whether p may exercise perm on r: ErrNotFound when p
// cannot even read it, ErrForbidden when p can read it but not do this.
func allowed(p access.Principal, r eventRow, perm access.Permission) error {
	rec := r.record()
	switch {
	case p.Allows(perm, rec):
		return nil
	case p.Allows(PermRead, rec):
		return ErrForbidden
	default:
		return ErrNotFound
	}
}

// summary is the event of row r with its title opened (the caller audits
// the read).
func (s *Service) summary(ctx context.Context, q store.Queryer, r eventRow) (Event, error) {
	e := Event{ID: r.id, OrgID: r.orgID, OwnerID: r.ownerID, TeamID: r.teamID, Start: r.start, End: r.end,
		Country: r.country, Admin1: r.admin1, CreatedBy: r.createdBy, CreatedAt: fromMicros(r.created),
		UpdatedBy: r.updatedBy, UpdatedAt: fromMicros(r.updated)}
	var err error
	e.Title, err = s.open(ctx, q, r.keyID, "violation_events", "title", r.id, r.titleEnc)
	return e, err
}

// EventInput is an event as recorded.
type EventInput struct {
	Title, Description, Place string
	Start, End                Date
	Country, Admin1           string
	// CaseID, when set on creation, links the event to that case in the
	// same transaction (the page "record an event for this case").
	CaseID string
}

// checkEvent validates an event's fields and returns them normalised.
func checkEvent(v *ValidationError, in EventInput, now time.Time) EventInput {
	in.Title = v.Text("title", in.Title, maxTitleRunes, false)
	if in.Title == "" && !hasField(v, "title") {
		v.Add("title", CodeRequired)
	}
	in.Description = v.Text("description", in.Description, maxDescriptionRunes, true)
	in.Place = v.Text("place", in.Place, maxPlaceRunes, false)
	in.Start, in.End = checkSpan(v, "", in.Start, in.End, true, today(now))
	in.Country, in.Admin1 = checkPlace(v, in.Country, in.Admin1)
	return in
}

// checkPlace checks a country (any ISO 3166-1 form, stored as alpha-3) and
// an admin-1 area, which needs the country.
func checkPlace(v *ValidationError, country, admin1 string) (string, string) {
	country = strings.TrimSpace(country)
	if country != "" {
		c, ok := countries.Lookup(country)
		if ok {
			country = c.Alpha3
		} else {
			v.Add("country", CodeUnknownCountry)
		}
	}
	admin1 = v.Text("admin1", admin1, maxAdmin1Runes, false)
	if admin1 != "" && country == "" {
		v.Add("admin1", CodeNeedsCountry)
	}
	return country, admin1
}

// hasField reports whether v already holds an error for field.
func hasField(v *ValidationError, field string) bool {
	for _, fe := range v.Errors {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// Create records an event in p's organisation, owned by p in p's team,
// under a new data key of its own, and links it to in.CaseID when set
// (p must be able to read that case). Audited as violation.create.
func (s *Service) Create(ctx context.Context, p access.Principal, in EventInput) (Event, error) {
	rec := access.Record{OrgID: p.OrgID, OwnerID: p.UserID, TeamID: p.TeamID}
	if p.OrgID == "" || !p.Allows(PermWrite, rec) {
		return Event{}, ErrForbidden
	}
	v := &ValidationError{}
	in = checkEvent(v, in, s.now())
	in.CaseID = strings.TrimSpace(in.CaseID)
	if in.CaseID != "" {
		if err := s.reachCase(ctx, p, v, "case_id", in.CaseID, p.OrgID); err != nil {
			return Event{}, err
		}
	}
	if err := v.OrNil(); err != nil {
		return Event{}, err
	}
	id := ids.New()
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		keyID, err := s.vault.NewDataKey(ctx, tx, keyPurpose)
		if err != nil {
			return err
		}
		sealed, err := s.sealEvent(ctx, tx, keyID, id, in)
		if err != nil {
			return err
		}
		now := micros(s.now())
		if _, err := tx.Exec(ctx, `INSERT INTO violation_events (id, org_id, owner_id, team_id, data_key_id, title_enc,
			description_enc, place_enc, start_date, start_precision, start_first, start_last, end_date, end_precision,
			end_last, country, admin1, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, p.OrgID, p.UserID, nullText(p.TeamID), keyID, sealed[0], sealed[1], sealed[2],
			in.Start.Value, in.Start.Precision, in.Start.First(), in.Start.Last(), endColumns(in.End)[0],
			endColumns(in.End)[1], endColumns(in.End)[2], in.Country, in.Admin1, p.UserID, now, p.UserID, now); err != nil {
			return err
		}
		fields := eventFields(in)
		if in.CaseID != "" {
			if err := insertCaseLink(ctx, tx, p, id, in.CaseID, now); err != nil {
				return err
			}
			fields = append(fields, "case_id")
		}
		return s.logEvent(ctx, tx, p, "violation.create", id, p.OrgID, fields...)
	})
	if err != nil {
		return Event{}, err
	}
	return s.Get(ctx, p, id)
}

// sealEvent seals an event's title, description and place.
func (s *Service) sealEvent(ctx context.Context, q store.Queryer, keyID, id string, in EventInput) ([3][]byte, error) {
	var out [3][]byte
	for i, f := range []struct{ field, text string }{{"title", in.Title}, {"description", in.Description},
		{"place", in.Place}} {
		b, err := s.seal(ctx, q, keyID, "violation_events", f.field, id, f.text)
		if err != nil {
			return out, err
		}
		out[i] = b
	}
	return out, nil
}

// endColumns are the stored end_date, end_precision and end_last of an
// end date: NULLs for none.
func endColumns(d Date) [3]any {
	if d.IsZero() {
		return [3]any{nil, nil, nil}
	}
	return [3]any{d.Value, string(d.Precision), d.Last()}
}

// eventFields names the fields of an event that hold something, for the
// audit entry of its creation.
func eventFields(in EventInput) []string {
	fields := []string{"title", "start"}
	for _, f := range []struct {
		name string
		set  bool
	}{{"description", in.Description != ""}, {"place", in.Place != ""}, {"end", !in.End.IsZero()},
		{"country", in.Country != ""}, {"admin1", in.Admin1 != ""}} {
		if f.set {
			fields = append(fields, f.name)
		}
	}
	return fields
}

// EventChanges are the fields Update may change; nil leaves a field as
// it is. End pointing to the zero Date removes the end.
type EventChanges struct {
	Title, Description, Place *string
	Start, End                *Date
	Country, Admin1           *string
}

// Update changes an event's own fields. The audit entry (violation.update)
// names the fields given.
func (s *Service) Update(ctx context.Context, p access.Principal, id string, ch EventChanges) (Event, error) {
	err := s.change(ctx, p, id, "violation.update", func(tx *store.Tx, r eventRow) ([]string, error) {
		cur, err := s.openEvent(ctx, tx, r)
		if err != nil {
			return nil, err
		}
		in := EventInput{Title: cur.Title, Description: cur.Description, Place: cur.Place, Start: r.start, End: r.end,
			Country: r.country, Admin1: r.admin1}
		var fields []string
		set := func(name string, dst *string, src *string) {
			if src != nil {
				*dst = *src
				fields = append(fields, name)
			}
		}
		set("title", &in.Title, ch.Title)
		set("description", &in.Description, ch.Description)
		set("place", &in.Place, ch.Place)
		set("country", &in.Country, ch.Country)
		set("admin1", &in.Admin1, ch.Admin1)
		if ch.Start != nil {
			in.Start, fields = *ch.Start, append(fields, "start")
		}
		if ch.End != nil {
			in.End, fields = *ch.End, append(fields, "end")
		}
		v := &ValidationError{}
		in = checkEvent(v, in, s.now())
		if err := v.OrNil(); err != nil {
			return nil, err
		}
		sealed, err := s.sealEvent(ctx, tx, r.keyID, r.id, in)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `UPDATE violation_events SET title_enc = ?, description_enc = ?, place_enc = ?,
			start_date = ?, start_precision = ?, start_first = ?, start_last = ?, end_date = ?, end_precision = ?,
			end_last = ?, country = ?, admin1 = ? WHERE id = ?`,
			sealed[0], sealed[1], sealed[2], in.Start.Value, in.Start.Precision, in.Start.First(), in.Start.Last(),
			endColumns(in.End)[0], endColumns(in.End)[1], endColumns(in.End)[2], in.Country, in.Admin1, r.id)
		return fields, err
	})
	if err != nil {
		return Event{}, err
	}
	return s.Get(ctx, p, id)
}

// openEvent opens the sealed fields of row r.
func (s *Service) openEvent(ctx context.Context, q store.Queryer, r eventRow) (Event, error) {
	e, err := s.summary(ctx, q, r)
	if err != nil {
		return Event{}, err
	}
	if e.Description, err = s.open(ctx, q, r.keyID, "violation_events", "description", r.id, r.descriptionEnc); err != nil {
		return Event{}, err
	}
	e.Place, err = s.open(ctx, q, r.keyID, "violation_events", "place", r.id, r.placeEnc)
	return e, err
}

// change locks event id, checks that p may write it, runs fn, marks the
// event changed by p now and audits action naming the fields fn returns,
// all in one transaction.
func (s *Service) change(ctx context.Context, p access.Principal, id, action string,
	fn func(tx *store.Tx, r eventRow) ([]string, error)) error {
	if !ids.Valid(id) {
		return ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := allowed(p, r, PermWrite); err != nil {
			return err
		}
		fields, err := fn(tx, r)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE violation_events SET updated_by = ?, updated_at = ? WHERE id = ?`,
			p.UserID, micros(s.now()), id); err != nil {
			return err
		}
		return s.logEvent(ctx, tx, p, action, id, r.orgID, fields...)
	})
}

// Delete deletes an event with everything it holds and destroys its data
// key, so that no copy of its sealed content (backups included) can be
// read again. Audited as violation.delete. After the commit the database
// is checkpointed so the key's bytes also leave SQLite's log; an error
// from that step means the deletion is committed but the bytes may stay
// there until the next checkpoint.
func (s *Service) Delete(ctx context.Context, p access.Principal, id string) error {
	if !ids.Valid(id) {
		return ErrNotFound
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := allowed(p, r, PermWrite); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM violation_events WHERE id = ?`, id); err != nil {
			return err
		}
		if r.keyID != "" {
			if err := s.vault.EraseKey(ctx, tx, r.keyID); err != nil {
				return err
			}
		}
		return s.logEvent(ctx, tx, p, "violation.delete", id, r.orgID, "event", "data_key")
	})
	if err != nil {
		return err
	}
	return s.vault.Checkpoint(ctx)
}
