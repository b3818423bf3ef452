// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
)

func TestCriteriaRoundTrip(t *testing.T) {
	id := "0123456789abcdefghjkmnpqrs"
	for _, r := range []struct {
		query string
		want  string // canonical form; "" when query already is
	}{
		{"", ""},
		{"status=new", ""},
		{"risk=unassessed&sort=risk&dir=asc", "dir=asc&risk=unassessed&sort=risk"},
		{"opened_from=2026-01-31&opened_to=2026-02-28", ""},
		{"alert=past_legal_maximum&country=MEX&admin1=MX-CHP&nationality=HND&number=2026-00007&owner_id=" + id + "&team_id=" + id + "&concern=health",
			"admin1=MX-CHP&alert=past_legal_maximum&concern=health&country=MEX&nationality=HND&number=2026-00007&owner_id=" + id +
				"&team_id=" + id},
		{"sort=updated&dir=desc&lang=fr", ""},
	} {
		q, err := url.ParseQuery(r.query)
		if err != nil {
			t.Fatal(err)
		}
		c, err := cases.ParseCriteria(q)
		if err != nil {
			t.Errorf("%q: %v", r.query, err)
			continue
		}
		want := r.want
		if want == "" && !strings.Contains(r.query, "sort=updated") {
			want = r.query
		}
		if got := c.Values().Encode(); got != want {
			t.Errorf("%q encodes as %q, want %q", r.query, got, want)
		}
	}
	c, _ := cases.ParseCriteria(url.Values{"opened_to": {"2026-02-28"}})
	if want := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC); !c.Filter.OpenedBefore.Equal(want) {
		t.Errorf("opened_to includes its day: before %v, want %v", c.Filter.OpenedBefore, want)
	}
	_, err := cases.ParseCriteria(url.Values{"status": {"new", "closed"}, "opened_from": {"31/01/2026"}, "dir": {"up"},
		"risk": {""}, "nationality": {"XX"}, "sort": {"colour"}})
	var ve *cases.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("bad criteria: %v", err)
	}
	var fields []string
	for _, fe := range ve.Errors {
		fields = append(fields, fe.Field+":"+fe.Code)
	}
	slices.Sort(fields)
	if want := []string{"dir:unknown", "nationality:unknown_country", "opened_from:invalid_date", "sort:unknown",
		"status:invalid"}; !slices.Equal(fields, want) {
		t.Errorf("errors %v, want %v", fields, want)
	}
	if got := cases.UnknownParams(url.Values{"status": {"new"}, "name": {"x"}, "cursor": {"c"}, "lang": {"fr"}}, "cursor"); !slices.Equal(got, []string{"lang", "name"}) {
		t.Errorf("UnknownParams = %v", got)
	}
}

