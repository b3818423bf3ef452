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

// TestHarvestAdminPages: a system administrator reaches the harvest
// sources from an empty list; a source that is not https, or whose host
// is not on the outbound allow-list (empty by default), is refused with
// the fields named and nothing saved; an analyst may not see the pages.
func TestHarvestAdminPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Oficina regional")
		admin := a.NewUser(org.ID, access.RoleSysadmin, "")
		analyst := a.NewUser(org.ID, access.RoleAnalyst, "")
		get, post := pageClient(t, a)

		get("/admin/harvest", admin.Token, http.StatusOK, `data-testid="harvest-new"`)
		get("/admin/harvest/new", admin.Token, http.StatusOK, `name="url"`, `name="interval_hours"`)
		form := url.Values{"name": {""}, "url": {"http://national.example.org"}, "interval_hours": {"0"}, "active": {"yes"}}
		_, body := post("/admin/harvest", admin.Token, form, http.StatusUnprocessableEntity)
		for _, field := range []string{"name", "url", "interval_hours"} {
			if !strings.Contains(body, `id="`+field+`-error"`) {
				t.Errorf("no error beside %s", field)
			}
		}
		form.Set("name", "National statistics office")
		form.Set("url", "https://national.example.org")
		form.Set("interval_hours", "24")
		if _, body = post("/admin/harvest", admin.Token, form, http.StatusUnprocessableEntity); !strings.Contains(body, `id="url-error"`) {
			t.Error("a host off the allow-list was not refused beside the address")
		}
		if after := get("/admin/harvest", admin.Token, http.StatusOK); strings.Contains(after, "national.example.org") || strings.Contains(after, "National statistics office") {
			t.Error("a refused source was saved")
		}
		get("/admin/harvest", analyst.Token, http.StatusForbidden)
	})
}
