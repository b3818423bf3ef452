// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

func TestTransferOfferAndAccept(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		id := f.c1.ID
		orgB := f.outsider.OrgID
		teamB := f.outsiderSup.TeamID
		cwB := e.member(orgB, access.RoleCaseworker, teamB)
		third := e.member(e.org(), access.RoleSupervisor, "")
		// Org B already has a case numbered 2026-00001.
		e.create(f.outsider, cases.NewCase{})
		note, err := e.svc.AddNote(ctx, f.cw1, id, "history of the case")
		if err != nil {
			t.Fatal(err)
		}
		task, err := e.svc.AddTask(ctx, f.cw1, id, cases.NewTask{Title: "call", DueAt: e.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		doneTask, err := e.svc.AddTask(ctx, f.cw1, id, cases.NewTask{Title: "done", DueAt: e.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.SetTaskDone(ctx, f.cw1, doneTask.ID, true); err != nil {
			t.Fatal(err)
		}

		_, err = e.svc.OfferTransfer(ctx, f.cw1, id, f.cw1.OrgID)
		wantValidation(t, err, "to_org_id", cases.CodeSameOrganisation)
		_, err = e.svc.OfferTransfer(ctx, f.cw1, id, ids.New())
		wantValidation(t, err, "to_org_id", cases.CodeNotFound)
		_, err = e.svc.OfferTransfer(ctx, f.cw2, id, orgB)
		wantErr(t, err, cases.ErrNotFound)
		e.clock.Advance(time.Minute)
		offer, err := e.svc.OfferTransfer(ctx, f.cw1, id, orgB)
		if err != nil || offer.Status != cases.TransferPending || offer.FromOrgID != f.cw1.OrgID || offer.ToOrgID != orgB ||
			offer.CaseNumber != f.c1.Number || offer.OfferedBy != f.cw1.UserID {
			t.Fatalf("offer %+v %v", offer, err)
		}
		_, err = e.svc.OfferTransfer(ctx, f.cw1, id, third.OrgID)
		wantValidation(t, err, "to_org_id", cases.CodeTransferPending)
		_, err = e.svc.RequestClosure(ctx, f.cw1, id, cases.ClosureReferredElsewhere)
		wantValidation(t, err, "status", cases.CodeTransferPending)
		if c, err := e.svc.Get(ctx, f.cw1, id); err != nil || c.PendingTransfer == nil || *c.PendingTransfer != offer {
			t.Errorf("the case does not show its offer: %+v %v", c.PendingTransfer, err)
		}

		// The receiving organisation sees the offer, not the case.
		for _, p := range []access.Principal{f.outsider, cwB, f.outsiderSup} {
			list, err := e.svc.PendingTransfers(ctx, p)
			if err != nil || len(list) != 1 || list[0] != offer {
				t.Errorf("PendingTransfers for %s: %+v %v", p.Role, list, err)
			}
			_, err = e.svc.Get(ctx, p, id)
			wantErr(t, err, cases.ErrNotFound)
		}
		for _, p := range []access.Principal{f.sup1, third} {
			if list, err := e.svc.PendingTransfers(ctx, p); err != nil || len(list) != 0 {
				t.Errorf("PendingTransfers of another organisation: %+v %v", list, err)
			}
		}
		_, err = e.svc.PendingTransfers(ctx, e.member(orgB, access.RoleAnalyst, ""))
		wantErr(t, err, cases.ErrForbidden)

		// Only the receiving organisation may accept, and a caseworker
		// only for themself.
		_, err = e.svc.AcceptTransfer(ctx, third, offer.ID, cases.Assignment{})
		wantErr(t, err, cases.ErrNotFound)
		_, err = e.svc.AcceptTransfer(ctx, f.sup1, offer.ID, cases.Assignment{})
		wantErr(t, err, cases.ErrNotFound)
		_, err = e.svc.AcceptTransfer(ctx, f.outsider, offer.ID, cases.Assignment{OwnerID: cwB.UserID})
		wantErr(t, err, cases.ErrForbidden)
		_, err = e.svc.AcceptTransfer(ctx, f.outsiderSup, offer.ID, cases.Assignment{OwnerID: f.cw1.UserID})
		wantValidation(t, err, "owner_id", cases.CodeNotFound)

		e.clock.Advance(time.Minute)
		c, err := e.svc.AcceptTransfer(ctx, f.outsiderSup, offer.ID, cases.Assignment{OwnerID: cwB.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if c.OrgID != orgB || c.OwnerID != cwB.UserID || c.TeamID != teamB || c.Number != "2026-00002" ||
			c.PendingTransfer != nil || !c.UpdatedAt.Equal(e.clock.Now()) {
			t.Fatalf("accepted case %+v", c)
		}
		// The case has left organisation A.
		for _, p := range []access.Principal{f.cw1, f.sup1} {
			_, err := e.svc.Get(ctx, p, id)
			wantErr(t, err, cases.ErrNotFound)
			_, err = e.svc.Notes(ctx, p, id)
			wantErr(t, err, cases.ErrNotFound)
		}
		// And arrived in B with its notes and tasks; the open task went to
		// the new caseworker, the done one stayed as it was.
		notes, err := e.svc.Notes(ctx, cwB, id)
		if err != nil || len(notes) != 1 || notes[0] != note {
			t.Errorf("notes in B: %+v %v", notes, err)
		}
		tasks, err := e.svc.Tasks(ctx, cwB, id)
		if err != nil || len(tasks) != 2 {
			t.Fatalf("tasks in B: %+v %v", tasks, err)
		}
		for _, tk := range tasks {
			want := cwB.UserID
			if tk.ID == doneTask.ID {
				want = f.cw1.UserID
			}
			if tk.AssigneeID != want {
				t.Errorf("task %q assigned to %q, want %q", tk.Title, tk.AssigneeID, want)
			}
		}
		if due, err := e.svc.DueTasks(ctx, cwB, e.clock.Now().Add(time.Hour), 0); err != nil || len(due) != 1 || due[0].ID != task.ID {
			t.Errorf("B's inbox: %+v %v", due, err)
		}
		if list, err := e.svc.PendingTransfers(ctx, f.outsider); err != nil || len(list) != 0 {
			t.Errorf("an accepted offer is still pending: %+v %v", list, err)
		}
		_, err = e.svc.AcceptTransfer(ctx, f.outsiderSup, offer.ID, cases.Assignment{})
		wantErr(t, err, cases.ErrNotFound)
		_, err = e.svc.WithdrawTransfer(ctx, f.cw1, offer.ID)
		wantErr(t, err, cases.ErrNotFound)

		h := e.history(cwB, id)
		want := []string{"case.transfer_offer:transfer,transfer.to_org_id",
			"case.transfer_accept:org_id,number,owner_id,team_id,task.assignee_id,transfer"}
		if i := slices.Index(h, want[0]); i < 0 || i+1 >= len(h) || h[i+1] != want[1] {
			t.Errorf("history %v", h)
		}
		// Entries name the organisation that held the case at the time.
		entries, err := e.svc.History(ctx, cwB, id)
		if err != nil {
			t.Fatal(err)
		}
		org := orgB
		for _, en := range entries { // newest first
			if en.OrgID != org {
				t.Errorf("%s entry in organisation %q, want %q", en.Action, en.OrgID, org)
			}
			if en.Action == "case.transfer_accept" {
				org = f.cw1.OrgID
			}
		}
		e.checkCopies()
	})
}

func TestTransferDeclineAndWithdraw(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		id := f.c1.ID
		orgB := f.outsider.OrgID
		offer, err := e.svc.OfferTransfer(ctx, f.cw1, id, orgB)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.DeclineTransfer(ctx, f.sup1, offer.ID)
		wantErr(t, err, cases.ErrNotFound)
		_, err = e.svc.WithdrawTransfer(ctx, f.outsider, offer.ID)
		wantErr(t, err, cases.ErrNotFound)
		declined, err := e.svc.DeclineTransfer(ctx, f.outsider, offer.ID)
		if err != nil || declined.Status != cases.TransferDeclined || declined.DecidedBy != f.outsider.UserID ||
			declined.DecidedAt == nil || !declined.DecidedAt.Equal(e.clock.Now()) {
			t.Fatalf("declined %+v %v", declined, err)
		}
		if c, err := e.svc.Get(ctx, f.cw1, id); err != nil || c.OrgID != f.cw1.OrgID || c.PendingTransfer != nil {
			t.Fatalf("after the decline: %+v %v", c, err)
		}
		_, err = e.svc.AcceptTransfer(ctx, f.outsider, offer.ID, cases.Assignment{})
		wantErr(t, err, cases.ErrNotFound)

		// A second offer, withdrawn before anyone answers.
		offer2, err := e.svc.OfferTransfer(ctx, f.cw1, id, orgB)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.WithdrawTransfer(ctx, f.cw2, offer2.ID)
		wantErr(t, err, cases.ErrNotFound)
		if w, err := e.svc.WithdrawTransfer(ctx, f.sup1, offer2.ID); err != nil || w.Status != cases.TransferWithdrawn {
			t.Fatalf("withdrawn %+v %v", w, err)
		}
		_, err = e.svc.AcceptTransfer(ctx, f.outsider, offer2.ID, cases.Assignment{})
		wantErr(t, err, cases.ErrNotFound)
		_, err = e.svc.DeclineTransfer(ctx, f.outsider, ids.New())
		wantErr(t, err, cases.ErrNotFound)

		// A case waiting for closure approval cannot be offered.
		if _, err := e.svc.RequestClosure(ctx, f.cw1, id, cases.ClosureRelocated); err != nil {
			t.Fatal(err)
		}
		_, err = e.svc.OfferTransfer(ctx, f.cw1, id, orgB)
		wantValidation(t, err, "status", cases.CodeClosurePending)

		want := []string{"case.create:number,owner_id,status,team_id,risk,concerns",
			"case.transfer_offer:transfer,transfer.to_org_id", "case.transfer_decline:transfer",
			"case.transfer_offer:transfer,transfer.to_org_id", "case.transfer_withdraw:transfer",
			"case.closure_request:closure.reason"}
		if h := e.history(f.cw1, id); !slices.Equal(h, want) {
			t.Errorf("history %v, want %v", h, want)
		}
		e.checkCopies()
	})
}

// stubPersons is a PersonMover that reports the persons without consent
// it is told and records what it moved.
type stubPersons struct {
	missing []string
	moved   []string
	to      access.Record
}

func (s *stubPersons) TransferConsentMissingTx(_ context.Context, _ *store.Tx, _ []string, _ string) ([]string, error) {
	return s.missing, nil
}

func (s *stubPersons) MoveTx(_ context.Context, _ *store.Tx, _ access.Principal, ids []string, to access.Record) error {
	s.moved, s.to = append(s.moved, ids...), to
	return nil
}

// TestTransferMovesPersonsAndParts checks what goes with an accepted case:
// its persons, once each has consented and none is shared with another
// case, and the parts other packages keep, all in the accepting
// transaction; without a person mover a case with persons cannot move.
func TestTransferMovesPersonsAndParts(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newScopeFixture(e)
		orgB := f.outsider.OrgID
		principal, other := e.person(f.cw1.OrgID), e.person(f.cw1.OrgID)
		c := e.create(f.cw1, cases.NewCase{Persons: []cases.PersonLinkInput{{PersonID: principal, Role: cases.RolePrincipal}}})

		// The service the fixture built has no person mover.
		_, err := e.svc.OfferTransfer(ctx, f.cw1, c.ID, orgB)
		if err == nil || errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("offer without a person mover: %v", err)
		}

		stub := &stubPersons{missing: []string{principal}}
		var movedParts []string
		svc := cases.New(cases.Config{DB: e.db, Vault: e.vault, Audit: e.audit, Clock: e.clock, Persons: stub,
			Movers: []cases.PartMover{func(_ context.Context, _ *store.Tx, caseID, orgID string) error {
				movedParts = append(movedParts, caseID+">"+orgID)
				return nil
			}}})
		_, err = svc.OfferTransfer(ctx, f.cw1, c.ID, orgB)
		wantValidation(t, err, "persons", cases.CodeConsentRequired)
		stub.missing = nil
		// A person also linked to another case stays with it.
		shared := e.create(f.cw1, cases.NewCase{Persons: []cases.PersonLinkInput{{PersonID: other, Role: cases.RolePrincipal}}})
		if _, err := svc.LinkPerson(ctx, f.cw1, c.ID, cases.PersonLinkInput{PersonID: other, Role: cases.RoleFamilyMember,
			Relation: "sibling"}); err != nil {
			t.Fatal(err)
		}
		_, err = svc.OfferTransfer(ctx, f.cw1, c.ID, orgB)
		wantValidation(t, err, "persons", cases.CodeSharedPerson)
		if _, err := svc.UnlinkPerson(ctx, f.cw1, shared.ID, other); err != nil {
			t.Fatal(err)
		}
		offer, err := svc.OfferTransfer(ctx, f.cw1, c.ID, orgB)
		if err != nil {
			t.Fatal(err)
		}
		// Consent withdrawn before the answer: the offer cannot be
		// accepted, and nothing moves.
		stub.missing = []string{other}
		_, err = svc.AcceptTransfer(ctx, f.outsider, offer.ID, cases.Assignment{})
		wantValidation(t, err, "persons", cases.CodeConsentRequired)
		if len(stub.moved) != 0 || len(movedParts) != 0 {
			t.Fatalf("a refused acceptance moved %v and %v", stub.moved, movedParts)
		}
		stub.missing = nil
		moved, err := svc.AcceptTransfer(ctx, f.outsider, offer.ID, cases.Assignment{})
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(stub.moved)
		want := []string{principal, other}
		slices.Sort(want)
		if !slices.Equal(stub.moved, want) || stub.to != (access.Record{OrgID: orgB, OwnerID: f.outsider.UserID}) {
			t.Errorf("persons moved %v to %+v", stub.moved, stub.to)
		}
		if !slices.Equal(movedParts, []string{c.ID + ">" + orgB}) {
			t.Errorf("parts moved %v", movedParts)
		}
		if moved.OrgID != orgB {
			t.Errorf("case in %q", moved.OrgID)
		}
		h := e.history(f.outsider, c.ID)
		if last := h[len(h)-1]; last != "case.transfer_accept:org_id,number,owner_id,team_id,transfer,persons" {
			t.Errorf("last history entry %q", last)
		}
	})
}
