// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/violations"
)

// violationCaseData is a case's violations tab: the events the reader may
// read that concern the case or its persons.
type violationCaseData struct {
	Header caseHeader
	Rows   []violationRow
	// NewEvent is the address of the form recording an event for the case,
	// "" when the reader may not record events.
	NewEvent string
}

// caseViolationsTab shows the tab.
func (w *Web) caseViolationsTab(rw http.ResponseWriter, r *http.Request) {
	c, h, ok := w.caseFor(rw, r, "violations")
	if !ok {
		return
	}
	ctx, p, loc := r.Context(), authn.PrincipalFrom(r.Context()), w.locale(r)
	events, err := w.vio.ForCase(ctx, p, c.ID)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	names, err := w.vocabularies(ctx, loc)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	d := &violationCaseData{Header: h}
	if p.Can(violations.PermWrite) {
		d.NewEvent = "/violations/new?case=" + url.QueryEscape(c.ID)
	}
	for _, e := range events {
		d.Rows = append(d.Rows, violationRow{ID: e.ID, Title: e.Title, When: spanText(loc, e.Start, e.End),
			Place: placeText(loc, e.Country, e.Admin1), ActTypes: names.labels(violations.VocabActType, e.ActTypes)})
	}
	w.render(rw, r, http.StatusOK, pageViolationCase, view{Data: d})
}
