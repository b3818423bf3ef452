// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
)

// caseNotesData is the notes tab: the case's notes, newest first, and the
// form that adds one. Notes are never changed or removed.
type caseNotesData struct {
	caseTab
	Notes []cases.Note
	// MaxLength is the longest note, in characters.
	MaxLength int
}

// caseNotesTab shows the notes tab. Reading the notes is audited.
func (w *Web) caseNotesTab(rw http.ResponseWriter, r *http.Request) {
	w.renderNotes(rw, r, http.StatusOK, view{})
}

func (w *Web) renderNotes(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, tab, _, ok := w.loadTab(rw, r, "notes")
	if !ok {
		return
	}
	notes, err := w.cas.Notes(r.Context(), authn.PrincipalFrom(r.Context()), c.ID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	v.Data = &caseNotesData{caseTab: tab, Notes: notes, MaxLength: cases.MaxNoteLength}
	w.render(rw, r, status, pageCaseNotes, v)
}

// caseNoteAdd adds a note.
func (w *Web) caseNoteAdd(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(map[string]string{"body": "body"}),
		show: func(status int, v view) { w.renderNotes(rw, r, status, v) }}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, "body")
	n, err := w.cas.AddNote(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), form.values["body"])
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(n.CaseID, "notes"), http.StatusSeeOther)
	}
}
