// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/ids"
)

func TestCreateNumbersCasesPerOrganisationAndYear(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		orgA, orgB := e.org(), e.org()
		team := e.team(orgA)
		cw := e.member(orgA, access.RoleCaseworker, team)
		cwB := e.member(orgB, access.RoleCaseworker, "")

		c1 := e.create(cw, cases.NewCase{Risk: cases.RiskHigh, Concerns: []cases.Concern{"trafficking", "detention"}})
		if c1.Number != "2026-00001" || c1.OrgID != orgA || c1.OwnerID != cw.UserID || c1.TeamID != team ||
			c1.Status != cases.StatusNew || c1.Risk != cases.RiskHigh || c1.CreatedBy != cw.UserID {
			t.Fatalf("created %+v", c1)
		}
		if !slices.Equal(c1.Concerns, []cases.Concern{"detention", "trafficking"}) {
			t.Errorf("concerns %v, want sorted", c1.Concerns)
		}
		if !ids.Valid(c1.ID) || !c1.CreatedAt.Equal(e.clock.Now()) {
			t.Errorf("id %q, created %v", c1.ID, c1.CreatedAt)
		}
		if c2 := e.create(cw, cases.NewCase{}); c2.Number != "2026-00002" || c2.Risk != cases.RiskUnassessed {
			t.Errorf("second case: %q risk %q", c2.Number, c2.Risk)
		}
		if cb := e.create(cwB, cases.NewCase{}); cb.Number != "2026-00001" || cb.TeamID != "" {
			t.Errorf("first case of another organisation: %q team %q", cb.Number, cb.TeamID)
		}
		e.clock.Set(time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC))
		if c := e.create(cw, cases.NewCase{}); c.Number != "2027-00001" {
			t.Errorf("first case of a new year: %q", c.Number)
		}
		got, err := e.svc.Get(ctx, cw, c1.ID)
		if err != nil || !reflect.DeepEqual(got, c1) {
			t.Errorf("Get = %+v, %v; want %+v", got, err, c1)
		}
		if h := e.history(cw, c1.ID); !slices.Equal(h, []string{"case.create:number,owner_id,status,team_id,risk,concerns"}) {
			t.Errorf("history %v", h)
		}
	})
}

func TestConcurrentCreatesGetDistinctNumbers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		org := e.org()
		cw := e.member(org, access.RoleCaseworker, "")
		const n = 20
		numbers := make([]string, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				c, err := e.svc.Create(ctx, cw, cases.NewCase{Concerns: []cases.Concern{"detention"}})
				numbers[i], errs[i] = c.Number, err
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("create %d: %v", i, err)
			}
		}
		slices.Sort(numbers)
		for i, got := range numbers {
			if want := fmt.Sprintf("2026-%05d", i+1); got != want {
				t.Fatalf("numbers %v: want 2026-00001 … 2026-%05d, each once", numbers, n)
			}
		}
		re := regexp.MustCompile(`^\d{4}-\d{5}$`)
		for _, num := range numbers {
			if !re.MatchString(num) {
				t.Errorf("number %q is not YYYY-NNNNN", num)
			}
		}
	})
}

