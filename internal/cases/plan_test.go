// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// TestListPlansReadOneIndexInOrder checks, on SQLite (which plans without
// statistics, as Amparo runs it), that the first page of every common list
// is read from an index in list order: no full scan of cases and no sort,
// so its cost stays flat as cases grow (the target is p95 ≤ 100 ms
// at 1,000,000 cases). PostgreSQL plans from statistics; its plans were
// checked by hand at 200,000 cases.
func TestListPlansReadOneIndexInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Open(t, storetest.URL(t, "sqlite")))
	f := newScopeFixture(e)
	high := cases.RiskHigh
	page2 := "1795424400000000.0123456789abcdefghjkmnpqrs"
	for _, r := range []struct {
		name   string
		p      access.Principal
		scope  access.Scope
		f      cases.Filter
		cursor string
		index  string
	}{
		{"own", f.cw1, access.ScopeOwn, cases.Filter{}, "", "cases_owner_updated"},
		{"own, status", f.cw1, access.ScopeOwn, cases.Filter{Status: cases.StatusNew}, "", "cases_owner_updated"},
		{"own, concern", f.cw1, access.ScopeOwn, cases.Filter{Concern: "detention"}, "", "cases_owner_updated"},
		{"own, page 2", f.cw1, access.ScopeOwn, cases.Filter{}, page2, "cases_owner_updated"},
		{"team", f.sup1, access.ScopeTeam, cases.Filter{}, "", "cases_org_updated"},
		{"team, status", f.sup1, access.ScopeTeam, cases.Filter{Status: cases.StatusNew}, "", "cases_org_status_updated"},
		{"team, concern", f.sup1, access.ScopeTeam, cases.Filter{Concern: "detention"}, "", "case_concerns_org_updated"},
		{"team, owner", f.sup1, access.ScopeTeam, cases.Filter{OwnerID: f.cw1.UserID}, "", "cases_owner_updated"},
		{"organisation", f.sup1, access.ScopeOrg, cases.Filter{}, "", "cases_org_updated"},
		{"organisation, status", f.sup1, access.ScopeOrg, cases.Filter{Status: cases.StatusNew}, "", "cases_org_status_updated"},
		{"organisation, status, page 2", f.sup1, access.ScopeOrg, cases.Filter{Status: cases.StatusNew}, page2, "cases_org_status_updated"},
		{"organisation, risk", f.sup1, access.ScopeOrg, cases.Filter{Risk: &high}, "", "cases_org_risk_updated"},
		{"organisation, concern", f.sup1, access.ScopeOrg, cases.Filter{Concern: "detention"}, "", "case_concerns_org_updated"},
		{"organisation, concern and status, page 2", f.sup1, access.ScopeOrg,
			cases.Filter{Concern: "detention", Status: cases.StatusNew}, page2, "case_concerns_org_updated"},
		{"organisation, owner", f.sup1, access.ScopeOrg, cases.Filter{OwnerID: f.cw1.UserID}, "", "cases_owner_updated"},
		{"organisation, team", f.sup1, access.ScopeOrg, cases.Filter{TeamID: f.team1}, "", "cases_team_updated"},
	} {
		t.Run(r.name, func(t *testing.T) {
			q, args, err := cases.ListQuery(r.p, r.scope, r.f, cases.Page{Cursor: r.cursor})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := e.db.Query(ctx, "EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			if len(plan) == 0 || !strings.Contains(plan[0], "USING INDEX "+r.index+" ") && !strings.Contains(plan[0], "USING COVERING INDEX "+r.index+" ") {
				t.Errorf("plan does not start from %s:\n%s", r.index, strings.Join(plan, "\n"))
			}
			if slices.ContainsFunc(plan, func(l string) bool { return strings.Contains(l, "TEMP B-TREE") || strings.HasPrefix(l, "SCAN ") }) {
				t.Errorf("plan scans or sorts:\n%s", strings.Join(plan, "\n"))
			}
		})
	}
}

func TestListAtOrganisationAndAllScopes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		elsewhere := e.create(f.outsider, cases.NewCase{Concerns: []cases.Concern{"detention"}})
		for _, r := range []struct {
			name  string
			scope access.Scope
			f     cases.Filter
			want  []cases.Case
		}{
			{"organisation", access.ScopeOrg, cases.Filter{}, []cases.Case{f.c3, f.c2, f.c1}},
			{"organisation, concern", access.ScopeOrg, cases.Filter{Concern: "detention"}, []cases.Case{f.c3, f.c2}},
			{"organisation, team", access.ScopeOrg, cases.Filter{TeamID: f.team1}, []cases.Case{f.c2, f.c1}},
			{"organisation, owner and concern", access.ScopeOrg, cases.Filter{OwnerID: f.cw2.UserID, Concern: "detention"}, []cases.Case{f.c2}},
			{"all", access.ScopeAll, cases.Filter{}, []cases.Case{elsewhere, f.c3, f.c2, f.c1}},
			{"all, concern", access.ScopeAll, cases.Filter{Concern: "detention"}, []cases.Case{elsewhere, f.c3, f.c2}},
		} {
			t.Run(r.name, func(t *testing.T) {
				var got []cases.Case
				page := cases.Page{Limit: 1}
				for {
					list, next, err := e.svc.ListAt(ctx, f.sup1, r.scope, r.f, page)
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, list...)
					if next == "" {
						break
					}
					page.Cursor = next
				}
				if !slices.Equal(caseIDs(got), caseIDs(r.want)) {
					t.Errorf("ListAt = %v, want %v", caseIDs(got), caseIDs(r.want))
				}
			})
		}
		// A principal of no organisation below all scope sees nothing.
		if list, _, err := e.svc.ListAt(ctx, access.Principal{UserID: f.sup1.UserID, Role: access.RoleSupervisor}, access.ScopeOrg,
			cases.Filter{}, cases.Page{}); err != nil || len(list) != 0 {
			t.Errorf("no organisation: %v %v", caseIDs(list), err)
		}
	})
}
