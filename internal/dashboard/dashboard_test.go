// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/testutil"
)

var ctx = context.Background()

// world is organisation A — a team with caseworker cw1 and supervisor
// sup, caseworker cw2 outside the team, an administrator, a viewer and an
// analyst — and organisation B, whose every case, task, episode and
// referral mirrors some of A's so that counting any of them in A shows.
//
// A's open cases: c1 (cw1; detention and trafficking; high risk; a child
// detained 100 hours ago, not told of the consular right, consulate
// notified in time), c2 (cw2; health; not assessed; an adult detained 58
// days ago where the legal maximum is 60), c4 (sup; trafficking;
// critical), c5 (cw2; no concern; low). c3 (cw1; low) is closed. Tasks:
// two overdue of cw1 on c1, one overdue done, one due tomorrow; one
// overdue of cw2 on c2; one overdue of cw1 on the closed c3. Referrals
// from c1: one sent, one completed, one declined. An ended episode on c5.
type world struct {
	a                       *testutil.App
	cw1, cw2, sup, adm      testutil.User
	viewer, analyst         testutil.User
	cwB, supB, admB         testutil.User
	orgA, orgB              string
	c1, c2, c3, c4, c5, cB1 cases.Case
}

func newWorld(t *testing.T, a *testutil.App) *world {
	t.Helper()
	w := &world{a: a}
	orgA, orgB := a.Org("Org A"), a.Org("Org B")
	w.orgA, w.orgB = orgA.ID, orgB.ID
	team, err := a.Accounts.CreateTeam(ctx, access.System, orgA.ID, "North")
	if err != nil {
		t.Fatal(err)
	}
	w.cw1 = a.NewUser(orgA.ID, access.RoleCaseworker, team.ID)
	w.sup = a.NewUser(orgA.ID, access.RoleSupervisor, team.ID)
	w.cw2 = a.NewUser(orgA.ID, access.RoleCaseworker, "")
	w.adm = a.NewUser(orgA.ID, access.RoleOrgAdmin, "")
	w.viewer = a.NewUser(orgA.ID, access.RoleViewer, "")
	w.analyst = a.NewUser(orgA.ID, access.RoleAnalyst, "")
	w.cwB = a.NewUser(orgB.ID, access.RoleCaseworker, "")
	w.supB = a.NewUser(orgB.ID, access.RoleSupervisor, "")
	w.admB = a.NewUser(orgB.ID, access.RoleOrgAdmin, "")
	now := a.Clock.Now()
	if _, err := a.Detention.PutLegalLimit(ctx, access.System, detention.LegalLimit{Country: "ESP", MaxDays: 60,
		Source: "https://example.org/law", AsOf: "2026-01-01"}); err != nil {
		t.Fatal(err)
	}

	child, c1 := w.openCase(t, w.cw1, now.Year()-10, cases.RiskHigh, "detention", "trafficking")
	w.c1 = c1
	ep := w.detain(t, w.cw1, c1, child.ID, now.Add(-100*time.Hour), nil)
	rec, err := a.Cases.Reach(ctx, w.cw1.Principal, c1.ID, detention.PermWrite)
	if err != nil {
		t.Fatal(err)
	}
	notified := ep.Start.Add(10 * time.Hour)
	if _, err := a.Detention.CreateNotification(ctx, w.cw1.Principal, rec, c1.ID, ep.ID, detention.NotificationInput{
		Nationality: "MAR", ArrestedAt: ep.Start, Requested: new(true), NotifiedAt: &notified}); err != nil {
		t.Fatal(err)
	}
	w.task(t, w.cw1, c1, now.Add(-time.Hour))
	w.task(t, w.cw1, c1, now.Add(-30*24*time.Hour))
	done := w.task(t, w.cw1, c1, now.Add(-2*time.Hour))
	if _, err := a.Cases.SetTaskDone(ctx, w.cw1.Principal, done.ID, true); err != nil {
		t.Fatal(err)
	}
	w.task(t, w.cw1, c1, now.Add(24*time.Hour))
	w.referrals(t, w.cw1, w.adm, c1, child.ID)

	adult, c2 := w.openCase(t, w.cw2, 1980, cases.RiskUnassessed, "health")
	w.c2 = c2
	w.detain(t, w.cw2, c2, adult.ID, now.Add(-58*24*time.Hour), nil)
	w.task(t, w.cw2, c2, now.Add(-time.Minute))

	_, c3 := w.openCase(t, w.cw1, 1990, cases.RiskLow)
	w.c3 = c3
	w.task(t, w.cw1, c3, now.Add(-time.Hour))
	if _, err := a.Cases.RequestClosure(ctx, w.cw1.Principal, c3.ID, cases.ClosureObjectivesMet); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cases.ApproveClosure(ctx, w.sup.Principal, c3.ID); err != nil {
		t.Fatal(err)
	}

	_, w.c4 = w.openCase(t, w.sup, 1985, cases.RiskCritical, "trafficking")
	released, c5 := w.openCase(t, w.cw2, 1975, cases.RiskLow)
	w.c5 = c5
	end := now.Add(-24 * time.Hour)
	w.detain(t, w.cw2, c5, released.ID, now.Add(-70*24*time.Hour), &end)

	childB, cB1 := w.openCase(t, w.cwB, now.Year()-9, cases.RiskCritical, "detention")
	w.cB1 = cB1
	w.detain(t, w.cwB, cB1, childB.ID, now.Add(-100*24*time.Hour), nil)
	w.task(t, w.cwB, cB1, now.Add(-time.Hour))
	w.referrals(t, w.cwB, w.admB, cB1, childB.ID)
	return w
}

