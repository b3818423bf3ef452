// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/violations"
)

// Violations documentation: events and their acts, perpetrators, sources
// and interventions, and their links to cases and persons. Access follows
// the event (violation.read, violation.write, own/team/organisation), which
// the domain decides: another organisation's event is 404. Parts are
// reached through their event, so a part of another event is 404 too, and
// are replaced whole (PUT); the event itself is patched.

// violationRoutes lists the violations endpoints; routes.go appends them.
func (a *API) violationRoutes() []authn.Route {
	perm := authn.PermRoute
	read, write, vocab := violations.PermRead, violations.PermWrite, violations.PermVocabularyWrite
	return []authn.Route{
		perm("GET /api/v1/events", read, a.listEvents),
		perm("POST /api/v1/events", write, a.createEvent),
		perm("GET /api/v1/events/{id}", read, a.getEvent),
		perm("PATCH /api/v1/events/{id}", write, a.updateEvent),
		perm("DELETE /api/v1/events/{id}", write, a.deleteEvent),
		perm("POST /api/v1/events/{id}/acts", write, a.addEventAct),
		perm("PUT /api/v1/events/{id}/acts/{act_id}", write, a.replaceEventAct),
		perm("DELETE /api/v1/events/{id}/acts/{act_id}", write, a.deleteEventAct),
		perm("POST /api/v1/events/{id}/perpetrators", write, a.addEventPerpetrator),
		perm("PUT /api/v1/events/{id}/perpetrators/{perpetrator_id}", write, a.replaceEventPerpetrator),
		perm("DELETE /api/v1/events/{id}/perpetrators/{perpetrator_id}", write, a.deleteEventPerpetrator),
		perm("POST /api/v1/events/{id}/sources", write, a.addEventSource),
		perm("PUT /api/v1/events/{id}/sources/{source_id}", write, a.replaceEventSource),
		perm("DELETE /api/v1/events/{id}/sources/{source_id}", write, a.deleteEventSource),
		perm("POST /api/v1/events/{id}/interventions", write, a.addEventIntervention),
		perm("PUT /api/v1/events/{id}/interventions/{intervention_id}", write, a.replaceEventIntervention),
		perm("DELETE /api/v1/events/{id}/interventions/{intervention_id}", write, a.deleteEventIntervention),
		perm("POST /api/v1/events/{id}/cases", write, a.linkEventCase),
		perm("DELETE /api/v1/events/{id}/cases/{case_id}", write, a.unlinkEventCase),
		perm("POST /api/v1/events/{id}/persons", write, a.linkEventPerson),
		perm("DELETE /api/v1/events/{id}/persons/{person_id}", write, a.unlinkEventPerson),
		perm("GET /api/v1/cases/{id}/events", read, a.caseEvents),
		// The vocabularies hold no personal data: any signed-in member of
		// an organisation reads them; system administrators extend them.
		perm("GET /api/v1/vocabularies", "organisation.read", a.listVocabularies),
		perm("GET /api/v1/vocabularies/{name}", "organisation.read", a.getVocabulary),
		perm("POST /api/v1/vocabularies/{name}", vocab, a.addTerm),
		perm("DELETE /api/v1/vocabularies/{name}/{code}", vocab, a.retireTerm),
		perm("POST /api/v1/vocabularies/{name}/{code}/restore", vocab, a.restoreTerm),
	}
}

// violationFail answers an error of the violations domain, or any other
// as fail does.
func (a *API) violationFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, violations.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
	case errors.Is(err, violations.ErrForbidden):
		httpx.WriteProblem(w, r, http.StatusForbidden, "forbidden", "You are not permitted to do this.")
	default:
		a.fail(w, r, err)
	}
}

// violationOne answers the record a domain call returned, or its error.
func violationOne[T, J any](a *API, w http.ResponseWriter, r *http.Request, status int, v T, err error, conv func(T) J) {
	if err != nil {
		a.violationFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, conv(v))
}

