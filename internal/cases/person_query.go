// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// PersonLink is a person linked to a case. The person's identity lives in
// internal/persons; a link holds only ids and codes.
type PersonLink struct {
	PersonID  string
	Role      PersonRole
	Relation  Relation // to the principal; "" for the principal
	CreatedBy string
	CreatedAt time.Time
}

// PersonLinkInput links a person to a case.
type PersonLinkInput struct {
	PersonID string
	Role     PersonRole
	Relation Relation
}

// checkLinkInputs validates links given together: each on its own, no
// person twice, at most one principal.
func checkLinkInputs(v *ValidationError, in []PersonLinkInput) {
	seen := map[string]bool{}
	principals := 0
	for i, l := range in {
		prefix := fmt.Sprintf("persons.%d.", i)
		switch {
		case l.PersonID == "":
			v.Add(prefix+"person_id", CodeRequired)
		case !ids.Valid(l.PersonID):
			v.Add(prefix+"person_id", CodeNotFound)
		case seen[l.PersonID]:
			v.Add(prefix+"person_id", CodeDuplicate)
		}
		seen[l.PersonID] = true
		if field, code := checkLink(l.Role, l.Relation); field != "" {
			v.Add(prefix+field, code)
		}
		if l.Role == RolePrincipal {
			if principals++; principals > 1 {
				v.Add(prefix+"role", CodePrincipalExists)
			}
		}
	}
}

// personInOrg checks that person personID is a person of organisation
// orgID, adding field to v when not. A person of another organisation
// answers "not found" like a person that does not exist.
func personInOrg(ctx context.Context, q store.Queryer, v *ValidationError, field, orgID, personID string) error {
	var n int
	if err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM persons WHERE id = ? AND org_id = ?`, personID, orgID), &n); err != nil {
		return err
	}
	if n == 0 {
		v.Add(field, CodeNotFound)
	}
	return nil
}

func insertLink(ctx context.Context, tx *store.Tx, p access.Principal, caseID string, l PersonLinkInput, now time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO case_persons (case_id, person_id, role, relation, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, caseID, l.PersonID, l.Role, l.Relation, p.UserID, micros(now))
	if errors.Is(err, store.ErrConflict) {
		return invalid("role", CodePrincipalExists)
	}
	if err != nil {
		return err
	}
	return copyPrincipalOf(ctx, tx, caseID)
}

const linkColumns = `person_id, role, relation, created_by, created_at`

func scanLink(sc store.Scanner) (PersonLink, error) {
	var l PersonLink
	var created int64
	err := sc.Scan(&l.PersonID, &l.Role, &l.Relation, &l.CreatedBy, &created)
	l.CreatedAt = fromMicros(created)
	return l, err
}

// linksOf returns the persons linked to a case: the principal first, then
// family, then group members, each by when they were linked.
func linksOf(ctx context.Context, q store.Queryer, caseID string) ([]PersonLink, error) {
	return store.QueryAll(ctx, q, scanLink, `SELECT `+linkColumns+` FROM case_persons WHERE case_id = ?
		ORDER BY CASE role WHEN 'principal' THEN 0 WHEN 'family_member' THEN 1 ELSE 2 END, created_at, person_id`, caseID)
}

// LinkPerson links a person of the case's organisation to case caseID, or
// changes the role and relation of one already linked. A case has at most
// one principal.
func (s *Service) LinkPerson(ctx context.Context, p access.Principal, caseID string, in PersonLinkInput) (Case, error) {
	v := &ValidationError{}
	switch {
	case in.PersonID == "":
		v.Add("person_id", CodeRequired)
	case !ids.Valid(in.PersonID):
		v.Add("person_id", CodeNotFound)
	}
	if field, code := checkLink(in.Role, in.Relation); field != "" {
		v.Add(field, code)
	}
	if err := v.OrNil(); err != nil {
		return Case{}, err
	}
	return s.write(ctx, p, caseID, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		if err := personInOrg(ctx, tx, v, "person_id", c.OrgID, in.PersonID); err != nil {
			return "", nil, err
		}
		if err := v.OrNil(); err != nil {
			return "", nil, err
		}
		old, err := scanLink(tx.QueryRow(ctx, `SELECT `+linkColumns+` FROM case_persons WHERE case_id = ? AND person_id = ?`,
			caseID, in.PersonID))
		switch err = notFound(err); {
		case errors.Is(err, ErrNotFound):
			if err := insertLink(ctx, tx, p, caseID, in, s.now()); err != nil {
				return "", nil, err
			}
			return "case.person_link", []string{"person", "person.role", "person.relation"}, nil
		case err != nil:
			return "", nil, err
		}
		var fields []string
		if old.Role != in.Role {
			fields = append(fields, "person.role")
		}
		if old.Relation != in.Relation {
			fields = append(fields, "person.relation")
		}
		if len(fields) == 0 {
			return "", nil, nil
		}
		_, err = tx.Exec(ctx, `UPDATE case_persons SET role = ?, relation = ? WHERE case_id = ? AND person_id = ?`,
			in.Role, in.Relation, caseID, in.PersonID)
		if errors.Is(err, store.ErrConflict) {
			return "", nil, invalid("role", CodePrincipalExists)
		}
		if err != nil {
			return "", nil, err
		}
		if err := copyPrincipalOf(ctx, tx, caseID); err != nil {
			return "", nil, err
		}
		return "case.person_link", fields, nil
	})
}

// UnlinkPerson removes a person from case caseID. The person record stays.
func (s *Service) UnlinkPerson(ctx context.Context, p access.Principal, caseID, personID string) (Case, error) {
	if !ids.Valid(personID) {
		return Case{}, ErrNotFound
	}
	return s.write(ctx, p, caseID, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		res, err := tx.Exec(ctx, `DELETE FROM case_persons WHERE case_id = ? AND person_id = ?`, caseID, personID)
		if err != nil {
			return "", nil, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return "", nil, ErrNotFound
		}
		if err := copyPrincipalOf(ctx, tx, caseID); err != nil {
			return "", nil, err
		}
		return "case.person_unlink", []string{"person"}, nil
	})
}
