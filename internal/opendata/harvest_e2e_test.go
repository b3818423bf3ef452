// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/api"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/opendata"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// serve answers A's open data through the API's own handlers (gzip on, as
// the server has it) over TLS.
func serve(t *testing.T, od *opendata.Service) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	for _, rt := range api.New(api.Config{OpenData: od, Logger: slog.New(slog.DiscardHandler)}).Routes() {
		if strings.Contains(rt.Pattern, "/api/v1/opendata") {
			mux.HandleFunc(rt.Pattern, rt.Handler)
		}
	}
	srv := httptest.NewTLSServer(httpx.Compress()(mux))
	t.Cleanup(srv.Close)
	return srv
}

// otherDB opens a second database on the engine of url.
func otherDB(t *testing.T, url string) *store.DB {
	if storetest.IsPostgres(url) {
		return storetest.Open(t, storetest.URL(t, "postgres"))
	}
	return storetest.Open(t, filepath.Join(t.TempDir(), "b.db"))
}

// TestHarvestEndToEnd: instance A publishes; instance B, with A's host on
// its allow-list, harvests A over TLS. B's values are drafts whose import
// names A as origin; a second run with nothing new published gets 304.
func TestHarvestEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		a := opendata.NewTestInstance(t, storetest.Open(t, url), opendata.Outbound{})
		a.Publish(t, opendata.TestPublished)
		srv := serve(t, a.Service())

		b := opendata.NewTestInstance(t, otherDB(t, url), opendata.Outbound{
			AllowHosts: []string{"127.0.0.1"}, Transport: srv.Client().Transport})
		src, err := b.Service().CreateSource(ctx, access.System, opendata.SourceInput{Name: "National office A",
			URL: srv.URL + "/", IntervalHours: 24, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := b.Service().RunSource(ctx, access.System, src.ID)
		if err != nil {
			t.Fatalf("run: %v (%+v)", err, res)
		}
		if res.Status != opendata.StatusOK || res.Rows != len(opendata.TestPublished) {
			t.Fatalf("run = %+v, want %d rows", res, len(opendata.TestPublished))
		}
		imp, err := b.Observations().ImportByID(ctx, res.ImportID)
		if err != nil {
			t.Fatal(err)
		}
		if imp.Origin != srv.URL || imp.Kind != observations.KindHarvest || imp.Format != "sdmx-csv" {
			t.Errorf("import = %+v, want a harvest from %s", imp, srv.URL)
		}
		sets, _, err := b.Observations().Sets(ctx, access.System, observations.SetFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sets {
			if s.State != observations.Draft {
				t.Errorf("harvested set %+v is %s, want draft", s.SetKey, s.State)
			}
		}
		if n, _ := b.Observations().Count(ctx, observations.Query{Layer: observations.LayerPublished}); n != 0 {
			t.Errorf("%d values published on B without B's approval", n)
		}
		got, ok, err := b.Observations().Value(ctx, observations.LayerWorking,
			observations.Key{Series: "SI_RMT_COST", Area: "484", Disagg: "", Period: "2023-Q4"})
		if err != nil || !ok || got.Value != 5.25 || got.Status != "P" || got.Source != `World Bank "RPW", corridor` ||
			got.Footnote != "line one\nline two <b>" {
			t.Errorf("harvested value = %+v, %v, %v", got, ok, err)
		}

		res, err = b.Service().RunSource(ctx, access.System, src.ID)
		if err != nil || res.Status != opendata.StatusNotModified || res.Rows != 0 {
			t.Errorf("second run = %+v, %v; want not modified", res, err)
		}
		src, _ = b.Service().Source(ctx, access.System, src.ID)
		if src.LastStatus != opendata.StatusNotModified || src.LastRunAt == nil || src.LastETag == "" {
			t.Errorf("source after the second run = %+v", src)
		}

		// A row B cannot take fails the whole run, and nothing is written.
		bad := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", opendata.MediaSDMXCSV+"; version=2.0.0")
			_, _ = w.Write([]byte(strings.Join(opendata.SDMXCSVHeader, ",") + "\r\n" +
				"dataflow,AMPARO:DF_MIGRATION(1.0),I,A,076,SM_POP_TOT,_T,_T,_T,_T,_T,_T,_T,_T,2022,5,A,0,,,\r\n" +
				"dataflow,AMPARO:DF_MIGRATION(1.0),I,A,076,SM_POP_TOT,_T,_T,U,_T,_T,_T,_T,_T,2022,5,A,0,,,\r\n"))
		}))
		defer bad.Close()
		c := opendata.NewTestInstance(t, otherDB(t, url), opendata.Outbound{
			AllowHosts: []string{"127.0.0.1"}, Transport: bad.Client().Transport})
		res, err = c.Service().RunURL(ctx, access.System, bad.URL, nil, nil)
		if err == nil || res.Status != opendata.StatusFailed || !strings.Contains(res.Detail, "line 3") {
			t.Errorf("run with a row B cannot take = %+v, %v", res, err)
		}
		if n, _ := c.Observations().Count(ctx, observations.Query{Layer: observations.LayerWorking}); n != 0 {
			t.Errorf("a failed run wrote %d values", n)
		}

		// A harvest of every series leaves out a series the source
		// publishes and this instance does not define, and says so.
		extra := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", opendata.MediaSDMXCSV+"; version=2.0.0")
			_, _ = w.Write([]byte(strings.Join(opendata.SDMXCSVHeader, ",") + "\r\n" +
				"dataflow,AMPARO:DF_MIGRATION(1.0),I,A,076,SM_POP_TOT,_T,_T,_T,_T,_T,_T,_T,_T,2022,5,A,0,,,\r\n" +
				"dataflow,AMPARO:DF_MIGRATION(1.0),I,A,076,NATIONAL_ONLY,_T,_T,_T,_T,_T,_T,_T,_T,2022,7,A,0,,,\r\n"))
		}))
		defer extra.Close()
		d := opendata.NewTestInstance(t, otherDB(t, url), opendata.Outbound{
			AllowHosts: []string{"127.0.0.1"}, Transport: extra.Client().Transport})
		res, err = d.Service().RunURL(ctx, access.System, extra.URL, nil, nil)
		if err != nil || res.Status != opendata.StatusOK || res.Rows != 1 || !slices.Equal(res.Skipped, []string{"NATIONAL_ONLY"}) {
			t.Errorf("harvest of every series = %+v, %v; want one row and NATIONAL_ONLY left out", res, err)
		}
		res, err = d.Service().RunURL(ctx, access.System, extra.URL, []string{"NATIONAL_ONLY"}, nil)
		if err == nil || res.Status != opendata.StatusFailed {
			t.Errorf("a harvest naming a series not defined here = %+v, %v; want it to fail", res, err)
		}
	})
}