// violationDone answers 204, or the error.
func (a *API) violationDone(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		a.violationFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// eventDateJSON is a date to its precision.
type eventDateJSON struct {
	Date      string `json:"date"`
	Precision string `json:"precision"`
}

func toEventDate(d violations.Date) *eventDateJSON {
	if d.IsZero() {
		return nil
	}
	return &eventDateJSON{Date: d.Value, Precision: string(d.Precision)}
}

func (d *eventDateJSON) date() violations.Date {
	if d == nil {
		return violations.Date{}
	}
	return violations.Date{Value: d.Date, Precision: violations.Precision(d.Precision)}
}

type eventJSON struct {
	ID            string                  `json:"id"`
	OrgID         string                  `json:"org_id"`
	OwnerID       string                  `json:"owner_id"`
	TeamID        *string                 `json:"team_id"`
	Title         string                  `json:"title"`
	Description   string                  `json:"description"`
	Place         string                  `json:"place"`
	Start         *eventDateJSON          `json:"start"`
	End           *eventDateJSON          `json:"end"`
	Country       *string                 `json:"country"`
	Admin1        *string                 `json:"admin1"`
	ActTypes      []string                `json:"act_types"`
	Acts          []eventActJSON          `json:"acts"`
	Perpetrators  []eventPerpetratorJSON  `json:"perpetrators"`
	Sources       []eventSourceJSON       `json:"sources"`
	Interventions []eventInterventionJSON `json:"interventions"`
	Cases         []eventCaseJSON         `json:"cases"`
	Persons       []eventPersonJSON       `json:"persons"`
	CreatedBy     string                  `json:"created_by"`
	CreatedAt     string                  `json:"created_at"`
	UpdatedBy     string                  `json:"updated_by"`
	UpdatedAt     string                  `json:"updated_at"`
}

// eventSummaryJSON is an event in a list: its own fields, the title the
// only sealed one.
type eventSummaryJSON struct {
	ID        string         `json:"id"`
	OrgID     string         `json:"org_id"`
	OwnerID   string         `json:"owner_id"`
	TeamID    *string        `json:"team_id"`
	Title     string         `json:"title"`
	Start     *eventDateJSON `json:"start"`
	End       *eventDateJSON `json:"end"`
	Country   *string        `json:"country"`
	Admin1    *string        `json:"admin1"`
	ActTypes  []string       `json:"act_types"`
	CreatedAt string         `json:"created_at"`
	UpdatedAt string         `json:"updated_at"`
}

type eventActJSON struct {
	ID             string                 `json:"id"`
	EventID        string                 `json:"event_id"`
	ActType        string                 `json:"act_type"`
	RightAffected  *string                `json:"right_affected"`
	VictimPersonID *string                `json:"victim_person_id"`
	Start          *eventDateJSON         `json:"start"`
	End            *eventDateJSON         `json:"end"`
	Consequences   []string               `json:"consequences"`
	Description    string                 `json:"description"`
	Perpetrators   []eventInvolvementJSON `json:"perpetrators"`
	CreatedBy      string                 `json:"created_by"`
	CreatedAt      string                 `json:"created_at"`
	UpdatedBy      string                 `json:"updated_by"`
	UpdatedAt      string                 `json:"updated_at"`
}

type eventInvolvementJSON struct {
	PerpetratorID string `json:"perpetrator_id"`
	Involvement   string `json:"involvement"`
}

type eventPerpetratorJSON struct {
	ID        string  `json:"id"`
	EventID   string  `json:"event_id"`
	Category  string  `json:"category"`
	Identity  *string `json:"identity"`
	CreatedBy string  `json:"created_by"`
	CreatedAt string  `json:"created_at"`
	UpdatedBy string  `json:"updated_by"`
	UpdatedAt string  `json:"updated_at"`
}

type eventSourceJSON struct {
	ID          string  `json:"id"`
	EventID     string  `json:"event_id"`
	SourceType  string  `json:"source_type"`
	Reliability string  `json:"reliability"`
	Credibility string  `json:"credibility"`
	ObtainedOn  *string `json:"obtained_on"`
	Details     string  `json:"details"`
	CreatedBy   string  `json:"created_by"`
	CreatedAt   string  `json:"created_at"`
	UpdatedBy   string  `json:"updated_by"`
	UpdatedAt   string  `json:"updated_at"`
}

type eventInterventionJSON struct {
	ID               string  `json:"id"`
	EventID          string  `json:"event_id"`
	InterventionType string  `json:"intervention_type"`
	Status           string  `json:"status"`
	StartedOn        *string `json:"started_on"`
	EndedOn          *string `json:"ended_on"`
	Notes            string  `json:"notes"`
	CreatedBy        string  `json:"created_by"`
	CreatedAt        string  `json:"created_at"`
	UpdatedBy        string  `json:"updated_by"`
	UpdatedAt        string  `json:"updated_at"`
}

type eventCaseJSON struct {
	CaseID    string `json:"case_id"`
	CreatedBy string `json:"created_by"`
	CreatedAt string `json:"created_at"`
}

type eventPersonJSON struct {
	PersonID  string `json:"person_id"`
	Role      string `json:"role"`
	CreatedBy string `json:"created_by"`
	CreatedAt string `json:"created_at"`
}

func toEvent(e violations.Event) eventJSON {
	out := eventJSON{ID: e.ID, OrgID: e.OrgID, OwnerID: e.OwnerID, TeamID: orNull(e.TeamID), Title: e.Title,
		Description: e.Description, Place: e.Place, Start: toEventDate(e.Start), End: toEventDate(e.End), Country: orNull(e.Country),
		Admin1: orNull(e.Admin1), ActTypes: nonNil(e.ActTypes), Acts: []eventActJSON{}, Perpetrators: []eventPerpetratorJSON{},
		Sources: []eventSourceJSON{}, Interventions: []eventInterventionJSON{}, Cases: []eventCaseJSON{}, Persons: []eventPersonJSON{},
		CreatedBy: e.CreatedBy, CreatedAt: ts(e.CreatedAt), UpdatedBy: e.UpdatedBy, UpdatedAt: ts(e.UpdatedAt)}
	for _, x := range e.Acts {
		out.Acts = append(out.Acts, toEventAct(x))
	}
	for _, x := range e.Perpetrators {
		out.Perpetrators = append(out.Perpetrators, toEventPerpetrator(x))
	}
	for _, x := range e.Sources {
		out.Sources = append(out.Sources, toEventSource(x))
	}
	for _, x := range e.Interventions {
		out.Interventions = append(out.Interventions, toEventIntervention(x))
	}
	for _, l := range e.Cases {
		out.Cases = append(out.Cases, eventCaseJSON{CaseID: l.CaseID, CreatedBy: l.CreatedBy, CreatedAt: ts(l.CreatedAt)})
	}
	for _, l := range e.Persons {
		out.Persons = append(out.Persons, eventPersonJSON{PersonID: l.PersonID, Role: l.Role, CreatedBy: l.CreatedBy,
			CreatedAt: ts(l.CreatedAt)})
	}
	return out
}

func toEventSummary(e violations.Event) eventSummaryJSON {
	return eventSummaryJSON{ID: e.ID, OrgID: e.OrgID, OwnerID: e.OwnerID, TeamID: orNull(e.TeamID), Title: e.Title,
		Start: toEventDate(e.Start), End: toEventDate(e.End), Country: orNull(e.Country), Admin1: orNull(e.Admin1),
		ActTypes: nonNil(e.ActTypes), CreatedAt: ts(e.CreatedAt), UpdatedAt: ts(e.UpdatedAt)}
}

func toEventAct(x violations.Act) eventActJSON {
	out := eventActJSON{ID: x.ID, EventID: x.EventID, ActType: x.ActType, RightAffected: orNull(x.RightAffected),
		VictimPersonID: orNull(x.VictimPersonID), Start: toEventDate(x.Start), End: toEventDate(x.End),
		Consequences: nonNil(x.Consequences), Description: x.Description, Perpetrators: []eventInvolvementJSON{},
		CreatedBy: x.CreatedBy, CreatedAt: ts(x.CreatedAt), UpdatedBy: x.UpdatedBy, UpdatedAt: ts(x.UpdatedAt)}
	for _, l := range x.Perpetrators {
		out.Perpetrators = append(out.Perpetrators, eventInvolvementJSON{PerpetratorID: l.PerpetratorID, Involvement: l.Involvement})
	}
	return out
}

func toEventPerpetrator(x violations.Perpetrator) eventPerpetratorJSON {
	return eventPerpetratorJSON{ID: x.ID, EventID: x.EventID, Category: x.Category, Identity: orNull(x.Identity),
		CreatedBy: x.CreatedBy, CreatedAt: ts(x.CreatedAt), UpdatedBy: x.UpdatedBy, UpdatedAt: ts(x.UpdatedAt)}
}

func toEventSource(x violations.Source) eventSourceJSON {
	return eventSourceJSON{ID: x.ID, EventID: x.EventID, SourceType: x.SourceType, Reliability: x.Reliability,
		Credibility: x.Credibility, ObtainedOn: orNull(x.ObtainedOn), Details: x.Details, CreatedBy: x.CreatedBy,
		CreatedAt: ts(x.CreatedAt), UpdatedBy: x.UpdatedBy, UpdatedAt: ts(x.UpdatedAt)}
}

func toEventIntervention(x violations.Intervention) eventInterventionJSON {
	return eventInterventionJSON{ID: x.ID, EventID: x.EventID, InterventionType: x.Type, Status: x.Status,
		StartedOn: orNull(x.StartedOn), EndedOn: orNull(x.EndedOn), Notes: x.Notes, CreatedBy: x.CreatedBy,
		CreatedAt: ts(x.CreatedAt), UpdatedBy: x.UpdatedBy, UpdatedAt: ts(x.UpdatedAt)}
}

func (a *API) listEvents(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := violations.Filter{From: q.Get("from"), To: q.Get("to"), Country: q.Get("country"), ActType: q.Get("act_type"),
		Sort: violations.Sort(q.Get("sort"))}
	events, next, err := a.vio.List(r.Context(), authn.PrincipalFrom(r.Context()), f,
		violations.Page{Cursor: pg.Cursor, Limit: pg.Limit})
	if err != nil {
		a.violationFail(w, r, err)
		return
	}
	writeList(a, w, r, events, next, nil, toEventSummary)
}

func (a *API) caseEvents(w http.ResponseWriter, r *http.Request) {
	events, err := a.vio.ForCase(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		a.violationFail(w, r, err)
		return
	}
	writeList(a, w, r, events, "", nil, toEventSummary)
}

type eventBody struct {
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Place       string         `json:"place"`
	Start       *eventDateJSON `json:"start"`
	End         *eventDateJSON `json:"end"`
	Country     string         `json:"country"`
	Admin1      string         `json:"admin1"`
	CaseID      string         `json:"case_id"`
}

func (a *API) createEvent(w http.ResponseWriter, r *http.Request) {
	var body eventBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	e, err := a.vio.Create(r.Context(), authn.PrincipalFrom(r.Context()), violations.EventInput{Title: body.Title,
		Description: body.Description, Place: body.Place, Start: body.Start.date(), End: body.End.date(),
		Country: body.Country, Admin1: body.Admin1, CaseID: body.CaseID})
	violationOne(a, w, r, http.StatusCreated, e, err, toEvent)
}

func (a *API) getEvent(w http.ResponseWriter, r *http.Request) {
	e, err := a.vio.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	violationOne(a, w, r, http.StatusOK, e, err, toEvent)
}

// eventPatch is a change to an event: fields left out stay; "end": null
// removes the end.
type eventPatch struct {
	Title       *string         `json:"title"`
	Description *string         `json:"description"`
	Place       *string         `json:"place"`
	Start       *eventDateJSON  `json:"start"`
	End         json.RawMessage `json:"end"`
	Country     *string         `json:"country"`
	Admin1      *string         `json:"admin1"`
}

func (a *API) updateEvent(w http.ResponseWriter, r *http.Request) {
	var body eventPatch
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	ch := violations.EventChanges{Title: body.Title, Description: body.Description, Place: body.Place,
		Country: body.Country, Admin1: body.Admin1}
	if body.Start != nil {
		d := body.Start.date()
		ch.Start = &d
	}
	if body.End != nil {
		var end *eventDateJSON
		dec := json.NewDecoder(bytes.NewReader(body.End))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&end); err != nil {
			a.fail(w, r, &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "end", Code: "invalid"}}})
			return
		}
		d := end.date()
		ch.End = &d
	}
	e, err := a.vio.Update(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), ch)
	violationOne(a, w, r, http.StatusOK, e, err, toEvent)
}

