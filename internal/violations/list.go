// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Sort orders an event list.
type Sort string

// Sorts.
const (
	// SortStartDesc puts the latest events first, by when they began (the
	// default).
	SortStartDesc Sort = "start_desc"
	// SortStartAsc puts the earliest first.
	SortStartAsc Sort = "start_asc"
	// SortUpdated puts the last changed first.
	SortUpdated Sort = "updated"
)

// Sorts returns every sort, the default first.
func Sorts() []Sort { return []Sort{SortStartDesc, SortStartAsc, SortUpdated} }

// Filter narrows an event list. Zero fields filter nothing.
type Filter struct {
	// From and To bound the period searched, each a date to any precision
	// ("2024", "2024-03", "2024-03-10"): an event is found when it may
	// have happened on any day of the period, from the first day of From
	// to the last day of To. An event with no end counts as the period of
	// its start.
	From, To string
	// Country is an ISO 3166-1 code in any form.
	Country string
	// ActType is a code of the act_type vocabulary: events with an act of
	// that type or of a narrower one ("20" finds torture, "20.10", too).
	ActType string
	Sort    Sort
}

// List returns a page of the events p may read, filtered, and the cursor
// of the next page ("" after the last), auditing the read of each event's
// title. A principal without violation.read gets ErrForbidden.
func (s *Service) List(ctx context.Context, p access.Principal, f Filter, pg Page) ([]Event, string, error) {
	scope, args, ok := scopeFilter(p, PermRead)
	if !ok {
		return nil, "", ErrForbidden
	}
	where := []string{scope}
	v := &ValidationError{}
	if f.From != "" {
		if d, err := ParseDate(f.From, ""); err != nil {
			v.Add("from", err.(*DateError).Code)
		} else {
			where, args = append(where, "COALESCE(end_last, start_last) >= ?"), append(args, d.First())
		}
	}
	if f.To != "" {
		if d, err := ParseDate(f.To, ""); err != nil {
			v.Add("to", err.(*DateError).Code)
		} else {
			where, args = append(where, "start_first <= ?"), append(args, d.Last())
		}
	}
	if f.Country != "" {
		if c, ok := countries.Lookup(strings.TrimSpace(f.Country)); ok {
			where, args = append(where, "country = ?"), append(args, c.Alpha3)
		} else {
			v.Add("country", CodeUnknownCountry)
		}
	}
	if f.ActType != "" {
		if !s.knownCode(ctx, VocabActType, f.ActType) {
			v.Add("act_type", CodeUnknown)
		} else {
			// Act-type codes are digits, dots and x: nothing LIKE reads
			// as a wildcard.
			where = append(where, `EXISTS (SELECT 1 FROM violation_acts a WHERE a.event_id = e.id
				AND (a.act_type = ? OR a.act_type LIKE ?))`)
			args = append(args, f.ActType, f.ActType+".%")
		}
	}
	if f.Sort == "" {
		f.Sort = SortStartDesc
	}
	if !slices.Contains(Sorts(), f.Sort) {
		v.Add("sort", CodeUnknown)
	}
	key, op, order := "start_first", "<", "DESC"
	switch f.Sort {
	case SortStartAsc:
		op, order = ">", "ASC"
	case SortUpdated:
		key = "updated_at"
	}
	if pg.Cursor != "" {
		after, id, ok := parseCursor(pg.Cursor, f.Sort)
		if !ok {
			v.Add("cursor", CodeInvalid)
		} else {
			where = append(where, "("+key+" "+op+" ? OR ("+key+" = ? AND id "+op+" ?))")
			args = append(args, after, after, id)
		}
	}
	if err := v.OrNil(); err != nil {
		return nil, "", err
	}
	limit := pg.limit()
	args = append(args, limit+1)
	query := `SELECT ` + eventColumns + `, start_first FROM violation_events e WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY ` + key + ` ` + order + `, id ` + order + ` LIMIT ?`
	var out []Event
	var next string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		type row struct {
			eventRow
			first string
		}
		rows, err := store.QueryAll(ctx, tx, func(sc store.Scanner) (row, error) {
			var x row
			err := sc.Scan(&x.id, &x.orgID, &x.ownerID, &x.teamID, &x.keyID, &x.titleEnc, &x.descriptionEnc,
				&x.placeEnc, &x.start.Value, &x.start.Precision, &x.end.Value, &x.end.Precision, &x.country, &x.admin1,
				&x.createdBy, &x.created, &x.updatedBy, &x.updated, &x.first)
			return x, err
		}, query, args...)
		if err != nil {
			return err
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[limit-1]
			if f.Sort == SortUpdated {
				next = strconv.FormatInt(last.updated, 10) + "~" + last.id
			} else {
				next = last.first + "~" + last.id
			}
		}
		evRows := make([]eventRow, len(rows))
		for i, x := range rows {
			evRows[i] = x.eventRow
		}
		out, err = s.summaries(ctx, tx, p, evRows)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// parseCursor reads a cursor of sort: the sort key of the last event shown
// (its first day, or its last change in microseconds) and its id.
func parseCursor(c string, sort Sort) (any, string, bool) {
	key, id, ok := strings.Cut(c, "~")
	if !ok || !ids.Valid(id) {
		return nil, "", false
	}
	if sort == SortUpdated {
		n, err := strconv.ParseInt(key, 10, 64)
		return n, id, err == nil
	}
	d, err := ParseDate(key, PrecisionExact)
	return d.Value, id, err == nil
}

// knownCode reports whether code is a term of vocabulary, retired or not.
func (s *Service) knownCode(ctx context.Context, vocabulary, code string) bool {
	terms, err := s.Terms(ctx, vocabulary)
	return err == nil && slices.ContainsFunc(terms, func(t Term) bool { return t.Code == code })
}

// summaries opens the titles of rows, fills their act types, and audits
// the read of each title, inside tx.
func (s *Service) summaries(ctx context.Context, tx *store.Tx, p access.Principal, rows []eventRow) ([]Event, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	idArgs := make([]any, len(rows))
	for i, r := range rows {
		idArgs[i] = r.id
	}
	types, err := pairs(ctx, tx, `SELECT DISTINCT event_id, act_type, '' FROM violation_acts
		WHERE event_id IN (`+store.Placeholders(len(rows))+`)`, idArgs...)
	if err != nil {
		return nil, err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		if out[i], err = s.summary(ctx, tx, r); err != nil {
			return nil, err
		}
		for _, t := range types[r.id] {
			out[i].ActTypes = append(out[i].ActTypes, t[0])
		}
		slices.SortFunc(out[i].ActTypes, compareCodes)
		if err := s.logEvent(ctx, tx, p, "violation.read", r.id, r.orgID, "title"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// maxCaseEvents bounds the events a case's tab lists.
const maxCaseEvents = 500

// ForCase returns the events p may read that concern case caseID: linked
// to it, or to one of its persons, or with one of them as a victim; latest
// first. p must be able to read the case. The read of each title is
// audited.
func (s *Service) ForCase(ctx context.Context, p access.Principal, caseID string) ([]Event, error) {
	if s.cases == nil {
		return nil, ErrNotFound
	}
	if _, err := s.cases.Reach(ctx, p, caseID, PermCaseRead); err != nil {
		if errors.Is(err, cases.ErrNotFound) || errors.Is(err, cases.ErrForbidden) {
			return nil, ErrNotFound
		}
		return nil, err
	}
	scope, args, ok := scopeFilter(p, PermRead)
	if !ok {
		return nil, ErrForbidden
	}
	args = append(args, caseID, caseID, caseID, maxCaseEvents)
	var out []Event
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rows, err := store.QueryAll(ctx, tx, scanEvent, `SELECT `+eventColumns+` FROM violation_events e WHERE `+scope+`
			AND (EXISTS (SELECT 1 FROM violation_event_cases c WHERE c.event_id = e.id AND c.case_id = ?)
			OR EXISTS (SELECT 1 FROM violation_event_persons l JOIN case_persons cp ON cp.person_id = l.person_id
				WHERE l.event_id = e.id AND cp.case_id = ?)
			OR EXISTS (SELECT 1 FROM violation_acts a JOIN case_persons cp ON cp.person_id = a.victim_person_id
				WHERE a.event_id = e.id AND cp.case_id = ?))
			ORDER BY start_first DESC, id DESC LIMIT ?`, args...)
		if err != nil {
			return err
		}
		out, err = s.summaries(ctx, tx, p, rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
