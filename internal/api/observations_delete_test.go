// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/testutil"
)

// Published values are withdrawn through the API: one value, then the rest
// of its set; once a colleague approves and the set is published again,
// none of them is published.
func TestObservationsDelete(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		org := a.Org("Statistics office")
		entrant := a.NewUser(org.ID, access.RoleAnalyst, "")
		approver := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		set := map[string]any{"sets": []map[string]string{{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022"}}}
		move := func(u testutil.User, to string) {
			t.Helper()
			if res := a.Do(nil, http.MethodPost, "/api/v1/observation-sets/"+to, u.Token, set); res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", to, res.Status, res.Body)
			}
		}
		res := a.Do(nil, http.MethodPost, "/api/v1/observations", entrant.Token, map[string]any{"observations": []map[string]any{
			{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022", "value": 100},
			{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022", "disagg": "SEX=F", "value": 60},
			{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022", "disagg": "SEX=M", "value": 40},
		}})
		if res.Status != http.StatusCreated {
			t.Fatalf("write: %d %s", res.Status, res.Body)
		}
		move(entrant, "submit")
		move(approver, "approve")
		move(approver, "publish")
		published := func() int {
			t.Helper()
			n, err := a.Observations.Count(ctx, observations.Query{Series: []string{"VC_HTF_DETV"}})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		for _, c := range []struct {
			name, path string
			user       testutil.User
			status     int
			field      string
		}{
			{"a viewer", "/api/v1/observations?series=VC_HTF_DETV&area=MEX&period=2022&disagg=SEX%3DF", viewer, http.StatusForbidden, ""},
			{"nobody", "/api/v1/observations?series=VC_HTF_DETV&area=MEX&period=2022&disagg=SEX%3DF", testutil.User{}, http.StatusUnauthorized, ""},
			{"no area", "/api/v1/observations?series=VC_HTF_DETV&period=2022", entrant, http.StatusUnprocessableEntity, "area"},
			{"a bad period", "/api/v1/observation-sets?series=VC_HTF_DETV&area=MEX&period=2022-X", entrant, http.StatusUnprocessableEntity, "period"},
			{"a bad disaggregation", "/api/v1/observations?series=VC_HTF_DETV&area=MEX&period=2022&disagg=COLOUR%3DBLUE", entrant, http.StatusUnprocessableEntity, "disagg"},
			{"an unknown value", "/api/v1/observations?series=VC_HTF_DETV&area=MEX&period=2022&disagg=SEX%3DF%3BAGE%3DY0T14", entrant, http.StatusNotFound, ""},
			{"an unknown set", "/api/v1/observation-sets?series=VC_HTF_DETV&area=MEX&period=2021", entrant, http.StatusNotFound, ""},
		} {
			res := a.Do(nil, http.MethodDelete, c.path, c.user.Token, nil)
			var prob problemJSON
			if res.Status != http.StatusUnauthorized {
				res.JSON(t, &prob)
			}
			if res.Status != c.status || (c.field != "" && (len(prob.Errors) != 1 || prob.Errors[0].Field != c.field)) {
				t.Errorf("%s: %d %s, want %d naming %q", c.name, res.Status, res.Body, c.status, c.field)
			}
		}

		one := "/api/v1/observations?series=vc_htf_detv&area=MEX&period=2022&disagg=SEX%3DF"
		if res := a.Do(nil, http.MethodDelete, one, entrant.Token, nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete one value: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodDelete, one, entrant.Token, nil); res.Status != http.StatusNotFound {
			t.Errorf("delete it again: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodDelete, "/api/v1/observation-sets?series=VC_HTF_DETV&area=484&period=2022", entrant.Token, nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete the set: %d %s", res.Status, res.Body)
		}
		var sets struct {
			Items []struct {
				State string
				Rows  int
			}
		}
		a.Do(nil, http.MethodGet, "/api/v1/observation-sets?series=VC_HTF_DETV&area=484&period=2022", entrant.Token, nil).JSON(t, &sets)
		if len(sets.Items) != 1 || sets.Items[0].State != "draft" || sets.Items[0].Rows != 0 {
			t.Fatalf("the emptied set %+v", sets.Items)
		}
		if n := published(); n != 3 {
			t.Errorf("%d values published before republication, want 3", n)
		}
		move(entrant, "submit")
		move(approver, "approve")
		move(approver, "publish")
		if n := published(); n != 0 {
			t.Errorf("%d values published after republication, want none", n)
		}
	})
}
