// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/retention"
)

// inboxAlertJSON is an alert in the inbox: ids, codes and dates only.
type inboxAlertJSON struct {
	Kind           string  `json:"kind"`
	Priority       string  `json:"priority"`
	CaseID         string  `json:"case_id"`
	CaseNumber     string  `json:"case_number"`
	EpisodeID      *string `json:"episode_id"`
	NotificationID *string `json:"notification_id"`
	Since          string  `json:"since"`
	Due            string  `json:"due"`
	// Tab is the case page's tab where the alert is dealt with.
	Tab string `json:"tab"`
}

type inboxTaskJSON struct {
	ID         string `json:"id"`
	CaseID     string `json:"case_id"`
	CaseNumber string `json:"case_number"`
	Title      string `json:"title"`
	DueAt      string `json:"due_at"`
	Overdue    bool   `json:"overdue"`
}

type inboxCountsJSON struct {
	Alerts       map[string]int `json:"alerts"`
	TasksOverdue int            `json:"tasks_overdue"`
	TasksDueSoon int            `json:"tasks_due_soon"`
}

type inboxJSON struct {
	Alerts []inboxAlertJSON `json:"alerts"`
	Tasks  []inboxTaskJSON  `json:"tasks"`
	Counts inboxCountsJSON  `json:"counts"`
}

// getInbox answers the caller's inbox: the open alerts of the cases they
// may see, most urgent first, and their own tasks overdue or due within
// inbox.DueSoon, soonest first. Reading the task titles is audited.
func (a *API) getInbox(w http.ResponseWriter, r *http.Request) {
	in, err := a.inbox.Get(r.Context(), authn.PrincipalFrom(r.Context()), a.clock.Now())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := inboxJSON{Alerts: []inboxAlertJSON{}, Tasks: []inboxTaskJSON{},
		Counts: inboxCountsJSON{Alerts: map[string]int{}, TasksOverdue: in.Counts.Tasks.Overdue, TasksDueSoon: in.Counts.Tasks.DueSoon}}
	for _, al := range in.Alerts {
		out.Alerts = append(out.Alerts, inboxAlertJSON{Kind: string(al.Kind), Priority: al.Priority.String(), CaseID: al.CaseID,
			CaseNumber: al.CaseNumber, EpisodeID: orNull(al.EpisodeID), NotificationID: orNull(al.NotificationID),
			Since: ts(al.Since), Due: ts(al.Due), Tab: al.Tab})
	}
	for k, n := range in.Counts.Alerts {
		out.Counts.Alerts[string(k)] = n
	}
	for _, t := range in.Tasks {
		out.Tasks = append(out.Tasks, inboxTaskJSON{ID: t.ID, CaseID: t.CaseID, CaseNumber: t.CaseNumber, Title: t.Title,
			DueAt: ts(t.DueAt), Overdue: t.DueAt.Before(in.Now)})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

type digestJSON struct {
	Enabled     bool    `json:"enabled"`
	Stale       bool    `json:"stale"`
	Lang        string  `json:"lang"`
	ConfirmedAt *string `json:"confirmed_at"`
}

func toDigest(s inbox.Settings) digestJSON {
	return digestJSON{Enabled: s.On, Stale: s.Stale, Lang: s.Lang, ConfirmedAt: timePtr(s.ConfirmedAt)}
}

type digestBody struct {
	Enabled *bool   `json:"enabled"`
	Lang    *string `json:"lang"`
}

func (a *API) getDigest(w http.ResponseWriter, r *http.Request) {
	s, err := a.inbox.Settings(r.Context(), authn.PrincipalFrom(r.Context()))
	writeOne(a, w, r, http.StatusOK, s, err, toDigest)
}

// putDigest turns the caller's e-mail digests on (for the address they
// sign in with) or off, in a language of the interface. Both fields are
// required.
func (a *API) putDigest(w http.ResponseWriter, r *http.Request) {
	var body digestBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	var missing []httpx.FieldError
	if body.Enabled == nil {
		missing = append(missing, httpx.FieldError{Field: "enabled", Code: "required"})
	}
	if body.Lang == nil {
		missing = append(missing, httpx.FieldError{Field: "lang", Code: "required"})
	}
	if len(missing) > 0 {
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.", missing...)
		return
	}
	s, err := a.inbox.SetDigests(r.Context(), authn.PrincipalFrom(r.Context()), *body.Enabled, *body.Lang)
	writeOne(a, w, r, http.StatusOK, s, err, toDigest)
}

type retentionJSON struct {
	OrgID string `json:"org_id"`
	// ClosedCaseDays is null while closed cases are kept.
	ClosedCaseDays *int    `json:"closed_case_days"`
	UpdatedAt      *string `json:"updated_at"`
}

func toRetention(p retention.Policy) retentionJSON {
	out := retentionJSON{OrgID: p.OrgID}
	if !p.Keeps() {
		days, at := p.Days, ts(p.UpdatedAt)
		out.ClosedCaseDays, out.UpdatedAt = &days, &at
	}
	return out
}

type retentionBody struct {
	ClosedCaseDays *int `json:"closed_case_days"`
}

func (a *API) getRetention(w http.ResponseWriter, r *http.Request) {
	p, err := a.ret.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeOne(a, w, r, http.StatusOK, p, err, toRetention)
}

// putRetention sets the organisation's retention period for closed cases;
// null (or leaving the field out) keeps closed cases.
func (a *API) putRetention(w http.ResponseWriter, r *http.Request) {
	var body retentionBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	days := 0
	if body.ClosedCaseDays != nil {
		days = *body.ClosedCaseDays
		if days == 0 {
			// Zero is no period; saying so is null, not a number that
			// reads as "shred at once".
			httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.",
				httpx.FieldError{Field: "closed_case_days", Code: retention.CodeTooSmall})
			return
		}
	}
	p, err := a.ret.Set(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), days)
	writeOne(a, w, r, http.StatusOK, p, err, toRetention)
}
