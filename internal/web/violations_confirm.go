// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/violations"
)

// Deleting an event or a part and unlinking a case or a person are
// confirmed on a page of their own first: the page is a GET that changes
// nothing, and its button posts the change.

// violationConfirmData is a confirmation page. Action chooses its words
// (violation.confirm.<action>.*); Subject names what is concerned.
type violationConfirmData struct {
	Action, Subject string
	Post, Back      string
}

// confirm answers with a confirmation page.
func (w *Web) confirm(rw http.ResponseWriter, r *http.Request, d violationConfirmData) {
	w.render(rw, r, http.StatusOK, pageViolationConfirm, view{Data: &d})
}

// violationDeleteForm asks before an event is deleted.
func (w *Web) violationDeleteForm(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.eventToChange(rw, r)
	if !ok {
		return
	}
	w.confirm(rw, r, violationConfirmData{Action: "delete_event", Subject: e.Title, Post: eventPath(e.ID, "delete"),
		Back: eventPath(e.ID)})
}

// violationDelete deletes an event with all it holds.
func (w *Web) violationDelete(rw http.ResponseWriter, r *http.Request) {
	err := w.vio.Delete(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	w.violationDone(rw, r, err, "/violations")
}

// partDeleteForm asks before a part of kind is deleted.
func (w *Web) partDeleteForm(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		e, ok := w.eventToChange(rw, r)
		if !ok {
			return
		}
		partID := r.PathValue("part")
		if _, ok := partValues(kind, e, partID); !ok {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		w.confirm(rw, r, violationConfirmData{Action: "delete_" + kind, Subject: e.Title,
			Post: eventPath(e.ID, kind, partID, "delete"), Back: eventPath(e.ID) + "#" + kind})
	}
}

// partDelete deletes a part of kind.
func (w *Web) partDelete(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		ctx, p, id, partID := r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), r.PathValue("part")
		var err error
		switch kind {
		case "acts":
			err = w.vio.DeleteAct(ctx, p, id, partID)
		case "perpetrators":
			err = w.vio.DeletePerpetrator(ctx, p, id, partID)
		case "sources":
			err = w.vio.DeleteSource(ctx, p, id, partID)
		default:
			err = w.vio.DeleteIntervention(ctx, p, id, partID)
		}
		w.violationDone(rw, r, err, eventPath(id)+"#"+kind)
	}
}

// violationUnlinkCaseForm asks before a case is unlinked.
func (w *Web) violationUnlinkCaseForm(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.eventToChange(rw, r)
	if !ok {
		return
	}
	caseID := r.PathValue("case")
	if !linkedCase(e, caseID) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	number, err := w.caseNumberOf(r, caseID)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	w.confirm(rw, r, violationConfirmData{Action: "unlink_case", Subject: number,
		Post: eventPath(e.ID, "cases", caseID, "unlink"), Back: eventPath(e.ID) + "#cases"})
}

func linkedCase(e violations.Event, caseID string) bool {
	for _, l := range e.Cases {
		if l.CaseID == caseID {
			return true
		}
	}
	return false
}

// violationUnlinkCase unlinks a case.
func (w *Web) violationUnlinkCase(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := w.vio.UnlinkCase(r.Context(), authn.PrincipalFrom(r.Context()), id, r.PathValue("case"))
	w.violationDone(rw, r, err, eventPath(id)+"#cases")
}

// violationUnlinkPersonForm asks before a person is unlinked.
func (w *Web) violationUnlinkPersonForm(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.eventToChange(rw, r)
	if !ok {
		return
	}
	personID := r.PathValue("person")
	linked := false
	for _, l := range e.Persons {
		linked = linked || l.PersonID == personID
	}
	if !linked {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	people, err := w.eventPeople(r, w.locale(r), e)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	w.confirm(rw, r, violationConfirmData{Action: "unlink_person", Subject: people.label(personID),
		Post: eventPath(e.ID, "persons", personID, "unlink"), Back: eventPath(e.ID) + "#persons"})
}

// violationUnlinkPerson unlinks a person.
func (w *Web) violationUnlinkPerson(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := w.vio.UnlinkPerson(r.Context(), authn.PrincipalFrom(r.Context()), id, r.PathValue("person"))
	w.violationDone(rw, r, err, eventPath(id)+"#persons")
}
