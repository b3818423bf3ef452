// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/persons"
)

// stubAlerts is an AlertSource that knows one kind and the cases it names.
type stubAlerts map[string][]string

func (a stubAlerts) AlertKinds() []string {
	return []string{"child_in_immigration_detention", "past_legal_maximum"}
}

func (a stubAlerts) CasesWithAlert(_ context.Context, orgID, kind, _ string, _ ...any) ([]string, error) {
	return a[orgID+"/"+kind], nil
}

// searchEnv is env with the persons domain and alerts wired into the cases
// service, as the application wires them.
type searchEnv struct {
	*env
	per    *persons.Service
	alerts stubAlerts
}

func newSearchEnv(e *env) *searchEnv {
	per := persons.New(persons.Config{DB: e.db, Vault: e.vault, Audit: e.audit, Clock: e.clock})
	s := &searchEnv{env: e, per: per, alerts: stubAlerts{}}
	e.svc = cases.New(cases.Config{DB: e.db, Vault: e.vault, Audit: e.audit, Clock: e.clock, Persons: per,
		Identities: per, Alerts: s.alerts})
	return s
}

// registered registers a person for p and opens a case for p with them as
// principal, a second later than the last.
func (s *searchEnv) registered(p access.Principal, in persons.Input, nc cases.NewCase) (cases.Case, persons.Person) {
	s.t.Helper()
	per, err := s.per.Create(ctx, p, in)
	if err != nil {
		s.t.Fatalf("persons.Create: %v", err)
	}
	nc.Persons = append(nc.Persons, cases.PersonLinkInput{PersonID: per.ID, Role: cases.RolePrincipal})
	c := s.create(p, nc)
	s.clock.Advance(time.Second)
	return c, per
}

func mexican(admin1 string) persons.Attributes {
	return persons.Attributes{Nationality: "HND", CurrentCountry: "MEX", CurrentAdmin1: admin1}
}

// all pages through List or Search with pages of two and returns every case.
func all(t *testing.T, list func(cases.Page) ([]cases.Case, string, error), page cases.Page) []string {
	t.Helper()
	page.Limit = 2
	var out []string
	for range 100 {
		got, next, err := list(page)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, caseIDs(got)...)
		if next == "" {
			return out
		}
		page.Cursor = next
	}
	t.Fatal("the pages do not end")
	return nil
}