func TestCreateChecksWhatItIsGiven(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		org, other := e.org(), e.org()
		team, otherTeam := e.team(org), e.team(other)
		cw := e.member(org, access.RoleCaseworker, team)
		sup := e.member(org, access.RoleSupervisor, team)
		analyst := e.member(org, access.RoleAnalyst, "")
		outsider := e.member(other, access.RoleCaseworker, "")
		mine, theirs := e.person(org), e.person(other)
		rows := []struct {
			name        string
			p           access.Principal
			in          cases.NewCase
			field, code string
			err         error
		}{
			{"unknown risk", cw, cases.NewCase{Risk: "severe"}, "risk", cases.CodeUnknown, nil},
			{"unknown concern", cw, cases.NewCase{Concerns: []cases.Concern{"detention", "bad_luck"}}, "concerns", cases.CodeUnknown, nil},
			{"concern twice", cw, cases.NewCase{Concerns: []cases.Concern{"health", "health"}}, "concerns", cases.CodeDuplicate, nil},
			{"owner of another organisation", sup, cases.NewCase{OwnerID: outsider.UserID}, "owner_id", cases.CodeNotFound, nil},
			{"owner who cannot work on cases", sup, cases.NewCase{OwnerID: analyst.UserID}, "owner_id", cases.CodeCannotAccess, nil},
			{"malformed owner", sup, cases.NewCase{OwnerID: "x"}, "owner_id", cases.CodeNotFound, nil},
			{"team of another organisation", cw, cases.NewCase{TeamID: otherTeam}, "team_id", cases.CodeNotFound, nil},
			{"person of another organisation", cw, cases.NewCase{Persons: []cases.PersonLinkInput{{PersonID: theirs, Role: cases.RolePrincipal}}},
				"persons.0.person_id", cases.CodeNotFound, nil},
			{"two principals", cw, cases.NewCase{Persons: []cases.PersonLinkInput{{PersonID: mine, Role: cases.RolePrincipal},
				{PersonID: e.person(org), Role: cases.RolePrincipal}}}, "persons.1.role", cases.CodePrincipalExists, nil},
			{"family member without relation", cw, cases.NewCase{Persons: []cases.PersonLinkInput{{PersonID: mine, Role: cases.RoleFamilyMember}}},
				"persons.0.relation", cases.CodeRequired, nil},
			{"caseworker opening a case for someone else", cw, cases.NewCase{OwnerID: sup.UserID}, "", "", cases.ErrForbidden},
			{"analyst", analyst, cases.NewCase{}, "", "", cases.ErrForbidden},
			{"signed out", access.Anonymous, cases.NewCase{}, "", "", cases.ErrForbidden},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				_, err := e.svc.Create(ctx, r.p, r.in)
				if r.err != nil {
					wantErr(t, err, r.err)
				} else {
					wantValidation(t, err, r.field, r.code)
				}
			})
		}
		var n int
		if err := e.db.Scan(e.db.QueryRow(ctx, `SELECT COUNT(*) FROM cases`), &n); err != nil || n != 0 {
			t.Fatalf("%d cases after refused creations (%v)", n, err)
		}
		// A supervisor opens a case for a caseworker of their team, with
		// the principal person and a child.
		child := e.person(org)
		c := e.create(sup, cases.NewCase{OwnerID: cw.UserID, Persons: []cases.PersonLinkInput{
			{PersonID: child, Role: cases.RoleFamilyMember, Relation: cases.RelationChild},
			{PersonID: mine, Role: cases.RolePrincipal}}})
		if c.OwnerID != cw.UserID || c.TeamID != team || c.Number != "2026-00001" {
			t.Fatalf("case %+v", c)
		}
		if len(c.Persons) != 2 || c.Persons[0].PersonID != mine || c.Persons[1].Relation != cases.RelationChild {
			t.Errorf("persons %+v, want the principal first", c.Persons)
		}
	})
}

// scopeFixture is one organisation with two teams and another
// organisation, and a case owned by each caseworker.
type scopeFixture struct {
	cw1, cw2, cw3, sup1, sup2, outsider, outsiderSup access.Principal
	team1, team2                                     string
	c1, c2, c3                                       cases.Case
}

func newScopeFixture(e *env) scopeFixture {
	var f scopeFixture
	org, other := e.org(), e.org()
	f.team1, f.team2 = e.team(org), e.team(org)
	f.cw1 = e.member(org, access.RoleCaseworker, f.team1)
	f.cw2 = e.member(org, access.RoleCaseworker, f.team1)
	f.cw3 = e.member(org, access.RoleCaseworker, f.team2)
	f.sup1 = e.member(org, access.RoleSupervisor, f.team1)
	f.sup2 = e.member(org, access.RoleSupervisor, f.team2)
	f.outsider = e.member(other, access.RoleCaseworker, "")
	f.outsiderSup = e.member(other, access.RoleSupervisor, e.team(other))
	f.c1 = e.create(f.cw1, cases.NewCase{Risk: cases.RiskHigh, Concerns: []cases.Concern{"health"}})
	e.clock.Advance(time.Second)
	f.c2 = e.create(f.cw2, cases.NewCase{Concerns: []cases.Concern{"detention"}})
	e.clock.Advance(time.Second)
	f.c3 = e.create(f.cw3, cases.NewCase{Risk: cases.RiskHigh, Concerns: []cases.Concern{"detention"}})
	e.clock.Advance(time.Second)
	return f
}