// openCase opens a case owned by u with a principal born in birthYear, at
// the given risk, with the given concerns.
func (w *world) openCase(t *testing.T, u testutil.User, birthYear int, risk cases.Risk, concerns ...cases.Concern) (persons.Person, cases.Case) {
	t.Helper()
	per, err := w.a.Persons.Create(ctx, u.Principal, persons.Input{
		Identity:   persons.Identity{GivenName: testutil.Sentinel("given"), FamilyName: testutil.Sentinel("family")},
		Attributes: persons.Attributes{BirthYear: birthYear, Nationality: "MAR"}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.a.Cases.Create(ctx, u.Principal, cases.NewCase{Concerns: concerns,
		Persons: []cases.PersonLinkInput{{PersonID: per.ID, Role: cases.RolePrincipal}}})
	if err != nil {
		t.Fatal(err)
	}
	if risk != cases.RiskUnassessed {
		if c, err = w.a.Cases.Update(ctx, u.Principal, c.ID, cases.Changes{Risk: &risk}); err != nil {
			t.Fatal(err)
		}
	}
	return per, c
}

func (w *world) detain(t *testing.T, u testutil.User, c cases.Case, personID string, start time.Time, end *time.Time) detention.Episode {
	t.Helper()
	rec, err := w.a.Cases.Reach(ctx, u.Principal, c.ID, detention.PermWrite)
	if err != nil {
		t.Fatal(err)
	}
	ep, err := w.a.Detention.CreateEpisode(ctx, u.Principal, rec, c.ID, personID, detention.EpisodeInput{
		FacilityType: detention.FacilityImmigrationDetentionCentre, FacilityCountry: "ESP", Start: start, End: end,
		ImmigrationRelated: true})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func (w *world) task(t *testing.T, u testutil.User, c cases.Case, due time.Time) cases.Task {
	t.Helper()
	task, err := w.a.Cases.AddTask(ctx, u.Principal, c.ID, cases.NewTask{Title: testutil.Sentinel("task"), DueAt: due})
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// referrals sends three referrals from c to the organisation's own
// service, as u, and moves one to completed and one to declined.
func (w *world) referrals(t *testing.T, u, admin testutil.User, c cases.Case, personID string) {
	t.Helper()
	pr, err := w.a.Referrals.CreateProvider(ctx, admin.Principal, referrals.ProviderInput{Name: "Service " + admin.OrgID,
		OrgID: admin.OrgID, ServiceTypes: []string{"legal"}, Country: "ES"})
	if err != nil {
		t.Fatal(err)
	}
	var sent []referrals.Referral
	for range 3 {
		rf, err := w.a.Referrals.Create(ctx, u.Principal, c.ID, referrals.NewReferral{PersonID: personID, ProviderID: pr.ID,
			ServiceType: "legal"})
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, rf)
	}
	for _, m := range []struct {
		id     string
		to     referrals.Status
		reason string
	}{
		{sent[1].ID, referrals.StatusAccepted, ""},
		{sent[1].ID, referrals.StatusCompleted, "service_provided"},
		{sent[2].ID, referrals.StatusDeclined, "no_capacity"},
	} {
		if _, err := w.a.Referrals.Move(ctx, u.Principal, m.id, m.to, m.reason); err != nil {
			t.Fatalf("move to %s: %v", m.to, err)
		}
	}
}

// concerns maps each concern row to its counts by risk.
func concerns(oc dashboard.OpenCases) map[cases.Concern]dashboard.RiskCounts {
	out := map[cases.Concern]dashboard.RiskCounts{}
	for _, r := range oc.Concerns {
		out[r.Concern] = r.ByRisk
	}
	return out
}

func counts(list []dashboard.WorkerCount) map[string]int {
	out := map[string]int{}
	for _, w := range list {
		out[w.UserID] = w.Count
	}
	return out
}

func alertCounts(as []dashboard.AlertCount) map[detention.AlertKind]int {
	out := map[detention.AlertKind]int{}
	for _, a := range as {
		out[a.Kind] = a.Count
	}
	return out
}

// The dashboard counts exactly A's open cases by concern and risk, its
// overdue tasks on open cases per assignee, the alerts detention raises,
// its caseload, referrals and consular compliance; nothing of B counts,
// nor a closed case, a done task or an ended episode.
func TestFiguresOfOneOrganisation(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		d, err := a.Dashboard.Get(ctx, w.adm.Principal, w.orgA)
		if err != nil {
			t.Fatal(err)
		}
		if d.OrgID != w.orgA || !d.At.Equal(a.Clock.Now()) {
			t.Errorf("dashboard of %s at %s", d.OrgID, d.At)
		}
		// Columns: not assessed, low, medium, high, critical.
		if want := (dashboard.RiskCounts{1, 1, 0, 1, 1}); d.OpenCases.All != want {
			t.Errorf("open cases by risk = %v, want %v", d.OpenCases.All, want)
		}
		wantConcerns := map[cases.Concern]dashboard.RiskCounts{
			"detention":         {0, 0, 0, 1, 0},
			"trafficking":       {0, 0, 0, 1, 1},
			"health":            {1, 0, 0, 0, 0},
			dashboard.NoConcern: {0, 1, 0, 0, 0},
		}
		if got := concerns(d.OpenCases); !maps.Equal(got, wantConcerns) {
			t.Errorf("concern × risk = %v, want %v", got, wantConcerns)
		}
		var order []cases.Concern
		for _, r := range d.OpenCases.Concerns {
			order = append(order, r.Concern)
		}
		// The vocabulary's order, then the cases with none.
		if want := []cases.Concern{"detention", "trafficking", "health", dashboard.NoConcern}; !slices.Equal(order, want) {
			t.Errorf("concern rows in order %v, want %v", order, want)
		}
		if d.OverdueTasks.Total != 3 || !maps.Equal(counts(d.OverdueTasks.ByAssignee), map[string]int{w.cw1.ID: 2, w.cw2.ID: 1}) {
			t.Errorf("overdue tasks %d: %v", d.OverdueTasks.Total, counts(d.OverdueTasks.ByAssignee))
		}
		if d.OverdueTasks.ByAssignee[0].UserID != w.cw1.ID {
			t.Error("the assignee with most overdue tasks is not first")
		}
		wantCaseload := map[string]int{w.cw1.ID: 1, w.cw2.ID: 2, w.sup.ID: 1}
		if got := counts(d.Caseload); !maps.Equal(got, wantCaseload) || d.Caseload[0].UserID != w.cw2.ID {
			t.Errorf("caseload = %v, want %v with %s first", got, wantCaseload, w.cw2.ID)
		}
		wantAlerts := map[detention.AlertKind]int{
			detention.AlertChildInImmigrationDetention: 1,
			detention.AlertPastLegalMaximum:            0,
			detention.AlertApproachingLegalMaximum:     1,
			detention.AlertNoJudicialReview:            2,
			detention.AlertConsularRightNotTold:        1,
			detention.AlertConsulateNotNotified:        0,
		}
		if got := alertCounts(d.Alerts); !maps.Equal(got, wantAlerts) || d.TotalAlerts() != 5 {
			t.Errorf("alerts = %v, want %v", got, wantAlerts)
		}
		if d.Alerts[0].Kind != detention.AlertChildInImmigrationDetention {
			t.Errorf("first alert kind %s, want the child first", d.Alerts[0].Kind)
		}
		var statuses []string
		for _, st := range d.Referrals.ByStatus {
			statuses = append(statuses, string(st.Status)+"="+strconv.Itoa(st.Count))
		}
		if want := []string{"sent=1", "accepted=0", "declined=1", "completed=1", "revoked=0"}; !slices.Equal(statuses, want) ||
			d.Referrals.Total != 3 || d.Referrals.Completed != (detention.Ratio{Num: 1, Den: 3}) {
			t.Errorf("referrals %d %v, completed %v", d.Referrals.Total, statuses, d.Referrals.Completed)
		}
		c := d.Consular
		if c.Records != 1 || c.NotTold != 1 || c.ToldInTime != 0 || c.NotificationRequired != 1 || c.NotifiedInTime != 1 ||
			c.ToldRate != (detention.Ratio{Num: 0, Den: 1}) || c.NotifiedRate != (detention.Ratio{Num: 1, Den: 1}) {
			t.Errorf("consular compliance = %+v", c)
		}

		// B's own figures are B's alone.
		dB, err := a.Dashboard.Get(ctx, w.supB.Principal, w.orgB)
		if err != nil {
			t.Fatal(err)
		}
		if want := (dashboard.RiskCounts{0, 0, 0, 0, 1}); dB.OpenCases.All != want || dB.OverdueTasks.Total != 1 ||
			dB.Referrals.Total != 3 || dB.Consular.Records != 0 ||
			!maps.Equal(counts(dB.Caseload), map[string]int{w.cwB.ID: 1}) {
			t.Errorf("organisation B's dashboard: %+v", dB)
		}
		if got := alertCounts(dB.Alerts); got[detention.AlertPastLegalMaximum] != 1 || got[detention.AlertChildInImmigrationDetention] != 1 {
			t.Errorf("organisation B's alerts: %v", got)
		}
	})
}

// Only an organisation administrator or a supervisor, and only of the
// organisation asked for, reads a dashboard; everyone else is answered as
// if it did not exist.
func TestOnlyTheOwnOrganisation(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		sysadmin := a.NewUser(w.orgA, access.RoleSysadmin, "")
		for _, tc := range []struct {
			name string
			p    access.Principal
			org  string
			ok   bool
		}{
			{"administrator", w.adm.Principal, w.orgA, true},
			{"supervisor", w.sup.Principal, w.orgA, true},
			{"administrator of B on A", w.admB.Principal, w.orgA, false},
			{"supervisor of B on A", w.supB.Principal, w.orgA, false},
			{"administrator of A on B", w.adm.Principal, w.orgB, false},
			{"caseworker", w.cw1.Principal, w.orgA, false},
			{"viewer", w.viewer.Principal, w.orgA, false},
			{"analyst", w.analyst.Principal, w.orgA, false},
			{"system administrator", sysadmin.Principal, w.orgA, false},
			{"operator", access.System, w.orgA, false},
			{"not an id", w.adm.Principal, "../" + w.orgA, false},
			{"supervisor before the second factor", withoutMFA(w.sup.Principal), w.orgA, false},
			{"token without the scope", withScopes(w.adm.Principal, "user.read"), w.orgA, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := a.Dashboard.Get(ctx, tc.p, tc.org)
				switch {
				case tc.ok && err != nil:
					t.Fatalf("refused: %v", err)
				case !tc.ok && !errors.Is(err, dashboard.ErrNotFound):
					t.Fatalf("err = %v, want ErrNotFound", err)
				}
			})
		}
	})
}

