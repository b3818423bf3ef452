// SPDX-License-Identifier: AGPL-3.0-or-later

package inbox_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/notify"
	"github.com/amparo-project/amparo/internal/testutil"
)

// outbox is a Mailer that keeps what it is asked to send.
type outbox struct {
	mu   sync.Mutex
	sent []mail
	fail map[string]bool // addresses it refuses
}

type mail struct {
	to string
	d  notify.Digest
}

func (o *outbox) SendDigest(_ context.Context, to string, d notify.Digest) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail[to] {
		return errors.New("refused")
	}
	o.sent = append(o.sent, mail{to, d})
	return nil
}

// take returns the addresses sent to since the last take, sorted.
func (o *outbox) take() []mail {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.sent
	o.sent = nil
	slices.SortFunc(out, func(a, b mail) int {
		if a.to < b.to {
			return -1
		}
		return 1
	})
	return out
}

func to(ms []mail) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.to)
	}
	return out
}

func sorted(s ...string) []string { slices.Sort(s); return s }

func turnOn(t *testing.T, a *testutil.App, u testutil.User, lang string) {
	t.Helper()
	s, err := a.Inbox.SetDigests(ctx, u.Principal, true, lang)
	if err != nil || !s.On || s.Lang != lang {
		t.Fatalf("SetDigests: %+v, %v", s, err)
	}
}

func TestDigestSettings(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		s, err := a.Inbox.Settings(ctx, w.cw1.Principal)
		if err != nil || s.On || s.Lang != "en" || s.ConfirmedAt != nil {
			t.Fatalf("default settings %+v, %v", s, err)
		}
		var ve *fielderr.Error
		if _, err := a.Inbox.SetDigests(ctx, w.cw1.Principal, true, "xx"); !errors.As(err, &ve) || ve.Errors[0].Field != "lang" {
			t.Fatalf("unknown language: %v", err)
		}
		if _, err := a.Inbox.SetDigests(ctx, access.Anonymous, true, "en"); !errors.Is(err, inbox.ErrForbidden) {
			t.Fatalf("anonymous: %v", err)
		}
		head, _, _ := a.Audit.Head(ctx)
		turnOn(t, a, w.cw1, "ru")
		if next, _, _ := a.Audit.Head(ctx); next != head+1 {
			t.Fatalf("turning digests on wrote %d audit entries, want 1", next-head)
		}
		turnOn(t, a, w.cw1, "ru") // no change, nothing written
		if next, _, _ := a.Audit.Head(ctx); next != head+1 {
			t.Fatal("saving the same settings wrote an audit entry")
		}
		// A new address voids the confirmation until the user confirms it.
		email := "new-" + w.cw1.Email
		if _, err := a.Accounts.UpdateUser(ctx, access.System, w.cw1.ID, accounts.UserUpdate{Email: &email}); err != nil {
			t.Fatal(err)
		}
		if s, _ := a.Inbox.Settings(ctx, w.cw1.Principal); s.On || !s.Stale {
			t.Fatalf("after a change of address: %+v", s)
		}
		turnOn(t, a, w.cw1, "ru")
		if s, _ := a.Inbox.Settings(ctx, w.cw1.Principal); !s.On || s.Stale {
			t.Fatalf("after confirming again: %+v", s)
		}
	})
}