func TestListFiltersOnPrincipalNumberAndDates(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := newSearchEnv(e)
		f := newScopeFixture(e) // c1 (team 1), c2 (team 1), c3 (team 2): no principal
		opened := e.clock.Now()
		hnd1, _ := s.registered(f.cw1, persons.Input{Attributes: mexican("MX-CHP")}, cases.NewCase{})
		hnd2, _ := s.registered(f.cw2, persons.Input{Attributes: mexican("MX-OAX")}, cases.NewCase{})
		e.clock.Advance(72 * time.Hour)
		gtm, _ := s.registered(f.cw1, persons.Input{Attributes: persons.Attributes{Nationality: "GTM", CurrentCountry: "USA"}},
			cases.NewCase{})
		day := func(t time.Time) time.Time { return t.Truncate(24 * time.Hour) }
		for _, r := range []struct {
			name string
			f    cases.Filter
			want []cases.Case
		}{
			{"nationality", cases.Filter{Nationality: "HND"}, []cases.Case{hnd2, hnd1}},
			{"nationality as alpha-2", cases.Filter{Nationality: "hn"}, []cases.Case{hnd2, hnd1}},
			{"country", cases.Filter{Country: "MEX"}, []cases.Case{hnd2, hnd1}},
			{"admin-1 area", cases.Filter{Country: "MEX", Admin1: " MX-CHP "}, []cases.Case{hnd1}},
			{"number", cases.Filter{Number: f.c2.Number}, []cases.Case{f.c2}},
			{"number without its zeros", cases.Filter{Number: "2026-2"}, []cases.Case{f.c2}},
			{"opened from", cases.Filter{OpenedFrom: day(opened.Add(48 * time.Hour))}, []cases.Case{gtm}},
			{"opened before", cases.Filter{OpenedBefore: day(opened.Add(48 * time.Hour))}, []cases.Case{hnd2, hnd1, f.c2, f.c1}},
			{"opened within", cases.Filter{OpenedFrom: opened, OpenedBefore: opened.Add(time.Second)}, []cases.Case{hnd1}},
			{"nationality and owner", cases.Filter{Nationality: "HND", OwnerID: f.cw2.UserID}, []cases.Case{hnd2}},
			{"no principal", cases.Filter{Nationality: "FRA"}, nil},
		} {
			t.Run(r.name, func(t *testing.T) {
				got := all(t, func(pg cases.Page) ([]cases.Case, string, error) { return e.svc.List(ctx, f.sup1, r.f, pg) }, cases.Page{})
				if want := caseIDs(r.want); !slices.Equal(got, want) {
					t.Errorf("List = %v, want %v", got, want)
				}
			})
		}
		// Another organisation's supervisor finds none of them.
		if got, _, err := e.svc.List(ctx, f.outsiderSup, cases.Filter{Nationality: "HND"}, cases.Page{}); err != nil || len(got) != 0 {
			t.Errorf("another organisation: %v %v", caseIDs(got), err)
		}
		for _, r := range []struct {
			f     cases.Filter
			field string
			code  string
		}{
			{cases.Filter{Nationality: "XX"}, "nationality", cases.CodeUnknownCountry},
			{cases.Filter{Country: "Mexico"}, "country", cases.CodeUnknownCountry},
			{cases.Filter{Admin1: "MX-CHP"}, "admin1", cases.CodeNeedsCountry},
			{cases.Filter{Country: "MEX", Admin1: "a\u202eb"}, "admin1", cases.CodeControlChars},
			{cases.Filter{Number: "17"}, "number", cases.CodeInvalid},
			{cases.Filter{OpenedFrom: opened, OpenedBefore: opened}, "opened_to", cases.CodeDateOrder},
			{cases.Filter{Alert: "bad_weather"}, "alert", cases.CodeUnknown},
		} {
			_, _, err := e.svc.List(ctx, f.sup1, r.f, cases.Page{})
			wantValidation(t, err, r.field, r.code)
		}
		_, _, err := e.svc.List(ctx, f.sup1, cases.Filter{}, cases.Page{Sort: "colour"})
		wantValidation(t, err, "sort", cases.CodeUnknown)
		_, _, err = e.svc.List(ctx, f.sup1, cases.Filter{}, cases.Page{Sort: cases.SortOpened, Cursor: "1.0123456789abcdefghjkmnpqrs"})
		wantValidation(t, err, "cursor", cases.CodeInvalid)
	})
}

