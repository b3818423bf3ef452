// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/testutil"
)

// postForm posts form to path on a's server as the holder of token.
func postForm(t *testing.T, a *testutil.App, path, token string, form url.Values) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, a.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := a.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(body)
}

// The inbox page lists the alerts of the user's own cases, the child first,
// with links to the case's tabs, and their due tasks; the header counts
// them; another organisation's caseworker sees the empty state; the digest
// form saves.
func TestInboxPage(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org, orgB := a.Org("A"), a.Org("B")
		cw := a.NewUser(org.ID, access.RoleCaseworker, "")
		cwB := a.NewUser(orgB.ID, access.RoleCaseworker, "")
		now := a.Clock.Now()
		child, c := a.ProtectionCase(cw, now.Year()-12)
		a.DetainImmigration(cw, c, child.ID, now.Add(-time.Hour))

		res := a.Do(nil, http.MethodGet, "/inbox", cw.Token, nil)
		body := string(res.Body)
		if res.Status != http.StatusOK {
			t.Fatalf("GET /inbox: %d", res.Status)
		}
		for _, want := range []string{`data-testid="inbox-alert-child_in_immigration_detention"`,
			`href="/cases/` + c.ID + `/detention"`, c.Number, `data-testid="nav-inbox-count">1<`, `aria-current="page"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the inbox lacks %q", want)
			}
		}
		if strings.Contains(strings.ToUpper(body), "SNTL") {
			t.Error("the inbox shows a person's identity")
		}
		resB := a.Do(nil, http.MethodGet, "/inbox", cwB.Token, nil)
		if b := string(resB.Body); !strings.Contains(b, `data-testid="inbox-empty"`) || strings.Contains(b, c.Number) ||
			strings.Contains(b, "nav-inbox-count") {
			t.Errorf("another organisation's inbox: %d\n%s", resB.Status, b)
		}

		if status, _, _ := postForm(t, a, "/inbox/digest", cw.Token, url.Values{"digest": {"on"}, "lang": {"xx"}}); status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown language: %d", status)
		}
		status, loc, _ := postForm(t, a, "/inbox/digest", cw.Token, url.Values{"digest": {"on"}, "lang": {"ar"}})
		if status != http.StatusSeeOther || loc != "/inbox?done=digest_saved" {
			t.Fatalf("saving digests: %d %q", status, loc)
		}
		if b := string(a.Do(nil, http.MethodGet, loc, cw.Token, nil).Body); !strings.Contains(b, `data-testid="digest-on"`) ||
			!strings.Contains(b, `<option value="ar" selected>`) {
			t.Error("the saved settings are not shown")
		}
	})
}

// An organisation's administrator sets the retention period on the
// organisation's page, ticking the box that says what it destroys.
func TestRetentionForm(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org, orgB := a.Org("A"), a.Org("B")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		adminB := a.NewUser(orgB.ID, access.RoleOrgAdmin, "")
		path := "/admin/organisations/" + org.ID
		if b := string(a.Do(nil, http.MethodGet, path, admin.Token, nil).Body); !strings.Contains(b, `data-testid="retention-save"`) {
			t.Fatal("no retention form on the organisation's page")
		}
		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			error  string
		}{
			{"too short", url.Values{"closed_case_days": {"7"}, "confirm": {"yes"}}, http.StatusUnprocessableEntity, "closed_case_days-error"},
			{"not a number", url.Values{"closed_case_days": {"a year"}}, http.StatusUnprocessableEntity, "closed_case_days-error"},
			{"not confirmed", url.Values{"closed_case_days": {"365"}}, http.StatusUnprocessableEntity, "confirm-error"},
		} {
			status, _, body := postForm(t, a, path+"/retention", admin.Token, tc.form)
			if status != tc.status || !strings.Contains(body, `id="`+tc.error+`"`) {
				t.Errorf("%s: %d, want %d with %s", tc.name, status, tc.status, tc.error)
			}
		}
		if pol, _ := a.Retention.Get(t.Context(), admin.Principal, org.ID); !pol.Keeps() {
			t.Fatalf("a refused form changed the period: %+v", pol)
		}
		if status, _, _ := postForm(t, a, path+"/retention", adminB.Token, url.Values{"closed_case_days": {"365"}, "confirm": {"yes"}}); status != http.StatusNotFound {
			t.Fatalf("another organisation's administrator: %d, want 404", status)
		}
		status, loc, _ := postForm(t, a, path+"/retention", admin.Token, url.Values{"closed_case_days": {"365"}, "confirm": {"yes"}})
		if status != http.StatusSeeOther {
			t.Fatalf("saving: %d", status)
		}
		if b := string(a.Do(nil, http.MethodGet, loc, admin.Token, nil).Body); !strings.Contains(b, "365 days after they were closed") ||
			!strings.Contains(b, "The retention period is saved.") {
			t.Error("the saved period is not shown")
		}
		if status, _, _ := postForm(t, a, path+"/retention", admin.Token, url.Values{"closed_case_days": {""}}); status != http.StatusSeeOther {
			t.Fatalf("clearing: %d", status)
		}
		if pol, _ := a.Retention.Get(t.Context(), admin.Principal, org.ID); !pol.Keeps() {
			t.Fatalf("cleared period: %+v", pol)
		}
	})
}
