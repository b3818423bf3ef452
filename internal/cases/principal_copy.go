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
// that the nationality and location filters read (migration 0009): ”
// where the case has no principal.
const copyPrincipal = `UPDATE cases SET
	principal_nationality = COALESCE((SELECT p.nationality FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal'), ''),
	principal_country = COALESCE((SELECT p.current_country FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal'), ''),
	principal_admin1 = COALESCE((SELECT p.current_admin1 FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE cp.case_id = cases.id AND cp.role = 'principal'), '')
	WHERE `

// copyPrincipalOf copies the principal's attributes onto case caseID
// inside tx, after its principal link changed.
func copyPrincipalOf(ctx context.Context, tx store.Queryer, caseID string) error {
	_, err := tx.Exec(ctx, copyPrincipal+`id = ?`, caseID)
	return err
}

// CopyPrincipalAttributes copies the clear attributes of person personID
// onto the cases whose principal it is. Whoever changes a person's
// nationality, current country or admin-1 area calls it in the same
// transaction (internal/persons does), so that case lists filtered by them
// stay true.
func CopyPrincipalAttributes(ctx context.Context, tx store.Queryer, personID string) error {
	_, err := tx.Exec(ctx, copyPrincipal+`id IN (SELECT case_id FROM case_persons WHERE person_id = ? AND role = 'principal')`,
		personID)
	return err
}
