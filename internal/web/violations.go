// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// The violations pages (agenda 1, 3, 5; res. ¶¶3(a), 4(e), 5): the list of
// documented events, an event's page with its acts, victims,
// perpetrators, sources, interventions and the cases and persons it
// concerns, the forms that record each, a case's "violations" tab, and the
// administration of the controlled vocabularies.
//
// Like the case pages they are thin: the violations domain decides record
// scope (another organisation's event answers 404) and audits every
// change and every read of sealed content. Vocabulary terms are named by
// the domain (its Label and terms), not by the translation files, since
// administrators add terms with their own names. Persons are shown by
// their role and non-identifying attributes only, never by name, so that
// an event page reads no identity.

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/violations"
)

// The violations pages.
const (
	pageViolationList         page = "violation_list"
	pageViolationEvent        page = "violation_event"
	pageViolationForm         page = "violation_form"
	pageViolationConfirm      page = "violation_confirm"
	pageViolationCase         page = "violation_case"
	pageViolationVocabularies page = "violation_vocabularies"
	pageViolationVocabulary   page = "violation_vocabulary"
)

// violationPages are the violations pages' templates.
var violationPages = []page{pageViolationList, pageViolationEvent, pageViolationForm, pageViolationConfirm,
	pageViolationCase, pageViolationVocabularies, pageViolationVocabulary}

// partKinds are the parts of an event that have forms of their own, as
// they appear in paths (/violations/{id}/acts/new).
var partKinds = []string{"acts", "perpetrators", "sources", "interventions"}

// violationRoutes lists the violations pages.
func (w *Web) violationRoutes() []authn.Route {
	perm := authn.PermRoute
	read, write, vocab := violations.PermRead, violations.PermWrite, violations.PermVocabularyWrite
	routes := []authn.Route{
		perm("GET /violations", read, w.violationList),
		perm("GET /violations/new", write, w.violationNewForm),
		perm("POST /violations/new", write, w.violationCreate),
		perm("GET /violations/{id}", read, w.violationEvent),
		perm("GET /violations/{id}/edit", write, w.violationEditForm),
		perm("POST /violations/{id}/edit", write, w.violationUpdate),
		perm("GET /violations/{id}/delete", write, w.violationDeleteForm),
		perm("POST /violations/{id}/delete", write, w.violationDelete),
		perm("POST /violations/{id}/cases", write, w.violationLinkCase),
		perm("GET /violations/{id}/cases/{case}/unlink", write, w.violationUnlinkCaseForm),
		perm("POST /violations/{id}/cases/{case}/unlink", write, w.violationUnlinkCase),
		perm("POST /violations/{id}/persons", write, w.violationLinkPerson),
		perm("GET /violations/{id}/persons/{person}/unlink", write, w.violationUnlinkPersonForm),
		perm("POST /violations/{id}/persons/{person}/unlink", write, w.violationUnlinkPerson),
		perm("GET /cases/{id}/violations", read, w.caseViolationsTab),
		perm("GET /admin/vocabularies", vocab, w.vocabularyList),
		perm("GET /admin/vocabularies/{name}", vocab, w.vocabularyTerms),
		perm("POST /admin/vocabularies/{name}", vocab, w.vocabularyAdd),
		perm("GET /admin/vocabularies/{name}/{code}/retire", vocab, w.vocabularyRetireForm),
		perm("POST /admin/vocabularies/{name}/{code}/retire", vocab, w.vocabularyRetire),
		perm("POST /admin/vocabularies/{name}/{code}/restore", vocab, w.vocabularyRestore),
	}
	for _, kind := range partKinds {
		base := "/violations/{id}/" + kind
		routes = append(routes,
			perm("GET "+base+"/new", write, w.partForm(kind)),
			perm("POST "+base+"/new", write, w.partSave(kind)),
			perm("GET "+base+"/{part}/edit", write, w.partForm(kind)),
			perm("POST "+base+"/{part}/edit", write, w.partSave(kind)),
			perm("GET "+base+"/{part}/delete", write, w.partDeleteForm(kind)),
			perm("POST "+base+"/{part}/delete", write, w.partDelete(kind)),
		)
	}
	return routes
}

