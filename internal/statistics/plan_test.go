// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// TestCasePlansReadOneIndexInOrder checks, on SQLite (which plans without
// statistics, as Amparo runs it), that every table of cases reads one
// statistics index without looking up a row, and, unless a filter leaves
// only few cases to sort, without sorting: the reason a table at a
// million cases costs one pass. PostgreSQL plans from its statistics.
func TestCasePlansReadOneIndexInOrder(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		if db.Engine() != "sqlite" {
			t.Skip("PostgreSQL plans from statistics")
		}
		org := "0000000000000000000000000a"
		for _, tc := range []struct {
			dimension string
			params    []string
			index     string
			sorts     bool
		}{
			{"nationality", nil, "cases_stats_nationality", false},
			{"nationality", []string{"column", "age_band", "org", org, "from", "2026-Q1", "to", "2026-Q2"}, "cases_stats_nationality", false},
			{"nationality", []string{"nationality", "HND", "country", "MEX"}, "cases_stats_nationality", false},
			{"sex", nil, "cases_stats_sex", false},
			{"age_band", []string{"column", "sex", "org", org}, "cases_stats_sex", false},
			{"sex", []string{"nationality", "HND"}, "cases_stats_nationality", false},
			{"age_band", []string{"country", "MEX"}, "cases_stats_sex", false},
			{"location", nil, "cases_stats_place", false},
			{"location", []string{"country", "MEX", "org", org}, "cases_stats_place", false},
			{"location", []string{"nationality", "HND"}, "cases_stats_place", false},
			{"concern", nil, "case_concerns_stats", false},
			{"concern", []string{"column", "sex", "org", org, "from", "2026-Q1", "nationality", "HND", "country", "MEX"}, "case_concerns_stats", false},
		} {
			q := query(t, tc.dimension, tc.params...)
			sqlText, args := planCases(q).sql(q.Filter)
			rows, err := db.Query(ctx, "EXPLAIN QUERY PLAN "+sqlText, args...)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			_ = rows.Close()
			text := strings.Join(plan, "; ")
			if !strings.Contains(text, "COVERING INDEX "+tc.index) || len(plan) > 2 ||
				strings.Contains(text, "TEMP B-TREE") != tc.sorts {
				t.Errorf("%s %v: %s", tc.dimension, tc.params, text)
			}
		}
	})
}