func (a *API) deleteEvent(w http.ResponseWriter, r *http.Request) {
	a.violationDone(w, r, a.vio.Delete(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")))
}

type eventActBody struct {
	ActType        string                 `json:"act_type"`
	RightAffected  string                 `json:"right_affected"`
	VictimPersonID string                 `json:"victim_person_id"`
	Start          *eventDateJSON         `json:"start"`
	End            *eventDateJSON         `json:"end"`
	Consequences   []string               `json:"consequences"`
	Description    string                 `json:"description"`
	Perpetrators   []eventInvolvementJSON `json:"perpetrators"`
}

func (b eventActBody) input() violations.ActInput {
	in := violations.ActInput{ActType: b.ActType, RightAffected: b.RightAffected, VictimPersonID: b.VictimPersonID,
		Start: b.Start.date(), End: b.End.date(), Consequences: b.Consequences, Description: b.Description}
	for _, l := range b.Perpetrators {
		in.Perpetrators = append(in.Perpetrators, violations.Involvement{PerpetratorID: l.PerpetratorID, Involvement: l.Involvement})
	}
	return in
}

func (a *API) addEventAct(w http.ResponseWriter, r *http.Request) {
	var body eventActBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.AddAct(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.input())
	violationOne(a, w, r, http.StatusCreated, x, err, toEventAct)
}

func (a *API) replaceEventAct(w http.ResponseWriter, r *http.Request) {
	var body eventActBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.UpdateAct(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), r.PathValue("act_id"), body.input())
	violationOne(a, w, r, http.StatusOK, x, err, toEventAct)
}

func (a *API) deleteEventAct(w http.ResponseWriter, r *http.Request) {
	a.violationDone(w, r, a.vio.DeleteAct(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), r.PathValue("act_id")))
}

