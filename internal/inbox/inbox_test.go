// SPDX-License-Identifier: AGPL-3.0-or-later

package inbox_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/testutil"
)

var ctx = context.Background()

// world is two organisations: in A a team with two caseworkers and their
// supervisor, and an organisation administrator; in B a caseworker. The
// first caseworker's case holds a child in immigration detention and two
// tasks (one overdue); the second's an adult held for three days without
// judicial review.
type world struct {
	a                  *testutil.App
	cw1, cw2, sup, adm testutil.User
	cwB                testutil.User
	childCase          cases.Case
	adultCase          cases.Case
	child              detention.Episode
}

func newWorld(t *testing.T, a *testutil.App) *world {
	t.Helper()
	w := &world{a: a}
	orgA, orgB := a.Org("Org A"), a.Org("Org B")
	team, err := a.Accounts.CreateTeam(ctx, access.System, orgA.ID, "North")
	if err != nil {
		t.Fatal(err)
	}
	w.cw1 = a.NewUser(orgA.ID, access.RoleCaseworker, team.ID)
	w.cw2 = a.NewUser(orgA.ID, access.RoleCaseworker, team.ID)
	w.sup = a.NewUser(orgA.ID, access.RoleSupervisor, team.ID)
	w.adm = a.NewUser(orgA.ID, access.RoleOrgAdmin, "")
	w.cwB = a.NewUser(orgB.ID, access.RoleCaseworker, "")
	now := a.Clock.Now()

	childPerson, c1 := a.ProtectionCase(w.cw1, now.Year()-10)
	w.childCase = c1
	w.child = a.DetainImmigration(w.cw1, c1, childPerson.ID, now.Add(-2*time.Hour))
	for _, due := range []time.Time{now.Add(-time.Hour), now.Add(48 * time.Hour), now.Add(30 * 24 * time.Hour)} {
		if _, err := a.Cases.AddTask(ctx, w.cw1.Principal, c1.ID, cases.NewTask{Title: testutil.Sentinel("task"), DueAt: due}); err != nil {
			t.Fatal(err)
		}
	}
	adult, c2 := a.ProtectionCase(w.cw2, 1980)
	w.adultCase = c2
	a.DetainImmigration(w.cw2, c2, adult.ID, now.Add(-72*time.Hour))
	return w
}

func kinds(as []inbox.Alert) []string {
	var out []string
	for _, al := range as {
		out = append(out, string(al.Kind)+"@"+al.CaseNumber)
	}
	return out
}

// Each user's inbox holds the alerts of the cases they may see, the child
// in immigration detention first, and their own due tasks; another
// organisation's and other caseworkers' alerts never appear.
func TestInboxScope(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		now := a.Clock.Now()
		child := string(detention.AlertChildInImmigrationDetention) + "@" + w.childCase.Number
		review := string(detention.AlertNoJudicialReview) + "@" + w.adultCase.Number
		for _, tc := range []struct {
			name          string
			who           testutil.User
			alerts        []string
			overdue, soon int
			tasksListed   int
		}{
			{"caseworker with the child's case", w.cw1, []string{child}, 1, 1, 2},
			{"caseworker of the same team", w.cw2, []string{review}, 0, 0, 0},
			{"their supervisor", w.sup, []string{child, review}, 0, 0, 0},
			{"organisation administrator (no case access)", w.adm, nil, 0, 0, 0},
			{"caseworker of another organisation", w.cwB, nil, 0, 0, 0},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in, err := a.Inbox.Get(ctx, tc.who.Principal, now)
				if err != nil {
					t.Fatal(err)
				}
				if got := kinds(in.Alerts); !slices.Equal(got, tc.alerts) {
					t.Errorf("alerts %v, want %v", got, tc.alerts)
				}
				for _, al := range in.Alerts {
					if al.Tab != inbox.TabDetention {
						t.Errorf("%s alert on tab %q", al.Kind, al.Tab)
					}
				}
				if len(in.Tasks) != tc.tasksListed {
					t.Errorf("%d tasks listed, want %d", len(in.Tasks), tc.tasksListed)
				}
				for i, task := range in.Tasks {
					if task.CaseID != w.childCase.ID || task.CaseNumber != w.childCase.Number || task.Title == "" {
						t.Errorf("task %d: %+v", i, task)
					}
					if i > 0 && task.DueAt.Before(in.Tasks[i-1].DueAt) {
						t.Error("tasks are not soonest first")
					}
				}
				if in.Counts.Tasks.Overdue != tc.overdue || in.Counts.Tasks.DueSoon != tc.soon {
					t.Errorf("task counts %+v, want %d overdue, %d due soon", in.Counts.Tasks, tc.overdue, tc.soon)
				}
				counts, err := a.Inbox.Counts(ctx, tc.who.Principal, now)
				if err != nil {
					t.Fatal(err)
				}
				if counts.Total() != len(tc.alerts)+tc.overdue+tc.soon || counts.Total() != in.Counts.Total() {
					t.Errorf("Counts total %d, Get's %d, want %d", counts.Total(), in.Counts.Total(), len(tc.alerts)+tc.overdue+tc.soon)
				}
			})
		}
	})
}

// Listing the inbox opens task titles and is audited; counting it opens
// nothing and writes nothing.
func TestInboxReadsAreAudited(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		now := a.Clock.Now()
		head := func() int64 {
			seq, _, err := a.Audit.Head(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return seq
		}
		before := head()
		if _, err := a.Inbox.Counts(ctx, w.cw1.Principal, now); err != nil {
			t.Fatal(err)
		}
		if head() != before {
			t.Fatal("counting the inbox wrote an audit entry")
		}
		if _, err := a.Inbox.Get(ctx, w.cw1.Principal, now); err != nil {
			t.Fatal(err)
		}
		entries, _, err := a.Audit.List(ctx, audit.Filter{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 || entries[0].Action != "case.read" || entries[0].ObjectID != w.childCase.ID ||
			!slices.Equal(entries[0].Fields, []string{"task.title"}) || entries[0].ActorID != w.cw1.ID {
			t.Fatalf("last audit entry %+v, want the read of the task titles", entries)
		}
	})
}

// An alert closes when its episode ends, and a closed case's tasks leave
// the inbox.
func TestInboxFollowsTheRecords(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		now := a.Clock.Now()
		rec, err := a.Cases.Reach(ctx, w.cw1.Principal, w.childCase.ID, detention.PermWrite)
		if err != nil {
			t.Fatal(err)
		}
		end := now.Add(-time.Minute)
		in := detention.EpisodeInput{FacilityType: w.child.FacilityType, FacilityCountry: w.child.FacilityCountry,
			Start: w.child.Start, End: &end, ImmigrationRelated: true}
		if _, err := a.Detention.UpdateEpisode(ctx, w.cw1.Principal, rec, w.childCase.ID, w.child.ID, in); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Cases.RequestClosure(ctx, w.cw1.Principal, w.childCase.ID, "objectives_met"); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Cases.ApproveClosure(ctx, w.sup.Principal, w.childCase.ID); err != nil {
			t.Fatal(err)
		}
		got, err := a.Inbox.Get(ctx, w.cw1.Principal, now)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Empty() || got.Counts.Total() != 0 {
			t.Fatalf("inbox after release and closure: %v alerts, %d tasks, counts %+v", kinds(got.Alerts), len(got.Tasks), got.Counts)
		}
	})
}
