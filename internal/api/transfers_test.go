// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestTransferMovesEverything offers a case with its person, detention
// episode and referral to organisation B, which accepts it: afterwards B
// finds the person by document number and reads the episode and the
// referral, and A finds and reads none of them.
func TestTransferMovesEverything(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "org_admin", "caseworker_b")
		now := a.Clock.Now()
		doc := "T" + strings.ToUpper(ids.New()[:10])
		var person personOut
		do(t, a, f, "caseworker", "POST", "/api/v1/persons", map[string]any{
			"identity": map[string]any{"given_name": testutil.Sentinel("given"),
				"documents": []map[string]any{{"type": "passport", "number": doc}}},
			"attributes": map[string]any{"nationality": "SN"}}, 201, &person)
		var kase caseOut
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{"concerns": []string{"detention"},
			"persons": []map[string]any{{"person_id": person.ID, "role": "principal"}}}, 201, &kase)
		C := "/api/v1/cases/" + kase.ID
		var episode struct {
			ID string `json:"id"`
		}
		do(t, a, f, "caseworker", "POST", C+"/detention", map[string]any{"person_id": person.ID,
			"facility_type": "police_station", "facility_country": "ES", "start": now.Add(-time.Hour).Format(time.RFC3339)},
			201, &episode)
		pr, err := a.Referrals.CreateProvider(context.Background(), f.users["org_admin"].Principal, referrals.ProviderInput{
			Name: "Clinic " + ids.New(), OrgID: f.orgA.ID, ServiceTypes: []string{"medical"}, Country: "ES"})
		if err != nil {
			t.Fatal(err)
		}
		var referral struct {
			ID string `json:"id"`
		}
		do(t, a, f, "caseworker", "POST", C+"/referrals", map[string]any{"person_id": person.ID, "provider_id": pr.ID,
			"service_type": "medical"}, 201, &referral)
		search := map[string]any{"document_number": doc}

		runScenarios(t, a, f, []scenario{
			{Name: "an offer needs the person's consent", Method: "POST", URL: C + "/transfer", As: "caseworker",
				Body: map[string]any{"to_org_id": f.orgB.ID}, ExpectedStatus: 422,
				ExpectedContent: []string{field("persons", "consent_required")}},
			{Name: "another organisation cannot offer the case", Method: "POST", URL: C + "/transfer", As: "caseworker_b",
				Body: map[string]any{"to_org_id": f.orgA.ID}, ExpectedStatus: 404},
			{Name: "unknown fields are refused", Method: "POST", URL: C + "/transfer", As: "caseworker",
				Body: map[string]any{"to_org_id": f.orgB.ID, "owner_id": f.users["caseworker"].ID}, ExpectedStatus: 422},
		})
		do(t, a, f, "caseworker", "POST", "/api/v1/persons/"+person.ID+"/consents", map[string]any{
			"purpose": "referral", "recipient_org_id": f.orgB.ID, "status": "given"}, 201, nil)
		var offer struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		}
		do(t, a, f, "caseworker", "POST", C+"/transfer", map[string]any{"to_org_id": f.orgB.ID}, 201, &offer)
		runScenarios(t, a, f, []scenario{
			{Name: "the receiving organisation sees the offer, not the person", Method: "GET", URL: "/api/v1/transfers",
				As: "caseworker_b", ExpectedStatus: 200, ExpectedContent: []string{offer.ID, kase.Number},
				NotExpectedContent: []string{doc, person.ID}},
			{Name: "the offering organisation has no offer to answer", Method: "GET", URL: "/api/v1/transfers",
				As: "caseworker", ExpectedStatus: 200, NotExpectedContent: []string{offer.ID}},
			{Name: "the offering organisation cannot accept", Method: "POST", URL: "/api/v1/transfers/" + offer.ID + "/accept",
				As: "caseworker", Body: map[string]any{}, ExpectedStatus: 404},
			{Name: "before acceptance B does not find the person", Method: "POST", URL: "/api/v1/persons/search",
				As: "caseworker_b", Body: search, ExpectedStatus: 200, NotExpectedContent: []string{person.ID}},
		})
		var moved struct {
			OrgID   string `json:"org_id"`
			OwnerID string `json:"owner_id"`
		}
		do(t, a, f, "caseworker_b", "POST", "/api/v1/transfers/"+offer.ID+"/accept", map[string]any{}, 200, &moved)
		if moved.OrgID != f.orgB.ID || moved.OwnerID != f.users["caseworker_b"].ID {
			t.Fatalf("accepted case %+v", moved)
		}
		runScenarios(t, a, f, []scenario{
			{Name: "B finds the person by document number", Method: "POST", URL: "/api/v1/persons/search",
				As: "caseworker_b", Body: search, ExpectedStatus: 200, ExpectedContent: []string{person.ID}},
			{Name: "A no longer does", Method: "POST", URL: "/api/v1/persons/search", As: "caseworker", Body: search,
				ExpectedStatus: 200, NotExpectedContent: []string{person.ID}},
			{Name: "B reads the person", Method: "GET", URL: "/api/v1/persons/" + person.ID, As: "caseworker_b",
				ExpectedStatus: 200},
			{Name: "A no longer does", Method: "GET", URL: "/api/v1/persons/" + person.ID, As: "caseworker",
				ExpectedStatus: 404},
			{Name: "B reads the detention episode", Method: "GET", URL: C + "/detention/" + episode.ID, As: "caseworker_b",
				ExpectedStatus: 200},
			{Name: "A no longer does", Method: "GET", URL: C + "/detention", As: "caseworker", ExpectedStatus: 404},
			{Name: "B reads the referral", Method: "GET", URL: C + "/referrals", As: "caseworker_b", ExpectedStatus: 200,
				ExpectedContent: []string{referral.ID}},
			{Name: "the offer is answered", Method: "POST", URL: "/api/v1/transfers/" + offer.ID + "/decline",
				As: "caseworker_b", ExpectedStatus: 404},
		})

		// A person linked to two cases cannot go with one of them.
		var other caseOut
		do(t, a, f, "caseworker_b", "POST", "/api/v1/cases", map[string]any{
			"persons": []map[string]any{{"person_id": person.ID, "role": "principal"}}}, 201, &other)
		runScenarios(t, a, f, []scenario{
			{Name: "a shared person stops the offer", Method: "POST", URL: C + "/transfer", As: "caseworker_b",
				Body: map[string]any{"to_org_id": f.orgA.ID}, ExpectedStatus: 422,
				ExpectedContent: []string{field("persons", "shared_person")}},
		})
	})
}

