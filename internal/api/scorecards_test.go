// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/testutil"
)

// scPublish publishes deaths during migration (SDG 10.7.3, summed over
// regions) for two countries and leaves a third as a draft.
func scPublish(t *testing.T, a *testutil.App) {
	t.Helper()
	ctx := context.Background()
	analyst := access.Principal{UserID: "sc-analyst", Role: access.RoleAnalyst, MFA: true}
	approver := access.Principal{UserID: "sc-approver", Role: access.RoleAnalyst, MFA: true}
	rows := []observations.Observation{
		{Series: "SM_DTH_MIGR", Area: "MEX", Period: "2024", Value: 120, Status: "P"},
		{Series: "SM_DTH_MIGR", Area: "BRA", Period: "2024", Value: 30},
	}
	if _, err := a.Observations.Put(ctx, analyst, observations.KindForm, rows); err != nil {
		t.Fatal(err)
	}
	keys := []observations.SetKey{{Series: "SM_DTH_MIGR", Area: "484", Period: "2024"}, {Series: "SM_DTH_MIGR", Area: "076", Period: "2024"}}
	if _, err := a.Observations.Submit(ctx, analyst, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Approve(ctx, approver, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Publish(ctx, approver, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Put(ctx, analyst, observations.KindForm, []observations.Observation{
		{Series: "SM_DTH_MIGR", Area: "ARG", Period: "2024", Value: 987654}}); err != nil {
		t.Fatal(err)
	}
}

func TestScorecardAPI(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		scPublish(t, a)
		res := odGet(t, a, "/api/v1/scorecards/MEX?lang=fr", nil)
		if res.Status != http.StatusOK {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
		var sc struct {
			Area   struct{ Code, Name string }
			Points []struct {
				Node       string
				Indicators []struct {
					Code   string
					Latest *struct {
						Value  float64
						Status string
					}
				}
			}
		}
		if err := json.Unmarshal(res.Body, &sc); err != nil || sc.Area.Code != "484" || sc.Area.Name != "Mexique" || len(sc.Points) != 8 {
			t.Fatalf("%v %+v", err, sc.Area)
		}
		found := false
		for _, p := range sc.Points {
			for _, in := range p.Indicators {
				if in.Code == "10.7.3" && in.Latest != nil && in.Latest.Value == 120 && in.Latest.Status == "P" {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("10.7.3 of Mexico not on the scorecard: %s", res.Body)
		}
		region := odGet(t, a, "/api/v1/scorecards/419?framework=A68190", nil)
		if region.Status != http.StatusOK || !strings.Contains(string(region.Body), `"latest":{"period":"2024","value":150,"status":"P"`) ||
			!strings.Contains(string(region.Body), `"members":[{"area":"`) {
			t.Errorf("region %d %.600s", region.Status, region.Body)
		}
		ex := odGet(t, a, "/api/v1/explorer/10.7.3?area=484&area=BRA&sort=value&dir=desc", nil)
		body := string(ex.Body)
		if ex.Status != http.StatusOK || !strings.Contains(body, `"areas":["484","076"]`) {
			t.Errorf("explorer %d %s", ex.Status, body)
		}
		if !strings.Contains(body, `"rows":[{"area":"484","name":"Mexico","period":"2024","value":120,"status":"P"},{"area":"076"`) {
			t.Errorf("explorer rows %s", body)
		}
		for _, r := range []testutil.Response{region, ex, res} {
			if strings.Contains(string(r.Body), "987654") {
				t.Error("a draft value left the system")
			}
		}
		for path, status := range map[string]int{
			"/api/v1/scorecards/XX":                        http.StatusNotFound,
			"/api/v1/scorecards/484?framework=NOPE":        http.StatusNotFound,
			"/api/v1/scorecards/484?lang=xx":               http.StatusUnprocessableEntity,
			"/api/v1/explorer/NOPE":                        http.StatusNotFound,
			"/api/v1/explorer/10.7.3?period=20x0":          http.StatusUnprocessableEntity,
			"/api/v1/explorer/10.7.3?dir=up":               http.StatusUnprocessableEntity,
			"/api/v1/explorer/10.7.3?disagg=COLOUR%3DBLUE": http.StatusUnprocessableEntity,
		} {
			if res := odGet(t, a, path, nil); res.Status != status {
				t.Errorf("%s: %d, want %d", path, res.Status, status)
			}
		}
	})
}
