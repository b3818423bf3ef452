// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
)

// custody records that the case's person has been held in a police station
// in Mexico since 26 February 2026, four days before the stack's clock.
func (f *protection) custody() detention.Episode {
	f.t.Helper()
	ep, err := f.det.CreateEpisode(context.Background(), f.owner, caseScope(f.caseOf()), f.caseID, f.person,
		detention.EpisodeInput{FacilityType: detention.FacilityPoliceStation, FacilityCountry: "MEX",
			Start: time.Date(2026, 2, 26, 8, 0, 0, 0, time.UTC)})
	if err != nil {
		f.t.Fatal(err)
	}
	return ep
}

func (f *protection) notifications() []detention.AssessedNotification {
	f.t.Helper()
	ns, err := f.det.ListNotifications(context.Background(), f.owner, caseScope(f.caseOf()), f.caseID)
	if err != nil {
		f.t.Fatal(err)
	}
	return ns
}

func TestCaseConsularTab(t *testing.T) {
	t.Parallel()
	f := newProtection(t)
	tab := f.relPath + "consular"
	f.worker.page("before any detention", tab, `data-testid="consular-none"`)
	if strings.Contains(f.worker.get(tab).body, `data-testid="notification-form"`) {
		t.Error("the form is offered before any detention is recorded")
	}
	ep := f.custody()
	f.worker.page("no record yet", tab, `data-testid="notification-form"`, "No consular notification is recorded")

	valid := url.Values{"episode_id": {ep.ID}, "nationality": {"HND"}, "consulate": {"Consulado general, Tapachula"},
		"arrested_at": {"2026-02-26T08:00"}, "told_at": {""}, "requested": {""}, "notified_at": {""},
		"first_contact_at": {""}}

	// Refusals change nothing and say why beside each field.
	bad := url.Values{}
	for k, v := range valid {
		bad[k] = v
	}
	bad.Set("arrested_at", "yesterday")
	bad.Set("told_at", "2026-02-25T08:00")
	bad.Set("nationality", "")
	bad.Set("requested", "perhaps")
	fieldErrorsIn(t, "invalid record", f.worker.post(tab, bad), "arrested_at", "nationality", "requested")
	same := url.Values{}
	for k, v := range valid {
		same[k] = v
	}
	same.Set("nationality", "MEX")
	same.Set("told_at", "2026-02-25T08:00")
	fieldErrorsIn(t, "the detaining state, told before the arrest", f.worker.post(tab, same), "nationality", "told_at")
	same.Set("nationality", "HND")
	same.Set("told_at", "")
	same.Set("episode_id", "")
	fieldErrorsIn(t, "no detention chosen", f.worker.post(tab, same), "episode_id")
	same.Set("episode_id", ids.New())
	fieldErrorsIn(t, "another detention", f.worker.post(tab, same), "episode_id")
	if n := len(f.notifications()); n != 0 {
		t.Fatalf("refused forms recorded %d notifications", n)
	}

	// Recorded: four days after the arrest nobody has told the person of
	// the right, which is overdue and raises the alert.
	expect(t, "record", f.worker.post(tab, valid), http.StatusSeeOther, tab)
	ns := f.notifications()
	if len(ns) != 1 || ns[0].Nationality != "HND" || ns[0].Consulate != "Consulado general, Tapachula" ||
		!ns[0].ArrestedAt.Equal(ep.Start) {
		t.Fatalf("recorded %+v", ns)
	}
	f.worker.page("overdue", tab, `data-testid="alert-consular_right_not_told"`, "Overdue: not done",
		"Not known: the person&#39;s wish is not recorded", "Honduras")

	// Told late, asked for notification: the consulate is now overdue.
	edit := tab + "/" + ns[0].ID
	f.worker.page("edit form", edit+"/edit", `value="2026-02-26T08:00"`, `value="Consulado general, Tapachula"`)
	change := url.Values{}
	for k, v := range valid {
		change[k] = v
	}
	change.Del("episode_id")
	change.Set("told_at", "2026-03-02T10:00")
	fieldErrorsIn(t, "told in the future", f.worker.post(edit, change), "told_at")
	change.Set("told_at", "2026-03-01T10:00")
	change.Set("requested", "yes")
	expect(t, "change", f.worker.post(edit, change), http.StatusSeeOther, tab+"#notification-"+ns[0].ID)
	got := f.notifications()[0]
	if got.ToldAt == nil || got.Compliance.Told != detention.StatusLate || got.Compliance.Notified != detention.StatusOverdue {
		t.Fatalf("after the change: %+v", got)
	}
	res := f.worker.page("late", tab, `data-testid="alert-consulate_not_notified"`, "Late")
	if strings.Contains(res.body, "alert-consular_right_not_told") {
		t.Error("the alert for telling the person stays after they were told")
	}
	if strings.Contains(res.body, "alert-child_in_immigration_detention") {
		t.Error("the consular tab shows a detention alert")
	}

	// Access: another organisation's caseworker and a caseworker who does
	// not own the case find nothing; a role without the permission is
	// refused; nothing changes.
	f.refused(t, probe{"tab", tab, nil}, probe{"edit form", edit + "/edit", nil}, probe{"record", tab, valid},
		probe{"change", edit, valid})
	if ns := f.notifications(); len(ns) != 1 || ns[0].ToldAt == nil || !ns[0].ToldAt.Equal(*got.ToldAt) {
		t.Fatalf("refused requests changed the notifications: %+v", ns)
	}
	expect(t, "unknown record", f.worker.get(tab+"/"+ids.New()+"/edit"), http.StatusNotFound, "")
}
