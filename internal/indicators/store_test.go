// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

var (
	analyst = access.Principal{UserID: "01ANALYST0000000000000000A", Role: "analyst", MFA: true}
	viewer  = access.Principal{UserID: "01VIEWER00000000000000000V", Role: "viewer"}
)

type fixture struct {
	s       *Service
	obs     *observations.Service
	commits *commitments.Service
	log     *audit.Log
}

func newFixture(t *testing.T, db *store.DB, members func(string) []string) fixture {
	t.Helper()
	clk := clock.NewFake(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	f := fixture{log: log, commits: commitments.New(commitments.Config{DB: db, Audit: log, Clock: clk})}
	f.s = New(Config{DB: db, Audit: log, Clock: clk, Commitments: f.commits, Members: members})
	f.obs = observations.New(observations.Config{DB: db, Audit: log, Clock: clk, Series: f.s.SeriesInfo})
	f.s.obs = f.obs
	if err := f.s.EnsureShipped(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestEnsureShippedAndCRUD(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil)
		shipped, _, _ := Shipped()
		all, err := f.s.List(ctx, Filter{})
		if err != nil || len(all) != len(shipped) {
			t.Fatalf("list: %d, %v; want %d", len(all), err, len(shipped))
		}
		// Idempotent: a second run changes nothing, and keeps an edit.
		in, err := f.s.Get(ctx, "10.c.1")
		if err != nil || !in.Shipped || in.TargetValue == nil || *in.TargetValue != 3 || in.TargetYear != 2030 || in.MainSeries() != "SI_RMT_COST" {
			t.Fatalf("10.c.1: %+v, %v", in, err)
		}
		in.Custodian = "World Bank (edited)"
		if _, err := f.s.Update(ctx, analyst, "10.c.1", in, nil); err != nil {
			t.Fatal(err)
		}
		if err := f.s.EnsureShipped(ctx); err != nil {
			t.Fatal(err)
		}
		if in, _ = f.s.Get(ctx, "10.c.1"); in.Custodian != "World Bank (edited)" || len(in.Series) != 3 {
			t.Errorf("EnsureShipped overwrote an edit: %+v", in)
		}

		info, err := f.s.SeriesInfo(ctx, "SL_EMP_FTLINJUR")
		if err != nil || info.Indicator != "8.8.1" || len(info.Dimensions) != 2 {
			t.Errorf("SeriesInfo = %+v, %v", info, err)
		}
		if _, err := f.s.SeriesInfo(ctx, "NOPE"); !errors.Is(err, observations.ErrUnknownSeries) {
			t.Errorf("unknown series: %v", err)
		}

		// Filters.
		if list, _ := f.s.List(ctx, Filter{Computation: Live}); len(list) != 4 {
			t.Errorf("live indicators: %d", len(list))
		}
		if list, _ := f.s.ForNode(ctx, "SDG:10.c"); len(list) < 2 {
			t.Errorf("SDG:10.c has %d indicators", len(list))
		}
		if list, _ := f.s.List(ctx, Filter{Query: "remesas", Lang: "es"}); len(list) == 0 {
			t.Error("search in Spanish found nothing")
		}

		// Create, with the checks that need the database.
		newIn := Indicator{Code: "NAP.P1", Kind: Process, Computation: Formula, Unit: "PT",
			Names: map[string]string{"en": "Share of migrants", "fr": "Part des migrants"}, Expression: "#{AMP_AP7_O1} / #{NOPE} * 100",
			Nodes: []string{"A68190:7"}}
		if _, err := f.s.Create(ctx, viewer, newIn, nil); !errors.Is(err, ErrForbidden) {
			t.Fatalf("viewer create: %v", err)
		}
		_, err = f.s.Create(ctx, analyst, newIn, nil)
		var fe *fielderr.Error
		if !errors.As(err, &fe) || len(fe.Errors) != 1 || fe.Errors[0] != (fielderr.FieldError{Field: "expression", Code: CodeUnknownSeries}) {
			t.Fatalf("unknown series in formula: %v", err)
		}
		newIn.Expression = "#{AMP_AP7_O1} / #{AMP_AP7_O2} * 100"
		got, err := f.s.Create(ctx, analyst, newIn, nil)
		if err != nil || got.MainSeries() != "AMP_NAP_P1" || got.CreatedBy != analyst.UserID || got.Shipped {
			t.Fatalf("create: %+v, %v", got, err)
		}
		if _, err := f.s.Create(ctx, analyst, newIn, nil); !errors.As(err, &fe) || fe.Errors[0].Field != "code" {
			t.Errorf("duplicate create: %v", err)
		}
		if err := f.s.Delete(ctx, analyst, "10.7.3"); !errors.Is(err, ErrShipped) {
			t.Errorf("delete shipped: %v", err)
		}
		if err := f.s.Delete(ctx, analyst, "NAP.P1"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Get(ctx, "NAP.P1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("deleted indicator: %v", err)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE object_type = 'indicator'`).Scan(&n); err != nil || n != 3 {
			t.Errorf("audit entries: %d, %v; want update, create and delete", n, err)
		}
	})
}

func put(t *testing.T, f fixture, rows ...observations.Observation) {
	t.Helper()
	if _, err := f.obs.Put(context.Background(), analyst, observations.KindForm, rows); err != nil {
		t.Fatal(err)
	}
}

func o(series, area, disagg, period string, v float64) observations.Observation {
	return observations.Observation{Series: series, Area: area, Disagg: disagg, Period: period, Value: v}
}

func TestValuesAndAggregate(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		members := func(region string) []string {
			if region == "999" {
				return []string{"076", "484", "032"}
			}
			return observations.RegionMembers(region)
		}
		f := newFixture(t, db, members)
		w := observations.LayerWorking
		// Migrants and population: Brazil, Mexico; Argentina has migrants
		// only.
		put(t, f, o("AMP_AP7_O1", "076", "", "2020", 1000), o("AMP_AP7_O1", "484", "", "2020", 3000),
			o("AMP_AP7_O1", "032", "", "2020", 500), o("AMP_AP7_O1", "076", "SEX=F", "2020", 400),
			o("AMP_AP7_O2", "076", "", "2020", 100000), o("AMP_AP7_O2", "484", "", "2020", 50000),
			o("AMP_AP2_O2", "076", "", "2020", 300), o("AMP_AP2_O3", "076", "", "2020", 0))

		entered, err := f.s.Values(ctx, w, "AP7.O1", []string{"076"}, "2020", "2020")
		if err != nil || len(entered) != 2 {
			t.Fatalf("entered: %v, %v", entered, err)
		}
		formula, err := f.s.Values(ctx, w, "AP7.O3", nil, "", "")
		if err != nil || len(formula) != 2 || formula[0].Area != "076" || formula[0].Value != 1 || formula[1].Value != 6 {
			t.Fatalf("formula (Argentina has no population): %+v, %v", formula, err)
		}
		// Division by zero gives no value.
		if v, err := f.s.Values(ctx, w, "AP2.O1", nil, "", ""); err != nil || len(v) != 0 {
			t.Errorf("0 earnings: %+v, %v", v, err)
		}
		// Published layer: nothing published yet.
		if v, _ := f.s.Values(ctx, observations.LayerPublished, "AP7.O3", nil, "", ""); len(v) != 0 {
			t.Errorf("published: %+v", v)
		}
		if _, err := f.s.Values(ctx, w, "AP1.O1", nil, "", ""); !errors.Is(err, ErrNotComputable) {
			t.Errorf("live through Values: %v", err)
		}

		sum, ok, err := f.s.Aggregate(ctx, w, "AP7.O1", "999", "2020")
		if err != nil || !ok || sum.Value != 4500 || sum.Footnote != "3 of 3 areas" {
			t.Errorf("sum: %+v %v %v", sum, ok, err)
		}
		// Weighted by population: (1 × 100000 + 6 × 50000) / 150000 = 4000/150000 × 100.
		mean, ok, err := f.s.Aggregate(ctx, w, "AP7.O3", "999", "2020")
		if err != nil || !ok || math.Abs(mean.Value-(4000.0/150000*100)) > 1e-9 {
			t.Errorf("weighted mean: %+v %v %v", mean, ok, err)
		}
		if _, ok, _ := f.s.Aggregate(ctx, w, "10.c.1", "999", "2020"); ok {
			t.Error("10.c.1 has no aggregation rule but was aggregated")
		}
	})
}

