// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/testutil"
)

// TestEventsAPI records an event with its parts through the API and reads
// it back: who may do what, another organisation's 404, unknown fields
// refused with nothing changed, and the vocabularies.
func TestEventsAPI(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, "caseworker", "supervisor", "viewer", "sysadmin", "caseworker_b")
		cw, sup := f.users["caseworker"].Token, f.users["supervisor"].Token
		person, kase := a.ProtectionCase(f.users["caseworker"], 1990)
		title := testutil.Sentinel("title")

		res := a.Do(nil, http.MethodPost, "/api/v1/events", cw, map[string]any{"title": title, "place": testutil.Sentinel("place"),
			"start": map[string]any{"date": "2026-03"}, "end": map[string]any{"date": "2026-04-02", "precision": "estimated"},
			"country": "MX", "admin1": "MX-CHP", "case_id": kase.ID})
		var ev struct {
			ID      string
			Title   string
			Start   struct{ Date, Precision string }
			Country string
			Cases   []struct {
				CaseID string `json:"case_id"`
			}
			ActTypes []string `json:"act_types"`
		}
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		res.JSON(t, &ev)
		if ev.Title != title || ev.Start.Precision != "month" || ev.Country != "MEX" || len(ev.Cases) != 1 || ev.Cases[0].CaseID != kase.ID {
			t.Fatalf("created %+v", ev)
		}
		base := "/api/v1/events/" + ev.ID

		for _, tt := range []struct {
			name, method, path, token string
			body                      any
			status                    int
		}{
			{"invalid start", http.MethodPost, "/api/v1/events", cw, map[string]any{"title": "x", "start": map[string]any{"date": "2026-13"}}, 422},
			{"unknown field", http.MethodPost, "/api/v1/events", cw, map[string]any{"title": "x", "start": map[string]any{"date": "2026"}, "owner_id": "me"}, 422},
			{"unknown nested field", http.MethodPost, "/api/v1/events", cw, map[string]any{"title": "x", "start": map[string]any{"date": "2026", "day": 1}}, 422},
			{"viewer may not create", http.MethodPost, "/api/v1/events", f.users["viewer"].Token, map[string]any{"title": "x", "start": map[string]any{"date": "2026"}}, 403},
			{"supervisor of the team reads", http.MethodGet, base, sup, nil, 200},
			{"organisation B", http.MethodGet, base, f.users["caseworker_b"].Token, nil, 404},
			{"organisation B patches", http.MethodPatch, base, f.users["caseworker_b"].Token, map[string]any{"title": "x"}, 404},
			{"unknown patch field", http.MethodPatch, base, cw, map[string]any{"title": "changed", "org_id": f.orgB.ID}, 422},
			{"bad end in patch", http.MethodPatch, base, cw, map[string]any{"end": map[string]any{"date": "2026", "extra": true}}, 422},
			{"perpetrator", http.MethodPost, base + "/perpetrators", cw, map[string]any{"category": "police", "identity": testutil.Sentinel("identity")}, 201},
			{"unknown category", http.MethodPost, base + "/perpetrators", cw, map[string]any{"category": "militia"}, 422},
			{"act", http.MethodPost, base + "/acts", cw, map[string]any{"act_type": "70.10", "victim_person_id": person.ID,
				"start": map[string]any{"date": "2026-03-12"}, "consequences": []string{"physical_injury"}, "description": testutil.Sentinel("act")}, 201},
			{"source", http.MethodPost, base + "/sources", cw, map[string]any{"source_type": "witness", "reliability": "B", "credibility": "2"}, 201},
			{"intervention", http.MethodPost, base + "/interventions", cw, map[string]any{"intervention_type": "complaint", "status": "submitted",
				"started_on": "2026-04-03", "ended_on": "2026-04-01"}, 422},
			{"person", http.MethodPost, base + "/persons", cw, map[string]any{"person_id": person.ID, "role": "victim"}, 200},
			{"end removed", http.MethodPatch, base, cw, map[string]any{"end": nil}, 200},
			{"in the list", http.MethodGet, "/api/v1/events?country=MEX&act_type=70&from=2026-03-10&to=2026", cw, nil, 200},
			{"bad filter", http.MethodGet, "/api/v1/events?from=soon", cw, nil, 422},
			{"the case's events", http.MethodGet, "/api/v1/cases/" + kase.ID + "/events", cw, nil, 200},
			{"the case's events from B", http.MethodGet, "/api/v1/cases/" + kase.ID + "/events", f.users["caseworker_b"].Token, nil, 404},
			{"vocabularies", http.MethodGet, "/api/v1/vocabularies", f.users["viewer"].Token, nil, 200},
			{"a vocabulary", http.MethodGet, "/api/v1/vocabularies/act_type", f.users["viewer"].Token, nil, 200},
			{"no such vocabulary", http.MethodGet, "/api/v1/vocabularies/colours", f.users["viewer"].Token, nil, 404},
			{"supervisor may not add terms", http.MethodPost, "/api/v1/vocabularies/act_type", sup, map[string]any{"labels": map[string]string{"en": "X"}}, 403},
			{"sysadmin adds a term", http.MethodPost, "/api/v1/vocabularies/act_type", f.users["sysadmin"].Token,
				map[string]any{"parent": "70", "labels": map[string]string{"en": "Online harassment", "es": "Acoso en línea"}}, 201},
			{"fixed vocabulary", http.MethodPost, "/api/v1/vocabularies/source_reliability", f.users["sysadmin"].Token,
				map[string]any{"labels": map[string]string{"en": "G"}}, 422},
			{"retire", http.MethodDelete, "/api/v1/vocabularies/act_type/70.x1", f.users["sysadmin"].Token, nil, 200},
			{"retired term refused", http.MethodPost, base + "/acts", cw, map[string]any{"act_type": "70.x1"}, 422},
			{"restore", http.MethodPost, "/api/v1/vocabularies/act_type/70.x1/restore", f.users["sysadmin"].Token, nil, 200},
		} {
			t.Run(tt.name, func(t *testing.T) {
				res := a.Do(nil, tt.method, tt.path, tt.token, tt.body)
				if res.Status != tt.status {
					t.Fatalf("status %d, want %d: %s", res.Status, tt.status, res.Body)
				}
				if res.Status >= 400 && strings.Contains(strings.ToUpper(string(res.Body)), "SNTL") {
					t.Fatal("an error response carries a sentinel")
				}
			})
		}

		var got struct {
			Title        string
			End          *struct{ Date string }
			ActTypes     []string `json:"act_types"`
			Acts         []struct{ ID string }
			Perpetrators []struct{ ID, Identity string }
			Persons      []struct{ Role string }
		}
		a.Do(nil, http.MethodGet, base, cw, nil).JSON(t, &got)
		if got.Title != title || got.End != nil || len(got.Acts) != 1 || len(got.Perpetrators) != 1 ||
			len(got.ActTypes) != 1 || got.ActTypes[0] != "70.10" || len(got.Persons) != 1 || got.Persons[0].Role != "victim" {
			t.Fatalf("event as read: %+v", got)
		}
		// An act of this event through another event's path is not found.
		other := a.Do(nil, http.MethodPost, "/api/v1/events", cw, map[string]any{"title": "Other", "start": map[string]any{"date": "2025"}})
		var o struct{ ID string }
		other.JSON(t, &o)
		if res := a.Do(nil, http.MethodDelete, "/api/v1/events/"+o.ID+"/acts/"+got.Acts[0].ID, cw, nil); res.Status != http.StatusNotFound {
			t.Fatalf("an act through another event: %d", res.Status)
		}
		// Replacing the act links the perpetrator.
		res = a.Do(nil, http.MethodPut, base+"/acts/"+got.Acts[0].ID, cw, map[string]any{"act_type": "70.10",
			"perpetrators": []map[string]string{{"perpetrator_id": got.Perpetrators[0].ID, "involvement": "direct_perpetrator"}}})
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), got.Perpetrators[0].ID) {
			t.Fatalf("replace act: %d %s", res.Status, res.Body)
		}
		var list struct{ Items []struct{ ID string } }
		a.Do(nil, http.MethodGet, "/api/v1/events?sort=start_asc", cw, nil).JSON(t, &list)
		if len(list.Items) != 2 || list.Items[0].ID != o.ID {
			t.Fatalf("list %+v", list.Items)
		}
		if res := a.Do(nil, http.MethodDelete, base, f.users["caseworker_b"].Token, nil); res.Status != http.StatusNotFound {
			t.Fatalf("B deletes: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodDelete, base, sup, nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, base, cw, nil); res.Status != http.StatusNotFound {
			t.Fatalf("after delete: %d", res.Status)
		}
	})
}
