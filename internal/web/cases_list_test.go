// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/cases"
)

// caseListSamples are views of the list pages for the translation tests.
func caseListSamples(now time.Time) map[page][]view {
	rows := []caseListRow{
		{ID: "c1", Number: "2026-00042", Status: "assessment", Risk: "high", Concerns: []string{"detention", "child_protection"},
			Nationality: "Honduras", Location: "Mexico · MX-CHP", Opened: now, Updated: now},
		{ID: "c2", Number: "2026-00043", Status: "new", Opened: now, Updated: now},
	}
	full := &caseListData{Rows: rows, Listed: true, Filtered: true, CanCreate: true, CanExport: true, CanImport: true, CanSave: true,
		CanShare: true, Next: "/cases?cursor=x", First: "/cases", Statuses: []option{{"new", "New"}},
		Risks: []option{{"unassessed", "Not assessed"}}, Concerns: []option{{"health", "Health"}},
		Alerts: []option{{"past_legal_maximum", "Held past the legal maximum"}}, Countries: []option{{"MEX", "Mexico"}},
		Owners: []option{{"u1", "Me"}}, Teams: []option{{"t1", "My team"}}, Sorts: []option{{"opened", "Opened"}},
		Dirs: []option{{"asc", "Oldest first"}}, Criteria: []hiddenField{{"risk", "high"}},
		Columns: sortColumns(cases.Criteria{Sort: cases.SortNumber, Ascending: true}),
		Saved: []savedRow{{ID: "s1", Name: "High risk", Href: "/cases?risk=high", Own: true},
			{ID: "s2", Name: "نساء", Href: "/cases?concern=health", Shared: true}}}
	search := &caseListData{Rows: rows[:1], Listed: true, Identity: true, NextCursor: "x", Criteria: []hiddenField{{"risk", "high"}},
		Columns: sortColumns(cases.Criteria{})}
	return map[page][]view{
		pageCaseList: {
			{Data: full, Values: map[string]string{"risk": "high", "search_name": "High"},
				Fields: map[string]string{"search_name": "duplicate"}},
			{Data: search, Values: map[string]string{"name": "María"}},
			{Data: &caseListData{Listed: true, CanCreate: true}},
			{Data: &caseListData{Listed: true, Filtered: true}},
			{Data: &caseListData{Listed: true, Identity: true}, Fields: map[string]string{"identity": "required", "phone": "invalid_phone"}},
			{Data: &caseListData{}, Fields: map[string]string{"nationality": "unknown_country", "opened_to": "date_order",
				"admin1": "needs_current_country", "number": "invalid", "sort": "unknown"}},
			{},
		},
		pageSavedSearchDelete: {{Data: &savedSearchDeleteData{ID: "s1", Name: "High risk"}}, {}},
	}
}

// caseNumberRE finds the case numbers a list page shows, in order.
var caseNumberRE = regexp.MustCompile(`data-testid="case-link">([0-9]{4}-[0-9]+)<`)