type eventPerpetratorBody struct {
	Category string `json:"category"`
	Identity string `json:"identity"`
}

func (a *API) addEventPerpetrator(w http.ResponseWriter, r *http.Request) {
	var body eventPerpetratorBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.AddPerpetrator(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		violations.PerpetratorInput{Category: body.Category, Identity: body.Identity})
	violationOne(a, w, r, http.StatusCreated, x, err, toEventPerpetrator)
}

func (a *API) replaceEventPerpetrator(w http.ResponseWriter, r *http.Request) {
	var body eventPerpetratorBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.UpdatePerpetrator(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		r.PathValue("perpetrator_id"), violations.PerpetratorInput{Category: body.Category, Identity: body.Identity})
	violationOne(a, w, r, http.StatusOK, x, err, toEventPerpetrator)
}

func (a *API) deleteEventPerpetrator(w http.ResponseWriter, r *http.Request) {
	a.violationDone(w, r, a.vio.DeletePerpetrator(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		r.PathValue("perpetrator_id")))
}

type eventSourceBody struct {
	SourceType  string `json:"source_type"`
	Reliability string `json:"reliability"`
	Credibility string `json:"credibility"`
	ObtainedOn  string `json:"obtained_on"`
	Details     string `json:"details"`
}

func (b eventSourceBody) input() violations.SourceInput {
	return violations.SourceInput{SourceType: b.SourceType, Reliability: b.Reliability, Credibility: b.Credibility,
		ObtainedOn: b.ObtainedOn, Details: b.Details}
}