func TestSavedSearches(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newSearchEnv(e)
		f := newScopeFixture(e)
		high := cases.RiskHigh
		mine, err := e.svc.SaveSearch(ctx, f.cw1, cases.NewSavedSearch{Name: " High risk ",
			Criteria: cases.Criteria{Filter: cases.Filter{Risk: &high, Nationality: "hn"}, Sort: cases.SortOpened}})
		if err != nil {
			t.Fatal(err)
		}
		if mine.Name != "High risk" || mine.Query != "nationality=HND&risk=high&sort=opened" || mine.TeamID != "" {
			t.Errorf("saved %+v", mine)
		}
		shared, err := e.svc.SaveSearch(ctx, f.cw1, cases.NewSavedSearch{Name: "Team detention", Shared: true,
			Criteria: cases.Criteria{Filter: cases.Filter{Concern: "detention"}}})
		if err != nil || shared.TeamID != f.team1 {
			t.Fatalf("shared: %+v %v", shared, err)
		}
		names := func(p access.Principal) []string {
			t.Helper()
			all, err := e.svc.SavedSearches(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, ss := range all {
				out = append(out, ss.Name)
			}
			return out
		}
		for _, r := range []struct {
			name string
			p    access.Principal
			want []string
		}{
			{"owner", f.cw1, []string{"High risk", "Team detention"}},
			{"team mate", f.cw2, []string{"Team detention"}},
			{"supervisor of the team", f.sup1, []string{"Team detention"}},
			{"other team", f.sup2, nil},
			{"another organisation", f.outsiderSup, nil},
		} {
			if got := names(r.p); !slices.Equal(got, r.want) {
				t.Errorf("%s sees %v, want %v", r.name, got, r.want)
			}
		}
		for _, r := range []struct {
			name   string
			p      access.Principal
			in     cases.NewSavedSearch
			fields []string
		}{
			{"no name", f.cw1, cases.NewSavedSearch{Name: " ", Criteria: cases.Criteria{Sort: cases.SortRisk}}, []string{"name:required"}},
			{"name too long", f.cw1, cases.NewSavedSearch{Name: strings.Repeat("n", 101), Criteria: cases.Criteria{Sort: cases.SortRisk}},
				[]string{"name:too_long"}},
			{"nothing asked", f.cw1, cases.NewSavedSearch{Name: "All"}, []string{"criteria:empty"}},
			{"bad criteria", f.cw1, cases.NewSavedSearch{Name: "Bad", Criteria: cases.Criteria{Filter: cases.Filter{Country: "XX",
				Alert: "nope"}, Sort: "colour"}}, []string{"criteria.alert:unknown", "criteria.country:unknown_country", "criteria.sort:unknown"}},
			{"shared without a team", e.member(f.cw1.OrgID, access.RoleCaseworker, ""), cases.NewSavedSearch{Name: "Mine", Shared: true,
				Criteria: cases.Criteria{Sort: cases.SortRisk}}, []string{"shared:no_team"}},
			{"name taken", f.cw1, cases.NewSavedSearch{Name: "High risk", Criteria: cases.Criteria{Sort: cases.SortRisk}},
				[]string{"name:duplicate"}},
		} {
			_, err := e.svc.SaveSearch(ctx, r.p, r.in)
			var ve *cases.ValidationError
			if !errors.As(err, &ve) {
				t.Errorf("%s: %v", r.name, err)
				continue
			}
			var got []string
			for _, fe := range ve.Errors {
				got = append(got, fe.Field+":"+fe.Code)
			}
			slices.Sort(got)
			if !slices.Equal(got, r.fields) {
				t.Errorf("%s: errors %v, want %v", r.name, got, r.fields)
			}
		}
		// The same name is free for someone else.
		if _, err := e.svc.SaveSearch(ctx, f.cw2, cases.NewSavedSearch{Name: "High risk", Criteria: cases.Criteria{Sort: cases.SortRisk}}); err != nil {
			t.Errorf("another user's name: %v", err)
		}
		analyst := e.member(f.cw1.OrgID, access.RoleAnalyst, "")
		if _, err := e.svc.SaveSearch(ctx, analyst, cases.NewSavedSearch{Name: "x", Criteria: cases.Criteria{Sort: cases.SortRisk}}); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("analyst saves: %v", err)
		}
		if _, err := e.svc.SavedSearches(ctx, analyst); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("analyst lists: %v", err)
		}

		// Only the owner deletes; a team mate is refused, others find nothing.
		wantErr(t, e.svc.DeleteSavedSearch(ctx, f.cw2, shared.ID), cases.ErrForbidden)
		wantErr(t, e.svc.DeleteSavedSearch(ctx, f.sup2, shared.ID), cases.ErrNotFound)
		wantErr(t, e.svc.DeleteSavedSearch(ctx, f.outsiderSup, mine.ID), cases.ErrNotFound)
		wantErr(t, e.svc.DeleteSavedSearch(ctx, f.cw1, "nonsense"), cases.ErrNotFound)
		if err := e.svc.DeleteSavedSearch(ctx, f.cw1, shared.ID); err != nil {
			t.Fatal(err)
		}
		if got := names(f.cw2); !slices.Equal(got, []string{"High risk"}) {
			t.Errorf("after deletion the team mate sees %v", got)
		}
		wantErr(t, e.svc.DeleteSavedSearch(ctx, f.cw1, shared.ID), cases.ErrNotFound)

		entries, _, err := e.audit.List(ctx, audit.Filter{ObjectType: "saved_search"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, en := range entries {
			got = append(got, en.Action+":"+strings.Join(en.Fields, ","))
		}
		want := []string{"saved_search.delete:name,criteria", "saved_search.create:name,criteria",
			"saved_search.create:name,criteria,team_id", "saved_search.create:name,criteria"}
		if !slices.Equal(got, want) {
			t.Errorf("audit %v, want %v", got, want)
		}
	})
}

func TestSavedSearchesAreBounded(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		for i := range cases.MaxSavedSearches {
			if _, err := e.svc.SaveSearch(ctx, f.cw1, cases.NewSavedSearch{Name: "s" + strings.Repeat("x", i%90) + string(rune('a'+i/90)),
				Criteria: cases.Criteria{Sort: cases.SortRisk}}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := e.svc.SaveSearch(ctx, f.cw1, cases.NewSavedSearch{Name: "one too many", Criteria: cases.Criteria{Sort: cases.SortRisk}})
		wantValidation(t, err, "name", cases.CodeTooMany)
	})
}
