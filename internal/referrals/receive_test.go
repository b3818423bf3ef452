// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// What the receiving organisation may see is fixed here: a field added to
// Received or SharedPerson must be added to this list on purpose.
func TestReceivedViewHoldsOnlyCoveredFields(t *testing.T) {
	fields := func(v any) []string {
		var out []string
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			out = append(out, typ.Field(i).Name)
		}
		return out
	}
	if got, want := fields(referrals.Received{}), []string{"ID", "FromOrgID", "ProviderID", "ServiceType", "Status",
		"DueAt", "Basis", "OverrideReason", "Outcome", "SentAt", "UpdatedAt", "Person"}; !slices.Equal(got, want) {
		t.Errorf("Received fields = %v, want %v", got, want)
	}
	if got, want := fields(referrals.SharedPerson{}), []string{"Sex", "BirthYear", "Nationality", "Languages",
		"CurrentCountry", "CurrentAdmin1"}; !slices.Equal(got, want) {
		t.Errorf("SharedPerson fields = %v, want %v", got, want)
	}
}

func TestReceivingSide(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.consent(persons.ConsentGiven, f.orgB)
		r := f.mustRefer(f.provB)
		internal := f.mustRefer(f.provA)

		list, next, err := f.svc.ListReceived(ctx, f.receiver, referrals.ReceivedFilter{}, referrals.Page{})
		if err != nil || next != "" || len(list) != 1 || list[0].ID != r.ID || list[0].Person != nil {
			t.Fatalf("ListReceived = %+v, %q, %v", list, next, err)
		}
		got, err := f.svc.GetReceived(ctx, f.receiver, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := referrals.Received{ID: r.ID, FromOrgID: f.orgA, ProviderID: f.provB, ServiceType: "medical",
			Status: referrals.StatusSent, Basis: referrals.BasisConsent, SentAt: r.SentAt, UpdatedAt: r.UpdatedAt,
			Person: &referrals.SharedPerson{Sex: "female", BirthYear: 1994, Nationality: "HND", Languages: []string{"es", "en"},
				CurrentCountry: "MEX", CurrentAdmin1: "MX-CHP"}}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("GetReceived =\n%+v\nwant\n%+v", got, want)
		}
		if es := f.actions(r.ID); es[len(es)-1] != "referral.read_received:service_type,status,due_at,person.sex,"+
			"person.birth_year,person.nationality,person.languages,person.current_country,person.current_admin1" {
			t.Fatalf("audit = %v", es)
		}
		// The receiver sees nothing of the case or the person's record.
		if _, err := f.cases.Get(ctx, f.receiver, f.caseID); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("receiver reads the case: %v", err)
		}
		if _, err := f.persons.Get(ctx, f.receiver, f.personID); !errors.Is(err, persons.ErrNotFound) {
			t.Fatalf("receiver reads the person: %v", err)
		}
		if _, err := f.svc.Get(ctx, f.receiver, r.ID); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("receiver reads the sender's view: %v", err)
		}
		if _, err := f.svc.ForCase(ctx, f.receiver, f.caseID); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("receiver lists the case's referrals: %v", err)
		}
		// The supervisor of B sees it too; anyone else, nothing.
		if _, err := f.svc.GetReceived(ctx, f.supervB, r.ID); err != nil {
			t.Fatalf("supervisor of B: %v", err)
		}
		for _, name := range []string{"stranger", "viewerB", "adminB", "owner", "supervisor", "sysadmin"} {
			if _, err := f.svc.GetReceived(ctx, f.principal(name), r.ID); !errors.Is(err, referrals.ErrNotFound) {
				t.Errorf("%s: GetReceived = %v, want ErrNotFound", name, err)
			}
		}
		if list, _, err := f.svc.ListReceived(ctx, f.stranger, referrals.ReceivedFilter{}, referrals.Page{}); err != nil || len(list) != 0 {
			t.Fatalf("stranger lists %v, %v", list, err)
		}
		if _, _, err := f.svc.ListReceived(ctx, f.viewerB, referrals.ReceivedFilter{}, referrals.Page{}); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("viewer of B lists: %v", err)
		}
		if _, err := f.svc.Get(ctx, f.stranger, r.ID); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("stranger Get: %v", err)
		}
		// A colleague in A receives the internal referral only.
		list, _, err = f.svc.ListReceived(ctx, f.colleague, referrals.ReceivedFilter{}, referrals.Page{})
		if err != nil || len(list) != 1 || list[0].ID != internal.ID {
			t.Fatalf("colleague lists %+v, %v", list, err)
		}

		// Withdrawing consent withholds the person's attributes at once.
		f.consent(persons.ConsentWithdrawn, f.orgB)
		got, err = f.svc.GetReceived(ctx, f.receiver, r.ID)
		if err != nil || got.Person != nil {
			t.Fatalf("after withdrawal: %+v, %v", got.Person, err)
		}
		if es := f.actions(r.ID); es[len(es)-1] != "referral.read_received:service_type,status,due_at" {
			t.Fatalf("audit = %v", es)
		}
		// No sealed identity is ever read: the sentinel stays sealed.
		if strings.Contains(strings.Join(f.actions(r.ID), " "), "SNTL") {
			t.Fatal("sentinel in audit")
		}
	})
}