func (a *API) addEventSource(w http.ResponseWriter, r *http.Request) {
	var body eventSourceBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.AddSource(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.input())
	violationOne(a, w, r, http.StatusCreated, x, err, toEventSource)
}

func (a *API) replaceEventSource(w http.ResponseWriter, r *http.Request) {
	var body eventSourceBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.UpdateSource(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), r.PathValue("source_id"),
		body.input())
	violationOne(a, w, r, http.StatusOK, x, err, toEventSource)
}

func (a *API) deleteEventSource(w http.ResponseWriter, r *http.Request) {
	a.violationDone(w, r, a.vio.DeleteSource(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		r.PathValue("source_id")))
}

type eventInterventionBody struct {
	InterventionType string `json:"intervention_type"`
	Status           string `json:"status"`
	StartedOn        string `json:"started_on"`
	EndedOn          string `json:"ended_on"`
	Notes            string `json:"notes"`
}

func (b eventInterventionBody) input() violations.InterventionInput {
	return violations.InterventionInput{Type: b.InterventionType, Status: b.Status, StartedOn: b.StartedOn,
		EndedOn: b.EndedOn, Notes: b.Notes}
}

func (a *API) addEventIntervention(w http.ResponseWriter, r *http.Request) {
	var body eventInterventionBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.AddIntervention(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.input())
	violationOne(a, w, r, http.StatusCreated, x, err, toEventIntervention)
}

