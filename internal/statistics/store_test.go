// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"errors"
	"maps"
	"net/url"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// counts returns the exact counts of q (before any protection), by
// "row" or "row|column", leaving out zeros.
func (f *fixture) counts(q Query) map[string]int {
	f.t.Helper()
	q, err := q.normalized()
	if err != nil {
		f.t.Fatal(err)
	}
	tab, err := f.svc.count(ctx, q, now)
	if err != nil {
		f.t.Fatalf("%+v: %v", q, err)
	}
	out := map[string]int{}
	for i, r := range tab.Rows {
		for j, n := range tab.Counts[i] {
			if n == 0 {
				continue
			}
			key := r
			if tab.Cols != nil {
				key += "|" + tab.Cols[j]
			}
			out[key] = n
		}
	}
	return out
}

// query builds a query from a dimension and query-string parameters.
func query(t *testing.T, dimension string, params ...string) Query {
	t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	q, err := ParseQuery(dimension, v)
	if err != nil {
		t.Fatalf("%s %v: %v", dimension, params, err)
	}
	return q
}

func TestCountsBeforeProtection(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		for _, tc := range []struct {
			dimension string
			params    []string
			want      map[string]int
		}{
			{"concern", nil, map[string]int{"detention": 32, "trafficking": 12, "child_protection": 3, "health": 6}},
			{"nationality", nil, map[string]int{"HND": 21, "GTM": 20, "SLV": 2}},
			{"sex", nil, map[string]int{"female": 18, "male": 23, "unknown": 2}},
			{"age_band", nil, map[string]int{"35_49": 32, "12_17": 3, "25_34": 6, "unknown": 2}},
			{"location", nil, map[string]int{"MEX/MX-CHP": 15, "USA": 20, "MEX/MX-TAB": 6, "unknown": 2}},
			{"nationality", []string{"column", "sex"}, map[string]int{"HND|female": 18, "HND|male": 3, "GTM|male": 20,
				"SLV|unknown": 2}},
			{"concern", []string{"column", "age_band"}, map[string]int{"detention|35_49": 32, "trafficking|35_49": 12,
				"child_protection|12_17": 3, "health|25_34": 6}},
			{"location", []string{"column", "age_band"}, map[string]int{"MEX/MX-CHP|35_49": 12, "MEX/MX-CHP|12_17": 3,
				"USA|35_49": 20, "MEX/MX-TAB|25_34": 6, "unknown|unknown": 2}},
			{"sex", []string{"column", "age_band"}, map[string]int{"female|35_49": 12, "female|25_34": 6,
				"male|12_17": 3, "male|35_49": 20, "unknown|unknown": 2}},
			{"age_band", []string{"column", "sex"}, map[string]int{"35_49|female": 12, "25_34|female": 6,
				"12_17|male": 3, "35_49|male": 20, "unknown|unknown": 2}},
			{"detention_length", nil, map[string]int{"ongoing": 5, "d7_29": 10}},
			{"detention_length", []string{"column", "sex"}, map[string]int{"ongoing|male": 5, "d7_29|male": 10}},
			{"consular_compliance", nil, map[string]int{"told_in_time|notified_in_time": 8,
				"told_unknown|notification_undetermined": 7}},
			{"referral_status", nil, map[string]int{"completed": 7, "sent": 5}},
			{"referral_status", []string{"column", "age_band"}, map[string]int{"completed|35_49": 7, "sent|35_49": 5}},
			{"act_type", nil, map[string]int{"10.10": 13, "20": 2}},
			{"act_type", []string{"column", "sex"}, map[string]int{"10.10|female": 13, "20|unknown": 2}},
			{"perpetrator_category", nil, map[string]int{"police": 12, "unknown": 1, "employer": 11}},
			// Filters.
			{"nationality", []string{"org", f.orgA}, map[string]int{"HND": 15, "GTM": 20, "SLV": 2}},
			{"concern", []string{"org", f.orgB}, map[string]int{"health": 6}},
			{"nationality", []string{"from", "2026-Q2", "to", "2026-Q3"}, map[string]int{"HND": 9, "GTM": 20}},
			{"sex", []string{"nationality", "HND"}, map[string]int{"female": 18, "male": 3}},
			{"sex", []string{"nationality", "hn", "column", "age_band"}, map[string]int{"female|35_49": 12,
				"female|25_34": 6, "male|12_17": 3}},
			{"sex", []string{"country", "MEX"}, map[string]int{"female": 18, "male": 3}},
			{"location", []string{"country", "MEX"}, map[string]int{"MEX/MX-CHP": 15, "MEX/MX-TAB": 6}},
			{"location", []string{"nationality", "GTM"}, map[string]int{"USA": 20}},
			{"nationality", []string{"nationality", "HND", "country", "MEX", "org", f.orgB}, map[string]int{"HND": 6}},
			{"age_band", []string{"from", "2026-Q4"}, map[string]int{"unknown": 2}},
			{"concern", []string{"nationality", "HND"}, map[string]int{"detention": 12, "trafficking": 12,
				"child_protection": 3, "health": 6}},
			{"concern", []string{"country", "USA", "from", "2026-Q3", "column", "sex"}, map[string]int{"detention|male": 20}},
			{"detention_length", []string{"from", "2026-Q3"}, map[string]int{"ongoing": 5, "d7_29": 10}},
			{"detention_length", []string{"to", "2026-Q2"}, map[string]int{}},
			{"consular_compliance", []string{"org", f.orgB}, map[string]int{}},
			{"consular_compliance", []string{"nationality", "GTM", "from", "2026-Q3"}, map[string]int{
				"told_in_time|notified_in_time": 8, "told_unknown|notification_undetermined": 7}},
			{"consular_compliance", []string{"nationality", "HND"}, map[string]int{}},
			{"referral_status", []string{"nationality", "GTM"}, map[string]int{}},
			{"act_type", []string{"country", "MEX"}, map[string]int{"10.10": 13, "20": 2}},
			{"act_type", []string{"country", "USA"}, map[string]int{}},
			{"act_type", []string{"nationality", "HND"}, map[string]int{"10.10": 13}},
			{"act_type", []string{"from", "2026-Q2"}, map[string]int{}},
			{"act_type", []string{"to", "2026-Q1"}, map[string]int{"10.10": 13, "20": 2}},
			{"perpetrator_category", []string{"nationality", "HND"}, map[string]int{"police": 12, "unknown": 1,
				"employer": 11}},
			{"perpetrator_category", []string{"nationality", "GTM"}, map[string]int{}},
			{"perpetrator_category", []string{"org", f.orgB}, map[string]int{}},
		} {
			got := f.counts(query(t, tc.dimension, tc.params...))
			if !maps.Equal(got, tc.want) {
				t.Errorf("%s %v:\n got %v\nwant %v", tc.dimension, tc.params, got, tc.want)
			}
		}
	})
}