func TestListReceivedPagesAndFilters(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.consent(persons.ConsentGiven, f.orgB)
		var sent []string
		for range 5 {
			f.clock.Advance(1e9)
			sent = append(sent, f.mustRefer(f.provB).ID)
		}
		if _, err := f.svc.Move(ctx, f.receiver, sent[0], referrals.StatusAccepted, ""); err != nil {
			t.Fatal(err)
		}
		var seen []string
		cursor := ""
		for {
			page, next, err := f.svc.ListReceived(ctx, f.receiver, referrals.ReceivedFilter{}, referrals.Page{Cursor: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				seen = append(seen, r.ID)
			}
			if next == "" {
				break
			}
			cursor = next
		}
		slices.Reverse(seen)
		if !slices.Equal(seen, sent) {
			t.Fatalf("pages = %v, want newest first of %v", seen, sent)
		}
		acc, _, err := f.svc.ListReceived(ctx, f.receiver, referrals.ReceivedFilter{Status: referrals.StatusAccepted}, referrals.Page{})
		if err != nil || len(acc) != 1 || acc[0].ID != sent[0] {
			t.Fatalf("accepted = %+v, %v", acc, err)
		}
		// A cursor from another organisation's list is refused.
		if _, _, err := f.svc.ListReceived(ctx, f.stranger, referrals.ReceivedFilter{}, referrals.Page{Cursor: sent[1]}); err == nil {
			t.Fatal("foreign cursor accepted")
		}
	})
}

func TestForCase(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		a := f.mustRefer(f.provA)
		f.clock.Advance(1e9)
		b, err := f.refer(f.supervisor, f.external, "legal_obligation")
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"owner", "supervisor"} {
			list, err := f.svc.ForCase(ctx, f.principal(name), f.caseID)
			if err != nil || len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
				t.Fatalf("%s: ForCase = %+v, %v", name, list, err)
			}
		}
		for _, name := range []string{"colleague", "stranger", "adminA", "receiver"} {
			if _, err := f.svc.ForCase(ctx, f.principal(name), f.caseID); !errors.Is(err, referrals.ErrNotFound) {
				t.Errorf("%s: ForCase = %v", name, err)
			}
		}
	})
}

// When the case moves to another organisation, its referrals move with it
// and stay with their receiver.
func TestMoveCaseTx(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.consent(persons.ConsentGiven, f.orgB)
		r := f.mustRefer(f.provB)
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.Exec(ctx, `UPDATE cases SET org_id = ? WHERE id = ?`, f.orgC, f.caseID); err != nil {
				return err
			}
			return referrals.MoveCaseTx(ctx, tx, f.caseID, f.orgC)
		}); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.GetReceived(ctx, f.receiver, r.ID)
		if err != nil || got.FromOrgID != f.orgC {
			t.Fatalf("after the move: %+v, %v", got, err)
		}
		if _, err := f.svc.Get(ctx, f.owner, r.ID); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("the old organisation still reaches it: %v", err)
		}
	})
}