func TestRecordScopeOnGetAndList(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		// A supervisor with no team sees only cases they own.
		lone := e.member(f.cw1.OrgID, access.RoleSupervisor, "")
		rows := []struct {
			name    string
			p       access.Principal
			visible []cases.Case // newest first
		}{
			{"caseworker sees own", f.cw1, []cases.Case{f.c1}},
			{"other caseworker of the same team", f.cw2, []cases.Case{f.c2}},
			{"supervisor sees the team's", f.sup1, []cases.Case{f.c2, f.c1}},
			{"supervisor of the other team", f.sup2, []cases.Case{f.c3}},
			{"supervisor without a team", lone, nil},
			{"another organisation's caseworker", f.outsider, nil},
			{"another organisation's supervisor", f.outsiderSup, nil},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				for _, c := range []cases.Case{f.c1, f.c2, f.c3} {
					_, err := e.svc.Get(ctx, r.p, c.ID)
					if slices.ContainsFunc(r.visible, func(v cases.Case) bool { return v.ID == c.ID }) {
						if err != nil {
							t.Errorf("Get %s: %v", c.Number, err)
						}
					} else {
						wantErr(t, err, cases.ErrNotFound)
					}
				}
				got, next, err := e.svc.List(ctx, r.p, cases.Filter{}, cases.Page{})
				if err != nil || next != "" {
					t.Fatalf("List: %v, next %q", err, next)
				}
				if want := caseIDs(r.visible); !slices.Equal(caseIDs(got), want) {
					t.Errorf("List = %v, want %v", caseIDs(got), want)
				}
			})
		}
		for _, p := range []access.Principal{e.member(f.cw1.OrgID, access.RoleAnalyst, ""), access.Anonymous} {
			if _, _, err := e.svc.List(ctx, p, cases.Filter{}, cases.Page{}); err != cases.ErrForbidden {
				t.Errorf("List by %q: %v, want ErrForbidden", p.Role, err)
			}
			wantErr(t, func() error { _, err := e.svc.Get(ctx, p, f.c1.ID); return err }(), cases.ErrNotFound)
		}
		for _, id := range []string{"", "nonsense", ids.New(), "' OR 1=1 --"} {
			_, err := e.svc.Get(ctx, f.sup1, id)
			wantErr(t, err, cases.ErrNotFound)
		}
	})
}