// TestCopiesFollowChanges changes a principal's sex and year of birth and
// a case's concerns through their services: the tables follow at once.
func TestCopiesFollowChanges(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		sex, year := "female", 1950
		if _, err := f.persons.Update(ctx, f.cwA, f.groups[1][0].personID, persons.Patch{Sex: &sex, BirthYear: &year}); err != nil {
			t.Fatal(err)
		}
		health := []cases.Concern{"health"}
		if _, err := f.cases.Update(ctx, f.cwA, f.groups[3][0].caseID, cases.Changes{Concerns: &health}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			dimension string
			params    []string
			want      map[string]int
		}{
			{"sex", nil, map[string]int{"female": 19, "male": 22, "unknown": 2}},
			{"age_band", []string{"nationality", "HND"}, map[string]int{"35_49": 12, "12_17": 2, "25_34": 6, "65_plus": 1}},
			{"concern", []string{"column", "sex"}, map[string]int{"detention|female": 12, "detention|male": 20,
				"trafficking|female": 12, "child_protection|female": 1, "child_protection|male": 2, "health|female": 6,
				"health|unknown": 1}},
			{"concern", []string{"from", "2026-Q4", "nationality", "SLV"}, map[string]int{"health": 1}},
		} {
			if got := f.counts(query(t, tc.dimension, tc.params...)); !maps.Equal(got, tc.want) {
				t.Errorf("%s %v:\n got %v\nwant %v", tc.dimension, tc.params, got, tc.want)
			}
		}
	})
}

// sup and v spell published cells.
var sup = disclosure.Cell{Suppressed: true}

func v(n int) disclosure.Cell { return disclosure.Cell{Value: n} }