func listed(body string) []string {
	var out []string
	for _, m := range caseNumberRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// numberOf returns case id's number.
func (f *caseFixture) numberOf(b *browser, id string) string {
	f.t.Helper()
	m := regexp.MustCompile(`data-testid="case-header">\s*<h1>[^<]*?([0-9]{4}-[0-9]+)`).FindStringSubmatch(b.get("/cases/" + id).body)
	if m == nil {
		f.t.Fatalf("no number on case %s", id)
	}
	return m[1]
}

// TestCaseList filters, orders and searches the case list through its
// pages, as the team, a role without cases and another organisation.
func TestCaseList(t *testing.T) {
	t.Parallel()
	f := newCaseFixture(t) // the caseworker's case of José Luis Núñez-Ávila, of Honduras, high risk
	f.clock.Advance(time.Minute)
	res := f.cw.post("/cases/new", url.Values{"given_name": {"Ana"}, "family_name": {"Quispe"}, "nationality": {"PE"},
		"risk": {"low"}, "concerns": {"health"}})
	m := caseLocationRE.FindStringSubmatch(res.location())
	if m == nil {
		t.Fatalf("second case: %d %q", res.status, res.location())
	}
	hn, pe := f.numberOf(f.cw, f.caseID), f.numberOf(f.cw, m[1])

	res = f.page(f.sup1, "/cases", `data-testid="nav-cases" aria-current="page"`, `data-testid="case-filter"`,
		`data-testid="identity-search"`, `href="/cases/new"`, "Honduras")
	if got := listed(res.body); strings.Join(got, " ") != pe+" "+hn {
		t.Errorf("the list shows %v, want %s then %s (last changed first)", got, pe, hn)
	}
	for _, r := range []struct {
		name, query string
		want        []string
		more        []string
	}{
		{"nationality", "nationality=HND", []string{hn}, nil},
		{"risk", "risk=low", []string{pe}, nil},
		{"concern", "concern=detention", []string{hn}, nil},
		{"number", "number=" + url.QueryEscape(pe), []string{pe}, nil},
		{"mine", "owner_id=" + f.userID(f.cw), []string{pe, hn}, nil},
		{"by number", "sort=number&dir=asc", []string{hn, pe}, []string{`aria-sort="ascending"`}},
		{"by risk", "sort=risk", []string{hn, pe}, []string{`aria-sort="descending"`}},
		{"nothing", "status=closed", nil, []string{`data-testid="case-list-empty"`, "No case you may see matches these filters."}},
	} {
		res := f.page(f.sup1, "/cases?"+r.query, r.more...)
		if got := listed(res.body); strings.Join(got, " ") != strings.Join(r.want, " ") {
			t.Errorf("%s: the list shows %v, want %v", r.name, got, r.want)
		}
	}
	res = f.sup1.get("/cases?nationality=XX&opened_from=31/12/2026&sort=colour&lang=en")
	expect(t, "bad filters", res, http.StatusUnprocessableEntity, "")
	contains(t, "bad filters", res.body, `id="nationality-error"`, `id="opened_from-error"`, `id="sort-error"`)

	// An identity search is posted and answered in place: nothing of it
	// reaches a URL, and the filters in force ride along.
	res = f.sup1.post("/cases/search", url.Values{"name": {"jose NUNEZ"}, "risk": {"high"}})
	expect(t, "identity search", res, http.StatusOK, "")
	contains(t, "identity search", res.body, `value="jose NUNEZ"`, "Cases of the persons found")
	if got := listed(res.body); len(got) != 1 || got[0] != hn {
		t.Errorf("the search found %v, want %s", got, hn)
	}
	if strings.Contains(res.body, "?name=") || strings.Contains(res.body, "data-testid=\"lang-switcher\"") {
		t.Error("the answer to a search links the search or the language switcher")
	}
	res = f.sup1.post("/cases/search", url.Values{"name": {"jose"}, "risk": {"low"}})
	contains(t, "no match", res.body, "No case you may see has a person matching this search.")
	res = f.sup1.post("/cases/search", url.Values{"document_number": {" "}})
	expect(t, "empty search", res, http.StatusUnprocessableEntity, "")
	contains(t, "empty search", res.body, `id="identity-error"`)
	res = f.sup1.post("/cases/search", url.Values{"phone": {"12"}})
	expect(t, "short phone", res, http.StatusUnprocessableEntity, "")
	contains(t, "short phone", res.body, `id="phone-error"`)
	var searches int
	if err := f.db.Scan(f.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'case.search'`),
		&searches); err != nil || searches != 2 {
		t.Errorf("the two searches that ran left %d audit entries (%v)", searches, err)
	}

	// A viewer has no case list; another organisation sees none of these.
	viewer, _ := f.signedIn("vera@example.org")
	expect(t, "viewer", viewer.get("/cases"), http.StatusForbidden, "")
	outsider := f.outsider()
	res = f.page(outsider, "/cases", `data-testid="case-list-empty"`, "No cases yet.")
	res = outsider.post("/cases/search", url.Values{"name": {"jose"}})
	contains(t, "outsider's search", res.body, "No case you may see has a person matching this search.")
	if strings.Contains(res.body, hn) {
		t.Error("another organisation's search shows the case")
	}
}

// TestSavedSearchPages saves the filters in force, shares them with the
// team and deletes them after asking.
func TestSavedSearchPages(t *testing.T) {
	t.Parallel()
	f := newCaseFixture(t)
	f.page(f.cw, "/cases?nationality=HND&sort=opened", `data-testid="save-search"`,
		`<input type="hidden" name="nationality" value="HND">`, `<input type="hidden" name="sort" value="opened">`)
	if !strings.Contains(f.page(f.cw, "/cases").body, "No saved searches yet.") {
		t.Error("an unfiltered list offers no hint to save a search")
	}
	res := f.cw.post("/saved-searches", url.Values{"search_name": {"Honduras"}, "shared": {"yes"}, "nationality": {"HND"},
		"sort": {"opened"}})
	expect(t, "save", res, http.StatusSeeOther, "/cases?nationality=HND&sort=opened")
	res = f.cw.post("/saved-searches", url.Values{"search_name": {"Honduras"}, "risk": {"high"}})
	expect(t, "same name", res, http.StatusUnprocessableEntity, "")
	contains(t, "same name", res.body, `id="search_name-error"`, `value="Honduras"`)
	res = f.cw.post("/saved-searches", url.Values{"search_name": {"Bad"}, "nationality": {"HND", "PER"}})
	expect(t, "bad criteria", res, http.StatusBadRequest, "")

	res = f.page(f.cw, "/cases", `data-testid="saved-search"`, `href="/cases?nationality=HND&amp;sort=opened"`,
		`data-testid="saved-search-delete"`)
	id := regexp.MustCompile(`/saved-searches/([0-9a-z]{26})/delete`).FindStringSubmatch(res.body)
	if id == nil {
		t.Fatal("no delete link")
	}
	// The team sees the shared search but may not delete it; another
	// organisation does not see it at all.
	res = f.page(f.sup1, "/cases", `data-testid="saved-search"`, "(shared with the team)")
	if strings.Contains(res.body, `data-testid="saved-search-delete"`) {
		t.Error("a team mate is offered to delete the search")
	}
	expect(t, "team mate", f.sup1.get("/saved-searches/"+id[1]+"/delete"), http.StatusForbidden, "")
	expect(t, "team mate", f.sup1.post("/saved-searches/"+id[1]+"/delete", url.Values{"confirm": {"yes"}}), http.StatusForbidden, "")
	outsider := f.outsider()
	expect(t, "outsider", outsider.get("/saved-searches/"+id[1]+"/delete"), http.StatusNotFound, "")
	if strings.Contains(f.page(outsider, "/cases").body, `data-testid="saved-search"`) {
		t.Error("another organisation sees the saved search")
	}

	f.page(f.cw, "/saved-searches/"+id[1]+"/delete", "Delete the saved search?", "Honduras")
	expect(t, "unconfirmed", f.cw.post("/saved-searches/"+id[1]+"/delete", nil), http.StatusBadRequest, "")
	expect(t, "confirmed", f.cw.post("/saved-searches/"+id[1]+"/delete", url.Values{"confirm": {"yes"}}), http.StatusSeeOther, "/cases")
	if strings.Contains(f.page(f.cw, "/cases").body, `data-testid="saved-search"`) {
		t.Error("the deleted search is still listed")
	}
}

// userID returns the id of the user b is signed in as.
func (f *caseFixture) userID(b *browser) string {
	f.t.Helper()
	p, _, err := f.acc.Authenticate(context.Background(), b.sessionCookie())
	if err != nil {
		f.t.Fatal(err)
	}
	return p.UserID
}

// outsider signs in a supervisor of another organisation.
func (f *caseFixture) outsider() *browser {
	f.t.Helper()
	name := "Other organisation " + time.Now().Format("150405.000000")
	other, err := f.acc.CreateOrganisation(context.Background(), access.System, accounts.OrganisationInput{Name: &name}, false)
	if err != nil {
		f.t.Fatal(err)
	}
	email := "otto" + other.ID + "@other.example"
	if _, _, err := f.acc.CreateUser(context.Background(), access.System, accounts.NewUser{Email: email,
		Name: "Otto Other", Password: testPassword, OrgID: other.ID, Role: access.RoleSupervisor}); err != nil {
		f.t.Fatal(err)
	}
	b := f.browser()
	b.login(email, testPassword, pathEnrol)
	f.adminEnrol(b)
	return b
}
