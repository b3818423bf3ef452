// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"testing"

	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/statistics"
)

// indicatorSamples are views of the registry's pages in their states, for
// the test that renders every page in every language.
func indicatorSamples() map[page][]view {
	target := 3.0
	in := indicators.Indicator{Code: "10.c.1", Kind: indicators.Outcome, Computation: indicators.Entered, Unit: "PT",
		Polarity: indicators.Lower, TargetValue: &target, TargetYear: 2030, Aggregation: indicators.NoAggregate,
		Disaggregations: []string{"SEX"}, Custodian: "World Bank"}
	live := indicators.Indicator{Code: "AP1.O1", Kind: indicators.Outcome, Computation: indicators.Live,
		Expression: "children_in_detention", Unit: "NUMBER", Polarity: indicators.Lower, Aggregation: indicators.WeightedMean,
		WeightSeries: "AMP_AP7_O2", UnitMult: 3}
	res := &indicators.LiveResult{Indicator: "AP1.O1", Area: "724", Period: "2026",
		MeasureResult: statistics.MeasureResult{Value: 15, K: 11}}
	withheld := &indicators.LiveResult{MeasureResult: statistics.MeasureResult{Withheld: true, K: 11}}
	form := &indicatorFormData{Kinds: []option{{"outcome", "Outcome"}}, Langs: indicators.Languages}
	return map[page][]view{
		pageIndicators: {
			{Data: &indicatorListData{Rows: []indicatorRow{{Code: "10.c.1", Name: "Remittance costs", Kind: "outcome",
				Computation: "entered", Unit: "PT", Nodes: []string{"SDG:10.c"}}}, Kinds: []option{{"outcome", "Outcome"}},
				Kind: "outcome", Sorts: []option{{"code", "Code"}}, Sort: "code", Total: 1, CanEdit: true,
				Downloads: downloads{CSV: "/indicators?format=csv", XLSX: "/indicators?format=xlsx"}}},
			{Data: &indicatorListData{Query: "zz"}},
		},
		pageIndicator: {
			{Data: &indicatorPageData{Indicator: in, Name: "Remittance costs", Definition: "d", Method: "m", Target: "3",
				Source: sourceParts("https://unstats.un.org/x"), Series: []seriesView{{"SI_RMT_COST", "Costs", "PT"}},
				Nodes: []nodeLink{{"SDG:10.c", "/frameworks/SDG/10.c"}}, CanEdit: true}},
			{Data: &indicatorPageData{Indicator: live, Name: "Children", CanPreview: true, CanRecord: true,
				Countries: []option{{"724", "Spain"}}, Area: "724", Period: "2026", Preview: res, PreviewValue: "15", Recorded: true}},
			{Data: &indicatorPageData{Indicator: live, CanPreview: true, Preview: withheld}, Error: "indicator_withheld"},
			{Data: &indicatorPageData{Indicator: live, CanPreview: true}, Error: "indicator_preview"},
		},
		pageIndicatorForm: {
			{Data: form, Values: map[string]string{"kind": "outcome"}},
			{Data: &indicatorFormData{Code: "AP1.S1", Langs: indicators.Languages}, Fields: map[string]string{
				"code": "taken", "kind": "unknown", "expression": indicators.CodeSelfReference, "name_en": "required",
				"weight_series": indicators.CodeUnknownSeries, "nodes": "invalid", "unit_mult": "invalid"}},
		},
	}
}

func TestIndicatorCodesHaveMessages(t *testing.T) {
	w := New(Config{})
	codes := []string{indicators.CodeRequired, indicators.CodeUnknown, indicators.CodeUnknownSeries, indicators.CodeSyntax,
		indicators.CodeSelfReference, "taken", "not_a_country"}
	for _, lang := range indicators.Languages {
		loc := w.i18n.Locale(lang)
		for _, c := range codes {
			if !loc.Has("field." + c) {
				t.Errorf("%s has no message field.%s", lang, c)
			}
		}
		for _, group := range [][]string{indicators.Kinds(), indicators.Computations(), indicators.Aggregations(), indicators.Polarities()} {
			for _, c := range group {
				found := false
				for _, prefix := range []string{"indicators.kind.", "indicators.computation.", "indicators.aggregation.", "indicators.polarity."} {
					found = found || loc.Has(prefix+c)
				}
				if !found {
					t.Errorf("%s has no words for %s", lang, c)
				}
			}
		}
	}
}
