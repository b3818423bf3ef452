// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/testutil"
)

type personOut struct {
	ID       string `json:"id"`
	Erased   bool   `json:"erased"`
	Identity *struct {
		GivenName string `json:"given_name"`
	} `json:"identity"`
	Vulnerabilities []string `json:"vulnerabilities"`
}

type caseOut struct {
	ID             string  `json:"id"`
	Number         string  `json:"number"`
	Status         string  `json:"status"`
	Risk           *string `json:"risk"`
	ClosureRequest *struct {
		Reason string `json:"reason"`
	} `json:"closure_request"`
	Persons []struct {
		PersonID string `json:"person_id"`
	} `json:"persons"`
}

// do sends a request as the fixture user key and fails unless the status
// is want; it decodes a JSON answer into v when v is not nil.
func do(t *testing.T, a *testutil.App, f *fixture, key, method, path string, body any, want int, v any) testutil.Response {
	t.Helper()
	res := a.Do(nil, method, path, f.token(t, key), body)
	if res.Status != want {
		t.Fatalf("%s %s as %s: status %d, want %d; body %s", method, path, key, res.Status, want, redact(res.Body))
	}
	if v != nil {
		res.JSON(t, v)
	}
	return res
}

// TestProtectionScenarios walks a caseworker's day through the API: a
// person and a case, kept from other organisations and from roles without
// the permissions; strict bodies; closure by two people; a child's
// detention raising the child alert; erasure leaving a shell.
func TestProtectionScenarios(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "supervisor", "viewer", "analyst", "org_admin", "sysadmin", "caseworker_b")
		given, doc, phone := testutil.Sentinel("given"), "X"+strings.ToUpper(ids.New()[:10]), "+34 600 123 456"
		now := a.Clock.Now()

		var person personOut
		do(t, a, f, "caseworker", "POST", "/api/v1/persons", map[string]any{
			"identity": map[string]any{"given_name": given, "family_name": testutil.Sentinel("family"),
				"date_of_birth": "2012-03-04", "documents": []map[string]any{{"type": "passport", "number": doc, "country": "MA"}},
				"phones": []string{phone}},
			"attributes":      map[string]any{"sex": "female", "nationality": "MA", "languages": []string{"ar"}},
			"vulnerabilities": []string{"unaccompanied_child"},
		}, 201, &person)
		P := "/api/v1/persons/" + person.ID

		var kase caseOut
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{"concerns": []string{"detention", "child_protection"},
			"persons": []map[string]any{{"person_id": person.ID, "role": "principal"}}}, 201, &kase)
		C := "/api/v1/cases/" + kase.ID
		if kase.Status != "new" || kase.Number == "" || len(kase.Persons) != 1 {
			t.Fatalf("new case %+v", kase)
		}

		runScenarios(t, a, f, []scenario{
			{Name: "caseworker reads the person back", Method: "GET", URL: P, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{given, doc, `"nationality":"MAR"`, `"birth_year":2012`, `"unaccompanied_child"`}},
			{Name: "caseworker reads the case back", Method: "GET", URL: C, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"new"`, `"concerns":["child_protection","detention"]`, person.ID}},
			{Name: "supervisor of the team reads the person", Method: "GET", URL: P, As: "supervisor", ExpectedStatus: 200,
				ExpectedContent: []string{given}},
			{Name: "the list holds summaries without identity", Method: "GET", URL: "/api/v1/persons?nationality=MAR", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{person.ID}, NotExpectedContent: []string{given, doc}},
			{Name: "the list filters by vulnerability", Method: "GET", URL: "/api/v1/persons?vulnerability=pregnancy", As: "caseworker",
				ExpectedStatus: 200, NotExpectedContent: []string{person.ID}},
			{Name: "search by document number in the body", Method: "POST", URL: "/api/v1/persons/search", As: "caseworker",
				Body: map[string]any{"document_number": strings.ToLower(doc)}, ExpectedStatus: 200,
				ExpectedContent: []string{person.ID}, NotExpectedContent: []string{given}},
			{Name: "search by phone", Method: "POST", URL: "/api/v1/persons/search", As: "caseworker",
				Body: map[string]any{"phone": "+34600123456"}, ExpectedStatus: 200, ExpectedContent: []string{person.ID}},
			{Name: "search by name", Method: "POST", URL: "/api/v1/persons/search", As: "caseworker",
				Body: map[string]any{"name": strings.ToLower(given)}, ExpectedStatus: 200, ExpectedContent: []string{person.ID}},
			{Name: "the case list filters by concern", Method: "GET", URL: "/api/v1/cases?concern=detention&risk=unassessed", As: "caseworker",
				ExpectedStatus: 200, ExpectedContent: []string{kase.ID}},
			{Name: "an unknown status filter is refused", Method: "GET", URL: "/api/v1/cases?status=sleeping", As: "caseworker",
				ExpectedStatus: 422, ExpectedContent: []string{field("status", "unknown")}},

			// Another organisation sees nothing.
			{Name: "another organisation's person is not found", Method: "GET", URL: P, As: "caseworker_b", ExpectedStatus: 404,
				NotExpectedContent: []string{given}},
			{Name: "another organisation's case is not found", Method: "GET", URL: C, As: "caseworker_b", ExpectedStatus: 404},
			{Name: "another organisation cannot change the person", Method: "PATCH", URL: P, As: "caseworker_b",
				Body: map[string]any{"attributes": map[string]any{"sex": "male"}}, ExpectedStatus: 404},
			{Name: "another organisation's search finds nothing", Method: "POST", URL: "/api/v1/persons/search", As: "caseworker_b",
				Body: map[string]any{"document_number": doc}, ExpectedStatus: 200, NotExpectedContent: []string{person.ID}},
			{Name: "another organisation's list lacks the case", Method: "GET", URL: "/api/v1/cases", As: "caseworker_b",
				ExpectedStatus: 200, NotExpectedContent: []string{kase.ID}},
			{Name: "another organisation cannot add a detention episode", Method: "POST", URL: C + "/detention", As: "caseworker_b",
				Body: map[string]any{"person_id": person.ID, "facility_type": "prison", "facility_country": "ES",
					"start": now.Add(-time.Hour).Format(time.RFC3339)}, ExpectedStatus: 404},

			// Roles without the permissions.
			{Name: "viewer may not register a person", Method: "POST", URL: "/api/v1/persons", As: "viewer",
				Body: map[string]any{}, ExpectedStatus: 403},
			{Name: "analyst may not open a case", Method: "POST", URL: "/api/v1/cases", As: "analyst",
				Body: map[string]any{}, ExpectedStatus: 403},
			{Name: "analyst may not read a person", Method: "GET", URL: P, As: "analyst", ExpectedStatus: 403},
			{Name: "viewer may not add a note", Method: "POST", URL: C + "/notes", As: "viewer",
				Body: map[string]any{"body": "x"}, ExpectedStatus: 403},
			{Name: "org admin may not read the person", Method: "GET", URL: P, As: "org_admin", ExpectedStatus: 403},

			// Strict bodies: unknown fields change nothing.
			{Name: "unknown field in a person change", Method: "PATCH", URL: P, As: "caseworker",
				Body: map[string]any{"attributes": map[string]any{"sex": "male"}, "org_id": f.orgB.ID}, ExpectedStatus: 422,
				ExpectedContent: []string{field("org_id", "unknown_field")}},
			{Name: "unknown nested field in a person change", Method: "PATCH", URL: P, As: "caseworker",
				Body: map[string]any{"identity": map[string]any{"given_name": "Changed", "erased": true}}, ExpectedStatus: 422},
			{Name: "unknown field in a case change", Method: "PATCH", URL: C, As: "caseworker",
				Body: map[string]any{"risk": "high", "status": "closed"}, ExpectedStatus: 422,
				ExpectedContent: []string{field("status", "unknown_field")}},
			{Name: "the person is unchanged", Method: "GET", URL: P, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{`"sex":"female"`, given}},
			{Name: "the case is unchanged", Method: "GET", URL: C, As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{`"risk":null`, `"status":"new"`}},
			{Name: "domain validation names the field", Method: "POST", URL: "/api/v1/persons", As: "caseworker",
				Body: map[string]any{"attributes": map[string]any{"nationality": "Atlantis"}}, ExpectedStatus: 422,
				ExpectedContent: []string{`"field":"nationality"`}},
			{Name: "an unknown vulnerability is refused", Method: "PUT", URL: P + "/vulnerabilities/unlucky", As: "caseworker",
				ExpectedStatus: 422, ExpectedContent: []string{field("code", "unknown_vulnerability")}},

			// The case's work.
			{Name: "caseworker assesses the risk", Method: "PATCH", URL: C, As: "caseworker",
				Body: map[string]any{"risk": "high"}, ExpectedStatus: 200, ExpectedContent: []string{`"risk":"high"`}},
			{Name: "caseworker advances the case", Method: "POST", URL: C + "/status", As: "caseworker",
				Body: map[string]any{"status": "assessment"}, ExpectedStatus: 200, ExpectedContent: []string{`"status":"assessment"`}},
			{Name: "closing directly is refused", Method: "POST", URL: C + "/status", As: "caseworker",
				Body: map[string]any{"status": "closed"}, ExpectedStatus: 422, ExpectedContent: []string{`"approval_required"`}},
			{Name: "caseworker adds a note", Method: "POST", URL: C + "/notes", As: "caseworker",
				Body: map[string]any{"body": "Seen at the border"}, ExpectedStatus: 201, ExpectedContent: []string{`"body":"Seen at the border"`}},
			{Name: "caseworker reads the notes", Method: "GET", URL: C + "/notes", As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{"Seen at the border"}},
			{Name: "caseworker records a vulnerability", Method: "PUT", URL: P + "/vulnerabilities/survivor_of_violence", As: "caseworker",
				ExpectedStatus: 204},
			{Name: "caseworker records consent", Method: "POST", URL: P + "/consents", As: "caseworker",
				Body: map[string]any{"purpose": "referral", "recipient_org_id": f.orgB.ID, "status": "given"}, ExpectedStatus: 201,
				ExpectedContent: []string{`"purpose":"referral"`, f.orgB.ID}},
			{Name: "consent history", Method: "GET", URL: P + "/consents", As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{`"status":"given"`}},
			{Name: "history names fields, not values", Method: "GET", URL: C + "/history", As: "caseworker", ExpectedStatus: 200,
				ExpectedContent: []string{`"object_id":"` + kase.ID + `"`}, NotExpectedContent: []string{"Seen at the border"}},
		})

		t.Run("tasks", func(t *testing.T) {
			var task struct {
				ID     string  `json:"id"`
				DoneAt *string `json:"done_at"`
			}
			do(t, a, f, "caseworker", "POST", C+"/tasks", map[string]any{"title": "Call the lawyer",
				"due_at": now.Add(48 * time.Hour).Format(time.RFC3339)}, 201, &task)
			do(t, a, f, "caseworker", "PATCH", "/api/v1/tasks/"+task.ID, map[string]any{"done": true}, 200, &task)
			if task.DoneAt == nil {
				t.Error("the task is not done")
			}
			do(t, a, f, "caseworker_b", "PATCH", "/api/v1/tasks/"+task.ID, map[string]any{"done": false}, 404, nil)
			res := do(t, a, f, "caseworker", "GET", C+"/tasks", nil, 200, nil)
			if !bytes.Contains(res.Body, []byte("Call the lawyer")) {
				t.Error("the task list lacks the task")
			}
		})

		t.Run("a child's immigration detention raises the child alert", func(t *testing.T) {
			var ep struct {
				ID                   string `json:"id"`
				ImmigrationDetention bool   `json:"immigration_detention"`
			}
			do(t, a, f, "caseworker", "POST", C+"/detention", map[string]any{"person_id": person.ID,
				"facility_type": "immigration_detention_centre", "facility_country": "ES", "immigration_related": true,
				"start": now.Add(-24 * time.Hour).Format(time.RFC3339)}, 201, &ep)
			if !ep.ImmigrationDetention {
				t.Error("the episode is not immigration detention")
			}
			var alerts struct {
				Items []struct {
					Kind, Priority, Child string
					EpisodeID             string `json:"episode_id"`
				} `json:"items"`
			}
			do(t, a, f, "caseworker", "GET", C+"/alerts", nil, 200, &alerts)
			if len(alerts.Items) == 0 || alerts.Items[0].Kind != "child_in_immigration_detention" ||
				alerts.Items[0].Priority != "critical" || alerts.Items[0].EpisodeID != ep.ID {
				t.Fatalf("alerts %+v, want the child alert first", alerts.Items)
			}
			do(t, a, f, "caseworker_b", "GET", C+"/alerts", nil, 404, nil)
			do(t, a, f, "viewer", "GET", C+"/alerts", nil, 403, nil)

			var n struct {
				Compliance struct {
					Told string `json:"told"`
				} `json:"compliance"`
			}
			do(t, a, f, "caseworker", "POST", C+"/detention/"+ep.ID+"/consular", map[string]any{"nationality": "MA",
				"arrested_at": now.Add(-24 * time.Hour).Format(time.RFC3339), "requested": true}, 201, &n)
			if n.Compliance.Told != "pending" {
				t.Errorf("told %q, want pending within 72 hours", n.Compliance.Told)
			}
			do(t, a, f, "caseworker", "POST", C+"/detention/"+ep.ID+"/consular", map[string]any{"nationality": "ES",
				"arrested_at": now.Add(-24 * time.Hour).Format(time.RFC3339)}, 422, nil)
			do(t, a, f, "caseworker", "GET", C+"/consular", nil, 200, nil)
			do(t, a, f, "caseworker", "PUT", C+"/detention/"+ep.ID, map[string]any{"facility_type": "immigration_detention_centre",
				"facility_country": "ES", "immigration_related": true, "start": now.Add(-24 * time.Hour).Format(time.RFC3339),
				"end": now.Format(time.RFC3339)}, 200, nil)
			do(t, a, f, "caseworker", "GET", C+"/alerts", nil, 200, &alerts)
			if len(alerts.Items) != 0 {
				t.Errorf("alerts %+v after release, want none", alerts.Items)
			}
		})

		t.Run("legal limits", func(t *testing.T) {
			do(t, a, f, "caseworker", "PUT", "/api/v1/detention/legal-limits/ES", map[string]any{"max_days": 60,
				"source": "https://example.org/law"}, 403, nil)
			// The table is every organisation's: an organisation's
			// administrator may not change it, a system administrator may.
			do(t, a, f, "org_admin", "PUT", "/api/v1/detention/legal-limits/ES", map[string]any{"max_days": 60,
				"source": "https://example.org/law"}, 403, nil)
			do(t, a, f, "sysadmin", "PUT", "/api/v1/detention/legal-limits/ES", map[string]any{"max_days": 60,
				"source": "https://example.org/law"}, 200, nil)
			res := do(t, a, f, "viewer", "GET", "/api/v1/detention/legal-limits", nil, 200, nil)
			if !bytes.Contains(res.Body, []byte(`"country":"ESP","max_days":60`)) {
				t.Errorf("legal limits %s lack Spain's", redact(res.Body))
			}
		})

		t.Run("closure needs a supervisor", func(t *testing.T) {
			do(t, a, f, "caseworker", "POST", C+"/closure", map[string]any{"reason": "objectives_met"}, 200, nil)
			do(t, a, f, "caseworker", "POST", C+"/closure/approve", nil, 403, nil)
			var c caseOut
			do(t, a, f, "caseworker", "GET", C, nil, 200, &c)
			if c.Status != "assessment" || c.ClosureRequest == nil {
				t.Fatalf("case %+v, want an open case waiting for approval", c)
			}
			do(t, a, f, "supervisor", "POST", C+"/closure/approve", nil, 200, &c)
			if c.Status != "closed" {
				t.Errorf("status %q after approval, want closed", c.Status)
			}
		})

		t.Run("erasure leaves the shell", func(t *testing.T) {
			do(t, a, f, "caseworker", "DELETE", P, nil, 403, nil)
			do(t, a, f, "caseworker_b", "DELETE", P, nil, 403, nil)
			do(t, a, f, "org_admin", "DELETE", P, nil, 204, nil)
			var shell personOut
			res := do(t, a, f, "caseworker", "GET", P, nil, 200, &shell)
			if !shell.Erased || shell.Identity != nil || bytes.Contains(res.Body, []byte(given)) {
				t.Errorf("after erasure: erased %v, identity %v", shell.Erased, shell.Identity != nil)
			}
			do(t, a, f, "caseworker", "PATCH", P, map[string]any{"identity": map[string]any{"given_name": "Back"}}, 410, nil)
			res = do(t, a, f, "caseworker", "POST", "/api/v1/persons/search", map[string]any{"document_number": doc}, 200, nil)
			if bytes.Contains(res.Body, []byte(person.ID)) {
				t.Error("the erased person is still found by document number")
			}
		})

		t.Run("the log holds no personal data", func(t *testing.T) {
			logs := a.Logs.String()
			for _, s := range []string{"SNTL", doc, phone} {
				if strings.Contains(strings.ToUpper(logs), strings.ToUpper(s)) {
					t.Errorf("the log holds a fixture's personal data")
				}
			}
		})
	})
}

type referralOut struct {
	ID           string  `json:"id"`
	CaseID       string  `json:"case_id"`
	PersonID     string  `json:"person_id"`
	ToOrgID      *string `json:"to_org_id"`
	Status       string  `json:"status"`
	ConsentBasis string  `json:"consent_basis"`
}

type receivedOut struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	ConsentBasis string `json:"consent_basis"`
	Person       *struct {
		Nationality *string  `json:"nationality"`
		Languages   []string `json:"languages"`
	} `json:"person"`
}

// TestReferralScenarios is the referral story at API level: a referral to
// another organisation's provider is refused without the person's consent
// and sent once consent names that organisation; the receiving
// organisation lists and reads it without ever seeing the person's
// identity or the case; only a supervisor may send without consent, and
// only with a reason.
func TestReferralScenarios(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "supervisor", "org_admin_b", "caseworker_b")
		given, family := testutil.Sentinel("given"), testutil.Sentinel("family")

		var person personOut
		do(t, a, f, "caseworker", "POST", "/api/v1/persons", map[string]any{
			"identity":   map[string]any{"given_name": given, "family_name": family},
			"attributes": map[string]any{"sex": "male", "nationality": "MA", "languages": []string{"ar"}},
		}, 201, &person)
		P := "/api/v1/persons/" + person.ID
		var kase caseOut
		do(t, a, f, "caseworker", "POST", "/api/v1/cases", map[string]any{"concerns": []string{"health"},
			"persons": []map[string]any{{"person_id": person.ID, "role": "principal"}}}, 201, &kase)
		C := "/api/v1/cases/" + kase.ID

		// Organisation B lists itself in the directory; A reads it.
		var provider struct {
			ID    string  `json:"id"`
			OrgID *string `json:"org_id"`
		}
		do(t, a, f, "org_admin_b", "POST", "/api/v1/providers", map[string]any{"name": "Legal aid B", "org_id": f.orgB.ID,
			"service_types": []string{"legal"}, "country": "ES", "languages": []string{"ar", "es"}}, 201, &provider)
		do(t, a, f, "caseworker", "GET", "/api/v1/providers/"+provider.ID, nil, 200, nil)
		if res := do(t, a, f, "caseworker", "GET", "/api/v1/providers?service_type=legal", nil, 200, nil); !bytes.Contains(res.Body, []byte(provider.ID)) {
			t.Errorf("the directory does not list B's entry")
		}
		// A caseworker keeps no directory entry.
		do(t, a, f, "caseworker", "PUT", "/api/v1/providers/"+provider.ID, map[string]any{"name": "X", "service_types": []string{"legal"}}, 403, nil)

		refer := map[string]any{"person_id": person.ID, "provider_id": provider.ID, "service_type": "legal"}
		runScenarios(t, a, f, []scenario{
			{Name: "no referral to another organisation without consent", Method: "POST", URL: C + "/referrals", As: "caseworker",
				Body: refer, ExpectedStatus: 422, ExpectedContent: []string{field("consent", "consent_required")}},
			{Name: "the other organisation cannot refer from A's case", Method: "POST", URL: C + "/referrals", As: "caseworker_b",
				Body: refer, ExpectedStatus: 404},
			{Name: "unknown fields are refused", Method: "POST", URL: C + "/referrals", As: "caseworker",
				Body: map[string]any{"person_id": person.ID, "provider_id": provider.ID, "service_type": "legal", "notes": "x"}, ExpectedStatus: 422,
				ExpectedContent: []string{field("notes", "unknown_field")}},
		})

		do(t, a, f, "caseworker", "POST", P+"/consents", map[string]any{"purpose": "referral", "recipient_org_id": f.orgB.ID,
			"status": "given"}, 201, nil)
		var sent referralOut
		do(t, a, f, "caseworker", "POST", C+"/referrals", refer, 201, &sent)
		if sent.ConsentBasis != "consent" || sent.Status != "sent" || sent.ToOrgID == nil || *sent.ToOrgID != f.orgB.ID {
			t.Fatalf("sent %+v", sent)
		}
		var forCase struct{ Items []referralOut }
		do(t, a, f, "caseworker", "GET", C+"/referrals", nil, 200, &forCase)
		if len(forCase.Items) != 1 || forCase.Items[0].ID != sent.ID {
			t.Errorf("case referrals %+v", forCase.Items)
		}

		// The receiving organisation sees the referral, not who it is for.
		secrets := [][]byte{[]byte(given), []byte(family), []byte(person.ID), []byte(kase.ID), []byte(kase.Number)}
		noIdentity := func(what string, body []byte) {
			t.Helper()
			for _, s := range secrets {
				if bytes.Contains(body, s) {
					t.Errorf("%s carries %s", what, redact(s))
				}
			}
		}
		var received struct{ Items []receivedOut }
		res := do(t, a, f, "caseworker_b", "GET", "/api/v1/referrals/received", nil, 200, &received)
		noIdentity("the received list", res.Body)
		if len(received.Items) != 1 || received.Items[0].ID != sent.ID || received.Items[0].ConsentBasis != "consent" {
			t.Fatalf("received %+v", received.Items)
		}
		var one receivedOut
		res = do(t, a, f, "caseworker_b", "GET", "/api/v1/referrals/received/"+sent.ID, nil, 200, &one)
		noIdentity("the received referral", res.Body)
		if one.Person == nil || one.Person.Nationality == nil || *one.Person.Nationality != "MAR" {
			t.Errorf("shared person %+v", one.Person)
		}
		do(t, a, f, "caseworker_b", "GET", "/api/v1/referrals/"+sent.ID, nil, 404, nil)
		do(t, a, f, "caseworker", "GET", "/api/v1/referrals/received/"+sent.ID, nil, 404, nil)
		do(t, a, f, "caseworker", "GET", "/api/v1/referrals/"+sent.ID, nil, 200, nil)

		// The receiver answers; the sender cannot answer for it.
		runScenarios(t, a, f, []scenario{
			{Name: "the sender cannot accept for an Amparo provider", Method: "POST", URL: "/api/v1/referrals/" + sent.ID + "/status",
				As: "caseworker", Body: map[string]any{"status": "accepted"}, ExpectedStatus: 403},
			{Name: "a decline needs a code", Method: "POST", URL: "/api/v1/referrals/" + sent.ID + "/status",
				As: "caseworker_b", Body: map[string]any{"status": "declined"}, ExpectedStatus: 422,
				ExpectedContent: []string{field("code", "required")}},
		})
		res = do(t, a, f, "caseworker_b", "POST", "/api/v1/referrals/"+sent.ID+"/status", map[string]any{"status": "accepted"}, 200, &one)
		noIdentity("the receiver's answer", res.Body)
		if one.Status != "accepted" {
			t.Errorf("status %q after accepting", one.Status)
		}

		// Once consent is withdrawn, only a supervisor sends, with a reason.
		do(t, a, f, "caseworker", "POST", P+"/consents", map[string]any{"purpose": "referral", "recipient_org_id": f.orgB.ID,
			"status": "withdrawn"}, 201, nil)
		override := map[string]any{"person_id": person.ID, "provider_id": provider.ID, "service_type": "legal",
			"override_reason": "life_threatening_emergency"}
		runScenarios(t, a, f, []scenario{
			{Name: "no referral once consent is withdrawn", Method: "POST", URL: C + "/referrals", As: "caseworker",
				Body: refer, ExpectedStatus: 422, ExpectedContent: []string{field("consent", "consent_required")}},
			{Name: "a caseworker cannot override consent", Method: "POST", URL: C + "/referrals", As: "caseworker",
				Body: override, ExpectedStatus: 422, ExpectedContent: []string{field("override_reason", "not_allowed")}},
			{Name: "an override needs a known reason", Method: "POST", URL: C + "/referrals", As: "supervisor",
				Body: map[string]any{"person_id": person.ID, "provider_id": provider.ID, "service_type": "legal",
					"override_reason": "convenience"}, ExpectedStatus: 422, ExpectedContent: []string{field("override_reason", "unknown")}},
		})
		var overridden referralOut
		do(t, a, f, "supervisor", "POST", C+"/referrals", override, 201, &overridden)
		if overridden.ConsentBasis != "override" {
			t.Errorf("basis %q, want override", overridden.ConsentBasis)
		}
		var withdrawn receivedOut
		res = do(t, a, f, "caseworker_b", "GET", "/api/v1/referrals/received/"+sent.ID, nil, 200, &withdrawn)
		noIdentity("the received referral after withdrawal", res.Body)
		if withdrawn.Person != nil {
			t.Errorf("the person's attributes are still shared after consent was withdrawn: %+v", withdrawn.Person)
		}
	})
}
