// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"cmp"
	"context"
	"slices"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/store"
)

// openCases counts organisation orgID's open cases by risk, by owner, and
// by concern and risk (those with no concern under NoConcern). Two grouped
// reads, each driven by the organisation's cases through an index that
// leads with it, so that no other organisation's rows are touched: the
// first reads each open case's owner and risk; the second joins each open
// case to its concerns through their key (case_id, concern), which holds
// the concern itself, rather than starting from the concerns, whose
// organisation index (case_concerns_org_updated) would then need each
// case's row looked up by id twice over. The caseload is returned without
// names, unordered.
func (s *Service) openCases(ctx context.Context, orgID string) (OpenCases, []WorkerCount, error) {
	var out OpenCases
	type ownerRow struct {
		owner, risk string
		n           int
	}
	owners, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (ownerRow, error) {
		var r ownerRow
		return r, sc.Scan(&r.owner, &r.risk, &r.n)
	}, `SELECT owner_id, risk, COUNT(*) FROM cases WHERE org_id = ? AND status <> ? GROUP BY owner_id, risk`,
		orgID, string(cases.StatusClosed))
	if err != nil {
		return out, nil, err
	}
	byOwner := map[string]int{}
	for _, r := range owners {
		out.All.add(cases.Risk(r.risk), r.n)
		byOwner[r.owner] += r.n
	}
	caseload := make([]WorkerCount, 0, len(byOwner))
	for id, n := range byOwner {
		caseload = append(caseload, WorkerCount{Worker: Worker{UserID: id}, Count: n})
	}

	type concernRow struct {
		concern, risk string
		n             int
	}
	concerns, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (concernRow, error) {
		var r concernRow
		return r, sc.Scan(&r.concern, &r.risk, &r.n)
	}, `SELECT COALESCE(cc.concern, ?), c.risk, COUNT(*)
		FROM cases c LEFT JOIN case_concerns cc ON cc.case_id = c.id
		WHERE c.org_id = ? AND c.status <> ?
		GROUP BY cc.concern, c.risk`, NoConcern, orgID, string(cases.StatusClosed))
	if err != nil {
		return out, nil, err
	}
	rows := map[cases.Concern]*ConcernRow{}
	for _, r := range concerns {
		c := cases.Concern(r.concern)
		if rows[c] == nil {
			rows[c] = &ConcernRow{Concern: c}
		}
		rows[c].ByRisk.add(cases.Risk(r.risk), r.n)
	}
	for _, row := range rows {
		out.Concerns = append(out.Concerns, *row)
	}
	slices.SortFunc(out.Concerns, func(a, b ConcernRow) int {
		return cmp.Or(cmp.Compare(concernOrder(a.Concern), concernOrder(b.Concern)), cmp.Compare(a.Concern, b.Concern))
	})
	return out, caseload, nil
}

// concernOrder is c's place in the vocabulary; a code that is not (any
// longer) in it comes after every one that is, and NoConcern last.
func concernOrder(c cases.Concern) int {
	if c == NoConcern {
		return len(cases.Concerns) + 1
	}
	if i := slices.IndexFunc(cases.Concerns, func(ci cases.ConcernInfo) bool { return ci.Code == c }); i >= 0 {
		return i
	}
	return len(cases.Concerns)
}
