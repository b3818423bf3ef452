// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/tabular"
	"github.com/amparo-project/amparo/internal/testutil"
)

// dashboardWorld is organisation A, whose caseworker holds a child in
// immigration detention on a high-risk detention case with an overdue
// task, with a supervisor of the same team, an administrator, a viewer and
// an analyst; and organisation B's administrator.
type dashboardWorld struct {
	cw, sup, adm, viewer, analyst, admB testutil.User
	kase                                cases.Case
}

func newDashboardWorld(t *testing.T, a *testutil.App) dashboardWorld {
	t.Helper()
	ctx := context.Background()
	org, orgB := a.Org("A"), a.Org("B")
	team, err := a.Accounts.CreateTeam(ctx, access.System, org.ID, "North")
	if err != nil {
		t.Fatal(err)
	}
	w := dashboardWorld{cw: a.NewUser(org.ID, access.RoleCaseworker, team.ID), sup: a.NewUser(org.ID, access.RoleSupervisor, team.ID),
		adm: a.NewUser(org.ID, access.RoleOrgAdmin, ""), viewer: a.NewUser(org.ID, access.RoleViewer, ""),
		analyst: a.NewUser(org.ID, access.RoleAnalyst, ""), admB: a.NewUser(orgB.ID, access.RoleOrgAdmin, "")}
	now := a.Clock.Now()
	child, c := a.ProtectionCase(w.cw, now.Year()-12)
	a.DetainImmigration(w.cw, c, child.ID, now.Add(-time.Hour))
	high := cases.RiskHigh
	if w.kase, err = a.Cases.Update(ctx, w.cw.Principal, c.ID, cases.Changes{Risk: &high}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cases.AddTask(ctx, w.cw.Principal, c.ID, cases.NewTask{Title: testutil.Sentinel("task"),
		DueAt: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return w
}

// leaksMigrant reports whether body holds anything of a migrant: the
// person's names, the task's title or the case's number.
func leaksMigrant(body []byte, c cases.Case) bool {
	up := bytes.ToUpper(body)
	return bytes.Contains(up, []byte("SNTL-GIVEN")) || bytes.Contains(up, []byte("SNTL-FAMILY")) ||
		bytes.Contains(up, []byte("SNTL-TASK")) || bytes.Contains(body, []byte(c.Number))
}

// Organisation administrators and supervisors see their organisation's
// dashboard, linked from the header, with its tables, charts and
// downloads and no migrant's data; every other role is refused; another
// organisation's administrator sees only their own, empty, figures.
func TestDashboardPage(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newDashboardWorld(t, a)
		for _, u := range []testutil.User{w.sup, w.adm} {
			res := a.Do(nil, http.MethodGet, "/dashboard", u.Token, nil)
			body := string(res.Body)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: GET /dashboard: %d", u.Role, res.Status)
			}
			for _, want := range []string{`data-testid="nav-dashboard" aria-current="page"`,
				`data-testid="cases-row-detention"><th scope="row">Detention</th><td>0</td><td>0</td><td>0</td><td>1</td><td>0</td><td>1</td>`,
				`data-testid="alerts-row-child_in_immigration_detention"><th scope="row">Child in immigration detention</th><td>1</td>`,
				`data-testid="overdue-tasks-row-` + w.cw.ID + `"><th scope="row"><span dir="auto">` + w.cw.Name + `</span></th><td>1</td>`,
				`data-testid="caseload-row-` + w.cw.ID + `"`, `data-testid="chart-cases"><svg`, `data-testid="chart-alerts"><svg`,
				`href="/dashboard?format=csv&amp;table=open-cases"`, `href="/dashboard?format=xlsx&amp;table=caseload"`,
				`data-testid="dashboard-referrals-empty"`, `data-testid="dashboard-consular-empty"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the dashboard lacks %s", u.Role, want)
				}
			}
			if leaksMigrant(res.Body, w.kase) {
				t.Errorf("%s: the dashboard shows a migrant's data", u.Role)
			}
		}
		for _, u := range []testutil.User{w.cw, w.viewer, w.analyst} {
			if res := a.Do(nil, http.MethodGet, "/dashboard", u.Token, nil); res.Status != http.StatusForbidden {
				t.Errorf("%s: GET /dashboard: %d, want 403", u.Role, res.Status)
			}
			if res := a.Do(nil, http.MethodGet, "/", u.Token, nil); strings.Contains(string(res.Body), "nav-dashboard") {
				t.Errorf("%s: the header links to the dashboard", u.Role)
			}
		}
		if res := a.Do(nil, http.MethodGet, "/", w.sup.Token, nil); !strings.Contains(string(res.Body), `href="/dashboard"`) {
			t.Error("the supervisor's header does not link to the dashboard")
		}
		resB := a.Do(nil, http.MethodGet, "/dashboard", w.admB.Token, nil)
		if b := string(resB.Body); resB.Status != http.StatusOK || !strings.Contains(b, `data-testid="dashboard-cases-empty"`) ||
			!strings.Contains(b, `data-testid="dashboard-alerts-empty"`) || strings.Contains(b, w.cw.ID) || strings.Contains(b, w.cw.Name) {
			t.Errorf("another organisation's dashboard: %d", resB.Status)
		}
		if res := a.Do(nil, http.MethodGet, "/dashboard?lang=ar", w.sup.Token, nil); !strings.Contains(string(res.Body), `dir="rtl"`) ||
			!strings.Contains(string(res.Body), `direction="rtl"`) {
			t.Error("the Arabic dashboard is not right to left")
		}

		entries, _, err := a.Audit.List(context.Background(), audit.Filter{Limit: audit.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		views := 0
		for _, e := range entries {
			if e.Action == "dashboard.read" {
				views++
			}
		}
		if views != 4 {
			t.Errorf("%d views audited, want 4", views)
		}
	})
}

// Each table downloads as CSV and XLSX in the reader's language, reads
// back with the page's figures, and holds no migrant's data; an unknown
// table or format is not found.
func TestDashboardDownloads(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newDashboardWorld(t, a)
		for _, format := range []string{"csv", "xlsx"} {
			res := a.Do(nil, http.MethodGet, "/dashboard?table=open-cases&format="+format+"&lang=fr", w.adm.Token, nil)
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename=dashboard-open-cases-2026-11-22.") {
				t.Fatalf("%s: %d %q", format, res.Status, res.Header.Get("Content-Disposition"))
			}
			got := readTable(t, res.Body)
			want := [][]string{
				{"Code", "Problème de protection", "Non évalué", "Faible", "Moyen", "Élevé", "Critique", "Total"},
				{"detention", "Détention", "0", "0", "0", "1", "0", "1"},
				{"all", "Tous les dossiers ouverts (chacun compté une fois)", "0", "0", "0", "1", "0", "1"},
			}
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("%s: read back %q, want %q", format, got, want)
			}
			if leaksMigrant(res.Body, w.kase) {
				t.Errorf("%s: the file holds a migrant's data", format)
			}
		}
		res := a.Do(nil, http.MethodGet, "/dashboard?table=overdue-tasks&format=csv", w.sup.Token, nil)
		if got := readTable(t, res.Body); len(got) != 3 || !slices.Equal(got[1], []string{w.cw.ID, w.cw.Name, "1"}) ||
			!slices.Equal(got[2], []string{"all", "All", "1"}) {
			t.Errorf("overdue tasks read back %q", got)
		}
		for _, q := range []string{"table=nothing&format=csv", "table=alerts&format=pdf", "table=alerts", "format=csv",
			"table=alerts&format=hxl"} {
			if res := a.Do(nil, http.MethodGet, "/dashboard?"+q, w.sup.Token, nil); res.Status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", q, res.Status)
			}
		}
		if res := a.Do(nil, http.MethodGet, "/dashboard?table=alerts&format=csv", w.cw.Token, nil); res.Status != http.StatusForbidden {
			t.Errorf("a caseworker's download: %d, want 403", res.Status)
		}
	})
}

// readTable reads a downloaded CSV or XLSX file as the importers do,
// without the CSV's byte-order mark.
func readTable(t *testing.T, data []byte) [][]string {
	t.Helper()
	var out [][]string
	keep := func(r tabular.Record) { out = append(out, slices.Clone(r.Fields)) }
	tabular.Read(bytes.NewReader(data), tabular.Options{MaxRows: 1000, MaxCell: 1000, MaxXLSXBytes: 1 << 20,
		Header: func(r tabular.Record) bool { keep(r); return true }, Row: keep,
		Error: func(e tabular.RowError) { t.Errorf("reading back: %+v", e) }})
	if len(out) > 0 && len(out[0]) > 0 {
		out[0][0] = strings.TrimPrefix(out[0][0], "\ufeff")
	}
	return out
}
