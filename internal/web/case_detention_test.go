// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
)

// protection is a stack with a case for the protection tabs: owned by a
// caseworker of a team, whose principal person was born in 2012 (a child
// in 2026), with browsers for the people who try the pages.
type protection struct {
	*stack
	team    string
	owner   access.Principal
	caseID  string
	person  string
	relPath string // "/cases/{id}/"

	// worker owns the case. The others, signed in by others: colleague
	// is a caseworker of the same organisation who does not; supervisor
	// leads the case's team; viewer holds no case permission; stranger
	// is a caseworker of another organisation.
	worker, colleague, supervisor, viewer, stranger *browser
	otherOrg                                        string
}

func newProtection(t *testing.T) *protection {
	t.Helper()
	s := newStack(t)
	ctx := context.Background()
	team, err := s.acc.CreateTeam(ctx, access.System, s.org.ID, "Field team")
	if err != nil {
		t.Fatal(err)
	}
	f := &protection{stack: s, team: team.ID}
	var owner accounts.User
	f.worker, owner = f.signIn(s.org.ID, team.ID, "ana@example.org", access.RoleCaseworker)
	f.owner = access.Principal{UserID: owner.ID, OrgID: s.org.ID, TeamID: team.ID, Role: access.RoleCaseworker, MFA: true}
	name := "Other organisation"
	other, err := s.acc.CreateOrganisation(ctx, access.System, accounts.OrganisationInput{Name: &name}, false)
	if err != nil {
		t.Fatal(err)
	}
	f.otherOrg = other.ID

	p, err := s.per.Create(ctx, f.owner, persons.Input{Identity: persons.Identity{GivenName: "Lucía"},
		Attributes: persons.Attributes{BirthYear: 2012, Nationality: "HND"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.cas.Create(ctx, f.owner, cases.NewCase{Persons: []cases.PersonLinkInput{{PersonID: p.ID,
		Role: cases.RolePrincipal}}})
	if err != nil {
		t.Fatal(err)
	}
	f.caseID, f.person, f.relPath = c.ID, p.ID, "/cases/"+c.ID+"/"
	return f
}

// others signs in the people besides the owner, once: signing in costs
// a password hash each, so tests that need only the owner skip it.
func (f *protection) others() {
	f.t.Helper()
	if f.stranger != nil {
		return
	}
	f.colleague, _ = f.signIn(f.org.ID, "", "carla@example.org", access.RoleCaseworker)
	f.supervisor, _ = f.signIn(f.org.ID, f.team, "sofia@example.org", access.RoleSupervisor)
	f.viewer, _ = f.signIn(f.org.ID, "", "vera@example.org", access.RoleViewer)
	f.stranger, _ = f.signIn(f.otherOrg, "", "bruno@other.example", access.RoleCaseworker)
}

// signIn creates an account with role in orgID and teamID and signs it in
// through the pages, second factor included when the role needs one.
func (f *protection) signIn(orgID, teamID, email, role string) (*browser, accounts.User) {
	f.t.Helper()
	u, _, err := f.acc.CreateUser(context.Background(), access.System, accounts.NewUser{Email: email, Name: email,
		Password: testPassword, OrgID: orgID, TeamID: teamID, Role: role})
	if err != nil {
		f.t.Fatal(err)
	}
	b := f.browser()
	if !access.RequiresMFA(role) {
		b.login(email, testPassword, "/")
		return b, u
	}
	b.login(email, testPassword, "/account/totp/enrol")
	f.adminEnrol(b)
	return b, u
}

// episodes returns the case's episodes as the owner sees them.
func (f *protection) episodes() []detention.Episode {
	f.t.Helper()
	eps, err := f.det.ListEpisodes(context.Background(), f.owner, caseScope(f.caseOf()), f.caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	return eps
}

func (f *protection) caseOf() cases.Case {
	f.t.Helper()
	c, err := f.cas.Get(context.Background(), f.owner, f.caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// fieldErrorsIn expects res to be a refused form, 422, with an error
// beside each of fields.
func fieldErrorsIn(t *testing.T, what string, res response, fields ...string) {
	t.Helper()
	expect(t, what, res, http.StatusUnprocessableEntity, "")
	for _, f := range fields {
		if !strings.Contains(res.body, `id="`+f+`-error"`) {
			t.Errorf("%s: no error beside %s:\n%s", what, f, res.body)
		}
	}
}

// probe is a request to a protection tab: a GET, or a form's POST.
type probe struct {
	what, path string
	form       url.Values // nil for a GET
}

// refused checks that each probe answers 404 to a caseworker of another
// organisation and to one of the same organisation who does not own the
// case, and 403 to a role without the tabs' permissions.
func (f *protection) refused(t *testing.T, probes ...probe) {
	t.Helper()
	f.others()
	for _, o := range []struct {
		who    string
		b      *browser
		status int
	}{
		{"another organisation", f.stranger, http.StatusNotFound},
		{"a caseworker who does not own the case", f.colleague, http.StatusNotFound},
		{"a role without the permissions", f.viewer, http.StatusForbidden},
	} {
		for _, p := range probes {
			res := o.b.get(p.path)
			if p.form != nil {
				res = o.b.post(p.path, p.form)
			}
			expect(t, o.who+": "+p.what, res, o.status, "")
		}
	}
}

// childDetention is the form of a child's immigration detention.
func (f *protection) childDetention() url.Values {
	return url.Values{"person_id": {f.person}, "facility_type": {"immigration_detention_centre"},
		"facility_country": {"MEX"}, "authority": {"INM"}, "start": {"2026-02-20"}, "immigration_related": {"yes"},
		"legal_basis": {"Ley de Migración, art. 99"}, "review_0": {""}, "alt_reporting": {"considered"}}
}

func TestCaseDetentionTab(t *testing.T) {
	t.Parallel()
	f := newProtection(t)
	tab := f.relPath + "detention"
	res := f.worker.page("empty tab", tab, `data-testid="episodes-none"`, `data-testid="episode-form"`)
	if strings.Contains(res.body, `data-testid="case-alerts"`) {
		t.Error("alerts shown for a case without detention")
	}

	// A refused form changes nothing and says why beside each field.
	bad := f.childDetention()
	bad.Set("facility_country", "ZZ")
	bad.Set("start", "")
	bad.Set("review_0", "2026-13-01")
	bad.Set("alt_bail", "maybe")
	res = f.worker.post(tab, bad)
	fieldErrorsIn(t, "invalid episode", res, "facility_country", "start", "review_0", "alt_bail")
	contains(t, "invalid episode", res.body, `value="INM"`)
	stranger := f.childDetention()
	stranger.Set("person_id", ids.New())
	fieldErrorsIn(t, "a person not in the case", f.worker.post(tab, stranger), "person_id")
	if n := len(f.episodes()); n != 0 {
		t.Fatalf("a refused form recorded %d episodes", n)
	}

	// The child's detention, then the alert at the top, first.
	expect(t, "record", f.worker.post(tab, f.childDetention()), http.StatusSeeOther, tab)
	eps := f.episodes()
	if len(eps) != 1 || eps[0].FacilityCountry != "MEX" || !eps[0].ImmigrationRelated || eps[0].Authority != "INM" ||
		len(eps[0].Alternatives) != 1 || eps[0].Start != time.Date(2026, 2, 20, 0, 0, 0, 0, time.UTC) {
		t.Fatalf("recorded %+v", eps)
	}
	res = f.worker.page("tab with the episode", tab, `data-testid="alert-child_in_immigration_detention"`,
		`role="alert"`, `data-testid="episode-open"`, "Yes, a child", "2 alerts", "10 full days", "Reporting to the authorities")
	if i, j := strings.Index(res.body, "alert-child_in_immigration_detention"), strings.Index(res.body, "alert-no_judicial_review"); j >= 0 && j < i {
		t.Error("the child alert is not first")
	}
	// Every tab's header counts the alerts.
	f.worker.page("consular tab header", f.relPath+"consular", "alerts</a>")

	// The legal maximum and its source, once recorded.
	if _, err := f.det.PutLegalLimit(context.Background(), access.System, detention.LegalLimit{Country: "MEX", MaxDays: 5,
		Source: "https://example.org/ley-de-migracion"}); err != nil {
		t.Fatal(err)
	}
	f.worker.page("tab with the limit", tab, "legal maximum 5 days", `href="https://example.org/ley-de-migracion"`,
		"Past the legal maximum", `data-testid="alert-past_legal_maximum"`)

	// Editing: a refused change changes nothing; ending the detention
	// closes its alerts and keeps what was not changed.
	edit := tab + "/" + eps[0].ID
	res = f.worker.page("edit form", edit+"/edit", `value="2026-02-20"`, `value="INM"`)
	form := f.childDetention()
	form.Del("person_id")
	form.Set("end", "2026-02-19")
	fieldErrorsIn(t, "end before start", f.worker.post(edit, form), "end")
	if f.episodes()[0].End != nil {
		t.Fatal("a refused change was saved")
	}
	form.Set("end", "2026-03-01")
	form.Set("review_0", "2026-02-21")
	expect(t, "end", f.worker.post(edit, form), http.StatusSeeOther, tab+"#episode-"+eps[0].ID)
	got := f.episodes()[0]
	if got.End == nil || !got.End.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || len(got.JudicialReviews) != 1 ||
		!got.Start.Equal(eps[0].Start) {
		t.Fatalf("after ending: %+v", got)
	}
	res = f.worker.page("ended", tab, "to 1 March 2026")
	if strings.Contains(res.body, "alert-child_in_immigration_detention") {
		t.Error("the alert of an ended detention is still shown")
	}

	// A time the form cannot show survives a save that leaves it alone.
	precise, err := f.det.CreateEpisode(context.Background(), f.owner, caseScope(f.caseOf()), f.caseID, f.person,
		detention.EpisodeInput{FacilityType: detention.FacilityPoliceStation, FacilityCountry: "MEX",
			Start: time.Date(2026, 2, 25, 10, 30, 15, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	keep := url.Values{"facility_type": {"police_station"}, "facility_country": {"MEX"}, "start": {"2026-02-25"},
		"authority": {"Policía municipal"}}
	expect(t, "save with the start untouched", f.worker.post(tab+"/"+precise.ID, keep), http.StatusSeeOther,
		tab+"#episode-"+precise.ID)
	check := func(what string) {
		t.Helper()
		eps := f.episodes()
		if len(eps) != 2 || eps[1].ID != precise.ID || !eps[1].Start.Equal(precise.Start) || eps[1].End != nil ||
			eps[1].Authority != "Policía municipal" {
			t.Fatalf("%s: %+v", what, eps)
		}
	}
	check("the start lost its time, or the change was not saved")

	// Outsiders find nothing, or are refused, and change nothing; the
	// supervisor of the case's team may use the tab.
	end := url.Values{"facility_type": {"police_station"}, "facility_country": {"MEX"}, "start": {"2026-02-25"},
		"end": {"2026-02-26"}}
	f.refused(t, probe{"tab", tab, nil}, probe{"edit form", tab + "/" + precise.ID + "/edit", nil},
		probe{"record", tab, f.childDetention()}, probe{"change", tab + "/" + precise.ID, end})
	check("refused requests changed the episodes")
	f.supervisor.page("supervisor", tab, `data-testid="episode-form"`)
	expect(t, "unknown episode", f.worker.get(tab+"/"+ids.New()+"/edit"), http.StatusNotFound, "")
	expect(t, "unknown case", f.worker.get("/cases/"+ids.New()+"/detention"), http.StatusNotFound, "")
}
