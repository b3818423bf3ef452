// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/persons"
)

// personExportData is the form exporting everything held about a person.
// The page names the person by id only: showing a name would be a read of
// the identity, and the export itself is where it is read.
type personExportData struct {
	exportForm
	PersonID string
	Erased   bool
}

// personReach checks that the reader may exercise perm on the person of
// the path, answering (404, or 403) when not; ok is false when it has
// answered.
func (w *Web) personReach(rw http.ResponseWriter, r *http.Request, perm access.Permission) (persons.Summary, bool) {
	sum, err := w.per.Reach(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), perm)
	if err != nil {
		w.caseFail(rw, r, err)
		return persons.Summary{}, false
	}
	return sum, true
}

// personExportForm shows the form.
func (w *Web) personExportForm(rw http.ResponseWriter, r *http.Request) {
	w.renderPersonExport(rw, r, http.StatusOK, view{})
}

func (w *Web) renderPersonExport(rw http.ResponseWriter, r *http.Request, status int, v view) {
	sum, ok := w.personReach(rw, r, permPersonRead)
	if !ok {
		return
	}
	base, err := w.exportFormFor(r)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	v.Data = &personExportData{exportForm: base, PersonID: sum.ID, Erased: sum.Erased}
	w.render(rw, r, status, pagePersonExport, v)
}

// personExport makes the export and answers with its file.
func (w *Web) personExport(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: exportErrorPlace(),
		show: func(status int, v view) { w.renderPersonExport(rw, r, status, v) }}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, exportFields...)
	file, err := w.exp.ExportPerson(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), exportRequest(r))
	w.exportDone(rw, r, form, file, err)
}

// personEraseData is the page erasing a person's identity: what will be
// destroyed, the word to type, and once done, when it was.
type personEraseData struct {
	PersonID string
	ErasedAt *time.Time
}

// personEraseForm shows the confirmation, or that the identity is
// already erased.
func (w *Web) personEraseForm(rw http.ResponseWriter, r *http.Request) {
	w.renderPersonErase(rw, r, http.StatusOK, view{})
}

func (w *Web) renderPersonErase(rw http.ResponseWriter, r *http.Request, status int, v view) {
	sum, ok := w.personReach(rw, r, permPersonErase)
	if !ok {
		return
	}
	v.Data = &personEraseData{PersonID: sum.ID, ErasedAt: sum.ErasedAt}
	w.render(rw, r, status, pagePersonErase, v)
}

// personErase destroys the person's data key once the word is typed in;
// the record stays as an anonymous shell. The domain audits it without
// personal data. The page is shown again, saying it is done.
func (w *Web) personErase(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(map[string]string{"confirm_word": "confirm_word"}),
		show: func(status int, v view) { w.renderPersonErase(rw, r, status, v) }}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	if !w.adminEraseWord(r.PostForm.Get("confirm_word")) {
		form.fields = map[string]string{"confirm_word": "wrong_word"}
		w.caseSaved(rw, r, form)
		return
	}
	id := r.PathValue("id")
	if w.caseSaved(rw, r, form, w.per.Erase(r.Context(), authn.PrincipalFrom(r.Context()), id)) {
		// The domain accepted the id: a person the reader may erase.
		http.Redirect(rw, r, "/persons/"+id+"/erase", http.StatusSeeOther)
	}
}
