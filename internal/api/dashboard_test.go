// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/tabular"
	"github.com/amparo-project/amparo/internal/testutil"
)

// dashboardBody is the part of GET /api/v1/dashboard the tests read.
type dashboardBody struct {
	OrganisationID string `json:"organisation_id"`
	OpenCases      struct {
		Total     int            `json:"total"`
		ByRisk    map[string]int `json:"by_risk"`
		ByConcern []struct {
			Concern string `json:"concern"`
			Total   int    `json:"total"`
		} `json:"by_concern"`
	} `json:"open_cases"`
	OverdueTasks struct {
		Total   int `json:"total"`
		Workers []struct {
			UserID string  `json:"user_id"`
			Name   *string `json:"name"`
			Count  int     `json:"count"`
		} `json:"workers"`
	} `json:"overdue_tasks"`
	Alerts struct {
		Total  int `json:"total"`
		ByKind []struct {
			Kind  string `json:"kind"`
			Count int    `json:"count"`
		} `json:"by_kind"`
	} `json:"alerts"`
	Referrals struct {
		Total          int      `json:"total"`
		CompletedShare *float64 `json:"completed_share"`
	} `json:"referrals"`
	Consular map[string]any `json:"consular_compliance"`
}

// GET /api/v1/dashboard answers the caller's own organisation's figures to
// its administrators and supervisors, names only the workers the caller
// may read, carries nothing of a migrant, and refuses every other role.
func TestDashboardAPI(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "supervisor", "org_admin", "viewer", "analyst", "org_admin_b", "sysadmin_a")
		ctx := context.Background()
		cw := f.users["caseworker"]
		other := a.NewUser(f.orgA.ID, access.RoleCaseworker, "")
		now := a.Clock.Now()
		child, c := a.ProtectionCase(cw, now.Year()-12)
		a.DetainImmigration(cw, c, child.ID, now.Add(-time.Hour))
		for _, u := range []testutil.User{cw, other} {
			_, oc := a.ProtectionCase(u, 1980)
			if _, err := a.Cases.AddTask(ctx, u.Principal, oc.ID, cases.NewTask{Title: testutil.Sentinel("task"),
				DueAt: now.Add(-time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}

		for _, key := range []string{"supervisor", "org_admin"} {
			res := a.Do(nil, http.MethodGet, "/api/v1/dashboard", f.token(t, key), nil)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", key, res.Status, res.Body)
			}
			var d dashboardBody
			res.JSON(t, &d)
			if d.OrganisationID != f.orgA.ID || d.OpenCases.Total != 3 || d.OpenCases.ByRisk["unassessed"] != 3 ||
				len(d.OpenCases.ByConcern) != 1 || d.OpenCases.ByConcern[0].Concern != "detention" || d.OpenCases.ByConcern[0].Total != 3 ||
				d.OverdueTasks.Total != 2 || d.Alerts.Total != 1 || d.Alerts.ByKind[0].Kind != "child_in_immigration_detention" ||
				d.Referrals.Total != 0 || d.Referrals.CompletedShare != nil || d.Consular["records"] != float64(0) ||
				d.Consular["told_in_time_share"] != nil {
				t.Errorf("%s: %+v", key, d)
			}
			names := map[string]string{}
			for _, w := range d.OverdueTasks.Workers {
				if w.Name != nil {
					names[w.UserID] = *w.Name
				} else {
					names[w.UserID] = ""
				}
			}
			// The other caseworker is in no team: the supervisor may not
			// read their name.
			want := map[string]string{cw.ID: cw.Name, other.ID: other.Name}
			if key == "supervisor" {
				want[other.ID] = ""
			}
			if len(names) != 2 || names[cw.ID] != want[cw.ID] || names[other.ID] != want[other.ID] {
				t.Errorf("%s sees the names %v", key, names)
			}
			if up := bytes.ToUpper(res.Body); bytes.Contains(up, []byte("SNTL-GIVEN")) || bytes.Contains(up, []byte("SNTL-TASK")) ||
				bytes.Contains(res.Body, []byte(c.Number)) {
				t.Errorf("%s: the dashboard carries a migrant's data", key)
			}
		}
		for _, key := range []string{"caseworker", "viewer", "analyst", "sysadmin_a", "anonymous"} {
			want := http.StatusForbidden
			if key == "anonymous" {
				want = http.StatusUnauthorized
			}
			for _, path := range []string{"/api/v1/dashboard", "/api/v1/dashboard/caseload"} {
				if res := a.Do(nil, http.MethodGet, path, f.token(t, key), nil); res.Status != want {
					t.Errorf("%s: GET %s: %d, want %d", key, path, res.Status, want)
				}
			}
		}
		var dB dashboardBody
		resB := a.Do(nil, http.MethodGet, "/api/v1/dashboard", f.token(t, "org_admin_b"), nil)
		resB.JSON(t, &dB)
		if resB.Status != http.StatusOK || dB.OrganisationID != f.orgB.ID || dB.OpenCases.Total != 0 || dB.OverdueTasks.Total != 0 ||
			dB.Alerts.Total != 0 || bytes.Contains(resB.Body, []byte(cw.ID)) {
			t.Errorf("organisation B's dashboard: %d %+v", resB.Status, dB)
		}
		// A token without the scope is refused even for a supervisor.
		_, secret, err := a.Accounts.IssueToken(ctx, f.users["supervisor"].Principal, "narrow", "case.read", 0)
		if err != nil {
			t.Fatal(err)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/dashboard", secret, nil); res.Status != http.StatusForbidden {
			t.Errorf("a token without dashboard.read: %d", res.Status)
		}

		// Each table as a file, in codes.
		for _, format := range []string{"", "?format=csv", "?format=xlsx"} {
			res := a.Do(nil, http.MethodGet, "/api/v1/dashboard/open-cases"+format, f.token(t, "org_admin"), nil)
			if res.Status != http.StatusOK {
				t.Fatalf("open-cases%s: %d", format, res.Status)
			}
			got := readFile(t, res.Body)
			want := [][]string{{"concern", "unassessed", "low", "medium", "high", "critical", "total"},
				{"detention", "3", "0", "0", "0", "0", "3"}, {"all", "3", "0", "0", "0", "0", "3"}}
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Errorf("open-cases%s read back %q", format, got)
			}
		}
		res := a.Do(nil, http.MethodGet, "/api/v1/dashboard/alerts", f.token(t, "supervisor"), nil)
		if got := readFile(t, res.Body); len(got) != 8 || !slices.Equal(got[1], []string{"child_in_immigration_detention", "1"}) ||
			!slices.Equal(got[7], []string{"all", "1"}) {
			t.Errorf("alerts read back %q", got)
		}
		for _, name := range []string{"overdue-tasks", "caseload", "referrals", "consular-compliance"} {
			res := a.Do(nil, http.MethodGet, "/api/v1/dashboard/"+name+"?format=xlsx", f.token(t, "supervisor"), nil)
			if got := readFile(t, res.Body); res.Status != http.StatusOK || len(got) < 2 || got[len(got)-1][0] == "" {
				t.Errorf("%s: %d, read back %q", name, res.Status, got)
			}
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/dashboard/alerts?format=pdf", f.token(t, "supervisor"), nil); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(string(res.Body), `"field":"format"`) {
			t.Errorf("an unknown format: %d %s", res.Status, res.Body)
		}
	})
}

// readFile reads a downloaded CSV or XLSX file as the importers do,
// without the CSV's byte-order mark.
func readFile(t *testing.T, data []byte) [][]string {
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
