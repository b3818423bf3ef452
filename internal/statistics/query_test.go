// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"errors"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
)

func TestParseQuery(t *testing.T) {
	org := ids.New()
	for _, tc := range []struct {
		name      string
		dimension string
		query     string
		want      Query
		errs      []fielderr.FieldError
	}{
		{"dimension alone", "concern", "", Query{Dimension: Concern}, nil},
		{"every filter", "nationality", "column=sex&org=" + org + "&from=2025-Q4&to=2026-Q2&nationality=hn&country=484",
			Query{Dimension: Nationality, Column: Sex, Filter: Filter{OrgID: org, From: Quarter{2025, 4},
				To: Quarter{2026, 2}, Nationality: "HND", Country: "MEX"}}, nil},
		{"a fixed column is implied", "consular_compliance", "", Query{Dimension: ConsularCompliance, Column: ConsularNotified}, nil},
		{"and may be named", "consular_compliance", "column=consular_notified",
			Query{Dimension: ConsularCompliance, Column: ConsularNotified}, nil},
		{"other parameters are ignored", "sex", "lang=fr&format=csv", Query{Dimension: Sex}, nil},
		{"one quarter", "age_band", "from=2026-Q1&to=2026-Q1", Query{Dimension: AgeBand,
			Filter: Filter{From: Quarter{2026, 1}, To: Quarter{2026, 1}}}, nil},
		{"unknown dimension", "names", "", Query{}, []fielderr.FieldError{fe("dimension", "unknown")}},
		{"column of a fixed table", "consular_compliance", "column=sex", Query{}, []fielderr.FieldError{fe("column", "not_available")}},
		{"column not offered", "sex", "column=sex", Query{}, []fielderr.FieldError{fe("column", "not_available")}},
		{"column of perpetrators", "perpetrator_category", "column=age_band", Query{}, []fielderr.FieldError{fe("column", "not_available")}},
		{"a date is not a quarter", "sex", "from=2026-03-04", Query{}, []fielderr.FieldError{fe("from", "invalid")}},
		{"quarter 5", "sex", "to=2026-Q5", Query{}, []fielderr.FieldError{fe("to", "invalid")}},
		{"quarters in the wrong order", "sex", "from=2026-Q3&to=2026-Q2", Query{}, []fielderr.FieldError{fe("to", "date_order")}},
		{"bad organisation", "sex", "org=1%27%20OR%201=1", Query{}, []fielderr.FieldError{fe("org", "invalid")}},
		{"unknown country", "sex", "nationality=XXX&country=Narnia", Query{},
			[]fielderr.FieldError{fe("nationality", "unknown_country"), fe("country", "unknown_country")}},
		{"long value", "sex", "country=" + strings.Repeat("A", 65), Query{}, []fielderr.FieldError{fe("country", "too_long")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseQuery(tc.dimension, v)
			if tc.errs != nil {
				var fe *fielderr.Error
				if !errors.As(err, &fe) || !reflect.DeepEqual(fe.Errors, tc.errs) {
					t.Errorf("error %v, want %v", err, tc.errs)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
			// The address a page links gives the same query back.
			again, err := ParseQuery(tc.dimension, got.Values())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("round trip: %+v, %v", again, err)
			}
		})
	}
}

func fe(field, code string) fielderr.FieldError { return fielderr.FieldError{Field: field, Code: code} }

func TestQuarter(t *testing.T) {
	q, ok := ParseQuarter("2026-Q3")
	if !ok || q.String() != "2026-Q3" || q.Start().Format("2006-01-02") != "2026-07-01" || q.End().Format("2006-01-02") != "2026-10-01" {
		t.Errorf("%+v", q)
	}
	for _, bad := range []string{"", "2026", "2026-Q0", "2026-q3", "26-Q3", "1899-Q4", "2026-Q3 ", "２０２６-Q3"} {
		if _, ok := ParseQuarter(bad); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzParseQuery feeds the parser any dimension and query string: it never
// panics, and what it accepts is a valid query that round-trips through
// its own address and holds only codes.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range [][2]string{
		{"nationality", "column=sex&from=2025-Q4&to=2026-Q2&nationality=HND&country=MEX"},
		{"consular_compliance", "column=consular_notified"},
		{"location", "country=mx&org=01jd6y0z1e4q2v8x9k3m5n7p8r"},
		{"sex", "from=2026-Q3&to=2026-Q2"},
		{"concern", "column=age_band&column=sex&nationality=%00"},
		{"perpetrator_category", "nationality=" + strings.Repeat("x", 100)},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, dimension, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseQuery(dimension, v)
		if err != nil {
			var fe *fielderr.Error
			if !errors.As(err, &fe) || len(fe.Errors) == 0 {
				t.Fatalf("error %v is not a field error", err)
			}
			return
		}
		if !q.Dimension.valid() || (q.Column != "" && !slices.Contains(specs[q.Dimension].columns, q.Column) && q.Column != specs[q.Dimension].fixed) {
			t.Fatalf("accepted %+v", q)
		}
		again, err := ParseQuery(dimension, q.Values())
		if err != nil || !reflect.DeepEqual(again, q) {
			t.Fatalf("round trip of %+v: %+v, %v", q, again, err)
		}
		for _, s := range []string{q.Filter.Nationality, q.Filter.Country} {
			if s != "" && len(s) != 3 {
				t.Fatalf("country %q", s)
			}
		}
	})
}