func TestListSorts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := newSearchEnv(e)
		org := e.org()
		team := e.team(org)
		sup := e.member(org, access.RoleSupervisor, team)
		risks := []cases.Risk{cases.RiskHigh, "", cases.RiskLow, cases.RiskCritical, cases.RiskHigh, "", cases.RiskMedium}
		var made []cases.Case
		for _, r := range risks {
			made = append(made, e.create(sup, cases.NewCase{Risk: r}))
			e.clock.Advance(time.Minute)
		}
		// Changing a case moves it first in the order of last change but
		// not in the others.
		if _, err := e.svc.ChangeStatus(ctx, sup, made[0].ID, cases.StatusAssessment); err != nil {
			t.Fatal(err)
		}
		made[0], _ = e.svc.Get(ctx, sup, made[0].ID)
		// A sequence past five digits sorts after the five-digit ones of
		// its year, and a later year after both.
		e.exec(`UPDATE cases SET number = ? WHERE id = ?`, "2026-100000", made[5].ID)
		e.exec(`UPDATE cases SET number = ? WHERE id = ?`, "2027-00001", made[6].ID)
		made[5].Number, made[6].Number = "2026-100000", "2027-00001"
		s.alerts[org+"/past_legal_maximum"] = caseIDs(made)

		byOpened := caseIDs(made)
		byUpdated := append(caseIDs(made[1:]), made[0].ID)
		byNumber := caseIDs(made) // 2026-00001 … 2026-00005, 2026-100000, 2027-00001
		// By risk, most severe first, then most recently changed.
		byRisk := caseIDs([]cases.Case{made[3], made[0], made[4], made[6], made[2], made[5], made[1]})
		rev := func(s []string) []string { s = slices.Clone(s); slices.Reverse(s); return s }
		for _, r := range []struct {
			name string
			page cases.Page
			want []string
		}{
			{"updated", cases.Page{}, rev(byUpdated)},
			{"updated, oldest first", cases.Page{Sort: cases.SortUpdated, Ascending: true}, byUpdated},
			{"opened", cases.Page{Sort: cases.SortOpened}, rev(byOpened)},
			{"opened, oldest first", cases.Page{Sort: cases.SortOpened, Ascending: true}, byOpened},
			{"number", cases.Page{Sort: cases.SortNumber}, rev(byNumber)},
			{"number, lowest first", cases.Page{Sort: cases.SortNumber, Ascending: true}, byNumber},
			{"risk", cases.Page{Sort: cases.SortRisk}, byRisk},
			{"risk, lowest first", cases.Page{Sort: cases.SortRisk, Ascending: true}, rev(byRisk)},
		} {
			t.Run(r.name, func(t *testing.T) {
				got := all(t, func(pg cases.Page) ([]cases.Case, string, error) { return e.svc.List(ctx, sup, cases.Filter{}, pg) }, r.page)
				if !slices.Equal(got, r.want) {
					t.Errorf("order %v, want %v", got, r.want)
				}
				// The same through the cases read by id, when an alert
				// filter names every case.
				byID := all(t, func(pg cases.Page) ([]cases.Case, string, error) {
					return e.svc.List(ctx, sup, cases.Filter{Alert: "past_legal_maximum"}, pg)
				}, r.page)
				if !slices.Equal(byID, r.want) {
					t.Errorf("order by id %v, want %v", byID, r.want)
				}
			})
		}
	})
}

func TestAlertFilter(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := newSearchEnv(e)
		f := newScopeFixture(e)
		var many []string
		for range 1200 { // more than one statement's worth of ids
			many = append(many, "0123456789abcdefghjkmnpqrs")
		}
		s.alerts[f.c1.OrgID+"/child_in_immigration_detention"] = append(many, f.c1.ID, f.c3.ID, f.c2.ID)
		for _, r := range []struct {
			name string
			p    access.Principal
			f    cases.Filter
			page cases.Page
			want []cases.Case
		}{
			{"supervisor", f.sup1, cases.Filter{Alert: "child_in_immigration_detention"}, cases.Page{}, []cases.Case{f.c2, f.c1}},
			{"oldest first", f.sup1, cases.Filter{Alert: "child_in_immigration_detention"}, cases.Page{Ascending: true}, []cases.Case{f.c1, f.c2}},
			{"by risk", f.sup1, cases.Filter{Alert: "child_in_immigration_detention"}, cases.Page{Sort: cases.SortRisk}, []cases.Case{f.c1, f.c2}},
			{"with a concern", f.sup1, cases.Filter{Alert: "child_in_immigration_detention", Concern: "detention"}, cases.Page{}, []cases.Case{f.c2}},
			{"caseworker", f.cw1, cases.Filter{Alert: "child_in_immigration_detention"}, cases.Page{}, []cases.Case{f.c1}},
			{"another kind", f.sup1, cases.Filter{Alert: "past_legal_maximum"}, cases.Page{}, nil},
			{"another organisation", f.outsiderSup, cases.Filter{Alert: "child_in_immigration_detention"}, cases.Page{}, nil},
		} {
			t.Run(r.name, func(t *testing.T) {
				got := all(t, func(pg cases.Page) ([]cases.Case, string, error) { return e.svc.List(ctx, r.p, r.f, pg) }, r.page)
				if want := caseIDs(r.want); !slices.Equal(got, want) {
					t.Errorf("List = %v, want %v", got, want)
				}
			})
		}
		if got := e.svc.AlertKinds(); !slices.Equal(got, s.alerts.AlertKinds()) {
			t.Errorf("AlertKinds = %v", got)
		}
		// Without the detention permission, an alert filter is refused.
		noDetention := f.sup1
		noDetention.Scopes = []access.Permission{cases.PermRead}
		if _, _, err := e.svc.List(ctx, noDetention, cases.Filter{Alert: "child_in_immigration_detention"}, cases.Page{}); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("without detention.read: %v", err)
		}
	})
}

