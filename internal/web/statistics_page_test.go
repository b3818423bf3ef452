// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/testutil"
)

// Every role sees the statistics page, with the table, its legend and k,
// the chart and the downloads of exactly that table; a choice with nothing
// to count shows the empty state; bad choices are refused beside their
// fields; nobody's identity is ever on the page.
func TestStatisticsPage(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("A")
		cw := a.NewUser(org.ID, access.RoleCaseworker, "")
		for range 12 {
			a.ProtectionCase(cw, 1990)
		}
		a.ProtectionCase(cw, 2015)
		for _, role := range []string{access.RoleViewer, access.RoleAnalyst, access.RoleCaseworker, access.RoleSupervisor,
			access.RoleOrgAdmin, access.RoleSysadmin} {
			u := a.NewUser(org.ID, role, "")
			res := a.Do(nil, http.MethodGet, "/statistics?dimension=age_band&column=sex", u.Token, nil)
			body := string(res.Body)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d", role, res.Status)
			}
			for _, want := range []string{`data-testid="statistics-table"`, `data-testid="statistics-legend"`,
				`data-testid="statistics-k">Threshold k = 11.`, `data-testid="statistics-chart"`, `<svg`,
				`data-testid="nav-statistics" aria-current="page"`, "35–49 years",
				`href="/statistics?column=sex&amp;dimension=age_band&amp;format=hxl"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", role, want)
				}
			}
			// Only system administrators are offered the threshold.
			if got := strings.Contains(body, "statistics-settings-link"); got != (role == access.RoleSysadmin) {
				t.Errorf("%s: settings link shown %v", role, got)
			}
			if strings.Contains(strings.ToUpper(body), "SNTL") {
				t.Errorf("%s: the page shows someone's identity", role)
			}
		}
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		// 12 cases aged 35–49 are shown (as 10); the 1 child is withheld.
		body := string(a.Do(nil, http.MethodGet, "/statistics?dimension=age_band", viewer.Token, nil).Body)
		if !strings.Contains(body, `<span class="visually-hidden">withheld</span>`) {
			t.Error("no withheld cell is marked")
		}
		empty := string(a.Do(nil, http.MethodGet, "/statistics?dimension=referral_status", viewer.Token, nil).Body)
		if !strings.Contains(empty, `data-testid="statistics-empty"`) || strings.Contains(empty, `data-testid="statistics-chart"`) {
			t.Error("a table with nothing counted does not say so")
		}
		res := a.Do(nil, http.MethodGet, "/statistics?dimension=sex&column=sex&from=2026&nationality=Narnia", viewer.Token, nil)
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad choices: %d", res.Status)
		}
		for _, id := range []string{"column-error", "from-error", "nationality-error"} {
			if !strings.Contains(string(res.Body), `id="`+id+`"`) {
				t.Errorf("no %s", id)
			}
		}
		for format, want := range map[string]string{"csv": "text/csv", "hxl": "text/csv",
			"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
			res := a.Do(nil, http.MethodGet, "/statistics?dimension=age_band&column=sex&format="+format, viewer.Token, nil)
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), want) {
				t.Errorf("%s: %d %q", format, res.Status, res.Header.Get("Content-Type"))
			}
			if format == "hxl" && !strings.Contains(string(res.Body), "\n#group+age+code,#group+age+name,#indicator+num+cases+f,") {
				t.Errorf("hxl:\n%s", res.Body)
			}
		}
		if res := a.Do(nil, http.MethodGet, "/statistics?format=pdf", viewer.Token, nil); res.Status != http.StatusNotFound {
			t.Errorf("unknown format: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, "/statistics", "", nil); res.Status != http.StatusSeeOther {
			t.Errorf("anonymous: %d", res.Status)
		}
	})
}

// Only a system administrator sees and changes k; the form refuses a k
// below the floor, and the page then shows the new k.
func TestStatisticsSettingsForm(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("A")
		admin := a.NewUser("", access.RoleSysadmin, "")
		orgAdmin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		if res := a.Do(nil, http.MethodGet, "/statistics/settings", orgAdmin.Token, nil); res.Status != http.StatusForbidden {
			t.Errorf("organisation administrator: %d", res.Status)
		}
		if status, _, _ := postForm(t, a, "/statistics/settings", orgAdmin.Token, url.Values{"k": {"20"}}); status != http.StatusForbidden {
			t.Errorf("organisation administrator sets k: %d", status)
		}
		res := a.Do(nil, http.MethodGet, "/statistics/settings", admin.Token, nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `value="11"`) {
			t.Fatalf("form: %d", res.Status)
		}
		for _, k := range []string{"4", "101", "eleven"} {
			status, _, body := postForm(t, a, "/statistics/settings", admin.Token, url.Values{"k": {k}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="k-error"`) {
				t.Errorf("k = %s: %d", k, status)
			}
		}
		status, loc, _ := postForm(t, a, "/statistics/settings", admin.Token, url.Values{"k": {"20"}})
		if status != http.StatusSeeOther || loc != "/statistics/settings?done=1" {
			t.Fatalf("save: %d %q", status, loc)
		}
		if body := string(a.Do(nil, http.MethodGet, loc, admin.Token, nil).Body); !strings.Contains(body, `data-testid="saved"`) {
			t.Error("no notice after saving")
		}
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		if body := string(a.Do(nil, http.MethodGet, "/statistics", viewer.Token, nil).Body); !strings.Contains(body, "Threshold k = 20.") {
			t.Error("the page does not show the new k")
		}
	})
}
