// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/opendata"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil"
)

var (
	odAnalyst  = access.Principal{UserID: "od-analyst", Role: access.RoleAnalyst, MFA: true}
	odApprover = access.Principal{UserID: "od-approver", Role: access.RoleAnalyst, MFA: true}
)

// odPublish enters rows of a shipped series and publishes them; it leaves
// one more value as a draft, which must never be seen.
func odPublish(t *testing.T, a *testutil.App) {
	t.Helper()
	ctx := context.Background()
	rows := []observations.Observation{
		{Series: "SI_RMT_COST", Area: "MEX", Period: "2023", Value: 5.25, Source: "World Bank RPW"},
		{Series: "SI_RMT_COST", Area: "BRA", Period: "2023", Value: 6.5},
	}
	if _, err := a.Observations.Put(ctx, odAnalyst, observations.KindForm, rows); err != nil {
		t.Fatal(err)
	}
	keys := []observations.SetKey{{Series: "SI_RMT_COST", Area: "484", Period: "2023"}, {Series: "SI_RMT_COST", Area: "076", Period: "2023"}}
	if _, err := a.Observations.Submit(ctx, odAnalyst, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Approve(ctx, odApprover, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Publish(ctx, odApprover, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Observations.Put(ctx, odAnalyst, observations.KindForm, []observations.Observation{
		{Series: "SI_RMT_COST", Area: "MEX", Period: "2024", Value: 987654}}); err != nil {
		t.Fatal(err)
	}
}

func odGet(t *testing.T, a *testutil.App, path string, h http.Header) testutil.Response {
	t.Helper()
	return send(t, a, nil, http.MethodGet, path, "", h, nil)
}

func TestOpenData(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		odPublish(t, a)
		res := odGet(t, a, "/api/v1/opendata/series", nil)
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"SI_RMT_COST"`) {
			t.Fatalf("series: %d %s", res.Status, res.Body)
		}
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=300" {
			t.Errorf("Cache-Control = %q", got)
		}
		for _, c := range []struct {
			path, accept, want string
		}{
			{"/api/v1/opendata/series/SI_RMT_COST/data", "", "application/json"},
			{"/api/v1/opendata/series/SI_RMT_COST/data?format=csv", "", "text/csv"},
			{"/api/v1/opendata/series/SI_RMT_COST/data?format=hxl", "", "text/csv"},
			{"/api/v1/opendata/series/SI_RMT_COST/data", "application/vnd.sdmx.data+csv;version=2.0.0", "application/vnd.sdmx.data+csv"},
			{"/api/v1/opendata/series/SI_RMT_COST/data", "application/vnd.sdmx.data+json;version=2.0.0", "application/vnd.sdmx.data+json"},
			{"/api/v1/opendata/data?series=SI_RMT_COST&area=MEX,076&from=2020&to=2023&disagg=_T", "text/csv", "text/csv"},
		} {
			h := http.Header{}
			if c.accept != "" {
				h.Set("Accept", c.accept)
			}
			res := odGet(t, a, c.path, h)
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), c.want) {
				t.Errorf("%s (%s): %d %s", c.path, c.accept, res.Status, res.Header.Get("Content-Type"))
				continue
			}
			if !strings.Contains(string(res.Body), "5.25") || strings.Contains(string(res.Body), "987654") {
				t.Errorf("%s (%s): published value missing or draft shown", c.path, c.accept)
			}
			if res.Header.Get("Vary") == "" || res.Header.Get("ETag") == "" {
				t.Errorf("%s: no Vary or ETag", c.path)
			}
			h.Set("If-None-Match", res.Header.Get("ETag"))
			if again := odGet(t, a, c.path, h); again.Status != http.StatusNotModified || len(again.Body) != 0 {
				t.Errorf("%s with If-None-Match: %d", c.path, again.Status)
			}
		}
		for path, want := range map[string]int{
			"/api/v1/opendata/series/NO_SUCH":                            http.StatusNotFound,
			"/api/v1/opendata/data?series=NO_SUCH":                       http.StatusNotFound,
			"/api/v1/opendata/data?area=XX9":                             http.StatusBadRequest,
			"/api/v1/opendata/data?from=2020-Q9":                         http.StatusBadRequest,
			"/api/v1/opendata/data?disagg=SEX%3DQ":                       http.StatusBadRequest,
			"/api/v1/opendata/data?lang=xx":                              http.StatusBadRequest,
			"/api/v1/opendata/data?format=xlsx":                          http.StatusNotAcceptable,
			"/api/v1/opendata/series/SI_RMT_COST/data?to=2019&from=2020": http.StatusBadRequest,
		} {
			if res := odGet(t, a, path, nil); res.Status != want {
				t.Errorf("%s: %d, want %d", path, res.Status, want)
			}
		}
		if res := odGet(t, a, "/api/v1/opendata/data", http.Header{"Accept": {"application/xml"}}); res.Status != http.StatusNotAcceptable {
			t.Errorf("Accept: application/xml: %d, want 406", res.Status)
		}
		if res := odGet(t, a, "/api/v1/opendata", nil); res.Status != http.StatusOK {
			t.Errorf("index: %d", res.Status)
		}
	})
}

// TestHarvestBetweenInstances: instance A publishes; instance B, with A's
// host allowed, harvests A's open data over A's TLS server; its values are
// drafts whose import names A; a second run with nothing new gets 304.
func TestHarvestBetweenInstances(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			a := testutil.New(t, storetest.URL(t, engine))
			odPublish(t, a)
			b := testutil.New(t, storetest.URL(t, engine))
			// B as configured with --outbound-hosts 127.0.0.1, trusting A's
			// test certificate.
			od := opendata.New(opendata.Config{DB: b.DB, Observations: b.Observations,
				Registry: opendata.FromIndicators(b.Indicators), Audit: b.Audit, Clock: b.Clock,
				Outbound: opendata.Outbound{AllowHosts: []string{"127.0.0.1"}, Transport: a.Server.Client().Transport}})
			src, err := od.CreateSource(ctx, access.System, opendata.SourceInput{Name: "A", URL: a.Server.URL,
				Series: "SI_RMT_COST", IntervalHours: 24, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			res, err := od.RunSource(ctx, access.System, src.ID)
			if err != nil || res.Status != opendata.StatusOK || res.Rows != 2 {
				t.Fatalf("first run = %+v, %v", res, err)
			}
			imp, err := b.Observations.ImportByID(ctx, res.ImportID)
			if err != nil || imp.Origin != a.Server.URL || imp.Kind != observations.KindHarvest {
				t.Errorf("import = %+v, %v", imp, err)
			}
			sets, _, err := b.Observations.Sets(ctx, access.System, observations.SetFilter{Series: "SI_RMT_COST", Limit: 10})
			if err != nil || len(sets) != 2 {
				t.Fatalf("sets = %+v, %v", sets, err)
			}
			for _, s := range sets {
				if s.State != observations.Draft {
					t.Errorf("set %+v is %s, want draft", s.SetKey, s.State)
				}
			}
			if res, err := od.RunSource(ctx, access.System, src.ID); err != nil || res.Status != opendata.StatusNotModified {
				t.Errorf("second run = %+v, %v", res, err)
			}
			// B as shipped: nothing allowed, nothing fetched.
			if _, err := b.OpenData.RunURL(ctx, access.System, a.Server.URL, nil, nil); err == nil {
				t.Error("the default allow-list let a harvest through")
			}
		})
	}
}
