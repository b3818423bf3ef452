// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
)

// ListQuery returns the first statement of a List page (for SortRisk,
// that of the first level read), for tests that check its plan.
func ListQuery(p access.Principal, scope access.Scope, f Filter, page Page) (string, []any, error) {
	q, err := buildList(p, scope, f, page, nil)
	if err != nil || q == nil {
		return "", nil, err
	}
	var level *Risk
	if q.sort == SortRisk {
		level = new(RiskCritical)
		if q.asc {
			level = new(RiskUnassessed)
		}
	}
	s, args := q.statement(driver{}, nil, nil, level, q.after, q.limit+1)
	return s, args, nil
}

// ListAt is List for a principal holding case.read at scope: no shipped
// role holds it at organisation or all scope yet, but the query must be
// right when one does.
func (s *Service) ListAt(ctx context.Context, p access.Principal, scope access.Scope, f Filter, page Page) ([]Case, string, error) {
	return s.list(ctx, p, scope, f, page)
}

// DrivenListQuery returns the statement of a List page of the cases
// caseIDs, as an alert filter drives it, for tests that check its plan.
func DrivenListQuery(p access.Principal, scope access.Scope, f Filter, caseIDs []string) (string, []any, error) {
	q, err := buildList(p, scope, f, Page{}, nil)
	if err != nil || q == nil {
		return "", nil, err
	}
	s, args := q.statement(valuesDriver(caseIDs), nil, nil, nil, nil, q.limit+1)
	return s, args, nil
}

// SearchListQuery returns the statement of a Search page for the persons
// matching cond (over persons aliased p) with args.
func SearchListQuery(p access.Principal, f Filter, cond string, args []any) (string, []any, error) {
	q, err := buildList(p, p.Scope(PermRead), f, Page{}, nil)
	if err != nil || q == nil {
		return "", nil, err
	}
	q.driver = identityDriver(cond, args)
	s, all := q.statement(q.driver, nil, nil, nil, nil, q.limit+1)
	return s, all, nil
}
