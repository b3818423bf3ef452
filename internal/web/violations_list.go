// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/violations"
)

// violationListData is the list of events.
type violationListData struct {
	Rows []violationRow
	// CanCreate is true when the reader may record events.
	CanCreate bool
	// Choices of the search form.
	ActTypes, Countries, Sorts []option
	// First and Next are the addresses of the first and the next page, ""
	// when there is none to go to.
	First, Next string
}

// violationRow is an event as lists show it.
type violationRow struct {
	ID, Title, When, Place string
	ActTypes               []string
}

// violationFilterFields are the search form's fields, as the query names
// them (and the domain names their errors).
var violationFilterFields = []string{"from", "to", "country", "act_type", "sort"}

// violationList shows the events the reader may read, searched by period,
// country and act type, sorted, a page at a time. A search that does not
// parse is shown with its errors beside the fields, and no events.
func (w *Web) violationList(rw http.ResponseWriter, r *http.Request) {
	ctx, p, loc := r.Context(), authn.PrincipalFrom(r.Context()), w.locale(r)
	q := r.URL.Query()
	v := view{Values: formValues(q, violationFilterFields...)}
	names, err := w.vocabularies(ctx, loc)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	d := &violationListData{CanCreate: p.Can(violations.PermWrite), ActTypes: names.options(violations.VocabActType, q.Get("act_type")),
		Countries: countryOptions(loc.Code())}
	for _, s := range violations.Sorts()[1:] {
		d.Sorts = append(d.Sorts, option{Value: string(s), Label: loc.T("violation.sort." + string(s))})
	}
	v.Data = d
	f := violations.Filter{From: q.Get("from"), To: q.Get("to"), Country: q.Get("country"), ActType: q.Get("act_type"),
		Sort: violations.Sort(q.Get("sort"))}
	events, next, err := w.vio.List(ctx, p, f, violations.Page{Cursor: q.Get("cursor")})
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		v.Fields, v.Error = formErrors(ve, placeIn(violationFilterFields))
		w.render(rw, r, http.StatusUnprocessableEntity, pageViolationList, v)
		return
	}
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	for _, e := range events {
		d.Rows = append(d.Rows, violationRow{ID: e.ID, Title: e.Title, When: spanText(loc, e.Start, e.End),
			Place: placeText(loc, e.Country, e.Admin1), ActTypes: names.labels(violations.VocabActType, e.ActTypes)})
	}
	base := url.Values{}
	for _, k := range violationFilterFields {
		if s := q.Get(k); s != "" {
			base.Set(k, s)
		}
	}
	if q.Get("cursor") != "" {
		d.First = listPath(base)
	}
	if next != "" {
		base.Set("cursor", next)
		d.Next = listPath(base)
	}
	w.render(rw, r, http.StatusOK, pageViolationList, v)
}

// listPath is the list's address with query q.
func listPath(q url.Values) string {
	if len(q) == 0 {
		return "/violations"
	}
	return "/violations?" + q.Encode()
}
