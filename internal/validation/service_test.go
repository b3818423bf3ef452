// SPDX-License-Identifier: AGPL-3.0-or-later

package validation_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/validation"
)

var (
	ctx     = context.Background()
	analyst = access.Principal{UserID: "user-a", Role: "analyst", MFA: true}
	viewer  = access.Principal{UserID: "user-v", Role: "viewer"}
)

// testSeries stands in for the indicators registry.
func testSeries(_ context.Context, code string) (observations.SeriesInfo, error) {
	switch code {
	case "VC_HTF_DETV", "SM_DTH_MIGR":
		return observations.SeriesInfo{Code: code, Dimensions: []string{"SEX", "AGE"}}, nil
	case "SI_RMT_COST", "SI_RMT_COST_BC", "SI_RMT_COST_SC", "SL_EMP_RCOST_MO", "SL_LBR_NTLCPL", "IQ_SCI_OVRL",
		"SL_EMP_FTLINJUR", "SL_EMP_INJUR", "SM_POP_REFG_OR":
		return observations.SeriesInfo{Code: code}, nil
	}
	return observations.SeriesInfo{}, observations.ErrUnknownSeries
}

type fixture struct {
	db  *store.DB
	log *audit.Log
	obs *observations.Service
	val *validation.Service
}

func newFixture(t *testing.T, db *store.DB) fixture {
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	log := audit.New(db, clk)
	obs := observations.New(observations.Config{DB: db, Audit: log, Clock: clk, Series: testSeries})
	return fixture{db: db, log: log, obs: obs,
		val: validation.New(validation.Config{DB: db, Audit: log, Clock: clk, Series: testSeries, Observations: obs})}
}

func (f fixture) rule(t *testing.T, code, left, op, right, missing, importance string) validation.Rule {
	t.Helper()
	r, err := f.val.Create(ctx, analyst, validation.Input{Code: code, Names: map[string]string{"en": code},
		Left: left, Operator: op, Right: right, Missing: missing, Importance: importance, Active: true})
	if err != nil {
		t.Fatalf("Create %s: %v", code, err)
	}
	return r
}

func (f fixture) put(t *testing.T, rows ...observations.Observation) {
	t.Helper()
	if _, err := f.obs.Put(ctx, analyst, observations.KindForm, rows); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

func ob(series, area, disagg, period string, v float64) observations.Observation {
	return observations.Observation{Series: series, Area: area, Disagg: disagg, Period: period, Value: v}
}

func fieldCodes(err error) []string {
	var fe *fielderr.Error
	if !errors.As(err, &fe) {
		return nil
	}
	var out []string
	for _, e := range fe.Errors {
		out = append(out, e.Field+":"+e.Code)
	}
	return out
}

func TestRuleCRUD(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		r := f.rule(t, "htf.sex", "#{VC_HTF_DETV:SEX=M}+#{VC_HTF_DETV:SEX=F}", "==", "#{VC_HTF_DETV:SEX=_T}", "", "")
		if r.Code != "HTF.SEX" || r.Left != "#{VC_HTF_DETV:SEX=M} + #{VC_HTF_DETV:SEX=F}" || r.Right != "#{VC_HTF_DETV}" ||
			r.Missing != validation.SkipIfAnyMissing || r.Importance != validation.Medium {
			t.Fatalf("created %+v", r)
		}
		bad := []struct {
			in   validation.Input
			want []string
		}{
			{validation.Input{}, []string{"code:required", "names.en:required", "left_expr:required", "right_expr:required", "operator:invalid"}},
			{validation.Input{Code: "X", Names: map[string]string{"en": "x", "xx": "y"}, Left: "1 +", Operator: "=", Right: "#{NOPE}", Missing: "sometimes", Importance: "huge"},
				[]string{"names.xx:invalid", "left_expr:syntax", "operator:invalid", "missing:invalid", "importance:invalid", "right_expr:unknown_series"}},
			{validation.Input{Code: "Y", Names: map[string]string{"en": "y"}, Left: "#{SI_RMT_COST:SEX=F}", Operator: "<", Right: "1"},
				[]string{"left_expr:dimension_not_allowed"}},
			{validation.Input{Code: "htf.SEX", Names: map[string]string{"en": "y"}, Left: "1", Operator: "<", Right: "2"},
				[]string{"code:taken"}},
		}
		for _, b := range bad {
			_, err := f.val.Create(ctx, analyst, b.in)
			got := fieldCodes(err)
			slices.Sort(got)
			slices.Sort(b.want)
			if !slices.Equal(got, b.want) {
				t.Errorf("Create(%+v) errors %v, want %v", b.in, got, b.want)
			}
		}
		if _, err := f.val.Create(ctx, viewer, validation.Input{}); !errors.Is(err, validation.ErrForbidden) {
			t.Errorf("viewer create: %v", err)
		}
		if _, err := f.val.Rules(ctx, access.Anonymous, validation.Filter{}); !errors.Is(err, validation.ErrForbidden) {
			t.Errorf("anonymous list: %v", err)
		}
		off, err := f.val.SetActive(ctx, analyst, r.ID, false)
		if err != nil || off.Active {
			t.Fatalf("SetActive: %+v %v", off, err)
		}
		active, err := f.val.Rules(ctx, analyst, validation.Filter{ActiveOnly: true})
		if err != nil || len(active) != 0 {
			t.Fatalf("active rules %v %v", active, err)
		}
		if _, err := f.val.Rule(ctx, analyst, "nope"); !errors.Is(err, validation.ErrNotFound) {
			t.Errorf("missing rule: %v", err)
		}
		entries, _, err := f.log.List(ctx, audit.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			if e.ObjectType == "validation_rule" {
				actions = append(actions, e.Action+":"+e.ObjectID+":"+joinFields(e.Fields))
			}
		}
		want := []string{"validation_rule.create:" + r.ID + ":", "validation_rule.update:" + r.ID + ":active"}
		slices.Sort(actions)
		if !slices.Equal(actions, want) {
			t.Errorf("audit %v, want %v", actions, want)
		}
	})
}