func (a *API) replaceEventIntervention(w http.ResponseWriter, r *http.Request) {
	var body eventInterventionBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	x, err := a.vio.UpdateIntervention(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		r.PathValue("intervention_id"), body.input())
	violationOne(a, w, r, http.StatusOK, x, err, toEventIntervention)
}

func (a *API) deleteEventIntervention(w http.ResponseWriter, r *http.Request) {
	a.violationDone(w, r, a.vio.DeleteIntervention(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		r.PathValue("intervention_id")))
}

func (a *API) linkEventCase(w http.ResponseWriter, r *http.Request) {
	var body struct {
		CaseID string `json:"case_id"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	ctx, p, id := r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")
	if err := a.vio.LinkCase(ctx, p, id, body.CaseID); err != nil {
		a.violationFail(w, r, err)
		return
	}
	a.getEvent(w, r)
}

func (a *API) unlinkEventCase(w http.ResponseWriter, r *http.Request) {
	a.violationDone(w, r, a.vio.UnlinkCase(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		r.PathValue("case_id")))
}

func (a *API) linkEventPerson(w http.ResponseWriter, r *http.Request) {
	var body struct {
		PersonID string `json:"person_id"`
		Role     string `json:"role"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	ctx, p, id := r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")
	if err := a.vio.LinkPerson(ctx, p, id, body.PersonID, body.Role); err != nil {
		a.violationFail(w, r, err)
		return
	}
	a.getEvent(w, r)
}

func (a *API) unlinkEventPerson(w http.ResponseWriter, r *http.Request) {
	a.violationDone(w, r, a.vio.UnlinkPerson(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		r.PathValue("person_id")))
}
