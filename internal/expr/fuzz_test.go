// SPDX-License-Identifier: AGPL-3.0-or-later

package expr

import "testing"

// FuzzParse checks that Parse never panics, that the canonical form parses
// to itself, and that evaluation never panics nor yields Inf or NaN.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"#{SI_RMT_COST}",
		"#{SL_EMP_INJUR:SEX=F} + #{SL_EMP_INJUR:SEX=M} == #{SL_EMP_INJUR}",
		"if(#{B} != 0, #{A} / #{B} * 100, 0)",
		"min(1, -2, .5e3) || !isNull(#{X:AGE=Y15T64;SEX=_T}) && abs(-3) >= 2",
		"sum(#{A}, #{B}) / max(1, #{C})",
		"((1 - 2) - (3 - 4)) * -(5 / 6)",
		"1e-7 - 2.5E+10",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", s, err)
			}
			return
		}
		canon := e.String()
		e2, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q) ok but canonical %q fails: %v", s, canon, err)
		}
		if again := e2.String(); again != canon {
			t.Fatalf("canonical form not stable: %q → %q", canon, again)
		}
		v, _, err := e.Eval(func(r Ref) (float64, bool) { return float64(len(r.Series)), len(r.Disagg)%2 == 0 })
		if err == nil && v != v {
			t.Fatalf("Eval(%q) = NaN", s)
		}
	})
}