// A child recorded in immigration detention mails, at once and once, the
// users who asked for digests and may see the case; a new detention of
// the same child alerts again.
func TestNoticeAlertsMailsAChildAtOnce(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		now := a.Clock.Now()
		for _, u := range []testutil.User{w.cw1, w.cw2, w.sup, w.cwB} {
			turnOn(t, a, u, "fr")
		}
		box := &outbox{}
		n, err := a.Inbox.NoticeAlerts(ctx, box, now)
		if err != nil {
			t.Fatal(err)
		}
		got := box.take()
		if want := sorted(w.cw1.Email, w.sup.Email); n != 2 || !slices.Equal(to(got), want) {
			t.Fatalf("sent %d to %v, want the caseworker and the supervisor", n, to(got))
		}
		for _, m := range got {
			if m.d.Lang != "fr" || m.d.Alerts[notify.KindChildInImmigrationDetention] != 1 {
				t.Errorf("digest to %s: %+v", m.to, m.d)
			}
		}
		sup := got[slices.IndexFunc(got, func(m mail) bool { return m.to == w.sup.Email })]
		if sup.d.Alerts[notify.KindNoJudicialReview] != 1 {
			t.Errorf("the supervisor's digest counts their whole inbox: %+v", sup.d)
		}

		// Again, later, and on a second "server": nothing new.
		if n, err := a.Inbox.NoticeAlerts(ctx, box, now.Add(time.Minute)); n != 0 || err != nil || len(box.take()) != 0 {
			t.Fatalf("second run sent %d (%v)", n, err)
		}
		// Without e-mail, alerts are still recorded and nothing is sent.
		if n, err := a.Inbox.NoticeAlerts(ctx, nil, now.Add(2*time.Minute)); n != 0 || err != nil {
			t.Fatalf("run without mail: %d, %v", n, err)
		}

		// Released, then detained again: a new episode, a new alert.
		rec, err := a.Cases.Reach(ctx, w.cw1.Principal, w.childCase.ID, detention.PermWrite)
		if err != nil {
			t.Fatal(err)
		}
		end := now
		if _, err := a.Detention.UpdateEpisode(ctx, w.cw1.Principal, rec, w.childCase.ID, w.child.ID, detention.EpisodeInput{
			FacilityType: w.child.FacilityType, FacilityCountry: w.child.FacilityCountry, Start: w.child.Start, End: &end,
			ImmigrationRelated: true}); err != nil {
			t.Fatal(err)
		}
		a.Clock.Advance(time.Hour)
		if _, err := a.Inbox.NoticeAlerts(ctx, box, a.Clock.Now()); err != nil || len(box.take()) != 0 {
			t.Fatalf("after release: %v", err)
		}
		a.DetainImmigration(w.cw1, w.childCase, w.child.PersonID, a.Clock.Now().Add(-time.Minute))
		if n, err := a.Inbox.NoticeAlerts(ctx, box, a.Clock.Now()); n != 2 || err != nil {
			t.Fatalf("a new detention sent %d (%v), want 2", n, err)
		}
	})
}

// Daily digests go once a day to each user who asked and has anything
// waiting; a refused message does not stop the others.
func TestSendDaily(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		now := a.Clock.Now()
		for _, u := range []testutil.User{w.cw1, w.cw2, w.sup, w.adm, w.cwB} {
			turnOn(t, a, u, "es")
		}
		box := &outbox{fail: map[string]bool{w.cw2.Email: true}}
		n, err := a.Inbox.SendDaily(ctx, box, now)
		if err == nil {
			t.Fatal("the refused message was not reported")
		}
		got := box.take()
		// The administrator and organisation B's caseworker have nothing
		// waiting; the second caseworker's message was refused.
		if want := sorted(w.cw1.Email, w.sup.Email); n != 2 || !slices.Equal(to(got), want) {
			t.Fatalf("sent %d to %v, want %v", n, to(got), want)
		}
		cw1 := got[slices.IndexFunc(got, func(m mail) bool { return m.to == w.cw1.Email })].d
		if cw1.TasksOverdue != 1 || cw1.TasksDue != 1 || cw1.Alerts[notify.KindChildInImmigrationDetention] != 1 || cw1.Lang != "es" {
			t.Errorf("caseworker's digest %+v", cw1)
		}
		if n, _ := a.Inbox.SendDaily(ctx, box, now.Add(2*time.Hour)); n != 0 {
			t.Fatalf("sent %d more the same day", n)
		}
		box.fail = nil
		if n, err := a.Inbox.SendDaily(ctx, box, now.Add(inbox.DailyGap)); n != 3 || err != nil {
			t.Fatalf("next day sent %d (%v), want 3", n, err)
		}
	})
}
