// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/violations"
)

// The administration of the controlled vocabularies: system
// administrators (vocabulary.write) add terms in the languages they know
// (English at least, which the others fall back to) and retire terms no
// longer to be offered, which stay on the records holding them.

// vocabulariesData lists the vocabularies.
type vocabulariesData struct {
	Rows []vocabularyRow
}

type vocabularyRow struct {
	Name                   string
	Terms, Added, Retired  int
	Extensible, Hierarchic bool
}

// vocabularyData is one vocabulary's page.
type vocabularyData struct {
	Name                   string
	Extensible, Hierarchic bool
	Terms                  []termRow
	// Parents are the terms a new term may be put under.
	Parents []option
	// Languages are the label inputs of the form, English first.
	Languages []labelInput
}

// termRow is a term in the table; Indent shows how deep it sits, and
// Retire is true when it may be retired or restored.
type termRow struct {
	Code, Label, Indent      string
	Shipped, Retire, Retired bool
}

type labelInput struct{ Code, Name, Field string }

// labelField is the form field of a new term's label in lang.
func labelField(lang string) string { return "label_" + lang }

// vocabularyList shows the vocabularies.
func (w *Web) vocabularyList(rw http.ResponseWriter, r *http.Request) {
	all, err := w.vio.AllTerms(r.Context())
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	d := &vocabulariesData{}
	for _, v := range violations.Vocabularies() {
		row := vocabularyRow{Name: v.Name, Extensible: v.Extensible, Hierarchic: v.Hierarchical}
		for _, t := range all[v.Name] {
			row.Terms++
			if !t.Shipped {
				row.Added++
			}
			if t.Retired() {
				row.Retired++
			}
		}
		d.Rows = append(d.Rows, row)
	}
	w.render(rw, r, http.StatusOK, pageViolationVocabularies, view{Data: d})
}

// vocabularyTerms shows a vocabulary's terms and the form adding one.
func (w *Web) vocabularyTerms(rw http.ResponseWriter, r *http.Request) {
	w.showVocabulary(rw, r, http.StatusOK, view{})
}

func (w *Web) showVocabulary(rw http.ResponseWriter, r *http.Request, status int, v view) {
	voc, ok := violations.LookupVocabulary(r.PathValue("name"))
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	terms, err := w.vio.Terms(r.Context(), voc.Name)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	loc := w.locale(r)
	d := &vocabularyData{Name: voc.Name, Extensible: voc.Extensible, Hierarchic: voc.Hierarchical}
	for _, t := range terms {
		d.Terms = append(d.Terms, termRow{Code: t.Code, Label: t.Label(loc.Code()), Indent: strings.Repeat("— ", t.Depth()), Shipped: t.Shipped,
			Retired: t.Retired(), Retire: voc.Extensible})
		if voc.Hierarchical && !t.Retired() && t.Depth() < violations.MaxTermDepth {
			d.Parents = append(d.Parents, option{Value: t.Code, Label: strings.Repeat("— ", t.Depth()) + t.Label(loc.Code())})
		}
	}
	for _, l := range i18n.Languages {
		d.Languages = append(d.Languages, labelInput{Code: l.Code, Name: l.Name, Field: labelField(l.Code)})
	}
	v.Data = d
	w.render(rw, r, status, pageViolationVocabulary, v)
}

// vocabularyAdd adds a term from the form.
func (w *Web) vocabularyAdd(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.showVocabulary(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	name := r.PathValue("name")
	fields := []string{"parent"}
	in := violations.TermInput{Parent: r.PostForm.Get("parent"), Labels: map[string]string{}}
	for _, l := range i18n.Languages {
		fields = append(fields, labelField(l.Code))
		if s := r.PostForm.Get(labelField(l.Code)); strings.TrimSpace(s) != "" {
			in.Labels[l.Code] = s
		}
	}
	_, err := w.vio.AddTerm(r.Context(), authn.PrincipalFrom(r.Context()), name, in)
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		found, above := formErrors(ve, func(fe fielderr.FieldError) (string, string) {
			field := strings.Replace(fe.Field, "labels.", "label_", 1)
			if slices.Contains(fields, field) {
				return field, fe.Code
			}
			return "", fe.Code
		})
		w.showVocabulary(rw, r, http.StatusUnprocessableEntity, view{Values: formValues(r.PostForm, fields...),
			Fields: found, Error: above})
		return
	}
	w.violationDone(rw, r, err, "/admin/vocabularies/"+name)
}

// vocabularyRetireForm asks before a term is retired.
func (w *Web) vocabularyRetireForm(rw http.ResponseWriter, r *http.Request) {
	name, code := r.PathValue("name"), r.PathValue("code")
	terms, err := w.vio.Terms(r.Context(), name)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	i := slices.IndexFunc(terms, func(t violations.Term) bool { return t.Code == code })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.confirm(rw, r, violationConfirmData{Action: "retire_term", Subject: terms[i].Label(w.locale(r).Code()),
		Post: "/admin/vocabularies/" + name + "/" + code + "/retire", Back: "/admin/vocabularies/" + name})
}

// vocabularyRetire retires a term.
func (w *Web) vocabularyRetire(rw http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	_, err := w.vio.RetireTerm(r.Context(), authn.PrincipalFrom(r.Context()), name, r.PathValue("code"))
	w.vocabularyDone(rw, r, err, name)
}

// vocabularyRestore offers a retired term again.
func (w *Web) vocabularyRestore(rw http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	_, err := w.vio.RestoreTerm(r.Context(), authn.PrincipalFrom(r.Context()), name, r.PathValue("code"))
	w.vocabularyDone(rw, r, err, name)
}

// vocabularyDone answers a retirement or restoration: the vocabulary's
// page, or its page with the error (a fixed vocabulary) above the list.
func (w *Web) vocabularyDone(rw http.ResponseWriter, r *http.Request, err error, name string) {
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		w.showVocabulary(rw, r, http.StatusUnprocessableEntity, view{Error: ve.Errors[0].Code})
		return
	}
	w.violationDone(rw, r, err, "/admin/vocabularies/"+name)
}
