// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"math"
	"slices"
	"testing"

	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/observations"
)

func TestFormulaEvaluation(t *testing.T) {
	ratio := expr.MustParse("#{NUM} / #{DEN} * 100")
	obs := func(series string, v float64, status string) observations.Observation {
		return observations.Observation{Series: series, Value: v, Status: status}
	}
	ref := func(s string) expr.Ref { return expr.Ref{Series: s} }
	cases := []struct {
		name   string
		in     map[expr.Ref]observations.Observation
		want   float64
		ok     bool
		status string
	}{
		{"both", map[expr.Ref]observations.Observation{ref("NUM"): obs("NUM", 25, "A"), ref("DEN"): obs("DEN", 200, "A")}, 12.5, true, "A"},
		{"weakest status", map[expr.Ref]observations.Observation{ref("NUM"): obs("NUM", 1, "E"), ref("DEN"): obs("DEN", 4, "P")}, 25, true, "E"},
		{"missing numerator", map[expr.Ref]observations.Observation{ref("DEN"): obs("DEN", 200, "A")}, 0, false, ""},
		{"missing denominator", map[expr.Ref]observations.Observation{ref("NUM"): obs("NUM", 3, "A")}, 0, false, ""},
		{"division by zero", map[expr.Ref]observations.Observation{ref("NUM"): obs("NUM", 3, "A"), ref("DEN"): obs("DEN", 0, "A")}, 0, false, ""},
		{"unit multiplier", map[expr.Ref]observations.Observation{ref("NUM"): {Series: "NUM", Value: 1, UnitMult: 3, Status: "A"}, ref("DEN"): obs("DEN", 4000, "A")}, 25, true, "A"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, ok, status := evalFormula(ratio, c.in)
			if ok != c.ok || math.Abs(v-c.want) > 1e-9 || status != c.status {
				t.Errorf("got %v %v %q, want %v %v %q", v, ok, status, c.want, c.ok, c.status)
			}
		})
	}
}

func TestAggregateRules(t *testing.T) {
	members := []string{"004", "008", "012"}
	vals := map[string]observations.Observation{
		"004": {Value: 10, Status: "A"}, "008": {Value: 20, Status: "P"}, "012": {Value: 1, UnitMult: 1, Status: "A"},
	}
	weights := map[string]float64{"004": 1, "008": 3}
	cases := []struct {
		name    string
		rule    string
		weights map[string]float64
		want    float64
		n       int
		ok      bool
	}{
		{"sum", Sum, nil, 40, 3, true},
		// 012 has no weight and is left out: (10×1 + 20×3) / 4.
		{"weighted mean", WeightedMean, weights, 17.5, 2, true},
		{"weighted mean without weights", WeightedMean, map[string]float64{}, 0, 0, false},
		{"none", NoAggregate, nil, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, n, status, ok := aggregate(c.rule, members, vals, c.weights)
			if ok != c.ok || n != c.n || math.Abs(v-c.want) > 1e-9 {
				t.Errorf("got %v (%d, %v), want %v (%d, %v)", v, n, ok, c.want, c.n, c.ok)
			}
			if ok && status != "P" {
				t.Errorf("status = %q, want the weakest, P", status)
			}
		})
	}
}

func TestCategory1072Thresholds(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want int
	}{{0, 1}, {20, 1}, {39.99, 1}, {40, 2}, {60, 2}, {79.99, 2}, {80, 3}, {99.99, 3}, {100, 4}} {
		if got := Category1072(c.v); got != c.want {
			t.Errorf("Category1072(%v) = %d, want %d", c.v, got, c.want)
		}
	}
}

func TestScoreSDG1072(t *testing.T) {
	all := func(v float64) map[string]float64 {
		m := map[string]float64{}
		for d := 1; d <= 6; d++ {
			for q := 1; q <= 5; q++ {
				m[itemCode(d, q)] = v
			}
		}
		return m
	}
	sc, err := ScoreSDG1072(all(1))
	if err != nil || sc.Overall != 100 || sc.Category != 4 {
		t.Fatalf("all yes: %+v, %v", sc, err)
	}
	// Domain d answers yes to its first d-1 sub-categories: 0, 20, 40, 60,
	// 80, 100; overall 50.
	m := all(0)
	for d := 1; d <= 6; d++ {
		for q := 1; q < d; q++ {
			m[itemCode(d, q)] = 1
		}
	}
	sc, err = ScoreSDG1072(m)
	if err != nil {
		t.Fatal(err)
	}
	if want := [6]float64{0, 20, 40, 60, 80, 100}; sc.Domains != want {
		t.Errorf("domains = %v, want %v", sc.Domains, want)
	}
	if want := [6]int{1, 1, 2, 2, 3, 4}; sc.Categories != want {
		t.Errorf("categories = %v, want %v", sc.Categories, want)
	}
	if sc.Overall != 50 || sc.Category != 2 {
		t.Errorf("overall = %v category %d, want 50 and 2", sc.Overall, sc.Category)
	}
	// Partial answers count as their value.
	m = all(1)
	m["D3Q2"] = 0.5
	if sc, _ = ScoreSDG1072(m); sc.Domains[2] != 90 {
		t.Errorf("half answer: domain 3 = %v, want 90", sc.Domains[2])
	}
	bad := all(1)
	delete(bad, "D6Q5")
	if _, err := ScoreSDG1072(bad); err == nil {
		t.Error("29 answers scored")
	}
	bad = all(1)
	bad["D1Q1"] = 2
	if _, err := ScoreSDG1072(bad); err == nil {
		t.Error("an answer of 2 scored")
	}
	bad = all(1)
	bad["D7Q1"] = 1
	if _, err := ScoreSDG1072(bad); err == nil {
		t.Error("an unknown item scored")
	}
}

