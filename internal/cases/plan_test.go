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
		{"team, nationality", f.sup1, access.ScopeTeam, cases.Filter{Nationality: "MEX"}, "", "cases_org_nationality_updated"},
		{"team, country", f.sup1, access.ScopeTeam, cases.Filter{Country: "MEX"}, "", "cases_org_country_updated"},
		{"team, admin-1 area", f.sup1, access.ScopeTeam, cases.Filter{Country: "MEX", Admin1: "MX-CHP"}, "", "cases_org_admin1_updated"},
		{"organisation, nationality, page 2", f.sup1, access.ScopeOrg, cases.Filter{Nationality: "MEX"}, page2, "cases_org_nationality_updated"},
		{"team, number", f.sup1, access.ScopeTeam, cases.Filter{Number: "2026-7"}, "", "cases_org_number_key"},
	} {
		t.Run(r.name, func(t *testing.T) {
			q, args, err := cases.ListQuery(r.p, r.scope, r.f, cases.Page{Cursor: r.cursor})
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, e, q, args, r.index)
		})
	}
}

// checkPlan fails unless SQLite's plan for q starts from index and
// neither scans a table nor sorts.
func checkPlan(t *testing.T, e *env, q string, args []any, index string) {
	t.Helper()
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
	if len(plan) == 0 || !strings.Contains(plan[0], "USING INDEX "+index+" ") && !strings.Contains(plan[0], "USING COVERING INDEX "+index+" ") {
		t.Errorf("plan does not start from %s:\n%s", index, strings.Join(plan, "\n"))
	}
	if slices.ContainsFunc(plan, func(l string) bool { return strings.Contains(l, "TEMP B-TREE") || strings.HasPrefix(l, "SCAN ") }) {
		t.Errorf("plan scans or sorts:\n%s", strings.Join(plan, "\n"))
	}
}

// TestSortedListPlansReadOneIndexInOrder checks the other orders as
// TestListPlansReadOneIndexInOrder checks the default one. SortRisk reads
// one level at a time; its first statement is checked.
func TestSortedListPlansReadOneIndexInOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Open(t, storetest.URL(t, "sqlite")))
	f := newScopeFixture(e)
	for _, r := range []struct {
		name  string
		p     access.Principal
		scope access.Scope
		page  cases.Page
		index string
	}{
		{"team, opened", f.sup1, access.ScopeTeam, cases.Page{Sort: cases.SortOpened}, "cases_org_created"},
		{"team, opened, oldest first, page 2", f.sup1, access.ScopeTeam,
			cases.Page{Sort: cases.SortOpened, Ascending: true, Cursor: "o1795424400000000.0123456789abcdefghjkmnpqrs"}, "cases_org_created"},
		{"team, number", f.sup1, access.ScopeTeam, cases.Page{Sort: cases.SortNumber}, "cases_org_number_order"},
		{"team, number, page 2", f.sup1, access.ScopeTeam,
			cases.Page{Sort: cases.SortNumber, Cursor: "n2026-00007.0123456789abcdefghjkmnpqrs"}, "cases_org_number_order"},
		{"team, risk", f.sup1, access.ScopeTeam, cases.Page{Sort: cases.SortRisk}, "cases_org_risk_updated"},
		{"team, risk, page 2", f.sup1, access.ScopeTeam,
			cases.Page{Sort: cases.SortRisk, Cursor: "r3.1795424400000000.0123456789abcdefghjkmnpqrs"}, "cases_org_risk_updated"},
		{"organisation, risk, lowest first", f.sup1, access.ScopeOrg, cases.Page{Sort: cases.SortRisk, Ascending: true}, "cases_org_risk_updated"},
	} {
		t.Run(r.name, func(t *testing.T) {
			q, args, err := cases.ListQuery(r.p, r.scope, cases.Filter{}, r.page)
			if err != nil {
				t.Fatal(err)
			}
			checkPlan(t, e, q, args, r.index)
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

// TestDrivenListPlansLookCasesUpById checks that the lists of a few cases
// picked first (an alert filter's, an identity search's) read those cases
// by id, rather than the whole organisation in order while testing each
// against the few.
func TestDrivenListPlansLookCasesUpById(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Open(t, storetest.URL(t, "sqlite")))
	f := newScopeFixture(e)
	ids := []string{f.c1.ID, f.c2.ID, f.c3.ID}
	byAlert, args1, err := cases.DrivenListQuery(f.sup1, access.ScopeTeam, cases.Filter{Concern: "detention"}, ids)
	if err != nil {
		t.Fatal(err)
	}
	bySearch, args2, err := cases.SearchListQuery(f.sup1, cases.Filter{Status: cases.StatusNew},
		`p.org_id = ? AND p.id IN (SELECT person_id FROM person_index WHERE kind = 'name' AND token = ?)`, []any{f.sup1.OrgID, "x"})
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range map[string]struct {
		sql  string
		args []any
	}{"alert": {byAlert, args1}, "search": {bySearch, args2}} {
		rows, err := e.db.Query(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		_ = rows.Close()
		if !slices.Contains(plan, "SEARCH cases USING INDEX sqlite_autoindex_cases_1 (id=?)") ||
			slices.ContainsFunc(plan, func(l string) bool { return strings.HasPrefix(l, "SCAN cases") || strings.Contains(l, "cases_org") }) {
			t.Errorf("%s: the plan does not look the cases up by id:\n%s", name, strings.Join(plan, "\n"))
		}
	}
}
