// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

var (
	analystA = access.Principal{UserID: "user-a", Role: "analyst", MFA: true}
	analystB = access.Principal{UserID: "user-b", Role: "analyst", MFA: true}
)

// env is the real services on a fresh database, as the application wires
// them.
type env struct {
	db  *store.DB
	obs *observations.Service
	ind *indicators.Service
	fw  *frameworks.Service
	com *commitments.Service
	sc  *Service
	clk *clock.Fake
}

// obsClockAdvance moves time on, so that a new publication is later than
// the last.
func (e *env) obsClockAdvance() { e.clk.Advance(time.Minute) }

func newEnv(t testing.TB, db *store.DB, version func(context.Context) (int64, error)) *env {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	e := &env{db: db, clk: clk}
	e.com = commitments.New(commitments.Config{DB: db, Audit: log, Clock: clk})
	e.fw = frameworks.New(frameworks.Config{DB: db, Audit: log, Clock: clk})
	if err := e.fw.EnsureShipped(ctx); err != nil {
		t.Fatal(err)
	}
	e.obs = observations.New(observations.Config{DB: db, Audit: log, Clock: clk,
		Series: func(ctx context.Context, code string) (observations.SeriesInfo, error) {
			return e.ind.SeriesInfo(ctx, code)
		}})
	e.ind = indicators.New(indicators.Config{DB: db, Audit: log, Clock: clk, Observations: e.obs, Commitments: e.com})
	e.sc = New(Config{DB: db, Observations: e.obs, Frameworks: e.fw, Indicators: e.ind, Commitments: e.com, Clock: clk,
		Version: version})
	return e
}

func ptr(v float64) *float64 { return &v }

// indicator adds an entered indicator of Amparo's own.
func (e *env) indicator(t testing.TB, in indicators.Indicator) {
	t.Helper()
	if in.Kind == "" {
		in.Kind = indicators.Outcome
	}
	in.Computation = indicators.Entered
	if in.Unit == "" {
		in.Unit = "NUMBER"
	}
	in.Names = map[string]string{"en": "Indicator " + in.Code}
	if _, err := e.ind.Create(context.Background(), analystA, in, nil); err != nil {
		t.Fatalf("indicator %s: %v", in.Code, err)
	}
}

func o(series, area, disagg, period string, v float64) observations.Observation {
	return observations.Observation{Series: series, Area: area, Disagg: disagg, Period: period, Value: v}
}

// publish enters rows and takes them through approval to publication.
func (e *env) publish(t testing.TB, rows ...observations.Observation) {
	t.Helper()
	ctx := context.Background()
	id, err := e.obs.Put(ctx, analystA, observations.KindForm, rows)
	if err != nil {
		t.Fatal(err)
	}
	keys := e.drafts(t, id)
	if _, err := e.obs.Submit(ctx, analystA, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := e.obs.Approve(ctx, analystB, keys); err != nil {
		t.Fatal(err)
	}
	if _, err := e.obs.Publish(ctx, analystB, keys); err != nil {
		t.Fatal(err)
	}
}

// drafts are the sets an import made drafts.
func (e *env) drafts(t testing.TB, importID string) []observations.SetKey {
	t.Helper()
	sets, _, err := e.obs.Sets(context.Background(), analystA, observations.SetFilter{State: observations.Draft,
		ImportID: importID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var keys []observations.SetKey
	for _, s := range sets {
		keys = append(keys, s.SetKey)
	}
	return keys
}

// draft enters rows and leaves them unpublished.
func (e *env) draft(t testing.TB, rows ...observations.Observation) {
	t.Helper()
	if _, err := e.obs.Put(context.Background(), analystA, observations.KindForm, rows); err != nil {
		t.Fatal(err)
	}
}

// seed is the data most tests share; clock 2026, so 2022 onwards is recent.
//
//	T.1 higher is better, target 80 by 2030, summed; points 1 and 7
//	T.2 lower is better, target 10 by 2030, mean weighted by T.W; point 2
//	T.3 no target, no aggregate; point 3
func (e *env) seed(t testing.TB) {
	e.indicator(t, indicators.Indicator{Code: "T.1", Polarity: indicators.Higher, TargetValue: ptr(80), TargetYear: 2030,
		Aggregation: indicators.Sum, Disaggregations: []string{"SEX", "MIGRATORY_STATUS"}, Nodes: []string{"A68190:1", "A68190:7"}})
	e.indicator(t, indicators.Indicator{Code: "T.W", Aggregation: indicators.Sum})
	e.indicator(t, indicators.Indicator{Code: "T.2", Polarity: indicators.Lower, TargetValue: ptr(10), TargetYear: 2030,
		Aggregation: indicators.WeightedMean, WeightSeries: "AMP_T_W", Nodes: []string{"A68190:2"}})
	e.indicator(t, indicators.Indicator{Code: "T.3", Nodes: []string{"A68190:3"}})
	e.publish(t,
		o("AMP_T_1", "076", "", "2019", 50), o("AMP_T_1", "076", "", "2022", 60), o("AMP_T_1", "076", "", "2025", 70),
		o("AMP_T_1", "076", "MIGRATORY_STATUS=MS_MIGRANT", "2025", 30),
		o("AMP_T_1", "484", "", "2025", 40), o("AMP_T_1", "484", "SEX=F", "2018", 20),
		o("AMP_T_2", "076", "", "2025", 20), o("AMP_T_2", "484", "", "2025", 5), o("AMP_T_2", "484", "", "2015", 8),
		o("AMP_T_W", "076", "", "2025", 200), o("AMP_T_W", "484", "", "2025", 100),
		o("AMP_T_3", "001", "", "2024", 7),
	)
	// Never published: must not show anywhere.
	e.draft(t, o("AMP_T_1", "032", "", "2025", 999), o("AMP_T_1", "076", "", "2026", 999))
}
