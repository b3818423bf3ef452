// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/store"
)

// PrincipalPlace is the clear, non-identifying attributes of a case's
// principal person that case lists show and filter on: nationality and
// current country (ISO 3166-1 alpha-3) and current admin-1 area, each ""
// when unknown.
type PrincipalPlace struct {
	Nationality, Country, Admin1 string
}

// copyPrincipal sets, on the cases its WHERE clause (appended by the
// caller) chooses, the copies of their principal person's clear attributes
// that the nationality and location filters read (migration 0009) and the
// statistics group by (migration 0011): ” and 'unknown' (NULL for the year
// of birth) where the case has no principal.
const copyPrincipal = `UPDATE cases SET
	principal_nationality = COALESCE((SELECT p.nationality FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal'), ''),
	principal_country = COALESCE((SELECT p.current_country FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal'), ''),
	principal_admin1 = COALESCE((SELECT p.current_admin1 FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal'), ''),
	principal_sex = COALESCE((SELECT p.sex FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal'), 'unknown'),
	principal_birth_year = (SELECT p.birth_year FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal')
	WHERE `

// copyToConcerns sets, on the concerns its WHERE clause (appended by the
// caller) chooses, the copies of their case's opening time and principal's
// attributes that the statistics of concerns read (migration 0011). It
// follows every copyPrincipal, and insertConcerns writes the same copies.
const copyToConcerns = `UPDATE case_concerns SET
	case_created_at = (SELECT c.created_at FROM cases c WHERE c.id = case_concerns.case_id),
	case_nationality = (SELECT c.principal_nationality FROM cases c WHERE c.id = case_concerns.case_id),
	case_country = (SELECT c.principal_country FROM cases c WHERE c.id = case_concerns.case_id),
	case_sex = (SELECT c.principal_sex FROM cases c WHERE c.id = case_concerns.case_id),
	case_birth_year = (SELECT c.principal_birth_year FROM cases c WHERE c.id = case_concerns.case_id)
	WHERE `

// copyPrincipalOf copies the principal's attributes onto case caseID
// inside tx, after its principal link changed.
func copyPrincipalOf(ctx context.Context, tx store.Queryer, caseID string) error {
	if _, err := tx.Exec(ctx, copyPrincipal+`id = ?`, caseID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, copyToConcerns+`case_id = ?`, caseID)
	return err
}

// CopyPrincipalAttributes copies the clear attributes of person personID
// onto the cases whose principal it is. Whoever changes a person's
// nationality, current country, admin-1 area, sex or year of birth calls
// it in the same transaction (internal/persons does), so that case lists
// filtered by them and statistics grouped by them stay true.
func CopyPrincipalAttributes(ctx context.Context, tx store.Queryer, personID string) error {
	const principalOf = `(SELECT case_id FROM case_persons WHERE person_id = ? AND role = 'principal')`
	if _, err := tx.Exec(ctx, copyPrincipal+`id IN `+principalOf, personID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, copyToConcerns+`case_id IN `+principalOf, personID)
	return err
}
