// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
)

// Reason codes of this package's field errors (field.<code> in the
// translation files).
const (
	CodeRequired      = "required"
	CodeUnknown       = "unknown"
	CodeUnknownSeries = "unknown_series"
	CodeSyntax        = "syntax"
	CodeSelfReference = "self_reference"
)

// Limits of the text fields, in characters.
const (
	maxName   = 300
	maxText   = 6000
	maxSource = 500
	maxNodes  = 50
	maxSeries = 20
)

var (
	codeRE   = regexp.MustCompile(`^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$`)
	seriesRE = regexp.MustCompile(`^[A-Z0-9_]{1,40}$`)
	unitRE   = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,19}$`)
	nodeRE   = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,19}:[0-9A-Za-z][0-9A-Za-z._-]{0,29}$`)
)

// ValidCode reports whether s is written as an indicator code.
func ValidCode(s string) bool { return len(s) <= 20 && codeRE.MatchString(s) }

// ValidSeriesCode reports whether s is written as a series code.
func ValidSeriesCode(s string) bool { return seriesRE.MatchString(s) }

// AmparoSeries is the code of the one series of an indicator of Amparo's
// own: AMP_ and its code with dots as underscores.
func AmparoSeries(code string) string {
	return "AMP_" + strings.ToUpper(strings.ReplaceAll(code, ".", "_"))
}

// normalize trims and checks in on its own (what does not need the
// database) and returns it with its series filled in. Codes of kinds,
// computations and so on are case-insensitive on the way in.
func normalize(in Indicator, series []Series) (Indicator, []Series, *fielderr.Error) {
	fe := &fielderr.Error{}
	in.Code = strings.TrimSpace(in.Code)
	switch {
	case in.Code == "":
		fe.Add("code", CodeRequired)
	case !ValidCode(in.Code):
		fe.Add("code", fielderr.CodeInvalid)
	}
	choose := func(field string, v *string, allowed []string, def string) {
		*v = strings.ToLower(strings.TrimSpace(*v))
		if *v == "" && def != "" {
			*v = def
		}
		switch {
		case *v == "":
			fe.Add(field, CodeRequired)
		case !slices.Contains(allowed, *v):
			fe.Add(field, CodeUnknown)
		}
	}
	choose("kind", &in.Kind, Kinds(), "")
	choose("computation", &in.Computation, Computations(), "")
	choose("aggregation", &in.Aggregation, Aggregations(), NoAggregate)
	choose("polarity", &in.Polarity, Polarities(), Neutral)
	in.Unit = strings.ToUpper(strings.TrimSpace(in.Unit))
	switch {
	case in.Unit == "":
		fe.Add("unit", CodeRequired)
	case !unitRE.MatchString(in.Unit):
		fe.Add("unit", fielderr.CodeInvalid)
	}
	if in.UnitMult < -10 || in.UnitMult > 15 {
		fe.Add("unit_mult", fielderr.CodeInvalid)
	}
	in.Names = texts(fe, "names", in.Names, maxName, false)
	if in.Names["en"] == "" {
		fe.Add("names.en", CodeRequired)
	}
	in.Definitions = texts(fe, "definitions", in.Definitions, maxText, true)
	in.Methods = texts(fe, "methods", in.Methods, maxText, true)
	if in.TargetValue != nil && (math.IsNaN(*in.TargetValue) || math.IsInf(*in.TargetValue, 0)) {
		fe.Add("target_value", fielderr.CodeInvalid)
	}
	if in.TargetYear != 0 && (in.TargetYear < 1990 || in.TargetYear > 2100) {
		fe.Add("target_year", fielderr.CodeInvalid)
	}
	in.Disaggregations = upperSet(in.Disaggregations)
	for _, d := range in.Disaggregations {
		if _, ok := observations.DimensionByCode(d); !ok {
			fe.Add("disaggregations", CodeUnknown)
			break
		}
	}
	in.Custodian = fe.Text("custodian", in.Custodian, maxName, false)
	in.Source = fe.Text("source", in.Source, maxSource, false)
	in.Expression = fe.Text("expression", in.Expression, expr.MaxLen, false)
	in.WeightSeries = strings.ToUpper(strings.TrimSpace(in.WeightSeries))
	switch {
	case in.Aggregation == WeightedMean && in.WeightSeries == "":
		fe.Add("weight_series", CodeRequired)
	case in.WeightSeries != "" && !ValidSeriesCode(in.WeightSeries):
		fe.Add("weight_series", fielderr.CodeInvalid)
	}
	in.Nodes = trimmedSet(in.Nodes)
	if len(in.Nodes) > maxNodes {
		fe.Add("nodes", fielderr.CodeTooLong)
	}
	for _, n := range in.Nodes {
		if !nodeRE.MatchString(n) {
			fe.Add("nodes", fielderr.CodeInvalid)
			break
		}
	}
	series = normalizeSeries(fe, in, series)
	in.Series = make([]string, len(series))
	for i, s := range series {
		in.Series[i] = s.Code
	}
	checkExpression(fe, in)
	return in, series, fe
}

