// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
)

// CaseLink is a case an event concerns.
type CaseLink struct {
	CaseID    string
	CreatedBy string
	CreatedAt time.Time
}

// PersonLink is a person an event concerns, with their role in it (a code
// of the person_role vocabulary).
type PersonLink struct {
	PersonID, Role string
	CreatedBy      string
	CreatedAt      time.Time
}

func caseLinks(ctx context.Context, q store.Queryer, eventID string) ([]CaseLink, error) {
	return store.QueryAll(ctx, q, func(sc store.Scanner) (CaseLink, error) {
		var l CaseLink
		var at int64
		err := sc.Scan(&l.CaseID, &l.CreatedBy, &at)
		l.CreatedAt = fromMicros(at)
		return l, err
	}, `SELECT case_id, created_by, created_at FROM violation_event_cases WHERE event_id = ? ORDER BY created_at, case_id`,
		eventID)
}

func personLinks(ctx context.Context, q store.Queryer, eventID string) ([]PersonLink, error) {
	return store.QueryAll(ctx, q, func(sc store.Scanner) (PersonLink, error) {
		var l PersonLink
		var at int64
		err := sc.Scan(&l.PersonID, &l.Role, &l.CreatedBy, &at)
		l.CreatedAt = fromMicros(at)
		return l, err
	}, `SELECT person_id, role, created_by, created_at FROM violation_event_persons WHERE event_id = ?
		ORDER BY created_at, person_id`, eventID)
}

// reachCase adds a field error unless p may read case caseID and it is of
// organisation orgID; a case out of reach and one that does not exist
// look alike.
func (s *Service) reachCase(ctx context.Context, p access.Principal, v *ValidationError, field, caseID, orgID string) error {
	if s.cases == nil {
		v.Add(field, CodeNotFound)
		return nil
	}
	rec, err := s.cases.Reach(ctx, p, caseID, PermCaseRead)
	switch {
	case errors.Is(err, cases.ErrNotFound), errors.Is(err, cases.ErrForbidden):
		v.Add(field, CodeNotFound)
	case err != nil:
		return err
	case rec.OrgID != orgID:
		v.Add(field, CodeNotFound)
	}
	return nil
}

// reachPerson adds a field error unless p may read person personID, who is
// of organisation orgID and not erased.
func (s *Service) reachPerson(ctx context.Context, p access.Principal, v *ValidationError, field, personID, orgID string) error {
	if s.persons == nil {
		v.Add(field, CodeNotFound)
		return nil
	}
	sum, err := s.persons.Reach(ctx, p, personID, PermPersonRead)
	switch {
	case errors.Is(err, persons.ErrNotFound), errors.Is(err, persons.ErrForbidden):
		v.Add(field, CodeNotFound)
	case err != nil:
		return err
	case sum.OrgID != orgID || sum.Erased:
		v.Add(field, CodeNotFound)
	}
	return nil
}

// insertCaseLink links case caseID to event eventID; a link already there
// is a field error.
func insertCaseLink(ctx context.Context, tx *store.Tx, p access.Principal, eventID, caseID string, now int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO violation_event_cases (event_id, case_id, created_by, created_at) VALUES (?, ?, ?, ?)`,
		eventID, caseID, p.UserID, now)
	if errors.Is(err, store.ErrConflict) {
		return invalid("case_id", CodeDuplicate)
	}
	return err
}

// LinkCase links case caseID, which p must be able to read, to event
// eventID. Audited as violation.case_link.
func (s *Service) LinkCase(ctx context.Context, p access.Principal, eventID, caseID string) error {
	return s.change(ctx, p, eventID, "violation.case_link", func(tx *store.Tx, r eventRow) ([]string, error) {
		v := &ValidationError{}
		if caseID == "" {
			v.Add("case_id", CodeRequired)
		} else if err := s.reachCase(ctx, p, v, "case_id", caseID, r.orgID); err != nil {
			return nil, err
		}
		if err := v.OrNil(); err != nil {
			return nil, err
		}
		return []string{"case_id"}, insertCaseLink(ctx, tx, p, r.id, caseID, micros(s.now()))
	})
}

// UnlinkCase removes the link of event eventID to case caseID. Audited as
// violation.case_unlink.
func (s *Service) UnlinkCase(ctx context.Context, p access.Principal, eventID, caseID string) error {
	return s.deletePart(ctx, p, eventID, caseID, `DELETE FROM violation_event_cases WHERE case_id = ? AND event_id = ?`,
		"violation.case_unlink", "case_id")
}

// LinkPerson links person personID, whom p must be able to read, to event
// eventID in a role. Audited as violation.person_link.
func (s *Service) LinkPerson(ctx context.Context, p access.Principal, eventID, personID, role string) error {
	return s.change(ctx, p, eventID, "violation.person_link", func(tx *store.Tx, r eventRow) ([]string, error) {
		v := &ValidationError{}
		var err error
		if role, err = checkCode(ctx, tx, v, "role", VocabPersonRole, role, "", true); err != nil {
			return nil, err
		}
		if personID == "" {
			v.Add("person_id", CodeRequired)
		} else if err := s.reachPerson(ctx, p, v, "person_id", personID, r.orgID); err != nil {
			return nil, err
		}
		if err := v.OrNil(); err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO violation_event_persons (event_id, person_id, role, created_by, created_at)
			VALUES (?, ?, ?, ?, ?)`, r.id, personID, role, p.UserID, micros(s.now()))
		if errors.Is(err, store.ErrConflict) {
			return nil, invalid("person_id", CodeDuplicate)
		}
		return []string{"person_id", "role"}, err
	})
}

// UnlinkPerson removes the link of event eventID to person personID.
// Audited as violation.person_unlink.
func (s *Service) UnlinkPerson(ctx context.Context, p access.Principal, eventID, personID string) error {
	return s.deletePart(ctx, p, eventID, personID, `DELETE FROM violation_event_persons WHERE person_id = ? AND event_id = ?`,
		"violation.person_unlink", "person_id")
}
