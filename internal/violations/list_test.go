// SPDX-License-Identifier: AGPL-3.0-or-later

package violations_test

import (
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/violations"
)

func TestList(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		// Five events of the owner's: a name, a start, an end, a country
		// and an act type each.
		type spec struct {
			name, start, end, country, act string
		}
		specs := []spec{
			{"a", "2019", "", "MEX", "40.30"},
			{"b", "2024-03", "2024-05-02", "GTM", "70.20"},
			{"c", "2024-06-10", "", "MEX", "70"},
			{"d", "2025-01-15", "", "", ""},
			{"e", "2026-02", "", "MEX", "20.10"},
		}
		byName := map[string]string{}
		for _, sp := range specs {
			f.clock.Advance(time.Minute)
			in := eventInput(sp.name)
			in.Start, in.End, in.Country, in.Admin1 = violations.Date{Value: sp.start}, violations.Date{Value: sp.end}, sp.country, ""
			e, err := f.svc.Create(ctx, f.owner, in)
			if err != nil {
				t.Fatalf("%s: %v", sp.name, err)
			}
			byName[e.ID] = sp.name
			if sp.act != "" {
				if _, err := f.svc.AddAct(ctx, f.owner, e.ID, violations.ActInput{ActType: sp.act}); err != nil {
					t.Fatal(err)
				}
			}
		}
		f.mustEvent(f.colleague, "not the owner's")
		names := func(es []violations.Event) []string {
			var out []string
			for _, e := range es {
				out = append(out, byName[e.ID])
			}
			return out
		}
		for _, tt := range []struct {
			name string
			f    violations.Filter
			want []string
		}{
			{"all, latest first", violations.Filter{}, []string{"e", "d", "c", "b", "a"}},
			{"earliest first", violations.Filter{Sort: violations.SortStartAsc}, []string{"a", "b", "c", "d", "e"}},
			{"last changed first", violations.Filter{Sort: violations.SortUpdated}, []string{"e", "d", "c", "b", "a"}},
			{"in 2024", violations.Filter{From: "2024", To: "2024"}, []string{"c", "b"}},
			{"May 2024 overlaps b's span", violations.Filter{From: "2024-05", To: "2024-05-31"}, []string{"b"}},
			{"a year overlaps one of its days", violations.Filter{From: "2019-07-01", To: "2019-07-01"}, []string{"a"}},
			{"from 2025", violations.Filter{From: "2025-01-15"}, []string{"e", "d"}},
			{"until 2019", violations.Filter{To: "2019-01"}, []string{"a"}},
			{"Mexico", violations.Filter{Country: "MX"}, []string{"e", "c", "a"}},
			{"xenophobic incidents, branch and leaves", violations.Filter{ActType: "70"}, []string{"c", "b"}},
			{"one leaf", violations.Filter{ActType: "70.20"}, []string{"b"}},
			{"Mexico and xenophobia", violations.Filter{Country: "MEX", ActType: "70"}, []string{"c"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, next, err := f.svc.List(ctx, f.owner, tt.f, violations.Page{})
				if err != nil || next != "" {
					t.Fatalf("List: %v, next %q", err, next)
				}
				if !slices.Equal(names(got), tt.want) {
					t.Fatalf("found %v, want %v", names(got), tt.want)
				}
			})
		}
		for _, sort := range violations.Sorts() {
			t.Run("pages of "+string(sort), func(t *testing.T) {
				all, _, err := f.svc.List(ctx, f.owner, violations.Filter{Sort: sort}, violations.Page{})
				if err != nil {
					t.Fatal(err)
				}
				var paged []violations.Event
				cursor := ""
				for range 10 {
					page, next, err := f.svc.List(ctx, f.owner, violations.Filter{Sort: sort}, violations.Page{Cursor: cursor, Limit: 2})
					if err != nil {
						t.Fatal(err)
					}
					paged = append(paged, page...)
					if next == "" {
						break
					}
					cursor = next
				}
				if !slices.Equal(names(paged), names(all)) {
					t.Fatalf("pages gave %v, the whole list %v", names(paged), names(all))
				}
			})
		}
		for _, tt := range []struct {
			name string
			f    violations.Filter
			pg   violations.Page
			want []string
		}{
			{"bad from", violations.Filter{From: "2024-13"}, violations.Page{}, []string{"from:invalid_partial_date"}},
			{"bad to", violations.Filter{To: "yesterday"}, violations.Page{}, []string{"to:invalid_partial_date"}},
			{"bad country", violations.Filter{Country: "ZZZ"}, violations.Page{}, []string{"country:unknown_country"}},
			{"bad act type", violations.Filter{ActType: "7%"}, violations.Page{}, []string{"act_type:unknown"}},
			{"bad sort", violations.Filter{Sort: "title"}, violations.Page{}, []string{"sort:unknown"}},
			{"bad cursor", violations.Filter{}, violations.Page{Cursor: "2024-01-01~x"}, []string{"cursor:invalid"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, _, err := f.svc.List(ctx, f.owner, tt.f, tt.pg)
				wantFieldErrors(t, err, tt.want...)
			})
		}
	})
}
