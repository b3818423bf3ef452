// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/testutil"
)

var (
	scAnalyst  = access.Principal{UserID: "sc-analyst", Role: access.RoleAnalyst, MFA: true}
	scApprover = access.Principal{UserID: "sc-approver", Role: access.RoleAnalyst, MFA: true}
)

// scPublish publishes values of two shipped indicators — 10.7.3 (deaths
// during migration, summed over regions, point 1) and 10.c.1 (remittance
// costs, target 3 % by 2030, point 2) — and leaves one more as a draft,
// which no page may show.
func scPublish(t *testing.T, a *testutil.App) {
	t.Helper()
	ctx := context.Background()
	rows := []observations.Observation{
		{Series: "SM_DTH_MIGR", Area: "MEX", Period: "2024", Value: 120},
		{Series: "SM_DTH_MIGR", Area: "BRA", Period: "2024", Value: 30},
		{Series: "SM_DTH_MIGR", Area: "BRA", Period: "2020", Value: 25},
		{Series: "SI_RMT_COST", Area: "MEX", Period: "2024", Value: 5.25},
	}
	id, err := a.Observations.Put(ctx, scAnalyst, observations.KindForm, rows)
	if err != nil {
		t.Fatal(err)
	}
	sets, _, err := a.Observations.Sets(ctx, scAnalyst, observations.SetFilter{ImportID: id, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var keys []observations.SetKey
	for _, s := range sets {
		keys = append(keys, s.SetKey)
	}
	if _, err := a.Observations.Submit(ctx, scAnalyst, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Approve(ctx, scApprover, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Publish(ctx, scApprover, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Put(ctx, scAnalyst, observations.KindForm, []observations.Observation{
		{Series: "SM_DTH_MIGR", Area: "ARG", Period: "2024", Value: 987654}}); err != nil {
		t.Fatal(err)
	}
}

// The scorecards and the explorer are public: published values show to a
// visitor without an account, draft ones never; a region sums its members;
// downloads hold exactly the table shown.
func TestScorecardPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		scPublish(t, a)
		get := func(path string, status int, want ...string) string {
			t.Helper()
			res := a.Do(nil, http.MethodGet, path, "", nil)
			body := string(res.Body)
			if res.Status != status {
				t.Fatalf("%s: %d\n%.400s", path, res.Status, body)
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", path, w)
				}
			}
			if strings.Contains(body, "987654") || strings.Contains(body, "987,654") {
				t.Errorf("%s shows a draft value", path)
			}
			return body
		}
		get("/scorecards/484", http.StatusOK, `data-testid="scorecard-title"`, "Mexico", `data-testid="line-10.c.1"`,
			`data-testid="value-10.c.1">5.25`, `data-testid="progress-10.c.1">Off track`, `data-testid="value-10.7.3">120`,
			`data-testid="nav-scorecards"`, `data-testid="commitments-summary"`, "<svg")
		get("/scorecards/076", http.StatusOK, `data-testid="value-10.7.3">30`, `aria-labelledby`)
		get("/scorecards/032", http.StatusOK, `data-testid="value-10.7.3"><span class="hint">no published data yet`)
		body := get("/scorecards/419", http.StatusOK, `data-testid="value-10.7.3">150`, `data-testid="scorecard-members"`,
			`href="/scorecards/484?framework=A68190"`)
		if !strings.Contains(body, "2 of ") {
			t.Error("the region does not say how many members report")
		}
		get("/scorecards", http.StatusOK, `data-testid="availability-table"`, `href="/scorecards/484?framework=A68190"`)
		get("/scorecards?framework=SDG", http.StatusOK)
		get("/scorecards/484?framework=GCM&lang=ar", http.StatusOK, `dir="rtl"`)
		for path, loc := range map[string]string{"/scorecards/MEX": "/scorecards/484?", "/scorecards?area=mx": "/scorecards/484?framework=A68190"} {
			res := a.Do(nil, http.MethodGet, path, "", nil)
			if res.Status/100 != 3 || !strings.HasPrefix(res.Header.Get("Location"), loc) {
				t.Errorf("%s: %d %q", path, res.Status, res.Header.Get("Location"))
			}
		}
		get("/scorecards/XX", http.StatusNotFound)
		get("/scorecards/484?framework=NOPE", http.StatusNotFound)

		get("/explorer", http.StatusOK, `href="/explorer/10.7.3"`)
		page := get("/explorer/10.7.3?area=484&area=076&area=419&sort=value&dir=desc", http.StatusOK, `data-testid="explorer-chart"`,
			`data-testid="explorer-map"`, `data-testid="explorer-table"`, `aria-sort="descending"`, `<option value="484" selected>`)
		shown := regexp.MustCompile(`data-testid="row-([0-9]{3})"`).FindAllStringSubmatch(page, -1)
		var order []string
		for _, m := range shown {
			order = append(order, m[1])
		}
		if !slices.Equal(order, []string{"484", "076"}) {
			t.Errorf("table order %v", order)
		}
		res := a.Do(nil, http.MethodGet, "/explorer/10.7.3?area=484&area=076&area=419&sort=value&dir=desc&format=csv", "", nil)
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(res.Body), "\ufeff"))).ReadAll()
		if res.Status != http.StatusOK || err != nil || len(recs) != 3 || recs[1][0] != "484" || recs[1][3] != "120" ||
			recs[2][0] != "076" || recs[2][3] != "30" {
			t.Errorf("download %d %v: %q", res.Status, err, recs)
		}
		res = a.Do(nil, http.MethodGet, "/explorer/10.7.3?area=484&area=076&area=419&format=csv&table=chart", "", nil)
		if body := string(res.Body); res.Status != http.StatusOK || !strings.Contains(body, "419,") || !strings.Contains(body, ",150,") ||
			strings.Count(body, "\n") != 6 {
			t.Errorf("chart download %d:\n%s", res.Status, body)
		}
		res = a.Do(nil, http.MethodGet, "/explorer/10.7.3?format=xlsx", "", nil)
		if res.Status != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
			t.Errorf("xlsx %d %q", res.Status, res.Header.Get("Content-Type"))
		}
		get("/explorer/10.7.3?period=20x0", http.StatusUnprocessableEntity, `id="period-error"`)
		get("/explorer/10.7.3?disagg=SEX%3DF", http.StatusOK, `data-testid="explorer-empty"`)
		get("/explorer/AP1.O1", http.StatusOK, `data-testid="explorer-live"`)
		get("/explorer/NOPE", http.StatusNotFound)
		get("/explorer/10.7.3?format=pdf", http.StatusNotFound)
	})
}
