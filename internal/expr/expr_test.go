// SPDX-License-Identifier: AGPL-3.0-or-later

package expr

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	cases := []struct{ in, want string }{
		{"1", "1"},
		{" 1.50 ", "1.5"},
		{".5", "0.5"},
		{"1e3", "1000"},
		{"2.5E-3", "0.0025"},
		{"#{SI_RMT_COST}", "#{SI_RMT_COST}"},
		{"#{ SI_POV_DAY1 : SEX=_T }", "#{SI_POV_DAY1}"},
		{"#{X:SEX=F;AGE=Y15T64}", "#{X:AGE=Y15T64;SEX=F}"},
		{"#{X:AGE=_T;SEX=M}", "#{X:SEX=M}"},
		{"1+2*3", "1 + 2 * 3"},
		{"(1+2)*3", "(1 + 2) * 3"},
		{"1-(2-3)", "1 - (2 - 3)"},
		{"(1-2)-3", "1 - 2 - 3"},
		{"1/(2*3)", "1 / (2 * 3)"},
		{"--1", "--1"},
		{"-(1+2)", "-(1 + 2)"},
		{"!(1<2)", "!(1 < 2)"},
		{"((((1))))", "1"},
		{"min(1,2,3)", "min(1, 2, 3)"},
		{"if(#{A}>0&&!isNull(#{B}),#{A}/#{B},0)", "if(#{A} > 0 && !isNull(#{B}), #{A} / #{B}, 0)"},
		{"1||2&&3", "1 || 2 && 3"},
		{"(1||2)&&3", "(1 || 2) && 3"},
		{"1 + 2 == 3", "1 + 2 == 3"},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			e, err := Parse(c.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := e.String(); got != c.want {
				t.Fatalf("String() = %q, want %q", got, c.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in     string
		pos    int
		reason string
	}{
		{"", 1, "empty"},
		{"1 +", 4, "unexpected end"},
		{"(1", 3, "missing )"},
		{"1)", 2, "unexpected )"},
		{"1 = 2", 3, "use =="},
		{"#{x}", 1, "series code"},
		{"#{X", 1, "not closed"},
		{"#{X:SEX}", 1, "DIM=CODE"},
		{"#{X:SEX=F;SEX=M}", 1, "given twice"},
		{"foo(1)", 1, "unknown function foo"},
		{"abs(1,2)", 1, "abs takes one argument"},
		{"if(1,2)", 1, "if takes three"},
		{"min()", 1, "min takes at least one"},
		{"isNull(1)", 8, "isNull takes one reference"},
		{"1 2", 3, "unexpected number"},
		{"1.2.3", 4, "after number"},
		{"1e", 1, "exponent"},
		{"1e999", 1, "out of range"},
		{"$", 1, "unexpected character"},
		{"abs 1", 5, "needs ("},
		{strings.Repeat("(", 50) + "1" + strings.Repeat(")", 50), MaxDepth + 1, "nested too deeply"},
		{strings.Repeat("-", 50) + "1", MaxDepth + 1, "nested too deeply"},
		{strings.Repeat("1+", 1000) + "1", MaxLen + 1, "longer than 2000"},
		{strings.Repeat("1+", 900) + "1", 1, "written out in full"},
	}
	for _, c := range cases {
		t.Run(c.in[:min(len(c.in), 20)], func(t *testing.T) {
			_, err := Parse(c.in)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error = %v, want *SyntaxError", c.in, err)
			}
			if se.Pos != c.pos || !strings.Contains(se.Reason, c.reason) {
				t.Fatalf("Parse(%q) = position %d %q, want %d %q", c.in, se.Pos, se.Reason, c.pos, c.reason)
			}
		})
	}
}

func TestRefs(t *testing.T) {
	e := MustParse("#{B:SEX=M} + #{A} + #{B:SEX=F} + #{A:SEX=_T} + isNull(#{B:SEX=M})")
	want := []Ref{{"A", ""}, {"B", "SEX=F"}, {"B", "SEX=M"}}
	if got := e.Refs(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Refs() = %v, want %v", got, want)
	}
	if len(MustParse("1 + 2").Refs()) != 0 {
		t.Fatal("a constant has no references")
	}
}

func TestEval(t *testing.T) {
	values := map[Ref]float64{
		{"T", ""}:      100,
		{"T", "SEX=F"}: 48,
		{"T", "SEX=M"}: 52,
		{"Z", ""}:      0,
		{"NEG", ""}:    -3.5,
	}
	lookup := func(r Ref) (float64, bool) { v, ok := values[r]; return v, ok }
	cases := []struct {
		in      string
		want    float64
		missing int
		err     error
	}{
		{"1 + 2 * 3", 7, 0, nil},
		{"(1 + 2) * 3", 9, 0, nil},
		{"7 - 2 - 1", 4, 0, nil},
		{"8 / 2 / 2", 2, 0, nil},
		{"-#{NEG}", 3.5, 0, nil},
		{"#{T:SEX=F} + #{T:SEX=M}", 100, 0, nil},
		{"#{T:SEX=F} + #{MISSING}", 48, 1, nil},
		{"#{MISSING} + #{MISSING} + #{OTHER}", 0, 2, nil},
		{"#{T} / #{Z}", 0, 0, ErrDivZero},
		{"#{T} / #{MISSING}", 0, 1, ErrDivZero},
		{"if(#{Z} != 0, #{T} / #{Z}, -1)", -1, 0, nil},
		{"if(isNull(#{MISSING}), 5, 6)", 5, 1, nil},
		{"if(isNull(#{T}), 5, 6)", 6, 0, nil},
		{"abs(#{NEG})", 3.5, 0, nil},
		{"min(3, #{NEG}, 1)", -3.5, 0, nil},
		{"max(3, #{NEG}, 1)", 3, 0, nil},
		{"sum(1, 2, #{T})", 103, 0, nil},
		{"1 < 2", 1, 0, nil},
		{"2 <= 2", 1, 0, nil},
		{"1 > 2", 0, 0, nil},
		{"2 >= 3", 0, 0, nil},
		{"2 == 2", 1, 0, nil},
		{"2 != 2", 0, 0, nil},
		{"1 && 0", 0, 0, nil},
		{"1 || 0", 1, 0, nil},
		{"0 && 1 / 0", 0, 0, nil},
		{"1 || 1 / 0", 1, 0, nil},
		{"!0", 1, 0, nil},
		{"!5", 0, 0, nil},
		{"1e308 * 10", 0, 0, ErrRange},
		{"sum(1e308, 1e308)", 0, 0, ErrRange},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			v, missing, err := MustParse(c.in).Eval(lookup)
			if !errors.Is(err, c.err) || v != c.want || missing != c.missing {
				t.Fatalf("Eval = %v, %d, %v; want %v, %d, %v", v, missing, err, c.want, c.missing, c.err)
			}
		})
	}
}

func TestEvalLooksUpEachRefOnce(t *testing.T) {
	calls := map[Ref]int{}
	e := MustParse("#{A} + #{A} * if(1, #{B}, #{C})")
	_, missing, err := e.Eval(func(r Ref) (float64, bool) { calls[r]++; return 1, r.Series != "C" })
	if err != nil || missing != 1 {
		t.Fatalf("Eval: missing %d, %v", missing, err)
	}
	for _, r := range e.Refs() {
		if calls[r] != 1 {
			t.Fatalf("lookup(%v) called %d times", r, calls[r])
		}
	}
}

func TestEvalNonFiniteLookupIsMissing(t *testing.T) {
	v, missing, err := MustParse("#{A} + 1").Eval(func(Ref) (float64, bool) { return math.Inf(1), true })
	if v != 1 || missing != 1 || err != nil {
		t.Fatalf("Eval = %v, %d, %v", v, missing, err)
	}
}
