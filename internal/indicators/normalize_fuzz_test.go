// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"testing"
	"unicode/utf8"
)

// FuzzNormalize feeds the registry's checks what a form or an API client
// may send: it must never panic, and what it accepts must be written as
// the registry writes it (a valid code, known kind and computation, names
// without control characters).
func FuzzNormalize(f *testing.F) {
	f.Add("AP1.S1", "structural", "entered", "", "PT", "A name", "SEX,AGE", "A68190:1")
	f.Add("10.7.2", "structural", "composite", "sdg_10_7_2", "NUMBER", "Policies", "ITEM", "SDG:10.7")
	f.Add("X.1", "process", "formula", "#{A} / #{B} * 100", "pt", "ratio", "", "")
	f.Add("X.2", "outcome", "commitments", "party:ICRMW", "NUMBER", "\u202e", "", "bad node")
	f.Add("..", "", "live", "children_in_detention", "", "", "COLOUR", "GCM:1")
	f.Fuzz(func(t *testing.T, code, kind, computation, expression, unit, name, disagg, node string) {
		in := Indicator{Code: code, Kind: kind, Computation: computation, Expression: expression, Unit: unit,
			Names: map[string]string{"en": name}, Disaggregations: splitComma(disagg), Nodes: []string{node}}
		out, series, fe := normalize(in, nil)
		if len(fe.Errors) > 0 {
			return
		}
		if !ValidCode(out.Code) || len(series) != 1 || !ValidSeriesCode(series[0].Code) || !utf8.ValidString(out.Names["en"]) {
			t.Fatalf("accepted %+v %+v", out, series)
		}
	})
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