func joinFields(f []string) string {
	out := ""
	for i, s := range f {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func TestEnsureShippedIsIdempotent(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for range 2 {
			if err := f.val.EnsureShipped(ctx); err != nil {
				t.Fatal(err)
			}
		}
		rules, err := f.val.Rules(ctx, analyst, validation.Filter{})
		if err != nil || len(rules) < 5 {
			t.Fatalf("%d rules, %v", len(rules), err)
		}
		first := rules[0]
		if !first.Shipped || !first.Active {
			t.Fatalf("shipped rule %+v", first)
		}
		if _, err := f.val.SetActive(ctx, analyst, first.ID, false); err != nil {
			t.Fatal(err)
		}
		if err := f.val.EnsureShipped(ctx); err != nil {
			t.Fatal(err)
		}
		again, _ := f.val.Rule(ctx, analyst, first.ID)
		if again.Active {
			t.Error("EnsureShipped turned a deactivated rule back on")
		}
		sex, _ := f.val.Rules(ctx, analyst, validation.Filter{Series: []string{"VC_HTF_DETV"}})
		if len(sex) != 2 {
			t.Errorf("rules on VC_HTF_DETV: %d", len(sex))
		}
	})
}

// TestRunOnBatchSeesUncommittedRows checks the rules inside the batch's
// transaction: the batch's own rows and values stored before are both
// seen; an area and period the batch did not touch is not checked.
func TestRunOnBatchSeesUncommittedRows(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.rule(t, "SEXSUM", "#{VC_HTF_DETV:SEX=F} + #{VC_HTF_DETV:SEX=M}", "==", "#{VC_HTF_DETV}", validation.SkipIfAnyMissing, validation.High)
		f.rule(t, "PCT", "#{SI_RMT_COST}", "<=", "100", validation.SkipIfAnyMissing, validation.Medium)
		// Stored before: a wrong total for Brazil 2019 (not touched below)
		// and Brazil 2020's total, which the batch's women and men must
		// add up to.
		f.put(t, ob("VC_HTF_DETV", "076", "", "2019", 10), ob("VC_HTF_DETV", "076", "SEX=F", "2019", 1),
			ob("VC_HTF_DETV", "076", "", "2020", 100))
		var got []validation.Violation
		_, _, err := f.obs.Import(ctx, analyst, observations.ImportInfo{Kind: observations.KindFile}, func(b *observations.Batch) error {
			for i, o := range []observations.Observation{
				ob("VC_HTF_DETV", "076", "SEX=F", "2020", 40),
				ob("VC_HTF_DETV", "076", "SEX=M", "2020", 61),
				ob("VC_HTF_DETV", "484", "SEX=F", "2020", 5), // Mexico: no total, skipped
				ob("SI_RMT_COST", "484", "", "2020", 7.5),
				ob("SI_RMT_COST", "484", "", "2021", 107),
			} {
				if err := b.Add(i+1, o); err != nil {
					return err
				}
			}
			var err error
			got, err = f.val.RunOnBatch(ctx, b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 {
			t.Fatalf("violations %+v", got)
		}
		if v := got[0]; v.RuleCode != "PCT" || v.Area != "484" || v.Period != "2021" || *v.Left != 107 || *v.Right != 100 || v.Operator != "<=" {
			t.Errorf("first %+v", v)
		}
		if v := got[1]; v.RuleCode != "SEXSUM" || v.Area != "076" || v.Period != "2020" || *v.Left != 101 || *v.Right != 100 || v.Importance != validation.High {
			t.Errorf("second %+v", v)
		}
		if !validation.HasHigh(got) || validation.HasHigh(got[:1]) {
			t.Error("HasHigh")
		}
	})
}

func TestRunStoresReport(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sex := f.rule(t, "SEXSUM", "#{VC_HTF_DETV:SEX=F} + #{VC_HTF_DETV:SEX=M}", "==", "#{VC_HTF_DETV}", validation.SkipIfAllMissing, validation.Medium)
		f.rule(t, "DEATHS", "#{SM_DTH_MIGR}", ">=", "0", validation.NeverSkip, validation.Low)
		f.put(t,
			ob("VC_HTF_DETV", "076", "", "2020", 100), ob("VC_HTF_DETV", "076", "SEX=F", "2020", 40.1),
			ob("VC_HTF_DETV", "076", "SEX=M", "2020", 59.9), // 40.1 + 59.9 is 100 only within tolerance
			ob("VC_HTF_DETV", "484", "", "2020", 10),        // nothing by sex: violated under skip_if_all_missing
			ob("VC_HTF_DETV", "484", "", "2022", 10),
			ob("SM_DTH_MIGR", "484", "", "2020", -1))
		if _, err := f.val.Run(ctx, viewer, validation.Scope{}); !errors.Is(err, validation.ErrForbidden) {
			t.Fatalf("viewer run: %v", err)
		}
		if _, err := f.val.Run(ctx, analyst, validation.Scope{Areas: []string{"nowhere"}, From: "20x"}); len(fieldCodes(err)) != 2 {
			t.Fatalf("bad scope: %v", err)
		}
		rep, err := f.val.Run(ctx, analyst, validation.Scope{Areas: []string{"MEX", "BRA"}, To: "2021"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rules != 2 || rep.Checked != 3 || rep.Violations != 2 || rep.Stored != 2 || !slices.Equal(rep.Scope.Areas, []string{"484", "076"}) {
			t.Fatalf("report %+v", rep)
		}
		var vs []validation.Violation
		if err := f.val.EachViolation(ctx, analyst, rep.ID, 0, 0, func(v validation.Violation) error { vs = append(vs, v); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2 || vs[0].RuleCode != "DEATHS" || *vs[0].Left != -1 || vs[1].RuleID != sex.ID || vs[1].Area != "484" || *vs[1].Left != 0 || *vs[1].Right != 10 {
			t.Fatalf("violations %+v", vs)
		}
		runs, total, err := f.val.Runs(ctx, analyst, 10, 0)
		if err != nil || total != 1 || runs[0].ID != rep.ID || runs[0].Stored != 2 {
			t.Fatalf("runs %+v %d %v", runs, total, err)
		}
		bySeries, err := f.val.Run(ctx, analyst, validation.Scope{Series: []string{"sm_dth_migr"}})
		if err != nil || bySeries.Rules != 1 || bySeries.Violations != 1 {
			t.Fatalf("by series %+v %v", bySeries, err)
		}
		if _, err := f.val.RunByID(ctx, analyst, "nope"); !errors.Is(err, validation.ErrNotFound) {
			t.Errorf("missing run: %v", err)
		}
	})
}

func TestPutChecksRules(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.rule(t, "PCT", "#{SI_RMT_COST}", "<=", "100", validation.SkipIfAnyMissing, validation.High)
		f.rule(t, "SEXSUM", "#{VC_HTF_DETV:SEX=F} + #{VC_HTF_DETV:SEX=M}", "==", "#{VC_HTF_DETV}", validation.SkipIfAnyMissing, validation.Low)
		_, vs, err := f.val.Put(ctx, analyst, observations.KindForm, []observations.Observation{ob("SI_RMT_COST", "MEX", "", "2020", 120)})
		var re *validation.RulesError
		if !errors.As(err, &re) || len(vs) != 1 {
			t.Fatalf("high violation: %v %v", vs, err)
		}
		if n, _ := f.obs.Count(ctx, observations.Query{Layer: observations.LayerWorking}); n != 0 {
			t.Fatalf("%d rows written despite a high violation", n)
		}
		_, _, err = f.val.Put(ctx, analyst, observations.KindForm, []observations.Observation{
			ob("SI_RMT_COST", "MEX", "", "2020", 5), ob("NOPE", "MEX", "", "2020", 5), ob("SI_RMT_COST", "MEX", "", "20x", 5)})
		if got := fieldCodes(err); !slices.Equal(got, []string{"rows.1.series:unknown", "rows.2.period:invalid"}) {
			t.Fatalf("row errors %v", got)
		}
		_, _, err = f.val.Put(ctx, analyst, observations.KindForm, []observations.Observation{
			ob("SI_RMT_COST", "MEX", "", "2020", 5), ob("SI_RMT_COST", "484", "", "2020", 6)})
		if got := fieldCodes(err); len(got) != 1 || got[0] != "rows.1.row:duplicate" {
			t.Fatalf("duplicate %v", got)
		}
		id, vs, err := f.val.Put(ctx, analyst, observations.KindForm, []observations.Observation{
			ob("VC_HTF_DETV", "MEX", "", "2020", 10), ob("VC_HTF_DETV", "MEX", "SEX=F", "2020", 3), ob("VC_HTF_DETV", "MEX", "SEX=M", "2020", 3)})
		if err != nil || id == "" || len(vs) != 1 || vs[0].RuleCode != "SEXSUM" {
			t.Fatalf("low violation saved: %q %v %v", id, vs, err)
		}
		if _, _, err := f.val.Put(ctx, viewer, observations.KindForm, []observations.Observation{ob("SI_RMT_COST", "MEX", "", "2021", 5)}); !errors.Is(err, observations.ErrForbidden) {
			t.Fatalf("viewer: %v", err)
		}
	})
}
