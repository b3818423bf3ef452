// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/inbox"
)

// pageInbox is the user's inbox: alerts and due tasks.
const pageInbox page = "inbox"

var inboxPages = []page{pageInbox}

// inboxRoutes lists the inbox page, its digest form, and the retention form
// of the administration's organisation page (admin_retention.go).
func (w *Web) inboxRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /inbox", inbox.PermRead, w.inboxPage),
		perm("POST /inbox/digest", inbox.PermRead, w.inboxDigest),
		w.adminRoute("POST /admin/organisations/{id}/retention", adminNeedOrgs, w.adminRetentionUpdate),
	}
}

// inboxData is the inbox page.
type inboxData struct {
	Alerts []inbox.Alert
	Tasks  []inboxTask
	// More is how many due tasks there are beyond those listed.
	More   int
	Counts inbox.Counts
	Digest inbox.Settings
	// Languages are the choices of the digests' language.
	Languages []option
	Done      string
}

// inboxTask is a due task with whether it is overdue.
type inboxTask struct {
	cases.DueTask
	Overdue bool
}

// AlertCount returns the number of alerts.
func (d *inboxData) AlertCount() int { return len(d.Alerts) }

// TaskCount returns the number of due and overdue tasks.
func (d *inboxData) TaskCount() int { return d.Counts.Tasks.Overdue + d.Counts.Tasks.DueSoon }

// inboxDoneDigest is the notice after the digest form was saved.
const inboxDoneDigest = "digest_saved"

func (w *Web) inboxPage(rw http.ResponseWriter, r *http.Request) {
	w.renderInbox(rw, r, http.StatusOK, view{})
}

// renderInbox renders the inbox of the request's principal with v's form
// state. Listing the tasks opens their titles, which the cases domain
// audits.
func (w *Web) renderInbox(rw http.ResponseWriter, r *http.Request, status int, v view) {
	p := authn.PrincipalFrom(r.Context())
	in, err := w.inbox.Get(r.Context(), p, w.clock.Now())
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	settings, err := w.inbox.Settings(r.Context(), p)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	d := &inboxData{Alerts: in.Alerts, Counts: in.Counts, Digest: settings, Languages: languageOptions()}
	for _, t := range in.Tasks {
		d.Tasks = append(d.Tasks, inboxTask{DueTask: t, Overdue: t.DueAt.Before(in.Now)})
	}
	d.More = max(0, d.TaskCount()-len(d.Tasks))
	if r.URL.Query().Get("done") == inboxDoneDigest {
		d.Done = inboxDoneDigest
	}
	if v.Values == nil {
		v.Values = map[string]string{"lang": settings.Lang, "digest": onOff(settings.On)}
	}
	v.Data = d
	w.render(rw, r, status, pageInbox, v)
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// languageOptions lists the interface's languages, each named in itself.
func languageOptions() []option {
	out := make([]option, len(i18n.Languages))
	for i, l := range i18n.Languages {
		out[i] = option{Value: l.Code, Label: l.Name}
	}
	return out
}

// inboxDigest turns the user's e-mail digests on or off and sets their
// language.
func (w *Web) inboxDigest(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderInbox(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	digest, lang := r.PostForm.Get("digest"), r.PostForm.Get("lang")
	values := map[string]string{"digest": digest, "lang": lang}
	if !slices.Contains([]string{"on", "off"}, digest) {
		w.renderInbox(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: map[string]string{"digest": "required"}})
		return
	}
	_, err := w.inbox.SetDigests(r.Context(), authn.PrincipalFrom(r.Context()), digest == "on", lang)
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve):
		w.renderInbox(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: fieldErrors(ve)})
	case err != nil:
		w.caseFail(rw, r, err)
	default:
		http.Redirect(rw, r, "/inbox?done="+inboxDoneDigest, http.StatusSeeOther)
	}
}

// inboxBadge says whether the header links to the inbox, for someone who
// has finished signing in and may read cases, and how many items wait
// there. Counting opens nothing sealed. A failure leaves the count out
// (logged): the page asked for must still show.
func (w *Web) inboxBadge(r *http.Request, n nav) (bool, int) {
	p := authn.PrincipalFrom(r.Context())
	if !n.Account || w.inbox == nil || !p.Can(inbox.PermRead) {
		return false, 0
	}
	c, err := w.inbox.Counts(r.Context(), p, w.clock.Now())
	if err != nil {
		w.logger.ErrorContext(r.Context(), "inbox count failed", "request_id", httpx.RequestIDFrom(r.Context()), "err", err)
		return true, 0
	}
	return true, c.Total()
}