func caseIDs(cs []cases.Case) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestListFiltersAndPages(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		org := e.org()
		team := e.team(org)
		sup := e.member(org, access.RoleSupervisor, team)
		cw := e.member(org, access.RoleCaseworker, team)
		var all []cases.Case // newest first
		for i := range 7 {
			in := cases.NewCase{OwnerID: cw.UserID}
			if i%2 == 0 {
				in.Risk = cases.RiskCritical
				in.Concerns = []cases.Concern{"child_protection"}
			}
			if i == 6 {
				in.OwnerID = sup.UserID
			}
			all = append([]cases.Case{e.create(sup, in)}, all...)
			e.clock.Advance(time.Minute)
		}
		// Two cases move on to assessment; changing a case puts it first.
		for _, c := range []cases.Case{all[6], all[3]} {
			if _, err := e.svc.ChangeStatus(ctx, sup, c.ID, cases.StatusAssessment); err != nil {
				t.Fatal(err)
			}
			e.clock.Advance(time.Minute)
		}
		// Now, newest first: c3 and c0 (assessment), then c6 (the
		// supervisor's), c5, c4, c2, c1; the even ones are critical.
		all = []cases.Case{all[3], all[6], all[0], all[1], all[2], all[4], all[5]}

		var pages [][]string
		page := cases.Page{Limit: 3}
		for {
			got, next, err := e.svc.List(ctx, sup, cases.Filter{}, page)
			if err != nil {
				t.Fatal(err)
			}
			pages = append(pages, caseIDs(got))
			if next == "" {
				break
			}
			page.Cursor = next
		}
		if want := [][]string{caseIDs(all[:3]), caseIDs(all[3:6]), caseIDs(all[6:])}; !reflect.DeepEqual(pages, want) {
			t.Errorf("pages %v, want %v", pages, want)
		}

		critical, unassessed := cases.RiskCritical, cases.RiskUnassessed
		pick := func(idx ...int) []string {
			var out []cases.Case
			for _, i := range idx {
				out = append(out, all[i])
			}
			return caseIDs(out)
		}
		for _, r := range []struct {
			name string
			f    cases.Filter
			want []string
		}{
			{"status", cases.Filter{Status: cases.StatusAssessment}, pick(0, 1)},
			{"concern", cases.Filter{Concern: "child_protection"}, pick(1, 2, 4, 5)},
			{"risk", cases.Filter{Risk: &critical}, pick(1, 2, 4, 5)},
			{"unassessed risk", cases.Filter{Risk: &unassessed}, pick(0, 3, 6)},
			{"owner", cases.Filter{OwnerID: sup.UserID}, pick(2)},
			{"team", cases.Filter{TeamID: team}, pick(0, 1, 2, 3, 4, 5, 6)},
			{"status and concern", cases.Filter{Status: cases.StatusNew, Concern: "child_protection"}, pick(2, 4, 5)},
			{"no match", cases.Filter{Concern: "health"}, []string{}},
		} {
			t.Run(r.name, func(t *testing.T) {
				got, _, err := e.svc.List(ctx, sup, r.f, cases.Page{})
				if err != nil || !slices.Equal(caseIDs(got), r.want) {
					t.Errorf("List = %v (%v), want %v", caseIDs(got), err, r.want)
				}
			})
		}
		// The caseworker's own view filtered by status.
		got, _, err := e.svc.List(ctx, cw, cases.Filter{Status: cases.StatusAssessment}, cases.Page{})
		if err != nil || !slices.Equal(caseIDs(got), pick(0, 1)) {
			t.Errorf("caseworker's assessment cases: %v (%v)", caseIDs(got), err)
		}
		if len(got) > 0 && got[1].Concerns == nil {
			t.Error("List leaves concerns out")
		}
		severe := cases.Risk("severe")
		for _, r := range []struct {
			name  string
			f     cases.Filter
			pg    cases.Page
			field string
		}{
			{"status", cases.Filter{Status: "open"}, cases.Page{}, "status"},
			{"concern", cases.Filter{Concern: "bad_luck"}, cases.Page{}, "concern"},
			{"risk", cases.Filter{Risk: &severe}, cases.Page{}, "risk"},
			{"owner", cases.Filter{OwnerID: "me"}, cases.Page{}, "owner_id"},
			{"team", cases.Filter{TeamID: "' OR 1=1"}, cases.Page{}, "team_id"},
			{"cursor", cases.Filter{}, cases.Page{Cursor: "abc"}, "cursor"},
		} {
			_, _, err := e.svc.List(ctx, sup, r.f, r.pg)
			code := cases.CodeUnknown
			if r.field == "owner_id" || r.field == "team_id" || r.field == "cursor" {
				code = cases.CodeInvalid
			}
			wantValidation(t, err, r.field, code)
		}
		e.checkCopies()
	})
}