// normalizeSeries checks the series given, or makes the one series of an
// indicator of Amparo's own when none is.
func normalizeSeries(fe *fielderr.Error, in Indicator, series []Series) []Series {
	if len(series) == 0 && ValidCode(in.Code) {
		series = []Series{{Code: AmparoSeries(in.Code)}}
	}
	if len(series) > maxSeries {
		fe.Add("series", fielderr.CodeTooLong)
		series = series[:maxSeries]
	}
	out := make([]Series, 0, len(series))
	seen := map[string]bool{}
	for i, s := range series {
		s.Code = strings.ToUpper(strings.TrimSpace(s.Code))
		if !ValidSeriesCode(s.Code) || seen[s.Code] {
			fe.Add("series", fielderr.CodeInvalid)
			continue
		}
		seen[s.Code] = true
		s.Indicator, s.Position = in.Code, i
		s.Names = texts(fe, "series.names", s.Names, maxName, false)
		if len(s.Names) == 0 {
			s.Names = in.Names
		}
		if s.Unit = strings.ToUpper(strings.TrimSpace(s.Unit)); s.Unit == "" {
			s.Unit, s.UnitMult = in.Unit, in.UnitMult
		} else if !unitRE.MatchString(s.Unit) {
			fe.Add("series", fielderr.CodeInvalid)
		}
		out = append(out, s)
	}
	return out
}

// checkExpression checks what can be checked of the expression without the
// database: a formula parses and does not name the indicator's own series,
// a live or commitments measure and a composite method are known.
func checkExpression(fe *fielderr.Error, in Indicator) {
	switch in.Computation {
	case Entered:
		if in.Expression != "" {
			fe.Add("expression", fielderr.CodeInvalid)
		}
	case Formula:
		if in.Expression == "" {
			fe.Add("expression", CodeRequired)
			return
		}
		e, err := expr.Parse(in.Expression)
		if err != nil {
			fe.Add("expression", CodeSyntax)
			return
		}
		for _, r := range e.Refs() {
			if slices.Contains(in.Series, r.Series) {
				fe.Add("expression", CodeSelfReference)
				return
			}
		}
	case Live:
		if _, ok := liveMeasures[in.Expression]; !ok {
			fe.Add("expression", CodeUnknown)
		}
	case Commitments:
		if _, err := parseCommitmentMeasure(in.Expression); err != nil {
			fe.Add("expression", CodeUnknown)
		}
	case Composite:
		if _, ok := compositeMethods[in.Expression]; !ok {
			fe.Add("expression", CodeUnknown)
		}
	}
}

// texts checks a map of texts by language: known languages only, each a
// valid text; empty values are dropped.
func texts(fe *fielderr.Error, field string, m map[string]string, max int, multiLine bool) map[string]string {
	out := make(map[string]string, len(m))
	for lang, s := range m {
		if !slices.Contains(Languages, lang) {
			fe.Add(field, CodeUnknown)
			continue
		}
		if s = fe.Text(field+"."+lang, s, max, multiLine); s != "" {
			out[lang] = s
		}
	}
	return out
}

func upperSet(in []string) []string {
	for i := range in {
		in[i] = strings.ToUpper(in[i])
	}
	return trimmedSet(in)
}

// trimmedSet trims, drops empties and duplicates, and keeps the order.
func trimmedSet(in []string) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