func TestCompositeAndCommitmentValues(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil)
		var rows []observations.Observation
		for d := 1; d <= 6; d++ {
			for q := 1; q <= 5; q++ {
				v := 0.0
				if q < d {
					v = 1
				}
				rows = append(rows, o(Answers1072Series, "484", ItemKey(d, q), "2021", v))
			}
		}
		rows = append(rows, o(Answers1072Series, "076", ItemKey(1, 1), "2021", 1)) // incomplete
		put(t, f, rows...)
		vals, err := f.s.Values(ctx, observations.LayerWorking, "10.7.2", nil, "", "")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, v := range vals {
			if v.Area != "484" {
				t.Fatalf("an incomplete set was scored: %+v", v)
			}
			got[v.Series+"|"+v.Disagg] = v.Value
		}
		if got["SG_CPA_MIGRS|"] != 2 || got["SG_CPA_MIGRS|ITEM=D5"] != 3 || got["SG_CPA_MIGRS|ITEM=D6"] != 4 || got["AMP_10_7_2_SCORE|"] != 50 || got["AMP_10_7_2_SCORE|ITEM=D2"] != 20 {
			t.Errorf("scores: %v", got)
		}

		for _, in := range []commitments.Input{
			{Country: "MEX", Instrument: "ICRMW", Action: "ratification", Date: "1999-03-08", Source: "https://treaties.un.org/", AsOf: "2026-01-01"},
			{Country: "MEX", Instrument: "CRC", Action: "ratification", Date: "1990-09-21", Source: "https://treaties.un.org/", AsOf: "2026-01-01"},
			{Country: "USA", Instrument: "CRC", Action: "signature", Date: "1995-02-16", Source: "https://treaties.un.org/", AsOf: "2026-01-01"},
		} {
			if _, err := f.commits.Create(ctx, access.Principal{UserID: "u", Role: "analyst", MFA: true}, in); err != nil {
				t.Fatal(err)
			}
		}
		party, err := f.s.Values(ctx, observations.LayerPublished, "AP1.S2", nil, "1998", "1999")
		// 1998: no record yet, no value (no record is no data, not "not a party").
		if err != nil || len(party) != 1 || party[0].Value != 1 || party[0].Area != "484" || party[0].Period != "1999" {
			t.Errorf("party to ICRMW 1998–1999: %+v, %v", party, err)
		}
		core, err := f.s.Values(ctx, observations.LayerPublished, "AP1.S1", nil, "2000", "2000")
		if err != nil || len(core) != 2 {
			t.Fatalf("core: %+v, %v", core, err)
		}
		if core[0].Area != "484" || core[0].Value != 2 || core[1].Area != "840" || core[1].Value != 0 {
			t.Errorf("core treaties: %+v", core)
		}
	})
}