func TestWorkflowAndClosureApproval(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		other := e.member(f.cw1.OrgID, access.RoleSupervisor, f.team1)
		id := f.c1.ID
		step := func(p access.Principal, to cases.Status) {
			t.Helper()
			if c, err := e.svc.ChangeStatus(ctx, p, id, to); err != nil || c.Status != to {
				t.Fatalf("ChangeStatus %s: %v (status %q)", to, err, c.Status)
			}
		}
		_, err := e.svc.ChangeStatus(ctx, f.cw1, id, cases.StatusServices)
		wantValidation(t, err, "status", cases.CodeInvalidTransition)
		_, err = e.svc.ChangeStatus(ctx, f.cw1, id, "archived")
		wantValidation(t, err, "status", cases.CodeUnknown)
		step(f.cw1, cases.StatusAssessment)
		step(f.cw1, cases.StatusCasePlan)
		step(f.cw1, cases.StatusAssessment) // reassessment
		step(f.cw1, cases.StatusCasePlan)
		step(f.cw1, cases.StatusServices)
		_, err = e.svc.ChangeStatus(ctx, f.cw1, id, cases.StatusClosed)
		wantValidation(t, err, "status", cases.CodeApprovalRequired)
		_, err = e.svc.ChangeStatus(ctx, f.cw2, id, cases.StatusCasePlan)
		wantErr(t, err, cases.ErrNotFound)

		// Nothing to approve yet.
		_, err = e.svc.ApproveClosure(ctx, f.sup1, id)
		wantValidation(t, err, "status", cases.CodeNoClosureRequest)
		_, err = e.svc.RequestClosure(ctx, f.cw1, id, "bored")
		wantValidation(t, err, "reason", cases.CodeUnknown)
		_, err = e.svc.RequestClosure(ctx, f.cw1, id, "")
		wantValidation(t, err, "reason", cases.CodeRequired)
		c, err := e.svc.RequestClosure(ctx, f.cw1, id, cases.ClosureObjectivesMet)
		if err != nil || c.Status != cases.StatusServices || c.ClosureRequest == nil ||
			c.ClosureRequest.RequestedBy != f.cw1.UserID || c.ClosureRequest.Reason != cases.ClosureObjectivesMet {
			t.Fatalf("after the request: %+v %v", c, err)
		}
		_, err = e.svc.RequestClosure(ctx, f.cw1, id, cases.ClosureObjectivesMet)
		wantValidation(t, err, "status", cases.CodeClosurePending)
		_, err = e.svc.ChangeStatus(ctx, f.cw1, id, cases.StatusCasePlan)
		wantValidation(t, err, "status", cases.CodeClosurePending)

		// The caseworker cannot approve (no permission); a supervisor of
		// another team or organisation cannot see the case.
		_, err = e.svc.ApproveClosure(ctx, f.cw1, id)
		wantErr(t, err, cases.ErrForbidden)
		_, err = e.svc.ApproveClosure(ctx, f.sup2, id)
		wantErr(t, err, cases.ErrNotFound)
		_, err = e.svc.ApproveClosure(ctx, f.outsiderSup, id)
		wantErr(t, err, cases.ErrNotFound)

		// A rejection leaves the case where it was.
		c, err = e.svc.RejectClosure(ctx, f.sup1, id)
		if err != nil || c.ClosureRequest != nil || c.Status != cases.StatusServices {
			t.Fatalf("after the rejection: %+v %v", c, err)
		}
		// A supervisor's own request needs another supervisor.
		if _, err := e.svc.RequestClosure(ctx, f.sup1, id, cases.ClosureReferredElsewhere); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.ApproveClosure(ctx, f.sup1, id)
		wantValidation(t, err, "approved_by", cases.CodeOwnRequest)
		e.clock.Advance(time.Hour)
		c, err = e.svc.ApproveClosure(ctx, other, id)
		if err != nil || c.Status != cases.StatusClosed || c.ClosureRequest != nil || c.Closure == nil ||
			*c.Closure != (cases.Closure{RequestedBy: f.sup1.UserID, ApprovedBy: other.UserID,
				Reason: cases.ClosureReferredElsewhere, ClosedAt: e.clock.Now()}) {
			t.Fatalf("after the approval: %+v %+v %v", c, c.Closure, err)
		}
		// A closed case takes no change until it is reopened.
		risk := cases.RiskLow
		_, err = e.svc.Update(ctx, f.cw1, id, cases.Changes{Risk: &risk})
		wantValidation(t, err, "status", cases.CodeClosed)
		_, err = e.svc.AddNote(ctx, f.cw1, id, "after closing")
		wantValidation(t, err, "status", cases.CodeClosed)
		_, err = e.svc.RequestClosure(ctx, f.cw1, id, cases.ClosureOther)
		wantValidation(t, err, "status", cases.CodeClosed)
		_, err = e.svc.ChangeStatus(ctx, f.cw1, id, cases.StatusServices)
		wantValidation(t, err, "status", cases.CodeInvalidTransition)
		c, err = e.svc.ChangeStatus(ctx, f.cw1, id, cases.StatusAssessment)
		if err != nil || c.Status != cases.StatusAssessment || c.Closure != nil || c.ClosureRequest != nil {
			t.Fatalf("after reopening: %+v %v", c, err)
		}
		if _, err := e.svc.Update(ctx, f.cw1, id, cases.Changes{Risk: &risk}); err != nil {
			t.Fatalf("reopened case refuses a change: %v", err)
		}

		want := []string{
			"case.create:number,owner_id,status,team_id,risk,concerns",
			"case.status:status", "case.status:status", "case.status:status", "case.status:status", "case.status:status",
			"case.closure_request:closure.reason",
			"case.closure_reject:closure",
			"case.closure_request:closure.reason",
			"case.closure_approve:status,closure",
			"case.reopen:status,closure",
			"case.update:risk",
		}
		if h := e.history(f.sup1, id); !slices.Equal(h, want) {
			t.Errorf("history\n%v\nwant\n%v", h, want)
		}
		entries, err := e.svc.History(ctx, f.sup1, id)
		if err != nil || entries[0].ActorID != f.cw1.UserID || entries[0].OrgID != f.cw1.OrgID || entries[0].ObjectType != "case" {
			t.Errorf("newest entry %+v (%v)", entries[0], err)
		}
		page, next, err := e.svc.HistoryPage(ctx, f.sup1, id, 0, 5)
		if err != nil || len(page) != 5 || next == 0 || page[0].Seq != entries[0].Seq {
			t.Errorf("first history page: %d entries, next %d, %v", len(page), next, err)
		}
		for _, p := range []access.Principal{f.cw2, f.sup2, f.outsiderSup} {
			_, err := e.svc.History(ctx, p, id)
			wantErr(t, err, cases.ErrNotFound)
		}
		e.checkCopies()
	})
}

