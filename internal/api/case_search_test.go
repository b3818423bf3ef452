// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestCaseSearchAndSavedSearches checks the list's filters and orders in
// the query string, identity search by POST only, and saved searches, for
// the organisation and from another.
func TestCaseSearchAndSavedSearches(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "supervisor", "analyst", "supervisor_b")
		family := testutil.Sentinel("family")
		var person personOut
		do(t, a, f, "caseworker", "POST", "/api/v1/persons", map[string]any{
			"identity":   map[string]any{"given_name": "Amina", "family_name": family, "phones": []string{"+212 600 000 111"}},
			"attributes": map[string]any{"nationality": "MA", "current_country": "ES", "current_admin1": "ES-AN"},
		}, 201, &person)
		var kase, other caseOut
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{"risk": "high",
			"persons": []map[string]any{{"person_id": person.ID, "role": "principal"}}}, 201, &kase)
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{"concerns": []string{"health"}}, 201, &other)

		runScenarios(t, a, f, []scenario{
			{Name: "filter on the principal's nationality", Method: "GET", URL: "/api/v1/cases?nationality=MAR", As: "supervisor",
				ExpectedStatus: 200, ExpectedContent: []string{kase.ID, `"principal":{"nationality":"MAR","country":"ESP","admin1":"ES-AN"}`},
				NotExpectedContent: []string{other.ID}},
			{Name: "filter on location and order by number", Method: "GET", URL: "/api/v1/cases?country=ES&admin1=ES-AN&sort=number&dir=asc",
				As: "caseworker", ExpectedStatus: 200, ExpectedContent: []string{kase.ID}, NotExpectedContent: []string{other.ID}},
			{Name: "by number", Method: "GET", URL: "/api/v1/cases?number=" + other.Number, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{other.ID}, NotExpectedContent: []string{kase.ID}},
			{Name: "another organisation sees none", Method: "GET", URL: "/api/v1/cases?nationality=MA", As: "supervisor_b",
				ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
			{Name: "a name in the URL is refused", Method: "GET", URL: "/api/v1/cases?name=Amina", As: "supervisor",
				ExpectedStatus: 422, ExpectedContent: []string{field("name", "unknown")}},
			{Name: "bad criteria", Method: "GET", URL: "/api/v1/cases?nationality=XX&opened_from=yesterday&sort=colour", As: "supervisor",
				ExpectedStatus: 422, ExpectedContent: []string{field("nationality", "unknown_country"), field("opened_from", "invalid_date")}},
			{Name: "a cursor of another order", Method: "GET", URL: "/api/v1/cases?sort=number&cursor=1.0123456789abcdefghjkmnpqrs",
				As: "supervisor", ExpectedStatus: 422, ExpectedContent: []string{field("cursor", "invalid")}},
			{Name: "identity search by post", Method: "POST", URL: "/api/v1/cases/search", As: "supervisor",
				Body: map[string]any{"phone": "+212600000111", "criteria": map[string]string{"risk": "high"}}, ExpectedStatus: 200,
				ExpectedContent: []string{kase.ID}, NotExpectedContent: []string{other.ID, family}},
			{Name: "identity search from another organisation", Method: "POST", URL: "/api/v1/cases/search", As: "supervisor_b",
				Body: map[string]any{"name": "amina"}, ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
			{Name: "identity search with an unknown field", Method: "POST", URL: "/api/v1/cases/search", As: "supervisor",
				Body: map[string]any{"name": "amina", "nationality": "MA"}, ExpectedStatus: 422},
			{Name: "identity search with an unknown criterion", Method: "POST", URL: "/api/v1/cases/search", As: "supervisor",
				Body: map[string]any{"name": "amina", "criteria": map[string]string{"name": "amina"}}, ExpectedStatus: 422,
				ExpectedContent: []string{field("criteria.name", "unknown")}},
			{Name: "identity search without identity", Method: "POST", URL: "/api/v1/cases/search", As: "supervisor",
				Body: map[string]any{"criteria": map[string]string{"risk": "high"}}, ExpectedStatus: 422},
			{Name: "analyst may not search", Method: "POST", URL: "/api/v1/cases/search", As: "analyst",
				Body: map[string]any{"name": "amina"}, ExpectedStatus: 403},
		})
		// The searches' audit entries name criteria, never values.
		entries, _, err := a.Audit.List(context.Background(), audit.Filter{Action: "case.search", OrgID: f.orgA.ID})
		if err != nil || len(entries) == 0 {
			t.Fatalf("no case.search entries: %v", err)
		}
		if e := entries[len(entries)-1]; e.ObjectID != kase.ID || len(e.Fields) != 1 || e.Fields[0] != "phone" {
			t.Errorf("the phone search is audited as %+v", e)
		}

		var saved struct {
			ID       string            `json:"id"`
			TeamID   *string           `json:"team_id"`
			Criteria map[string]string `json:"criteria"`
			Query    string            `json:"query"`
		}
		do(t, a, f, "caseworker", "POST", "/api/v1/saved-searches", map[string]any{"name": "Moroccan, high risk", "shared": true,
			"criteria": map[string]string{"nationality": "ma", "risk": "high", "sort": "opened"}}, 201, &saved)
		if saved.Query != "nationality=MAR&risk=high&sort=opened" || saved.Criteria["nationality"] != "MAR" || saved.TeamID == nil {
			t.Errorf("saved %+v", saved)
		}
		head, _, _ := a.Audit.List(context.Background(), audit.Filter{Limit: 1})
		runScenarios(t, a, f, []scenario{
			{Name: "an identity criterion cannot be saved", Method: "POST", URL: "/api/v1/saved-searches", As: "caseworker",
				Body: map[string]any{"name": "Amina", "criteria": map[string]string{"phone": "+212600000111"}}, ExpectedStatus: 422,
				ExpectedContent: []string{field("criteria.phone", "unknown")}},
			{Name: "an unknown field changes nothing", Method: "POST", URL: "/api/v1/saved-searches", As: "caseworker",
				Body:           map[string]any{"name": "x", "criteria": map[string]string{"risk": "low"}, "owner_id": f.users["supervisor"].ID},
				ExpectedStatus: 422},
			{Name: "the name is taken", Method: "POST", URL: "/api/v1/saved-searches", As: "caseworker",
				Body: map[string]any{"name": "Moroccan, high risk", "criteria": map[string]string{"risk": "low"}}, ExpectedStatus: 422,
				ExpectedContent: []string{field("name", "duplicate")}},
			{Name: "the team sees it", Method: "GET", URL: "/api/v1/saved-searches", As: "supervisor", ExpectedStatus: 200,
				ExpectedContent: []string{saved.ID}},
			{Name: "another organisation does not", Method: "GET", URL: "/api/v1/saved-searches", As: "supervisor_b", ExpectedStatus: 200,
				ExpectedContent: []string{`"items":[]`}},
			{Name: "the team may not delete it", Method: "DELETE", URL: "/api/v1/saved-searches/" + saved.ID, As: "supervisor",
				ExpectedStatus: 403},
			{Name: "another organisation gets not found", Method: "DELETE", URL: "/api/v1/saved-searches/" + saved.ID, As: "supervisor_b",
				ExpectedStatus: 404},
		})
		if again, _, _ := a.Audit.List(context.Background(), audit.Filter{Limit: 1}); again[0].Seq != head[0].Seq {
			t.Errorf("refused calls left audit entry %+v", again[0])
		}
		do(t, a, f, "caseworker", "DELETE", "/api/v1/saved-searches/"+saved.ID, nil, http.StatusNoContent, nil)
		do(t, a, f, "caseworker", "DELETE", "/api/v1/saved-searches/"+saved.ID, nil, http.StatusNotFound, nil)
	})
}