// TestTransferDeclineAndWithdraw answers offers without moving the case.
func TestTransferDeclineAndWithdraw(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "viewer", "caseworker_b")
		var kase caseOut
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{}, 201, &kase)
		C := "/api/v1/cases/" + kase.ID
		var offer struct {
			ID string `json:"id"`
		}
		do(t, a, f, "caseworker", "POST", C+"/transfer", map[string]any{"to_org_id": f.orgB.ID}, 201, &offer)
		T := "/api/v1/transfers/" + offer.ID
		runScenarios(t, a, f, []scenario{
			{Name: "a second offer waits for the first", Method: "POST", URL: C + "/transfer", As: "caseworker",
				Body: map[string]any{"to_org_id": f.orgB.ID}, ExpectedStatus: 422,
				ExpectedContent: []string{field("to_org_id", "transfer_pending")}},
			{Name: "a viewer may not answer", Method: "POST", URL: T + "/decline", As: "viewer", ExpectedStatus: 403},
			{Name: "B may not withdraw", Method: "POST", URL: T + "/withdraw", As: "caseworker_b", ExpectedStatus: 404},
			{Name: "B declines", Method: "POST", URL: T + "/decline", As: "caseworker_b", ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"declined"`}},
			{Name: "the case stayed", Method: "GET", URL: C, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{f.orgA.ID, `"pending_transfer":null`}},
		})
		do(t, a, f, "caseworker", "POST", C+"/transfer", map[string]any{"to_org_id": f.orgB.ID}, 201, &offer)
		runScenarios(t, a, f, []scenario{
			{Name: "A withdraws", Method: "POST", URL: "/api/v1/transfers/" + offer.ID + "/withdraw", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{`"status":"withdrawn"`}},
			{Name: "B has nothing left to answer", Method: "GET", URL: "/api/v1/transfers", As: "caseworker_b",
				ExpectedStatus: 200, ExpectedContent: []string{`"items":[]`}},
		})
	})
}