func TestPrincipalCopiesFollowLinksAndPersons(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := newSearchEnv(e)
		f := newScopeFixture(e)
		c, principal := s.registered(f.cw1, persons.Input{Attributes: mexican("MX-CHP")}, cases.NewCase{})
		other, err := s.per.Create(ctx, f.cw1, persons.Input{Attributes: persons.Attributes{Nationality: "SLV"}})
		if err != nil {
			t.Fatal(err)
		}
		list := func(fl cases.Filter) []string {
			t.Helper()
			got, _, err := e.svc.List(ctx, f.cw1, fl, cases.Page{})
			if err != nil {
				t.Fatal(err)
			}
			return caseIDs(got)
		}
		want := []string{c.ID}
		steps := []struct {
			name   string
			change func() error
			hnd    []string
			slv    []string
		}{
			{"as opened", func() error { return nil }, want, []string{}},
			{"the principal moves", func() error {
				_, err := s.per.Update(ctx, f.cw1, principal.ID, persons.Patch{Nationality: new("SLV")})
				return err
			}, []string{}, want},
			{"the principal is unlinked", func() error {
				_, err := e.svc.UnlinkPerson(ctx, f.cw1, c.ID, principal.ID)
				return err
			}, []string{}, []string{}},
			{"another person becomes the principal", func() error {
				_, err := e.svc.LinkPerson(ctx, f.cw1, c.ID, cases.PersonLinkInput{PersonID: other.ID, Role: cases.RolePrincipal})
				return err
			}, []string{}, want},
			{"and is made a family member", func() error {
				_, err := e.svc.LinkPerson(ctx, f.cw1, c.ID, cases.PersonLinkInput{PersonID: other.ID, Role: cases.RoleFamilyMember,
					Relation: cases.RelationSibling})
				return err
			}, []string{}, []string{}},
		}
		for _, st := range steps {
			if err := st.change(); err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
			if got := list(cases.Filter{Nationality: "HND"}); !slices.Equal(got, st.hnd) {
				t.Errorf("%s: HND %v, want %v", st.name, got, st.hnd)
			}
			if got := list(cases.Filter{Nationality: "SLV"}); !slices.Equal(got, st.slv) {
				t.Errorf("%s: SLV %v, want %v", st.name, got, st.slv)
			}
		}
	})
}

