// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// The consent gate: a referral to another organisation needs the person's
// consent to that organisation, in force at the moment of sending.
func TestConsentGate(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)

		_, err := f.refer(f.owner, f.provB, "")
		wantFieldErrors(t, err, "consent:consent_required")
		if n := f.count(`SELECT COUNT(*) FROM referrals`); n != 0 {
			t.Fatalf("a refused referral left %d rows", n)
		}

		// Consent to another organisation does not count.
		f.consent(persons.ConsentGiven, f.orgC)
		_, err = f.refer(f.owner, f.provB, "")
		wantFieldErrors(t, err, "consent:consent_required")

		f.consent(persons.ConsentGiven, f.orgB)
		r, err := f.refer(f.owner, f.provB, "")
		if err != nil {
			t.Fatalf("with consent: %v", err)
		}
		if r.Basis != referrals.BasisConsent || r.ToOrgID != f.orgB || r.FromOrgID != f.orgA || r.Status != referrals.StatusSent {
			t.Fatalf("referral = %+v", r)
		}
		if got := f.actions(r.ID); !slices.Equal(got, []string{
			"referral.create:case_id,person_id,provider_id,service_type,consent_basis"}) {
			t.Fatalf("audit = %v", got)
		}
		got, err := f.svc.Get(ctx, f.owner, r.ID)
		if err != nil || got != r {
			t.Fatalf("Get = %+v, %v; want %+v", got, err, r)
		}

		f.consent(persons.ConsentWithdrawn, f.orgB)
		_, err = f.refer(f.owner, f.provB, "")
		wantFieldErrors(t, err, "consent:consent_required")
		if n := f.count(`SELECT COUNT(*) FROM referrals`); n != 1 {
			t.Fatalf("%d referrals, want 1", n)
		}
	})
}

func TestConsentOverride(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)

		// A caseworker cannot override, whatever the reason.
		_, err := f.refer(f.owner, f.provB, "life_threatening_emergency")
		wantFieldErrors(t, err, "consent:consent_required", "override_reason:not_allowed")
		_, err = f.refer(f.supervisor, f.provB, "it_seemed_urgent")
		wantFieldErrors(t, err, "override_reason:unknown")
		if n := f.count(`SELECT COUNT(*) FROM referrals`); n != 0 {
			t.Fatalf("refused overrides left %d rows", n)
		}

		r, err := f.refer(f.supervisor, f.provB, "child_protection_emergency")
		if err != nil {
			t.Fatalf("override: %v", err)
		}
		if r.Basis != referrals.BasisOverride || r.OverrideReason != "child_protection_emergency" {
			t.Fatalf("referral = %+v", r)
		}
		if got := f.actions(r.ID); !slices.Equal(got, []string{
			"referral.create:case_id,person_id,provider_id,service_type,consent_basis",
			"referral.consent_override:consent,override_reason"}) {
			t.Fatalf("audit = %v", got)
		}

		// With consent in force, a reason given is not used.
		f.consent(persons.ConsentGiven, f.orgB)
		r, err = f.refer(f.supervisor, f.provB, "legal_obligation")
		if err != nil || r.Basis != referrals.BasisConsent || r.OverrideReason != "" {
			t.Fatalf("with consent and a reason = %+v, %v", r, err)
		}
	})
}

func TestConsentGateByProvider(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)

		// The case's own organisation needs no consent.
		r, err := f.refer(f.owner, f.provA, "")
		if err != nil || r.Basis != referrals.BasisInternal || r.ToOrgID != f.orgA {
			t.Fatalf("internal referral = %+v, %v", r, err)
		}
		// A provider outside Amparo cannot be named in a consent: only an
		// override sends to it.
		f.consent(persons.ConsentGiven, f.orgB)
		_, err = f.refer(f.owner, f.external, "")
		wantFieldErrors(t, err, "consent:consent_required")
		r, err = f.refer(f.supervisor, f.external, "life_threatening_emergency")
		if err != nil || r.Basis != referrals.BasisOverride || r.ToOrgID != "" {
			t.Fatalf("external override = %+v, %v", r, err)
		}
	})
}

func TestCreateValidation(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.consent(persons.ConsentGiven, f.orgB)
		past := t0.Add(-48 * time.Hour)
		_, err := f.svc.Create(ctx, f.owner, f.caseID, referrals.NewReferral{ServiceType: "haircut", DueAt: &past})
		wantFieldErrors(t, err, "person_id:required", "provider_id:required", "service_type:unknown", "due_at:past")

		// A person of the organisation who is not in the case.
		other := f.newPerson()
		_, err = f.svc.Create(ctx, f.owner, f.caseID, referrals.NewReferral{PersonID: other, ProviderID: f.provB, ServiceType: "legal"})
		wantFieldErrors(t, err, "person_id:not_in_case")

		narrow := providerInput("Legal only", "")
		narrow.ServiceTypes = []string{"legal"}
		pr, err := f.svc.CreateProvider(ctx, f.adminA, narrow)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Create(ctx, f.owner, f.caseID, referrals.NewReferral{PersonID: f.personID, ProviderID: pr.ID, ServiceType: "shelter"})
		wantFieldErrors(t, err, "service_type:not_offered")

		due := t0.Add(72 * time.Hour)
		r, err := f.svc.Create(ctx, f.owner, f.caseID, referrals.NewReferral{PersonID: f.personID, ProviderID: f.provB,
			ServiceType: "legal", DueAt: &due})
		if err != nil || r.DueAt == nil || !r.DueAt.Equal(due) {
			t.Fatalf("with due date = %+v, %v", r, err)
		}
		if got, _ := f.svc.Get(ctx, f.owner, r.ID); got.DueAt == nil || !got.DueAt.Equal(due) {
			t.Fatalf("stored due date = %v", got.DueAt)
		}

		// Out of reach: another organisation, a colleague without the case,
		// a user who may read the case but not refer.
		if _, err := f.refer(f.stranger, f.provB, ""); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("stranger: %v", err)
		}
		if _, err := f.refer(f.colleague, f.provB, ""); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("colleague: %v", err)
		}
		if _, err := f.refer(f.receiver, f.provB, ""); !errors.Is(err, referrals.ErrNotFound) {
			t.Fatalf("receiver: %v", err)
		}

		// A closed case takes no referrals.
		f.exec(`UPDATE cases SET status = 'closed' WHERE id = ?`, f.caseID)
		_, err = f.refer(f.owner, f.provB, "")
		wantFieldErrors(t, err, "case:closed")
	})
}

// newPerson inserts a person of A in no case.
func (f *fixture) newPerson() string {
	id := ids.New()
	f.exec(`INSERT INTO persons (id, org_id, owner_id, created_at, updated_at) VALUES (?, ?, ?, 1, 1)`, id, f.orgA, f.owner.UserID)
	return id
}