func TestUpdateAndReassign(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		id := f.c1.ID
		high, concerns := cases.RiskHigh, []cases.Concern{"health", "documentation"}
		// Setting what is already there changes and audits nothing.
		before := e.history(f.cw1, id)
		c, err := e.svc.Update(ctx, f.cw1, id, cases.Changes{Risk: &high})
		if err != nil || !c.UpdatedAt.Equal(f.c1.UpdatedAt) || !slices.Equal(e.history(f.cw1, id), before) {
			t.Fatalf("no-op update: %v, updated %v, history %v", err, c.UpdatedAt, e.history(f.cw1, id))
		}
		c, err = e.svc.Update(ctx, f.cw1, id, cases.Changes{Concerns: &concerns})
		if err != nil || !slices.Equal(c.Concerns, []cases.Concern{"documentation", "health"}) || !c.UpdatedAt.Equal(e.clock.Now()) {
			t.Fatalf("concerns: %v %v", c.Concerns, err)
		}
		bad := []cases.Concern{"health", "health"}
		_, err = e.svc.Update(ctx, f.cw1, id, cases.Changes{Concerns: &bad})
		wantValidation(t, err, "concerns", cases.CodeDuplicate)

		// A caseworker cannot give the case away, nor move it to a team.
		to, team2 := f.cw2.UserID, f.team2
		_, err = e.svc.Update(ctx, f.cw1, id, cases.Changes{OwnerID: &to})
		wantErr(t, err, cases.ErrForbidden)
		// A supervisor moves it within the team, not to another team.
		_, err = e.svc.Update(ctx, f.sup1, id, cases.Changes{TeamID: &team2})
		wantErr(t, err, cases.ErrForbidden)
		outsider := f.outsider.UserID
		_, err = e.svc.Update(ctx, f.sup1, id, cases.Changes{OwnerID: &outsider})
		wantValidation(t, err, "owner_id", cases.CodeNotFound)
		c, err = e.svc.Update(ctx, f.sup1, id, cases.Changes{OwnerID: &to})
		if err != nil || c.OwnerID != f.cw2.UserID || c.TeamID != f.team1 {
			t.Fatalf("reassign: %+v %v", c, err)
		}
		if _, err := e.svc.Get(ctx, f.cw1, id); err != cases.ErrNotFound {
			t.Errorf("the former owner still reads the case: %v", err)
		}
		if _, err := e.svc.Get(ctx, f.cw2, id); err != nil {
			t.Errorf("the new owner cannot read the case: %v", err)
		}
		_, err = e.svc.Update(ctx, f.outsiderSup, id, cases.Changes{Risk: &high})
		wantErr(t, err, cases.ErrNotFound)
		want := append(before, "case.update:concerns", "case.update:owner_id")
		if h := e.history(f.sup1, id); !slices.Equal(h, want) {
			t.Errorf("history %v, want %v", h, want)
		}
		e.checkCopies()
	})
}

