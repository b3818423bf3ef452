// SPDX-License-Identifier: AGPL-3.0-or-later

package retention_test

import (
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/retention"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestRunShredsExpiredClosedCases sets a 30-day period in organisation A
// and checks, a month and then seven weeks on, which cases and persons are
// destroyed:
//
//	expired  closed at t0, its person in no other case: shredded, erased
//	shared   closed at t0, its person also in an open case: shredded, kept
//	reopened closed at t0 and reopened: kept
//	recent   closed at t0+20d: kept at t0+31d, shredded (its person
//	         erased) at t0+51d
//	other    organisation B, no period: kept
func TestRunShredsExpiredClosedCases(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		orgA, orgB := a.Org("A"), a.Org("B")
		admin := a.NewUser(orgA.ID, access.RoleOrgAdmin, "")
		cw, sup := pair(t, a, orgA.ID)
		cwB, supB := pair(t, a, orgB.ID)
		if _, err := a.Retention.Set(ctx, admin.Principal, orgA.ID, 30); err != nil {
			t.Fatal(err)
		}
		t0 := a.Clock.Now()
		note := testutil.Sentinel("note")
		newCase := func(u testutil.User) (string, cases.Case) {
			per, c := a.ProtectionCase(u, 1990)
			if _, err := a.Cases.AddNote(ctx, u.Principal, c.ID, note); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Cases.AddTask(ctx, u.Principal, c.ID, cases.NewTask{Title: testutil.Sentinel("task"), DueAt: t0}); err != nil {
				t.Fatal(err)
			}
			return per.ID, c
		}
		expiredPerson, expired := newCase(cw)
		sharedPerson, shared := newCase(cw)
		_, open := newCase(cw)
		if _, err := a.Cases.LinkPerson(ctx, cw.Principal, open.ID, cases.PersonLinkInput{PersonID: sharedPerson,
			Role: cases.RoleFamilyMember, Relation: cases.RelationSibling}); err != nil {
			t.Fatal(err)
		}
		_, reopened := newCase(cw)
		_, recent := newCase(cw)
		otherPerson, other := newCase(cwB)
		for _, c := range []cases.Case{expired, shared, reopened} {
			closeCase(t, a, cw, sup, c)
		}
		closeCase(t, a, cwB, supB, other)
		if _, err := a.Cases.ChangeStatus(ctx, cw.Principal, reopened.ID, cases.StatusAssessment); err != nil {
			t.Fatal(err)
		}
		a.Clock.Advance(20 * retention.Day)
		closeCase(t, a, cw, sup, recent)

		a.Clock.Advance(11 * retention.Day)
		run := func(want retention.Result) {
			t.Helper()
			got, err := a.Retention.Run(ctx, a.Clock.Now())
			if err != nil || got != want {
				t.Fatalf("Run at t0+%v = %+v, %v; want %+v", a.Clock.Now().Sub(t0), got, err, want)
			}
		}
		head, _, _ := a.Audit.Head(ctx)
		run(retention.Result{Cases: 2, Persons: 1})
		run(retention.Result{}) // idempotent

		shredded := func(u testutil.User, c cases.Case) bool {
			t.Helper()
			notes, err := a.Cases.Notes(ctx, u.Principal, c.ID)
			if err != nil || len(notes) != 1 {
				t.Fatalf("notes of %s: %v, %v", c.Number, notes, err)
			}
			return notes[0].Body == cases.ErasedMarker
		}
		for _, tc := range []struct {
			name string
			u    testutil.User
			c    cases.Case
			want bool
		}{
			{"expired", cw, expired, true},
			{"shared", cw, shared, true},
			{"open", cw, open, false},
			{"reopened", cw, reopened, false},
			{"recent", cw, recent, false},
			{"other organisation", cwB, other, false},
		} {
			if got := shredded(tc.u, tc.c); got != tc.want {
				t.Errorf("%s case shredded: %v, want %v", tc.name, got, tc.want)
			}
		}
		tasks, err := a.Cases.Tasks(ctx, cw.Principal, expired.ID)
		if err != nil || len(tasks) != 1 || tasks[0].Title != cases.ErasedMarker {
			t.Errorf("shredded case's tasks: %+v, %v", tasks, err)
		}
		for _, tc := range []struct {
			name   string
			u      testutil.User
			id     string
			erased bool
		}{
			{"person of the expired case only", cw, expiredPerson, true},
			{"person also in an open case", cw, sharedPerson, false},
			{"person of the other organisation", cwB, otherPerson, false},
		} {
			p, err := a.Persons.Get(ctx, tc.u.Principal, tc.id)
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if p.Erased != tc.erased || (p.Identity.GivenName == "") != tc.erased {
				t.Errorf("%s: erased %v, given name kept %v; want erased %v", tc.name, p.Erased, p.Identity.GivenName != "", tc.erased)
			}
		}

		// Audited by the system, naming what was destroyed, no values.
		entries, _, err := a.Audit.List(ctx, audit.Filter{Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range entries {
			if e.Seq <= head || e.Action == "case.read" || e.Action == "person.read" {
				continue
			}
			actions[e.Action]++
			text := strings.Join(append([]string{e.ActorID, e.ObjectID}, e.Fields...), " ")
			if e.ActorID != access.System.UserID || e.OrgID != orgA.ID || strings.Contains(strings.ToUpper(text), "SNTL") {
				t.Errorf("entry %+v", e)
			}
		}
		if actions["case.shred"] != 2 || actions["person.erase"] != 1 || len(actions) != 2 {
			t.Errorf("audited %v, want 2 case.shred and 1 person.erase", actions)
		}

		a.Clock.Advance(20 * retention.Day)
		run(retention.Result{Cases: 1, Persons: 1}) // the recent case's person goes with it
		if !shredded(cw, recent) {
			t.Error("the recently closed case was not shredded once its period ended")
		}
	})
}

// A case reopened after the run looked for it, but before it shredded it,
// is left alone: the closing date is checked again under the case's lock.
func TestShredChecksAgain(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("A")
		cw, sup := pair(t, a, org.ID)
		_, c := a.ProtectionCase(cw, 1990)
		closeCase(t, a, cw, sup, c)
		a.Clock.Advance(40 * retention.Day)
		cutoff := retention.Cutoff(a.Clock.Now(), 30)
		ids, err := a.Cases.ExpiredClosed(ctx, org.ID, cutoff, 10)
		if err != nil || len(ids) != 1 || ids[0] != c.ID {
			t.Fatalf("ExpiredClosed = %v, %v", ids, err)
		}
		if _, err := a.Cases.ChangeStatus(ctx, cw.Principal, c.ID, cases.StatusAssessment); err != nil {
			t.Fatal(err)
		}
		if done, err := a.Cases.Shred(ctx, access.System, c.ID, cutoff); done || err != nil {
			t.Fatalf("Shred of a reopened case = %v, %v", done, err)
		}
		closeCase(t, a, cw, sup, c)
		if done, err := a.Cases.Shred(ctx, access.System, c.ID, cutoff); done || err != nil {
			t.Fatalf("Shred of a case closed again today = %v, %v", done, err)
		}
		if _, err := a.Cases.Shred(ctx, access.System, "nope", cutoff); err == nil {
			t.Fatal("Shred of no case succeeded")
		}
	})
}