// TestHarvestRefusesHostsNotAllowed: with the default, empty allow-list,
// no source can be saved or fetched.
func TestHarvestRefusesHostsNotAllowed(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		c := opendata.NewTestInstance(t, db, opendata.Outbound{})
		_, err := c.Service().CreateSource(ctx, access.System, opendata.SourceInput{Name: "X",
			URL: "https://example.org", IntervalHours: 24})
		var fe *fielderr.Error
		if !errors.As(err, &fe) || fe.Errors[0].Field != "url" || fe.Errors[0].Code != opendata.CodeHostNotAllowed {
			t.Errorf("create: %v", err)
		}
		if _, err := c.Service().RunURL(ctx, access.System, "https://example.org", nil, nil); !errors.As(err, &fe) {
			t.Errorf("run by URL: %v", err)
		}
		d := opendata.NewTestInstance(t, db, opendata.Outbound{AllowHosts: []string{"example.org"}})
		if _, err := d.Service().CreateSource(ctx, access.System, opendata.SourceInput{Name: "X",
			URL: "http://example.org", IntervalHours: 24}); !errors.As(err, &fe) || fe.Errors[0].Code != opendata.CodeHTTPS {
			t.Errorf("plain http: %v", err)
		}
		viewer := access.Principal{UserID: "v", Role: "analyst", MFA: true}
		if _, err := d.Service().Sources(ctx, viewer); !errors.Is(err, opendata.ErrForbidden) {
			t.Errorf("an analyst lists sources: %v", err)
		}
	})
}