// eventPath is the address of event id's page, or of a page under it.
func eventPath(id string, more ...string) string {
	return "/violations/" + id + strings.Join(append([]string{""}, more...), "/")
}

// violationFail answers for an error of the violations domain: 404 for an
// event out of reach or unknown, 403 for what the role may not do, and
// otherwise what caseFail answers.
func (w *Web) violationFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, violations.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, violations.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.caseFail(rw, r, err)
	}
}

// vocabNames names the terms of the vocabularies in one language, for a
// page: labels of codes (a retired term keeps its name), and the choices
// of a form.
type vocabNames struct {
	terms map[string][]violations.Term
	lang  string
}

// vocabularies reads every vocabulary's terms once for a page.
func (w *Web) vocabularies(ctx context.Context, loc *i18n.Locale) (vocabNames, error) {
	terms, err := w.vio.AllTerms(ctx)
	return vocabNames{terms: terms, lang: loc.Code()}, err
}

// label names code of vocabulary; an unknown code is shown as it is.
func (v vocabNames) label(vocabulary, code string) string {
	for _, t := range v.terms[vocabulary] {
		if t.Code == code {
			return t.Label(v.lang)
		}
	}
	return code
}

// labels names codes of vocabulary, joined for a cell.
func (v vocabNames) labels(vocabulary string, codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = v.label(vocabulary, c)
	}
	return out
}

// options are the choices of vocabulary in a form: the terms offered, and
// any of keep (the values a record holds) even if retired, narrower terms
// indented under broader ones.
func (v vocabNames) options(vocabulary string, keep ...string) []option {
	var out []option
	for _, t := range v.terms[vocabulary] {
		if t.Retired() && !slices.Contains(keep, t.Code) {
			continue
		}
		out = append(out, option{Value: t.Code, Label: strings.Repeat("— ", t.Depth()) + t.Label(v.lang)})
	}
	return out
}

// parseDay reads a day kept as YYYY-MM-DD.
func parseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(formDate, s, time.UTC)
	return t, err == nil
}

// dateText writes a date to its precision in loc's language: a day, "about"
// a day, a month or a year.
func dateText(loc *i18n.Locale, d violations.Date) string {
	if d.IsZero() {
		return ""
	}
	year := d.Value[:4]
	switch d.Precision {
	case violations.PrecisionYear:
		return loc.T("violation.date.year", "year", year)
	case violations.PrecisionMonth:
		m, _ := strconv.Atoi(d.Value[5:7])
		return loc.T("violation.date.month", "month", loc.T("date.month."+strconv.Itoa(m)), "year", year)
	}
	t, ok := parseDay(d.Value)
	if !ok {
		return d.Value
	}
	if d.Precision == violations.PrecisionEstimated {
		return loc.T("violation.date.estimated", "date", loc.Date(t))
	}
	return loc.Date(t)
}

// spanText writes a start and an optional end.
func spanText(loc *i18n.Locale, start, end violations.Date) string {
	if end.IsZero() || end == start {
		return dateText(loc, start)
	}
	return loc.T("violation.date.span", "start", dateText(loc, start), "end", dateText(loc, end))
}

// dayText writes a day kept as YYYY-MM-DD, "" for none.
func dayText(loc *i18n.Locale, day string) string {
	if t, ok := parseDay(day); ok {
		return loc.Date(t)
	}
	return day
}

// placeText writes a country and admin-1 area.
func placeText(loc *i18n.Locale, country, admin1 string) string {
	switch {
	case country == "":
		return ""
	case admin1 == "":
		return countryName(country, loc.Code())
	}
	return loc.T("violation.place", "country", countryName(country, loc.Code()), "area", admin1)
}
