// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"testing"

	"github.com/amparo-project/amparo/internal/expr"
)

func TestCompareTolerance(t *testing.T) {
	cases := []struct {
		l    float64
		op   string
		r    float64
		want bool
	}{
		{0.1 + 0.2, "==", 0.3, true},
		{1e12 + 1e-3, "==", 1e12, true},
		{100, "==", 100.001, false},
		{0, "==", 0, true},
		{0, "==", 1e-300, false},
		{0.1 + 0.2, "!=", 0.3, false},
		{1, "!=", 2, true},
		{0.1 + 0.2, "<", 0.3, false},
		{1, "<", 2, true},
		{0.3, "<=", 0.1 + 0.2, true},
		{3, "<=", 2, false},
		{0.1 + 0.2, ">", 0.3, false},
		{2, ">", 1, true},
		{0.3, ">=", 0.1 + 0.2, true},
		{1, ">=", 2, false},
		{1, "??", 1, false},
	}
	for _, c := range cases {
		if got := compare(c.l, c.op, c.r); got != c.want {
			t.Errorf("compare(%v %s %v) = %v, want %v", c.l, c.op, c.r, got, c.want)
		}
	}
}

func TestCheckMissingStrategies(t *testing.T) {
	rule := func(missing string) compiled {
		c, err := compile(Rule{Code: "R", Left: "#{X:SEX=F} + #{X:SEX=M}", Operator: "==", Right: "#{X}", Missing: missing})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	f, m, tot := expr.Ref{Series: "X", Disagg: "SEX=F"}, expr.Ref{Series: "X", Disagg: "SEX=M"}, expr.Ref{Series: "X"}
	vals := func(kv map[expr.Ref]float64) func(expr.Ref) (float64, bool) {
		return func(r expr.Ref) (float64, bool) { v, ok := kv[r]; return v, ok }
	}
	full := map[expr.Ref]float64{f: 40, m: 60, tot: 100}
	wrong := map[expr.Ref]float64{f: 40, m: 61, tot: 100}
	partial := map[expr.Ref]float64{f: 40, tot: 100}
	partialOK := map[expr.Ref]float64{f: 100, tot: 100}
	none := map[expr.Ref]float64{}
	cases := []struct {
		missing string
		vals    map[expr.Ref]float64
		want    outcome
	}{
		{SkipIfAnyMissing, full, holds},
		{SkipIfAnyMissing, wrong, violated},
		{SkipIfAnyMissing, partial, skipped},
		{SkipIfAnyMissing, none, skipped},
		{SkipIfAllMissing, full, holds},
		{SkipIfAllMissing, partial, violated},
		{SkipIfAllMissing, partialOK, holds},
		{SkipIfAllMissing, none, skipped},
		{NeverSkip, partial, violated},
		{NeverSkip, partialOK, holds},
		{NeverSkip, none, holds},
	}
	for _, c := range cases {
		got, _, _ := rule(c.missing).check(vals(c.vals))
		if got != c.want {
			t.Errorf("%s with %v: outcome %d, want %d", c.missing, c.vals, got, c.want)
		}
	}
}

func TestCheckDivisionByZero(t *testing.T) {
	for _, c := range []struct {
		missing string
		want    outcome
	}{{SkipIfAnyMissing, skipped}, {SkipIfAllMissing, skipped}, {NeverSkip, violated}} {
		r, err := compile(Rule{Code: "R", Left: "#{A} / #{B} * 100", Operator: "<=", Right: "100", Missing: c.missing})
		if err != nil {
			t.Fatal(err)
		}
		got, l, right := r.check(func(ref expr.Ref) (float64, bool) { return map[string]float64{"A": 5}[ref.Series], true })
		if got != c.want {
			t.Errorf("%s: outcome %d, want %d", c.missing, got, c.want)
		}
		if got == violated && (l != nil || right == nil || *right != 100) {
			t.Errorf("%s: left %v right %v, want nil and 100", c.missing, l, right)
		}
	}
}

func TestShippedRulesParse(t *testing.T) {
	ins, err := shipped()
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) < 5 {
		t.Fatalf("only %d shipped rules", len(ins))
	}
	seen := map[string]bool{}
	for _, in := range ins {
		if seen[in.Code] {
			t.Errorf("code %s shipped twice", in.Code)
		}
		seen[in.Code] = true
		for _, lang := range Languages {
			if in.Names[lang] == "" {
				t.Errorf("rule %s has no name in %s", in.Code, lang)
			}
		}
	}
}
