// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/inbox"
)

// inboxSamples are views of the inbox page in its states: full (alerts of
// every priority and tab, overdue and due tasks, more not listed, digests
// on), empty with digests stale, and a refused digest form.
func inboxSamples(now time.Time) map[page][]view {
	alert := func(k detention.AlertKind, tab string) inbox.Alert {
		return inbox.Alert{Alert: detention.Alert{Kind: k, Priority: detention.PriorityOf(k), CaseID: "c1",
			EpisodeID: "e1", Since: now.Add(-72 * time.Hour), Due: now.Add(24 * time.Hour)}, CaseNumber: "2026-00012", Tab: tab}
	}
	child := alert(detention.AlertChildInImmigrationDetention, inbox.TabDetention)
	child.Due = child.Since
	task := func(title string, due time.Time) inboxTask {
		return inboxTask{DueTask: cases.DueTask{Task: cases.Task{ID: "t1", CaseID: "c1", Title: title, DueAt: due},
			CaseNumber: "2026-00012"}, Overdue: due.Before(now)}
	}
	confirmed := now.Add(-time.Hour)
	return map[page][]view{
		pageInbox: {
			{Data: &inboxData{
				Alerts: []inbox.Alert{child, alert(detention.AlertPastLegalMaximum, inbox.TabDetention),
					alert(detention.AlertConsulateNotNotified, inbox.TabConsular),
					alert(detention.AlertApproachingLegalMaximum, inbox.TabDetention)},
				Tasks: []inboxTask{task("Call the lawyer", now.Add(-time.Hour)), task("طلب مراجعة قضائية", now.Add(48*time.Hour))},
				More:  3, Counts: inbox.Counts{Tasks: cases.TaskCounts{Overdue: 1, DueSoon: 4}},
				Digest: inbox.Settings{On: true, Lang: "fr", ConfirmedAt: &confirmed}, Languages: languageOptions(),
				Done: inboxDoneDigest,
			}, Values: map[string]string{"digest": "on", "lang": "fr"}},
			{Data: &inboxData{Digest: inbox.Settings{Stale: true, Lang: "en", ConfirmedAt: &confirmed}, Languages: languageOptions()}},
			{Data: &inboxData{Languages: languageOptions()}, Values: map[string]string{"digest": "maybe", "lang": "xx"},
				Fields: map[string]string{"digest": "required", "lang": "invalid"}, Error: errBadRequest},
		},
	}
}

// TestInboxPageInEveryLanguage renders the inbox in each of its states in
// each language, as checkPage checks pages, with the header's inbox link
// and its count.
func TestInboxPageInEveryLanguage(t *testing.T) {
	t.Parallel()
	samples := inboxSamples(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	renderEveryPage(t, samples, inboxPages, httptest.NewRequest("GET", "/inbox", nil), "/inbox", nil)
	w := New(Config{Logger: slog.New(slog.DiscardHandler)})
	render := func(v view) string {
		t.Helper()
		v.Nav = nav{Path: "/inbox", Account: true, Inbox: true, InboxCount: 12}
		var b strings.Builder
		if err := w.pages.get(pageInbox, "en").ExecuteTemplate(&b, layoutFile, v); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	body := render(samples[pageInbox][0])
	for _, want := range []string{`href="/cases/c1/detention"`, `href="/cases/c1/consular"`, `href="/cases/c1/tasks"`,
		`data-testid="inbox-alert-child_in_immigration_detention"`, "Child in immigration detention", "Call the lawyer",
		`data-testid="nav-inbox-count">12<`, "12 items waiting"} {
		if !strings.Contains(body, want) {
			t.Errorf("the inbox lacks %q", want)
		}
	}
	if i, j := strings.Index(body, "child_in_immigration_detention"), strings.Index(body, "past_legal_maximum"); i > j {
		t.Error("the child in immigration detention is not listed first")
	}
	if empty := render(samples[pageInbox][1]); !strings.Contains(empty, `data-testid="inbox-empty"`) {
		t.Error("an empty inbox does not say so")
	}
}
