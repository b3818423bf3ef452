// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/testutil"
)

type indicatorListJSON struct {
	Items []struct {
		Code, Kind, Computation string
		Series                  []string
	} `json:"items"`
}

func TestIndicatorsArePublicWithETags(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		res := a.Do(nil, http.MethodGet, "/api/v1/indicators", "", nil)
		if res.Status != http.StatusOK || res.Header.Get("ETag") == "" {
			t.Fatalf("list: %d %s", res.Status, res.Header)
		}
		var list indicatorListJSON
		res.JSON(t, &list)
		if len(list.Items) < 40 {
			t.Fatalf("%d indicators", len(list.Items))
		}
		c := a.Client()
		req, _ := http.NewRequest(http.MethodGet, a.Server.URL+"/api/v1/indicators", nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		r2, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = r2.Body.Close()
		if r2.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", r2.StatusCode)
		}
		res = a.Do(nil, http.MethodGet, "/api/v1/indicators?kind=structural&computation=commitments", "", nil)
		res.JSON(t, &list)
		if len(list.Items) == 0 {
			t.Fatal("no structural commitments indicator")
		}
		for _, it := range list.Items {
			if it.Kind != "structural" || it.Computation != "commitments" {
				t.Errorf("filter let through %+v", it)
			}
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/indicators?kind=impact", "", nil); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("unknown kind: %d", res.Status)
		}
		res = a.Do(nil, http.MethodGet, "/api/v1/indicators/10.c.1", "", nil)
		if res.Status != http.StatusOK || !bytes.Contains(res.Body, []byte(`"SI_RMT_COST_BC"`)) || !bytes.Contains(res.Body, []byte(`"target_value":3`)) {
			t.Errorf("10.c.1: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/indicators/99.9.9", "", nil); res.Status != http.StatusNotFound {
			t.Errorf("unknown: %d", res.Status)
		}
	})
}

func TestIndicatorWrites(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "analyst", "caseworker")
		body := map[string]any{"code": "NAP.O1", "kind": "outcome", "computation": "formula",
			"expression": "#{AMP_AP7_O1} / #{AMP_AP7_O2} * 100", "unit": "PT", "names": map[string]string{"en": "Share", "fr": "Part"},
			"nodes": []string{"A68190:7"}}
		if res := a.Do(nil, http.MethodPost, "/api/v1/indicators", f.users["caseworker"].Token, body); res.Status != http.StatusForbidden {
			t.Errorf("caseworker create: %d", res.Status)
		}
		res := a.Do(nil, http.MethodPost, "/api/v1/indicators", f.users["analyst"].Token, body)
		if res.Status != http.StatusCreated || !bytes.Contains(res.Body, []byte(`"AMP_NAP_O1"`)) {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		body["expression"] = "#{NOPE} * 2"
		res = a.Do(nil, http.MethodPut, "/api/v1/indicators/NAP.O1", f.users["analyst"].Token, body)
		if res.Status != http.StatusUnprocessableEntity || !bytes.Contains(res.Body, []byte("unknown_series")) {
			t.Errorf("bad formula: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodDelete, "/api/v1/indicators/10.7.3", f.users["analyst"].Token, nil); res.Status != http.StatusConflict {
			t.Errorf("delete shipped: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodDelete, "/api/v1/indicators/NAP.O1", f.users["analyst"].Token, nil); res.Status != http.StatusNoContent {
			t.Errorf("delete: %d", res.Status)
		}
	})
}

// TestRecordLiveThroughDisclosureControl counts children in immigration
// detention among the cases of Spain: three are withheld (below k = 11),
// twelve are published rounded (15, never below k) and recorded as a
// provisional draft observation.
func TestRecordLiveThroughDisclosureControl(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "analyst", "caseworker", "viewer")
		cw := f.users["caseworker"]
		ctx := context.Background()
		child := func() {
			per, err := a.Persons.Create(ctx, cw.Principal, persons.Input{
				Identity:   persons.Identity{GivenName: testutil.Sentinel("given"), FamilyName: testutil.Sentinel("family")},
				Attributes: persons.Attributes{BirthYear: 2015, Nationality: "MAR", CurrentCountry: "ESP"}})
			if err != nil {
				t.Fatal(err)
			}
			c, err := a.Cases.Create(ctx, cw.Principal, cases.NewCase{Concerns: []cases.Concern{"detention"},
				Persons: []cases.PersonLinkInput{{PersonID: per.ID, Role: cases.RolePrincipal}}})
			if err != nil {
				t.Fatal(err)
			}
			a.DetainImmigration(cw, c, per.ID, a.Clock.Now().AddDate(0, 0, -3))
		}
		for range 3 {
			child()
		}
		rec := map[string]string{"area": "ESP", "period": "2026"}
		res := a.Do(nil, http.MethodPost, "/api/v1/indicators/AP1.O1/record-live", f.users["analyst"].Token, rec)
		if res.Status != http.StatusConflict || !bytes.Contains(res.Body, []byte("indicator.withheld")) {
			t.Fatalf("3 children: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodPost, "/api/v1/indicators/AP1.O1/record-live", f.users["viewer"].Token, rec); res.Status != http.StatusForbidden {
			t.Errorf("viewer: %d", res.Status)
		}
		for range 9 {
			child()
		}
		res = a.Do(nil, http.MethodPost, "/api/v1/indicators/AP1.O1/record-live", f.users["analyst"].Token, rec)
		if res.Status != http.StatusCreated {
			t.Fatalf("12 children: %d %s", res.Status, res.Body)
		}
		var got struct {
			Series, Area, Period, Status string
			Value                        float64
		}
		res.JSON(t, &got)
		if got.Value != 15 || got.Area != "724" || got.Series != "AMP_AP1_O1" || got.Status != "P" {
			t.Errorf("recorded %+v", got)
		}
		if bytes.Contains(bytes.ToUpper(res.Body), []byte("SNTL")) {
			t.Error("a live value carries personal data")
		}
		o, ok, err := a.Observations.Value(ctx, observations.LayerWorking, observations.Key{Series: "AMP_AP1_O1", Area: "724", Period: "2026"})
		if err != nil || !ok || o.Value != 15 {
			t.Errorf("working value: %+v %v %v", o, ok, err)
		}
		if _, ok, _ := a.Observations.Value(ctx, observations.LayerPublished, observations.Key{Series: "AMP_AP1_O1", Area: "724", Period: "2026"}); ok {
			t.Error("a live value was published without approval")
		}
		if res := a.Do(nil, http.MethodPost, "/api/v1/indicators/AP7.O1/record-live", f.users["analyst"].Token, rec); res.Status != http.StatusConflict {
			t.Errorf("entered indicator: %d", res.Status)
		}
	})
}
