// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/testutil"
)

// An analyst withdraws published values from the set page: one value, then
// the rest, each after a confirmation; the published copy stays until the
// set is approved by a colleague and published again, which empties it.
func TestObservationDeletePages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		org := a.Org("Statistics office")
		entrant := a.NewUser(org.ID, access.RoleAnalyst, "")
		approver := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		key := observations.SetKey{Series: "VC_HTF_DETV", Area: "484", Period: "2022"}
		publish := func() {
			t.Helper()
			keys := []observations.SetKey{key}
			if _, err := a.Observations.Submit(ctx, entrant.Principal, keys); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Observations.Approve(ctx, approver.Principal, keys); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Observations.Publish(ctx, approver.Principal, keys); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := a.Observations.Put(ctx, entrant.Principal, observations.KindForm, []observations.Observation{
			{Series: key.Series, Area: key.Area, Period: key.Period, Value: 100},
			{Series: key.Series, Area: key.Area, Period: key.Period, Disagg: "SEX=F", Value: 60},
			{Series: key.Series, Area: key.Area, Period: key.Period, Disagg: "SEX=M", Value: 40},
		}); err != nil {
			t.Fatal(err)
		}
		publish()
		count := func(layer observations.Layer) int {
			t.Helper()
			n, err := a.Observations.Count(ctx, observations.Query{Layer: layer, Series: []string{key.Series}})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		setPath := "/observations/set?series=VC_HTF_DETV&area=484&period=2022"
		set := string(a.Do(nil, http.MethodGet, setPath, entrant.Token, nil).Body)
		for _, want := range []string{`data-testid="delete-SEX=F"`, `href="/observations/set/delete-value?area=484&amp;disagg=SEX%3DF&amp;period=2022&amp;series=VC_HTF_DETV"`,
			`data-testid="delete-total"`, `data-testid="delete-set"`} {
			if !strings.Contains(set, want) {
				t.Errorf("the set page lacks %q", want)
			}
		}
		if page := string(a.Do(nil, http.MethodGet, setPath, viewer.Token, nil).Body); strings.Contains(page, `data-testid="delete-set"`) {
			t.Error("the set page offers deletion to someone who cannot delete")
		}

		one := url.Values{"series": {"VC_HTF_DETV"}, "area": {"MEX"}, "period": {"2022"}, "disagg": {"SEX=F"}}
		for _, c := range []struct {
			user testutil.User
			path string
			want int
		}{
			{viewer, "/observations/set/delete-value?" + one.Encode(), http.StatusForbidden},
			{entrant, "/observations/set/delete-value?series=VC_HTF_DETV&area=484&period=2022&disagg=SEX%3DX", http.StatusNotFound},
			{entrant, "/observations/set/delete-value?series=VC_HTF_DETV&area=484&period=2021&disagg=", http.StatusNotFound},
			{entrant, "/observations/set/delete?series=VC_HTF_DETV&area=Atlantis&period=2022", http.StatusNotFound},
		} {
			if res := a.Do(nil, http.MethodGet, c.path, c.user.Token, nil); res.Status != c.want {
				t.Errorf("%s: %d, want %d", c.path, res.Status, c.want)
			}
		}
		if status, _, _ := postForm(t, a, "/observations/set/delete-value", viewer.Token, one); status != http.StatusForbidden {
			t.Errorf("a viewer deletes: %d", status)
		}

		// One value: confirmed first, then deleted; the set page says so.
		res := a.Do(nil, http.MethodGet, "/observations/set/delete-value?"+one.Encode(), entrant.Token, nil)
		confirm := string(res.Body)
		if res.Status != http.StatusOK || !strings.Contains(confirm, `data-testid="delete-confirm"`) ||
			!strings.Contains(confirm, `<input type="hidden" name="disagg" value="SEX=F">`) || strings.Contains(confirm, "SEX=M") {
			t.Fatalf("the confirmation of one value: %d", res.Status)
		}
		if n := count(observations.LayerWorking); n != 3 {
			t.Fatalf("a confirmation page deleted: %d values left", n)
		}
		status, loc, _ := postForm(t, a, "/observations/set/delete-value", entrant.Token, one)
		if status != http.StatusSeeOther || loc != "/observations/set?area=484&done=delete&n=1&period=2022&series=VC_HTF_DETV" {
			t.Fatalf("delete one value: %d %s", status, loc)
		}
		if page := string(a.Do(nil, http.MethodGet, loc, entrant.Token, nil).Body); !strings.Contains(page, "1 value deleted; the set is a draft again.") ||
			strings.Contains(page, `data-testid="delete-SEX=F"`) {
			t.Error("the set page does not say what was deleted")
		}
		if status, _, _ := postForm(t, a, "/observations/set/delete-value", entrant.Token, one); status != http.StatusNotFound {
			t.Errorf("deleting a deleted value: %d", status)
		}

		// The rest of the set.
		all := url.Values{"series": {"VC_HTF_DETV"}, "area": {"484"}, "period": {"2022"}}
		confirm = string(a.Do(nil, http.MethodGet, "/observations/set/delete?"+all.Encode(), entrant.Token, nil).Body)
		if !strings.Contains(confirm, "These 2 working values will be deleted") || strings.Contains(confirm, `name="disagg"`) {
			t.Fatal("the confirmation of the set does not list its values")
		}
		status, loc, _ = postForm(t, a, "/observations/set/delete", entrant.Token, all)
		if status != http.StatusSeeOther || loc != "/observations/approval?area=484&done=delete&n=2&period=2022&series=VC_HTF_DETV" {
			t.Fatalf("delete the set: %d %s", status, loc)
		}
		queue := string(a.Do(nil, http.MethodGet, loc, entrant.Token, nil).Body)
		if !strings.Contains(queue, "2 values deleted; their set is a draft again.") || !strings.Contains(queue, `data-testid="set-VC_HTF_DETV-484-2022"`) {
			t.Error("the queue does not show the emptied set")
		}
		if n := count(observations.LayerWorking); n != 0 {
			t.Errorf("%d working values left", n)
		}
		if n := count(observations.LayerPublished); n != 3 {
			t.Errorf("%d published values before republication, want 3", n)
		}
		publish()
		if n := count(observations.LayerPublished); n != 0 {
			t.Errorf("%d published values after republication, want none", n)
		}
		if status, _, _ := postForm(t, a, "/observations/set/delete", entrant.Token, all); status != http.StatusNotFound {
			t.Errorf("deleting an empty set: %d", status)
		}
	})
}
