// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
)

// caseTabs are the tabs of a case page, in the order they are shown. Each
// is the page at /cases/{id}/{tab}; /cases/{id} shows the first.
var caseTabs = []string{"person", "concerns", "detention", "consular", "exploitation", "referrals", "services", "tasks",
	"notes", "attachments", "violations", "history"}

// caseHeader is what the "case-header" template shows above every tab: the
// case's number, status and risk, and the tab list with the current tab
// marked.
type caseHeader struct {
	ID, Number, Status, Risk string
	// Tab is the tab shown; Tabs are all of them (caseTabs).
	Tab  string
	Tabs []string
	// Alerts counts the case's open alerts, shown as a badge.
	Alerts int
	// alerts are the alerts Alerts counts, most urgent first, for the tabs
	// that list them (caseAlerts).
	alerts []detention.Alert
}

// caseFor loads the case named by the request's {id} for the tab, as the
// principal may see it, and the header the tab page shows, with the case's
// open detention and consular alerts (caseAlerts). A case out of reach
// answers 404 (never 403, so that another organisation cannot learn that
// an id exists); it reports false when it has answered.
func (w *Web) caseFor(rw http.ResponseWriter, r *http.Request, tab string) (cases.Case, caseHeader, bool) {
	c, err := w.cas.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.caseFail(rw, r, err)
		return cases.Case{}, caseHeader{}, false
	}
	h := caseHeader{ID: c.ID, Number: c.Number, Status: string(c.Status), Risk: string(c.Risk), Tab: tab, Tabs: caseTabs}
	if h.alerts, err = w.caseAlerts(r, c); err != nil {
		w.caseFail(rw, r, err)
		return cases.Case{}, caseHeader{}, false
	}
	h.Alerts = len(h.alerts)
	return c, h, true
}

// caseRecord is the access record of the case named by the request's {id},
// which the detention and referral services check writes and reads against.
func (w *Web) caseRecord(r *http.Request, perm access.Permission) (access.Record, error) {
	return w.cas.Reach(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), perm)
}

// caseFail answers for an error of the protection domains: 404 for a record
// out of reach or unknown, 403 for an action the role may not take, and
// otherwise what fail answers.
func (w *Web) caseFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, cases.ErrNotFound), errors.Is(err, persons.ErrNotFound),
		errors.Is(err, detention.ErrNotFound), errors.Is(err, referrals.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, cases.ErrForbidden), errors.Is(err, persons.ErrForbidden),
		errors.Is(err, detention.ErrForbidden), errors.Is(err, referrals.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}
