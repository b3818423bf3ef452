// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/authn"
)

// caseHistoryData is the history tab: a page of the audit entries about
// the case, newest first. They say who did what when, and which fields,
// never the values.
type caseHistoryData struct {
	caseTab
	Entries []audit.Entry
	// Older is the address of the next page, Newest that of the first;
	// "" where there is none.
	Older, Newest string
}

// caseHistoryPageSize is the number of entries on a page of the history.
const caseHistoryPageSize = 50

// caseHistoryTab shows a page of the case's history: ?before= is the
// sequence number the page continues below.
func (w *Web) caseHistoryTab(rw http.ResponseWriter, r *http.Request) {
	var before int64
	if s := r.URL.Query().Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			w.errorPage(rw, r, http.StatusBadRequest)
			return
		}
		before = n
	}
	c, tab, _, ok := w.loadTab(rw, r, "history")
	if !ok {
		return
	}
	entries, next, err := w.cas.HistoryPage(r.Context(), authn.PrincipalFrom(r.Context()), c.ID, before, caseHistoryPageSize)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	d := &caseHistoryData{caseTab: tab, Entries: entries}
	if next != 0 {
		d.Older = casePath(c.ID, "history") + "?before=" + strconv.FormatInt(next, 10)
	}
	if before != 0 {
		d.Newest = casePath(c.ID, "history")
	}
	w.render(rw, r, http.StatusOK, pageCaseHistory, view{Data: d})
}