func TestSearchByIdentity(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := newSearchEnv(e)
		f := newScopeFixture(e)
		maria, _ := s.registered(f.cw1, persons.Input{
			Identity: persons.Identity{GivenName: "María José", FamilyName: "García-Pérez",
				Documents: []persons.Document{{Type: "passport", Number: "AB 123-456"}}, Phones: []string{"+52 55 1234 5678"}},
			Attributes: mexican("MX-CHP")}, cases.NewCase{Risk: cases.RiskHigh})
		mariaToo, _ := s.registered(f.cw2, persons.Input{Identity: persons.Identity{GivenName: "Maria", FamilyName: "Lopez"}},
			cases.NewCase{Risk: cases.RiskCritical})
		// A family member is found too: the search is for any person linked.
		brother, err := s.per.Create(ctx, f.cw1, persons.Input{Identity: persons.Identity{GivenName: "Juan", FamilyName: "García"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.LinkPerson(ctx, f.cw1, maria.ID, cases.PersonLinkInput{PersonID: brother.ID, Role: cases.RoleFamilyMember,
			Relation: cases.RelationSibling}); err != nil {
			t.Fatal(err)
		}
		maria, _ = e.svc.Get(ctx, f.cw1, maria.ID)
		// Another organisation's Maria García stays out of reach.
		elsewhere, _ := s.registered(f.outsider, persons.Input{Identity: persons.Identity{GivenName: "Maria", FamilyName: "Garcia"}},
			cases.NewCase{})
		for _, r := range []struct {
			name string
			p    access.Principal
			id   cases.Identity
			f    cases.Filter
			want []cases.Case
		}{
			// Linking the brother changed maria's case last.
			{"name", f.sup1, cases.Identity{Name: "maria"}, cases.Filter{}, []cases.Case{maria, mariaToo}},
			{"every word of the name", f.sup1, cases.Identity{Name: "MARIA garcia"}, cases.Filter{}, []cases.Case{maria}},
			{"a family member's name", f.sup1, cases.Identity{Name: "juan"}, cases.Filter{}, []cases.Case{maria}},
			{"document", f.sup1, cases.Identity{DocumentNumber: "ab123456"}, cases.Filter{}, []cases.Case{maria}},
			{"phone", f.sup1, cases.Identity{Phone: "+52 (55) 1234-5678"}, cases.Filter{}, []cases.Case{maria}},
			{"name and filter", f.sup1, cases.Identity{Name: "maria"}, cases.Filter{Nationality: "HND"}, []cases.Case{maria}},
			{"name and risk order", f.sup1, cases.Identity{Name: "maria"}, cases.Filter{}, []cases.Case{mariaToo, maria}},
			{"caseworker sees own", f.cw2, cases.Identity{Name: "maria"}, cases.Filter{}, []cases.Case{mariaToo}},
			{"no one", f.sup1, cases.Identity{Name: "nobody"}, cases.Filter{}, nil},
			{"other team", f.sup2, cases.Identity{Name: "maria"}, cases.Filter{}, nil},
			{"another organisation", f.outsider, cases.Identity{Name: "maria garcia"}, cases.Filter{}, []cases.Case{elsewhere}},
		} {
			t.Run(r.name, func(t *testing.T) {
				page := cases.Page{}
				if r.name == "name and risk order" {
					page.Sort = cases.SortRisk
				}
				got := all(t, func(pg cases.Page) ([]cases.Case, string, error) { return e.svc.Search(ctx, r.p, r.id, r.f, pg) }, page)
				if want := caseIDs(r.want); !slices.Equal(got, want) {
					t.Errorf("Search = %v, want %v", got, want)
				}
			})
		}
		// Every search is audited with the criteria's names, not values.
		entries, _, err := e.audit.List(ctx, audit.Filter{Action: "case.search", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) < 11 {
			t.Fatalf("%d case.search entries", len(entries))
		}
		for _, en := range entries {
			for _, field := range en.Fields {
				if !slices.Contains([]string{"name", "document_number", "phone"}, field) {
					t.Errorf("audit entry names %q", field)
				}
			}
		}
		// The phone search found one case, which its entry names.
		if i := slices.IndexFunc(entries, func(en audit.Entry) bool { return slices.Equal(en.Fields, []string{"phone"}) }); i < 0 ||
			entries[i].ObjectID != maria.ID || entries[i].ObjectType != "case" {
			t.Errorf("no entry for the phone search naming its case: %+v", entries)
		}
		// Bad criteria and filters are answered together; no criterion at
		// all is refused; a role that reads no case or person is refused.
		_, _, err = e.svc.Search(ctx, f.sup1, cases.Identity{Phone: "12"}, cases.Filter{Nationality: "XX"}, cases.Page{})
		var ve *cases.ValidationError
		if !errors.As(err, &ve) || len(ve.Errors) != 2 {
			t.Errorf("bad phone and nationality: %v", err)
		}
		_, _, err = e.svc.Search(ctx, f.sup1, cases.Identity{Name: "  "}, cases.Filter{}, cases.Page{})
		wantValidation(t, err, "query", cases.CodeRequired)
		analyst := e.member(f.cw1.OrgID, access.RoleAnalyst, "")
		if _, _, err := e.svc.Search(ctx, analyst, cases.Identity{Name: "maria"}, cases.Filter{}, cases.Page{}); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("analyst: %v", err)
		}
		unwired := cases.New(cases.Config{DB: e.db, Vault: e.vault, Audit: e.audit, Clock: e.clock})
		if _, _, err := unwired.Search(ctx, f.sup1, cases.Identity{Name: "maria"}, cases.Filter{}, cases.Page{}); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("without the persons domain: %v", err)
		}
	})
}

