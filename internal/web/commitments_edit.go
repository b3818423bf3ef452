// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
)

// recordFormData is the form that adds or corrects a record.
type recordFormData struct {
	// ID is "" when adding.
	ID          string
	Countries   []option
	Instruments []option
	// Actions are named in the page's language.
	Actions []option
}

// errRecordExists is the form error for a second record of the same
// country, instrument and action.
const errRecordExists = "record_exists"

// recordFields are the form's fields, which are also the record's.
var recordFields = []string{"country", "instrument", "action", "date", "source", "as_of"}

func (w *Web) recordForm(r *http.Request, id string) *recordFormData {
	loc := w.locale(r)
	lang := loc.Code()
	d := &recordFormData{ID: id}
	all := countries.All()
	countries.SortByName(all, lang)
	for _, c := range all {
		d.Countries = append(d.Countries, option{Value: c.Alpha3, Label: c.Name(lang)})
	}
	for _, in := range w.com.Catalog().All() {
		d.Instruments = append(d.Instruments, option{Value: in.Code, Label: in.ShortName(lang) + " — " + in.Name(lang)})
	}
	for _, a := range commitments.Actions {
		d.Actions = append(d.Actions, option{Value: string(a), Label: loc.T("commitments.action." + string(a))})
	}
	return d
}

// recordNewForm shows an empty form; ?country= and ?instrument= preselect.
func (w *Web) recordNewForm(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.render(rw, r, http.StatusOK, pageCommitmentsRecord, view{Data: w.recordForm(r, ""),
		Values: map[string]string{"country": q.Get("country"), "instrument": q.Get("instrument")}})
}

// recordEditForm shows a record in the form.
func (w *Web) recordEditForm(rw http.ResponseWriter, r *http.Request) {
	rec, err := w.com.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		w.commitmentsFail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageCommitmentsRecord, view{Data: w.recordForm(r, rec.ID), Values: map[string]string{
		"country": rec.Country, "instrument": rec.Instrument, "action": string(rec.Action), "date": rec.Date,
		"source": rec.Source, "as_of": rec.AsOf,
	}})
}

// recordCreate adds a record and shows its country.
func (w *Web) recordCreate(rw http.ResponseWriter, r *http.Request) {
	w.saveRecord(rw, r, "")
}

// recordUpdate corrects a record and shows its country.
func (w *Web) recordUpdate(rw http.ResponseWriter, r *http.Request) {
	w.saveRecord(rw, r, r.PathValue("id"))
}

func (w *Web) saveRecord(rw http.ResponseWriter, r *http.Request, id string) {
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageCommitmentsRecord, view{Data: w.recordForm(r, id), Error: errBadRequest})
		return
	}
	values := map[string]string{}
	for _, f := range recordFields {
		values[f] = r.PostForm.Get(f)
	}
	in := commitments.Input{Country: values["country"], Instrument: values["instrument"], Action: values["action"],
		Date: values["date"], Source: values["source"], AsOf: values["as_of"]}
	p := authn.PrincipalFrom(r.Context())
	var rec commitments.Record
	var err error
	if id == "" {
		rec, err = w.com.Create(r.Context(), p, in)
	} else {
		rec, err = w.com.Update(r.Context(), p, id, in)
	}
	var ve *commitments.ValidationError
	switch {
	case errors.As(err, &ve):
		fields := map[string]string{}
		for _, fe := range ve.Errors {
			if _, ok := fields[fe.Field]; !ok {
				fields[fe.Field] = fe.Code
			}
		}
		w.render(rw, r, http.StatusUnprocessableEntity, pageCommitmentsRecord, view{Data: w.recordForm(r, id),
			Fields: fields, Values: values})
		return
	case errors.Is(err, commitments.ErrConflict):
		w.render(rw, r, http.StatusConflict, pageCommitmentsRecord, view{Data: w.recordForm(r, id),
			Error: errRecordExists, Values: values})
		return
	case err != nil:
		w.commitmentsFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/commitments/countries/"+rec.Country+"#"+rec.Instrument, http.StatusSeeOther)
}

// recordDeleteForm asks for confirmation before a record is removed.
func (w *Web) recordDeleteForm(rw http.ResponseWriter, r *http.Request) {
	rec, err := w.com.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		w.commitmentsFail(rw, r, err)
		return
	}
	rv := viewRecord(w.locale(r), rec)
	w.render(rw, r, http.StatusOK, pageCommitmentsDelete, view{Data: &rv})
}

// recordDelete removes a record and shows its country.
func (w *Web) recordDelete(rw http.ResponseWriter, r *http.Request) {
	rec, err := w.com.Get(r.Context(), r.PathValue("id"))
	if err == nil {
		err = w.com.Delete(r.Context(), authn.PrincipalFrom(r.Context()), rec.ID)
	}
	if err != nil {
		w.commitmentsFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/commitments/countries/"+rec.Country+"#"+rec.Instrument, http.StatusSeeOther)
}
