// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

var (
	analystA = access.Principal{UserID: "user-a", Role: "analyst", MFA: true}
	analystB = access.Principal{UserID: "user-b", Role: "analyst", MFA: true}
)

// testRegistry stands in for the indicators registry: two series, one
// broken down by sex and age.
type testRegistry struct{}

var testMetas = []SeriesMeta{
	{Code: "SI_RMT_COST", Indicator: "10.c.1", Names: map[string]string{"en": "Remittance costs", "fr": "Coût des envois de fonds"},
		IndicatorNames: map[string]string{"en": "Remittance costs as a proportion of the amount remitted"}, Unit: "PT"},
	{Code: "SM_POP_TOT", Indicator: "10.7.X", Names: map[string]string{"en": "International migrant stock"},
		Unit: "NUMBER", UnitMult: 3},
}

func (testRegistry) AllSeries(context.Context) ([]SeriesMeta, error) { return testMetas, nil }

func (testRegistry) Series(_ context.Context, code string) (SeriesMeta, error) {
	for _, m := range testMetas {
		if m.Code == code {
			return m, nil
		}
	}
	return SeriesMeta{}, ErrNotFound
}

func testSeriesInfo(_ context.Context, code string) (observations.SeriesInfo, error) {
	switch code {
	case "SM_POP_TOT":
		return observations.SeriesInfo{Code: code, Indicator: "10.7.X", Dimensions: []string{"SEX", "AGE"}, UnitMult: 3}, nil
	case "SI_RMT_COST":
		return observations.SeriesInfo{Code: code, Indicator: "10.c.1"}, nil
	}
	return observations.SeriesInfo{}, observations.ErrUnknownSeries
}

type instance struct {
	db  *store.DB
	obs *observations.Service
	od  *Service
	clk *clock.Fake
}

func newInstance(t testing.TB, db *store.DB, out Outbound) *instance {
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	obs := observations.New(observations.Config{DB: db, Audit: log, Clock: clk, Series: testSeriesInfo})
	od := New(Config{DB: db, Observations: obs, Registry: testRegistry{}, Audit: log, Clock: clk, Outbound: out})
	return &instance{db: db, obs: obs, od: od, clk: clk}
}

func o(series, area, disagg, period string, v float64) observations.Observation {
	return observations.Observation{Series: series, Area: area, Disagg: disagg, Period: period, Value: v}
}

// publish writes rows, then submits, approves and publishes their sets.
func (in *instance) publish(t testing.TB, rows []observations.Observation) {
	t.Helper()
	ctx := context.Background()
	id, err := in.obs.Put(ctx, analystA, observations.KindForm, rows)
	if err != nil {
		t.Fatal(err)
	}
	sets, _, err := in.obs.Sets(ctx, analystA, observations.SetFilter{ImportID: id, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var keys []observations.SetKey
	for _, s := range sets {
		keys = append(keys, s.SetKey)
	}
	if _, err := in.obs.Submit(ctx, analystA, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := in.obs.Approve(ctx, analystB, keys); err != nil {
		t.Fatal(err)
	}
	in.clk.Advance(time.Second)
	if _, err := in.obs.Publish(ctx, analystB, keys); err != nil {
		t.Fatal(err)
	}
}

// published is the fixture's published values: every dimension shape the
// writers meet (totals, a breakdown, another frequency, texts to escape).
var published = []observations.Observation{
	o("SM_POP_TOT", "076", "", "2020", 1000),
	o("SM_POP_TOT", "076", "SEX=F", "2020", 480.5),
	o("SM_POP_TOT", "076", "AGE=Y15T64;SEX=M", "2020", 300),
	o("SM_POP_TOT", "484", "", "2019", 12),
	o("SM_POP_TOT", "484", "", "2020", 13),
	{Series: "SI_RMT_COST", Area: "MEX", Period: "2023-Q4", Value: 5.25, Status: "P",
		Source: `World Bank "RPW", corridor`, Footnote: "line one\nline two <b>"},
	{Series: "SI_RMT_COST", Area: "MX-CHP", Period: "2023", Value: 6, Source: "=HYPERLINK(\"http://x\")"},
	o("SI_RMT_COST", "419", "", "2023", 6.5),
}

func (in *instance) prepare(t testing.TB, q DataQuery) *Prepared {
	t.Helper()
	if q.Lang == "" {
		q.Lang = "en"
	}
	p, err := in.od.Prepare(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