func itemCode(d, q int) string { return ItemKey(d, q)[len("ITEM="):] }

// TestShippedIsValid reads every shipped indicator as the registry would,
// and checks the references between them: formulas and weights name
// shipped series, codes are unique, every SDG migration indicator and a
// structural, process and outcome indicator for each agenda point are
// there.
func TestShippedIsValid(t *testing.T) {
	list, series, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	owner := map[string]string{}
	for i, in := range list {
		for _, se := range series[i] {
			if o, dup := owner[se.Code]; dup {
				t.Errorf("series %s of %s is also %s's", se.Code, in.Code, o)
			}
			owner[se.Code] = in.Code
		}
	}
	kinds := map[string]map[string]bool{}
	var codes []string
	for _, in := range list {
		if slices.Contains(codes, in.Code) {
			t.Errorf("%s twice", in.Code)
		}
		codes = append(codes, in.Code)
		for _, lang := range Languages {
			if in.Names[lang] == "" || in.Definitions[lang] == "" || in.Methods[lang] == "" {
				t.Errorf("%s lacks a text in %s", in.Code, lang)
			}
		}
		if len(in.Nodes) == 0 {
			t.Errorf("%s links to no framework node", in.Code)
		}
		if in.Computation == Formula {
			for _, r := range expr.MustParse(in.Expression).Refs() {
				if owner[r.Series] == "" {
					t.Errorf("%s: formula names unknown series %s", in.Code, r.Series)
				}
			}
		}
		if in.WeightSeries != "" && owner[in.WeightSeries] == "" {
			t.Errorf("%s: unknown weight series %s", in.Code, in.WeightSeries)
		}
		if len(in.Code) > 3 && in.Code[:2] == "AP" {
			point := in.Code[:3]
			if kinds[point] == nil {
				kinds[point] = map[string]bool{}
			}
			kinds[point][in.Kind] = true
		}
	}
	for _, c := range []string{"10.7.1", "10.7.2", "10.7.3", "10.7.4", "10.c.1", "8.8.1", "8.8.2", "16.2.2", "17.18.1"} {
		if !slices.Contains(codes, c) {
			t.Errorf("SDG %s not shipped", c)
		}
	}
	for p := 1; p <= 8; p++ {
		point := "AP" + string(rune('0'+p))
		for _, k := range Kinds() {
			if !kinds[point][k] {
				t.Errorf("%s has no %s indicator", point, k)
			}
		}
	}
	if owner["SI_RMT_COST"] != "10.c.1" || owner[Answers1072Series] != "10.7.2" {
		t.Error("SDG series not where expected")
	}
}

func TestNormalize(t *testing.T) {
	valid := Indicator{Code: "X.S1", Kind: "Structural", Computation: "entered", Unit: "pt",
		Names: map[string]string{"en": " A name "}}
	cases := []struct {
		name  string
		edit  func(*Indicator)
		field string
	}{
		{"valid", func(*Indicator) {}, ""},
		{"bad code", func(in *Indicator) { in.Code = "a..b" }, "code"},
		{"no code", func(in *Indicator) { in.Code = "" }, "code"},
		{"unknown kind", func(in *Indicator) { in.Kind = "impact" }, "kind"},
		{"unknown computation", func(in *Indicator) { in.Computation = "magic" }, "computation"},
		{"no English name", func(in *Indicator) { in.Names = map[string]string{"fr": "Nom"} }, "names.en"},
		{"unknown language", func(in *Indicator) { in.Names["de"] = "Name" }, "names"},
		{"control character", func(in *Indicator) { in.Names["en"] = "a\x00b" }, "names.en"},
		{"unknown dimension", func(in *Indicator) { in.Disaggregations = []string{"COLOUR"} }, "disaggregations"},
		{"bad node", func(in *Indicator) { in.Nodes = []string{"not a node"} }, "nodes"},
		{"weighted without weight", func(in *Indicator) { in.Aggregation = WeightedMean }, "weight_series"},
		{"formula syntax", func(in *Indicator) { in.Computation, in.Expression = Formula, "#{A} +" }, "expression"},
		{"formula on itself", func(in *Indicator) { in.Computation, in.Expression = Formula, "#{AMP_X_S1} * 2" }, "expression"},
		{"unknown live measure", func(in *Indicator) { in.Computation, in.Expression = Live, "everything" }, "expression"},
		{"known live measure", func(in *Indicator) { in.Computation, in.Expression = Live, "children_in_detention" }, ""},
		{"unknown instrument", func(in *Indicator) { in.Computation, in.Expression = Commitments, "party:XYZ" }, "expression"},
		{"known instrument", func(in *Indicator) { in.Computation, in.Expression = Commitments, "party:ICRMW" }, ""},
		{"unknown method", func(in *Indicator) { in.Computation, in.Expression = Composite, "mean" }, "expression"},
		{"bad target year", func(in *Indicator) { in.TargetYear = 3000 }, "target_year"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := valid
			in.Names = map[string]string{"en": " A name "}
			c.edit(&in)
			out, series, fe := normalize(in, nil)
			var fields []string
			for _, e := range fe.Errors {
				fields = append(fields, e.Field)
			}
			switch {
			case c.field == "" && len(fields) > 0:
				t.Fatalf("errors %v", fields)
			case c.field != "" && !slices.Contains(fields, c.field):
				t.Fatalf("errors %v, want one on %s", fields, c.field)
			}
			if c.field == "" {
				if out.Kind != Structural || out.Unit != "PT" || out.Names["en"] != "A name" || len(series) != 1 || series[0].Code != "AMP_X_S1" {
					t.Errorf("normalized to %+v %+v", out, series)
				}
			}
		})
	}
}
