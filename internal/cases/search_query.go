// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
)

// IdentityMatcher turns identity criteria into a condition on persons, for
// Search; persons.Service implements it, so that how names, documents and
// phones are normalised and blind-indexed stays in one place.
type IdentityMatcher interface {
	// MatchIdentity returns a SQL condition over persons aliased p that
	// selects the persons pr may read whose identity matches: every word
	// of name among their names and aliases, the document number, the
	// phone (each left out when ""), with its arguments and the names of
	// the criteria used, for the audit entry. It returns a ValidationError
	// naming a criterion that can match nothing, or none given, and an
	// error for a principal who may read no person.
	MatchIdentity(pr access.Principal, name, documentNumber, phone string) (cond string, args []any, fields []string, err error)
}

// Identity is what Search looks for in the persons linked to a case. It
// is personal data: it travels in request bodies, never in URLs, and is
// neither stored nor logged nor audited, only the names of its criteria.
type Identity struct {
	Name           string
	DocumentNumber string
	Phone          string
}

// Search returns the cases p may read that match f and have a linked
// person (principal, family or group member) p may read whose identity
// matches id, in page's order, a page at a time, with the cursor of the
// next page. Every search is audited as case.search, naming the criteria
// used, never their values, and the case found when it found exactly one.
// A filter or criterion that cannot match anything gives one
// ValidationError naming them all.
func (s *Service) Search(ctx context.Context, p access.Principal, id Identity, f Filter, page Page) ([]Case, string, error) {
	if s.identities == nil || !p.Can(PermRead) {
		return nil, "", ErrForbidden
	}
	cond, args, fields, matchErr := s.identities.MatchIdentity(p, id.Name, id.DocumentNumber, id.Phone)
	lq, err := buildList(p, p.Scope(PermRead), f, page, s.AlertKinds())
	if err = joinValidation(err, matchErr); err != nil || lq == nil {
		return nil, "", err
	}
	lq.driver = identityDriver(cond, args)
	if err := s.limitToAlert(ctx, p, lq, f.Alert); err != nil {
		return nil, "", err
	}
	var out []Case
	var next string
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if out, next, err = lq.run(ctx, tx); err != nil {
			return err
		}
		found := ""
		if len(out) == 1 && next == "" {
			found = out[0].ID
		}
		return s.log(ctx, tx, p, "case.search", found, p.OrgID, fields...)
	})
	if err != nil {
		return nil, "", err
	}
	return out, next, nil
}

// identityDriver drives a list by the cases linked to the persons cond
// (over persons aliased p) selects.
func identityDriver(cond string, args []any) driver {
	return driver{table: `(SELECT DISTINCT cp.case_id AS case_id FROM case_persons cp JOIN persons p ON p.id = cp.person_id
		WHERE ` + cond + `)`, args: args}
}

// joinValidation returns the first of a and b that is not a
// ValidationError, else one ValidationError holding the field errors of
// both, else nil.
func joinValidation(a, b error) error {
	var va, vb *ValidationError
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case !errors.As(a, &va):
		return a
	case !errors.As(b, &vb):
		return b
	}
	return &ValidationError{Errors: append(append([]FieldError(nil), va.Errors...), vb.Errors...)}
}
