// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"slices"
	"testing"

	"github.com/amparo-project/amparo/internal/indicators"
)

// The explorer's parameters come from the address: any of them is either
// refused or written canonically, and a canonical query stays as it is.
func FuzzExploreQuery(f *testing.F) {
	for _, s := range [][5]string{
		{"076", "SEX=F", "2020", "2024-Q3", "value"}, {"MEX", "MIGRATORY_STATUS=MS_MIGRANT;SEX=M", "", "", "area"},
		{"mx-chp", "AGE=Y15T64", "2020-S1", "2020-07", "period"}, {"", "", "", "", ""}, {"zz", "SEX=X", "20x0", "2020-M07", "name"},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4], true)
	}
	f.Fuzz(func(t *testing.T, area, disagg, from, period, sort string, aggregates bool) {
		in := indicators.Indicator{Aggregation: indicators.NoAggregate}
		if aggregates {
			in.Aggregation = indicators.Sum
		}
		q := ExploreQuery{Areas: []string{area}, Disagg: disagg, From: from, Period: period, Sort: sort}
		if normalizeQuery(&q, in) != nil {
			return
		}
		again := q
		again.Areas = slices.Clone(q.Areas)
		if err := normalizeQuery(&again, in); err != nil {
			t.Fatalf("canonical query %+v refused: %v", q, err)
		}
		if !slices.Equal(again.Areas, q.Areas) || again.Disagg != q.Disagg || again.From != q.From ||
			again.Period != q.Period || again.Sort != q.Sort {
			t.Fatalf("not canonical: %+v then %+v", q, again)
		}
	})
}