// TestAlertFilterWithDetention filters on a real alert: a child held in
// immigration detention, evaluated by the detention domain over the
// episodes of the cases the reader may see only.
func TestAlertFilterWithDetention(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		s := newSearchEnv(e)
		det := detention.New(detention.ServiceConfig{DB: e.db, Audit: e.audit, Clock: e.clock})
		e.svc = cases.New(cases.Config{DB: e.db, Vault: e.vault, Audit: e.audit, Clock: e.clock, Persons: s.per,
			Identities: s.per, Alerts: det})
		f := newScopeFixture(e)
		child, childPerson := s.registered(f.cw1, persons.Input{Attributes: persons.Attributes{BirthYear: 2015}},
			cases.NewCase{Concerns: []cases.Concern{"detention"}})
		adult, adultPerson := s.registered(f.cw3, persons.Input{Attributes: persons.Attributes{BirthYear: 1980}}, cases.NewCase{})
		for _, r := range []struct {
			p      access.Principal
			c      cases.Case
			person persons.Person
		}{{f.cw1, child, childPerson}, {f.cw3, adult, adultPerson}} {
			rec, err := e.svc.Reach(ctx, r.p, r.c.ID, detention.PermWrite)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := det.CreateEpisode(ctx, r.p, rec, r.c.ID, r.person.ID, detention.EpisodeInput{
				FacilityType: detention.FacilityImmigrationDetentionCentre, FacilityCountry: "MEX",
				Start: e.clock.Now().Add(-72 * time.Hour), ImmigrationRelated: true}); err != nil {
				t.Fatal(err)
			}
		}
		kind, review := string(detention.AlertChildInImmigrationDetention), string(detention.AlertNoJudicialReview)
		for _, r := range []struct {
			name string
			p    access.Principal
			f    cases.Filter
			want []cases.Case
		}{
			{"child, team", f.sup1, cases.Filter{Alert: kind}, []cases.Case{child}},
			{"child, with a concern", f.sup1, cases.Filter{Alert: kind, Concern: "detention"}, []cases.Case{child}},
			{"child, another concern", f.sup1, cases.Filter{Alert: kind, Concern: "health"}, nil},
			{"no review, team 1", f.sup1, cases.Filter{Alert: review}, []cases.Case{child}},
			{"no review, team 2", f.sup2, cases.Filter{Alert: review}, []cases.Case{adult}},
			{"another organisation", f.outsiderSup, cases.Filter{Alert: review}, nil},
		} {
			got, _, err := e.svc.List(ctx, r.p, r.f, cases.Page{})
			if err != nil {
				t.Fatalf("%s: %v", r.name, err)
			}
			if want := caseIDs(r.want); !slices.Equal(caseIDs(got), want) {
				t.Errorf("%s: %v, want %v", r.name, caseIDs(got), want)
			}
		}
		if got := e.svc.AlertKinds(); len(got) == 0 || got[0] != kind {
			t.Errorf("AlertKinds = %v, want the child's first", got)
		}
	})
}
