// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
)

// caseNewData is the form that opens a case: for a person registered with
// it, or for one already registered (the field person_id).
type caseNewData struct {
	Identity identityChoices
	Risks    []option
	Concerns []checkOption
}

func (w *Web) caseNewData(loc *i18n.Locale, ticked []string) *caseNewData {
	return &caseNewData{Identity: w.identityChoices(loc), Risks: codeOptions(loc, "cases.risk.", cases.Risks),
		Concerns: concernChecks(loc, ticked)}
}

// caseNewFields are the form's fields of the cases domain, by the
// domain's names; the other errors are the identity's.
var caseNewFields = map[string]string{"risk": "risk", "concerns": "concerns", "persons.0.person_id": "person_id"}

func caseNewPlace(fe fielderr.FieldError) (string, string) {
	if field, ok := caseNewFields[fe.Field]; ok {
		return field, fe.Code
	}
	return identityPlace(fe)
}

// caseNewForm shows the form; ?person= names a person already registered.
func (w *Web) caseNewForm(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, pageCaseNew, view{Data: w.caseNewData(w.locale(r), nil),
		Values: map[string]string{"person_id": r.URL.Query().Get("person")}})
}

// caseCreate opens a case and shows it. For a new person, the person and
// the case are both checked before either is recorded, so that a refusal
// shows every error at once and leaves nothing behind; they are then
// recorded one after the other (two domains, two transactions). Should the
// case fail once the person is recorded, which after both checks passed
// only a failure of the database can cause, the person stays registered
// without a case.
func (w *Web) caseCreate(rw http.ResponseWriter, r *http.Request) {
	loc := w.locale(r)
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageCaseNew, view{Data: w.caseNewData(loc, nil), Error: errBadRequest})
		return
	}
	f := r.PostForm
	values, in, bad := readIdentity(f)
	personID := strings.TrimSpace(f.Get("person_id"))
	values["person_id"], values["risk"] = personID, f.Get("risk")
	if personID != "" {
		// The identity fields are not read for a person already registered.
		bad = nil
	}
	ticked := f["concerns"]
	form := caseForm{values: values, place: caseNewPlace, fields: bad, show: func(status int, v view) {
		v.Data = w.caseNewData(loc, ticked)
		w.render(rw, r, status, pageCaseNew, v)
	}}
	nc := cases.NewCase{Risk: cases.Risk(values["risk"]), Concerns: toConcerns(ticked)}
	checks := []error{cases.CheckNew(nc)}
	if personID == "" {
		checks = append(checks, w.per.Check(in))
	}
	if !w.caseSaved(rw, r, form, checks...) {
		return
	}
	p := authn.PrincipalFrom(r.Context())
	if personID == "" {
		person, err := w.per.Create(r.Context(), p, in)
		if !w.caseSaved(rw, r, form, err) {
			return
		}
		personID = person.ID
	}
	nc.Persons = []cases.PersonLinkInput{{PersonID: personID, Role: cases.RolePrincipal}}
	c, err := w.cas.Create(r.Context(), p, nc)
	if !w.caseSaved(rw, r, form, err) {
		return
	}
	http.Redirect(rw, r, casePath(c.ID, "person"), http.StatusSeeOther)
}
