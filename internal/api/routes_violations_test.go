// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/amparo-project/amparo/internal/violations"
)

// violationWorld is the route-table fixture's violations records: an event
// of the target's, linked to the target's case and to the case's second
// person, with one part of each kind, whose ids fill the routes' path
// parameters.
type violationWorld struct {
	event                                  violations.Event
	act, perpetrator, source, intervention string
}

func init() {
	// Restoring a term takes no body.
	bodiless["POST /api/v1/vocabularies/{name}/{code}/restore"] = true
}

// newViolationEvent records an event of the target's with sentinels in its
// sealed fields, linked to the target's case and its second person.
func (w *routeWorld) newViolationEvent(t *testing.T) violations.Event {
	t.Helper()
	ctx, p := context.Background(), w.target.Principal
	e, err := w.a.Violations.Create(ctx, p, violations.EventInput{Title: testutil.Sentinel("title"),
		Description: testutil.Sentinel("description"), Place: testutil.Sentinel("place"),
		Start: violations.Date{Value: "2026-03"}, Country: "ES", CaseID: w.kase.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.a.Violations.LinkPerson(ctx, p, e.ID, w.member.ID, "witness"); err != nil {
		t.Fatal(err)
	}
	return e
}

func (w *routeWorld) newViolationRecords(t *testing.T) violationWorld {
	t.Helper()
	vw := violationWorld{event: w.newViolationEvent(t)}
	id := vw.event.ID
	vw.perpetrator = w.newViolationPart(t, id, "perpetrators")
	w.vio = vw
	vw.act = w.newViolationPart(t, id, "acts")
	vw.source = w.newViolationPart(t, id, "sources")
	vw.intervention = w.newViolationPart(t, id, "interventions")
	return vw
}

// newViolationPart records a part of kind in event eventID and returns its
// id, or "" when the event is not one the target may change.
func (w *routeWorld) newViolationPart(t *testing.T, eventID, kind string) string {
	t.Helper()
	ctx, p, svc := context.Background(), w.target.Principal, w.a.Violations
	var id string
	var err error
	switch kind {
	case "perpetrators":
		var x violations.Perpetrator
		x, err = svc.AddPerpetrator(ctx, p, eventID, violations.PerpetratorInput{Category: "police", Identity: testutil.Sentinel("identity")})
		id = x.ID
	case "acts":
		in := violations.ActInput{ActType: "20.30", VictimPersonID: w.person.ID, Description: testutil.Sentinel("act"),
			Consequences: []string{"physical_injury"}}
		if vw := w.vio; vw.perpetrator != "" && eventID == vw.event.ID {
			in.Perpetrators = []violations.Involvement{{PerpetratorID: vw.perpetrator, Involvement: "direct_perpetrator"}}
		}
		var x violations.Act
		x, err = svc.AddAct(ctx, p, eventID, in)
		id = x.ID
	case "sources":
		var x violations.Source
		x, err = svc.AddSource(ctx, p, eventID, violations.SourceInput{SourceType: "witness", Reliability: "B", Credibility: "2",
			Details: testutil.Sentinel("source")})
		id = x.ID
	case "interventions":
		var x violations.Intervention
		x, err = svc.AddIntervention(ctx, p, eventID, violations.InterventionInput{Type: "complaint", Status: "submitted",
			Notes: testutil.Sentinel("notes")})
		id = x.ID
	}
	if err != nil {
		return ""
	}
	return id
}

// violationRecordID fills the {id} of the events routes (API) and of the
// violations pages: a fresh event for a deletion, the fixture's otherwise.
func (w *routeWorld) violationRecordID(t *testing.T, method, collection string) (string, bool) {
	if collection != "events" && collection != "violations" {
		return "", false
	}
	if method == http.MethodDelete || (collection == "violations" && method == http.MethodPost) {
		return w.newViolationEvent(t).ID, true
	}
	return w.vio.event.ID, true
}

// violationParams are the path parameters of the violations routes, by the
// segment before them.
var violationParams = map[string]string{"{act_id}": "acts", "{perpetrator_id}": "perpetrators", "{source_id}": "sources",
	"{intervention_id}": "interventions", "{case_id}": "cases", "{case}": "cases", "{part}": ""}

// isViolationParam reports whether segs[i] is a parameter violationParam
// fills.
func isViolationParam(segs []string, i int) bool {
	s := segs[i]
	if kind, ok := violationParams[s]; ok {
		return kind == "" || segs[i-1] == kind
	}
	return (s == "{name}" && segs[i-1] == "vocabularies") || (s == "{code}" && i > 1 && segs[i-2] == "vocabularies")
}

// violationParam fills a parameter isViolationParam accepts: a part of the
// event in the path (a fresh one for a deletion when that event is the
// target's), the target's case, a vocabulary, or a term (a fresh added one
// to retire).
func (w *routeWorld) violationParam(t *testing.T, method string, segs []string, i int) string {
	t.Helper()
	kind := segs[i-1]
	switch {
	case segs[i] == "{name}":
		return violations.VocabConsequence
	case segs[i] == "{code}":
		// A fresh term each time, retired when the route restores one, so
		// that every call changes something.
		ctx := context.Background()
		term, err := w.a.Violations.AddTerm(ctx, access.System, violations.VocabConsequence,
			violations.TermInput{Labels: map[string]string{"en": fmt.Sprintf("Route test %d", w.change())}})
		if err == nil && segs[len(segs)-1] == "restore" {
			_, err = w.a.Violations.RetireTerm(ctx, access.System, violations.VocabConsequence, term.Code)
		}
		if err != nil {
			t.Fatal(err)
		}
		return term.Code
	case kind == "cases":
		return w.kase.ID
	}
	deleting := method == http.MethodDelete || (len(segs) > i+1 && segs[i+1] == "delete" && method == http.MethodPost)
	if deleting {
		if id := w.newViolationPart(t, segs[i-2], kind); id != "" {
			return id
		}
	}
	return map[string]string{"acts": w.vio.act, "perpetrators": w.vio.perpetrator, "sources": w.vio.source,
		"interventions": w.vio.intervention}[kind]
}

// violationBodies are minimal valid bodies of the violations routes.
func (w *routeWorld) violationBodies() map[string]func() any {
	date := map[string]any{"date": "2026-03-02", "precision": "estimated"}
	return map[string]func() any{
		"POST /api/v1/events": func() any {
			return map[string]any{"title": testutil.Sentinel("title"), "start": date, "case_id": w.kase.ID}
		},
		"PATCH /api/v1/events/{id}": func() any {
			return map[string]any{"place": testutil.Sentinel("place"), "end": nil}
		},
		"POST /api/v1/events/{id}/acts": func() any {
			return map[string]any{"act_type": "70.20", "victim_person_id": w.person.ID, "description": testutil.Sentinel("act")}
		},
		"PUT /api/v1/events/{id}/acts/{act_id}": func() any {
			return map[string]any{"act_type": "70.10", "consequences": []string{"psychological_harm"},
				"perpetrators": []map[string]string{{"perpetrator_id": w.vio.perpetrator, "involvement": "ordered"}},
				"description":  testutil.Sentinel("act")}
		},
		"POST /api/v1/events/{id}/perpetrators": func() any {
			return map[string]any{"category": "border_guard", "identity": testutil.Sentinel("identity")}
		},
		"PUT /api/v1/events/{id}/perpetrators/{perpetrator_id}": func() any {
			return map[string]any{"category": []string{"police", "border_guard"}[w.change()%2]}
		},
		"POST /api/v1/events/{id}/sources": func() any {
			return map[string]any{"source_type": "victim", "reliability": "C", "credibility": "3", "obtained_on": "2026-03-05"}
		},
		"PUT /api/v1/events/{id}/sources/{source_id}": func() any {
			return map[string]any{"source_type": "media", "reliability": "D", "credibility": "4", "details": testutil.Sentinel("source")}
		},
		"POST /api/v1/events/{id}/interventions": func() any {
			return map[string]any{"intervention_type": "legal_aid", "status": "planned"}
		},
		"PUT /api/v1/events/{id}/interventions/{intervention_id}": func() any {
			return map[string]any{"intervention_type": "litigation", "status": "in_progress", "started_on": "2026-04-01",
				"notes": testutil.Sentinel("notes")}
		},
		"POST /api/v1/events/{id}/cases": func() any {
			// A case of the target's not yet linked, so that the link
			// succeeds for whoever may make it.
			c, err := w.a.Cases.Create(context.Background(), w.target.Principal, cases.NewCase{Concerns: []cases.Concern{"health"}})
			if err != nil {
				panic(err)
			}
			return map[string]any{"case_id": c.ID}
		},
		"POST /api/v1/events/{id}/persons": func() any {
			// A person of the target's not yet linked.
			p, err := w.a.Persons.Create(context.Background(), w.target.Principal, persons.Input{
				Identity: persons.Identity{GivenName: testutil.Sentinel("given")}})
			if err != nil {
				panic(err)
			}
			return map[string]any{"person_id": p.ID, "role": "complainant"}
		},
		"POST /api/v1/vocabularies/{name}": func() any {
			return map[string]any{"labels": map[string]string{"en": fmt.Sprintf("Route term %d", w.change()), "fr": "Terme"}}
		},
	}
}