func TestTablesAreProtected(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		r, err := f.svc.Table(ctx, f.viewerA, query(t, "nationality"))
		if err != nil {
			t.Fatal(err)
		}
		tab := r.Table
		if !tab.Protected() || tab.K != 11 || r.Unit != UnitCases {
			t.Fatalf("k %d unit %s", tab.K, r.Unit)
		}
		// HND 21, GTM 20, SLV 2: SLV is withheld, and GTM with it, the
		// smaller of the two others.
		want := map[string]disclosure.Cell{"HND": v(20), "GTM": sup, "SLV": sup}
		for i, code := range tab.Rows {
			if tab.Cells[i][0] != want[code] {
				t.Errorf("%s: %+v, want %+v", code, tab.Cells[i][0], want[code])
			}
		}
		if tab.Total != v(45) {
			t.Errorf("total %+v", tab.Total)
		}
		// A two-way table: nationality × sex, everything through Protect.
		r, err = f.svc.Table(ctx, f.viewerA, query(t, "nationality", "column", "sex"))
		if err != nil {
			t.Fatal(err)
		}
		if !r.Table.TwoWay() || r.Table.Cols[0] != "female" || len(r.Table.RowTotals) != len(r.Table.Rows) {
			t.Errorf("columns %v", r.Table.Cols)
		}
		for i := range r.Table.Rows {
			for _, c := range append(r.Table.Cells[i], r.Table.RowTotals[i]) {
				if !c.Suppressed && (c.Value%5 != 0 || (c.Value > 0 && c.Value < 11)) {
					t.Errorf("published %d", c.Value)
				}
			}
		}
	})
}

func TestUnprotectedIsOwnOrganisationOnly(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		q := query(t, "nationality")
		r, err := f.svc.Unprotected(ctx, f.supervisorA, q)
		if err != nil {
			t.Fatal(err)
		}
		if r.Table.Protected() || r.Query.Filter.OrgID != f.orgA {
			t.Fatalf("protected %v org %s", r.Table.Protected(), r.Query.Filter.OrgID)
		}
		got := map[string]int{}
		for i, code := range r.Table.Rows {
			got[code] = r.Table.Cells[i][0].Value
		}
		if want := map[string]int{"HND": 15, "GTM": 20, "SLV": 2}; !maps.Equal(got, want) || r.Table.Total.Value != 37 {
			t.Errorf("got %v total %d, want %v", got, r.Table.Total.Value, want)
		}
		if _, err := f.svc.Unprotected(ctx, f.adminA, query(t, "sex", "org", f.orgA)); err != nil {
			t.Errorf("organisation administrator, own organisation named: %v", err)
		}
		if _, err := f.svc.Unprotected(ctx, f.supervisorA, query(t, "sex", "org", f.orgB)); !errors.Is(err, ErrNotFound) {
			t.Errorf("another organisation: %v, want ErrNotFound", err)
		}
		for name, p := range map[string]access.Principal{"caseworker": f.cwA, "viewer": f.viewerA, "sysadmin": f.sysadmin} {
			if _, err := f.svc.Unprotected(ctx, p, q); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s: %v, want ErrForbidden", name, err)
			}
		}
	})
}

func TestSettings(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		st, err := f.svc.Settings(ctx, f.viewerA)
		if err != nil || st.K != disclosure.DefaultK || !st.UpdatedAt.IsZero() {
			t.Fatalf("default: %+v, %v", st, err)
		}
		for _, p := range []access.Principal{f.adminA, f.supervisorA, f.viewerA} {
			if _, err := f.svc.SetK(ctx, p, 20); !errors.Is(err, ErrForbidden) {
				t.Errorf("%s: %v, want ErrForbidden", p.Role, err)
			}
		}
		for k, code := range map[int]string{4: "too_small", 0: "too_small", 101: "too_large"} {
			var fe *fielderr.Error
			if _, err := f.svc.SetK(ctx, f.sysadmin, k); !errors.As(err, &fe) || fe.Errors[0] != (fielderr.FieldError{Field: "k", Code: code}) {
				t.Errorf("k = %d: %v", k, err)
			}
		}
		entries, _, err := f.log.List(ctx, audit.Filter{Action: "statistics_settings.update", Limit: 10})
		if err != nil || len(entries) != 0 {
			t.Fatalf("refused changes audited: %d, %v", len(entries), err)
		}
		if st, err = f.svc.SetK(ctx, f.sysadmin, 25); err != nil || st.K != 25 || !st.UpdatedAt.Equal(now) {
			t.Fatalf("set 25: %+v, %v", st, err)
		}
		if _, err = f.svc.SetK(ctx, f.sysadmin, 25); err != nil {
			t.Fatal(err)
		}
		entries, _, err = f.log.List(ctx, audit.Filter{Action: "statistics_settings.update", Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].ActorID != f.sysadmin.UserID || entries[0].Fields[0] != "k" {
			t.Fatalf("audit: %+v, %v", entries, err)
		}
		// Every table now uses k = 25: GTM's 20 is withheld on its own.
		r, err := f.svc.Table(ctx, f.viewerA, query(t, "nationality"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Table.K != 25 {
			t.Errorf("k %d", r.Table.K)
		}
		for i, code := range r.Table.Rows {
			if c := r.Table.Cells[i][0]; !c.Suppressed {
				t.Errorf("%s shown as %d with k = 25", code, c.Value)
			}
		}
	})
}