func withoutMFA(p access.Principal) access.Principal { p.MFA = false; return p }

func withScopes(p access.Principal, scopes ...access.Permission) access.Principal {
	p.Scopes = scopes
	return p
}

// An administrator reads every worker's name; a supervisor their team's,
// the others shown by id; each read of names is audited, and the view
// itself as dashboard.read without values.
func TestWorkerNamesAndAudit(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		names := func(p access.Principal) map[string]string {
			d, err := a.Dashboard.Get(ctx, p, w.orgA)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, list := range [][]dashboard.WorkerCount{d.Caseload, d.OverdueTasks.ByAssignee} {
				for _, wc := range list {
					out[wc.UserID] = wc.Name
				}
			}
			return out
		}
		if got, want := names(w.adm.Principal), map[string]string{w.cw1.ID: w.cw1.Name, w.cw2.ID: w.cw2.Name,
			w.sup.ID: w.sup.Name}; !maps.Equal(got, want) {
			t.Errorf("administrator sees %v, want %v", got, want)
		}
		if got, want := names(w.sup.Principal), map[string]string{w.cw1.ID: w.cw1.Name, w.cw2.ID: "",
			w.sup.ID: w.sup.Name}; !maps.Equal(got, want) {
			t.Errorf("supervisor sees %v, want %v", got, want)
		}
		entries, _, err := a.Audit.List(ctx, audit.Filter{Limit: audit.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		views, nameReads := 0, 0
		for _, e := range entries {
			switch {
			case e.Action == "dashboard.read":
				views++
				if e.ObjectType != "organisation" || e.ObjectID != w.orgA || e.OrgID != w.orgA || len(e.Fields) != 0 {
					t.Errorf("view audited as %+v", e)
				}
			case e.Action == "user.read" && e.ObjectID == w.cw1.ID:
				nameReads++
			}
		}
		if views != 2 || nameReads != 2 {
			t.Errorf("%d views and %d reads of a worker's name audited, want 2 and 2", views, nameReads)
		}
	})
}

// An organisation with nothing yet has empty figures, every alert kind and
// referral status at zero, and no share it could not compute.
func TestEmptyOrganisation(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Empty")
		adm := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		d, err := a.Dashboard.Get(ctx, adm.Principal, org.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.OpenCaseTotal() != 0 || len(d.OpenCases.Concerns) != 0 || d.OverdueTasks.Total != 0 || len(d.Caseload) != 0 ||
			d.TotalAlerts() != 0 || len(d.Alerts) != 6 || d.Referrals.Total != 0 || len(d.Referrals.ByStatus) != 5 ||
			d.Consular.Records != 0 {
			t.Errorf("empty dashboard: %+v", d)
		}
		if _, ok := d.Referrals.Completed.Value(); ok {
			t.Error("a completed share of no referrals")
		}
	})
}