func TestPersonLinks(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		org := f.cw1.OrgID
		id := f.c1.ID
		ana, ben, cai := e.person(org), e.person(org), e.person(org)
		link := func(person string, role cases.PersonRole, rel cases.Relation) (cases.Case, error) {
			return e.svc.LinkPerson(ctx, f.cw1, id, cases.PersonLinkInput{PersonID: person, Role: role, Relation: rel})
		}
		if _, err := link(ben, cases.RoleGroupMember, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := link(ana, cases.RolePrincipal, ""); err != nil {
			t.Fatal(err)
		}
		_, err := link(cai, cases.RolePrincipal, "")
		wantValidation(t, err, "role", cases.CodePrincipalExists)
		_, err = link(e.person(e.org()), cases.RoleGroupMember, "")
		wantValidation(t, err, "person_id", cases.CodeNotFound)
		_, err = link(cai, cases.RoleFamilyMember, "")
		wantValidation(t, err, "relation", cases.CodeRequired)
		_, err = link(ids.New(), cases.RoleGroupMember, "")
		wantValidation(t, err, "person_id", cases.CodeNotFound)
		// Ben turns out to be Ana's brother.
		c, err := link(ben, cases.RoleFamilyMember, cases.RelationSibling)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Persons) != 2 || c.Persons[0].PersonID != ana || c.Persons[0].Role != cases.RolePrincipal ||
			c.Persons[1] != (cases.PersonLink{PersonID: ben, Role: cases.RoleFamilyMember, Relation: cases.RelationSibling,
				CreatedBy: f.cw1.UserID, CreatedAt: c.Persons[1].CreatedAt}) {
			t.Fatalf("persons %+v", c.Persons)
		}
		if _, err := link(ben, cases.RoleFamilyMember, cases.RelationSibling); err != nil {
			t.Fatalf("relinking as is: %v", err)
		}
		_, err = e.svc.LinkPerson(ctx, f.cw2, id, cases.PersonLinkInput{PersonID: cai, Role: cases.RoleGroupMember})
		wantErr(t, err, cases.ErrNotFound)
		c, err = e.svc.UnlinkPerson(ctx, f.cw1, id, ben)
		if err != nil || len(c.Persons) != 1 {
			t.Fatalf("unlink: %+v %v", c.Persons, err)
		}
		_, err = e.svc.UnlinkPerson(ctx, f.cw1, id, ben)
		wantErr(t, err, cases.ErrNotFound)
		want := []string{"case.create:number,owner_id,status,team_id,risk,concerns",
			"case.person_link:person,person.role,person.relation", "case.person_link:person,person.role,person.relation",
			"case.person_link:person.role,person.relation", "case.person_unlink:person"}
		if h := e.history(f.cw1, id); !slices.Equal(h, want) {
			t.Errorf("history %v, want %v", h, want)
		}
		e.checkCopies()
	})
}
