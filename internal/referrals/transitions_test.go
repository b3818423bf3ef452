// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// Every (from, to, side) triple, against the workflow written out here
// once more: a change to the table must change this test too.
func TestTransitionTable(t *testing.T) {
	type move struct {
		from, to referrals.Status
		by       referrals.Side
	}
	allowed := []move{
		{referrals.StatusSent, referrals.StatusAccepted, referrals.SideReceiver},
		{referrals.StatusSent, referrals.StatusDeclined, referrals.SideReceiver},
		{referrals.StatusAccepted, referrals.StatusCompleted, referrals.SideReceiver},
		{referrals.StatusSent, referrals.StatusRevoked, referrals.SideSender},
		{referrals.StatusAccepted, referrals.StatusRevoked, referrals.SideSender},
	}
	for _, from := range referrals.Statuses() {
		for _, to := range referrals.Statuses() {
			for _, by := range []referrals.Side{referrals.SideSender, referrals.SideReceiver} {
				want := slices.Contains(allowed, move{from, to, by})
				if got := referrals.CanMove(from, to, by); got != want {
					t.Errorf("CanMove(%s → %s by %s) = %v, want %v", from, to, by, got, want)
				}
			}
		}
	}
	for _, final := range []referrals.Status{referrals.StatusDeclined, referrals.StatusCompleted, referrals.StatusRevoked} {
		for _, to := range referrals.Statuses() {
			if referrals.CanMove(final, to, referrals.SideSender, referrals.SideReceiver) {
				t.Errorf("%s is final but moves to %s", final, to)
			}
		}
	}
	if len(referrals.Transitions()) != len(allowed) {
		t.Errorf("Transitions() has %d moves, want %d", len(referrals.Transitions()), len(allowed))
	}
}

func TestOutcomeCodes(t *testing.T) {
	for _, s := range referrals.Statuses() {
		codes := referrals.OutcomeCodes(s)
		wantCodes := s == referrals.StatusDeclined || s == referrals.StatusCompleted || s == referrals.StatusRevoked
		if (len(codes) > 0) != wantCodes {
			t.Errorf("OutcomeCodes(%s) = %v", s, codes)
		}
	}
}

// Moves through the store, each by a given principal, in order, on one
// referral per table row.
func TestMove(t *testing.T) {
	type step struct {
		who     string // key in the principals map
		to      referrals.Status
		code    string
		wantErr error    // ErrNotFound / ErrForbidden
		wantVE  []string // field errors
	}
	tests := []struct {
		name     string
		provider string // "B" or "external"
		steps    []step
		final    referrals.Status
	}{
		{"receiver accepts and completes", "B", []step{
			{who: "receiver", to: referrals.StatusAccepted},
			{who: "receiver", to: referrals.StatusCompleted, code: "service_provided"},
		}, referrals.StatusCompleted},
		{"receiver declines with a reason", "B", []step{
			{who: "receiver", to: referrals.StatusDeclined, wantVE: []string{"outcome:required"}},
			{who: "receiver", to: referrals.StatusDeclined, code: "service_provided", wantVE: []string{"outcome:unknown"}},
			{who: "supervB", to: referrals.StatusDeclined, code: "no_capacity"},
			{who: "receiver", to: referrals.StatusAccepted, wantVE: []string{"status:invalid_transition"}},
		}, referrals.StatusDeclined},
		{"sender cannot answer for an organisation in Amparo", "B", []step{
			{who: "owner", to: referrals.StatusAccepted, wantErr: referrals.ErrForbidden},
			{who: "receiver", to: referrals.StatusAccepted, code: "x", wantVE: []string{"outcome:not_allowed"}},
			{who: "receiver", to: referrals.StatusCompleted, wantVE: []string{"status:invalid_transition"}},
			{who: "receiver", to: referrals.StatusAccepted},
			{who: "owner", to: referrals.StatusCompleted, code: "service_provided", wantErr: referrals.ErrForbidden},
			{who: "receiver", to: referrals.StatusRevoked, code: "no_longer_needed", wantErr: referrals.ErrForbidden},
			{who: "owner", to: referrals.StatusRevoked, code: "no_longer_needed"},
			{who: "owner", to: referrals.StatusSent, wantVE: []string{"status:invalid_transition"}},
		}, referrals.StatusRevoked},
		{"others cannot reach it", "B", []step{
			{who: "stranger", to: referrals.StatusAccepted, wantErr: referrals.ErrNotFound},
			{who: "colleague", to: referrals.StatusRevoked, code: "sent_in_error", wantErr: referrals.ErrNotFound},
			{who: "viewerB", to: referrals.StatusAccepted, wantErr: referrals.ErrNotFound},
			{who: "adminB", to: referrals.StatusAccepted, wantErr: referrals.ErrNotFound},
			{who: "supervisor", to: referrals.StatusRevoked, code: "sent_in_error"},
		}, referrals.StatusRevoked},
		{"sender records an outside provider's answers", "external", []step{
			{who: "supervisor", to: referrals.StatusAccepted},
			{who: "receiver", to: referrals.StatusCompleted, code: "service_provided", wantErr: referrals.ErrNotFound},
			{who: "supervisor", to: referrals.StatusCompleted, code: "person_did_not_attend"},
		}, referrals.StatusCompleted},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.consent(persons.ConsentGiven, f.orgB)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var r referrals.Referral
				var err error
				if tt.provider == "external" {
					r, err = f.refer(f.supervisor, f.external, "legal_obligation")
				} else {
					r, err = f.refer(f.owner, f.provB, "")
				}
				if err != nil {
					t.Fatal(err)
				}
				for i, st := range tt.steps {
					p := f.principal(st.who)
					got, err := f.svc.Move(ctx, p, r.ID, st.to, st.code)
					switch {
					case st.wantErr != nil:
						if !errors.Is(err, st.wantErr) {
							t.Fatalf("step %d (%s → %s): err = %v, want %v", i, st.who, st.to, err, st.wantErr)
						}
					case st.wantVE != nil:
						if fe := fieldErrors(err); !slices.Equal(fe, st.wantVE) {
							t.Fatalf("step %d (%s → %s): err = %v, want %v", i, st.who, st.to, err, st.wantVE)
						}
					case err != nil:
						t.Fatalf("step %d (%s → %s): %v", i, st.who, st.to, err)
					case got.Status != st.to || got.Outcome != st.code || got.UpdatedBy != p.UserID:
						t.Fatalf("step %d: referral = %+v", i, got)
					}
				}
				got, err := f.svc.Get(ctx, f.owner, r.ID)
				if err != nil || got.Status != tt.final {
					t.Fatalf("final = %s, %v; want %s", got.Status, err, tt.final)
				}
			})
		}
		// Audit: each move is logged in the acting side's organisation.
		r, _ := f.refer(f.owner, f.provB, "")
		if _, err := f.svc.Move(ctx, f.receiver, r.ID, referrals.StatusDeclined, "out_of_area"); err != nil {
			t.Fatal(err)
		}
		es := f.actions(r.ID)
		if es[len(es)-1] != "referral.decline:status,outcome" {
			t.Fatalf("audit = %v", es)
		}
	})
}
