// SPDX-License-Identifier: AGPL-3.0-or-later

package retention_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/retention"
	"github.com/amparo-project/amparo/internal/testutil"
)

var ctx = context.Background()

func TestValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		days int
		code string
	}{
		{0, ""},
		{retention.MinDays, ""},
		{365, ""},
		{retention.MaxDays, ""},
		{1, retention.CodeTooSmall},
		{retention.MinDays - 1, retention.CodeTooSmall},
		{-5, retention.CodeTooSmall},
		{retention.MaxDays + 1, retention.CodeTooLarge},
	} {
		err := retention.Validate(tc.days)
		var ve *fielderr.Error
		switch {
		case tc.code == "" && err != nil:
			t.Errorf("%d days: %v", tc.days, err)
		case tc.code != "" && (!errors.As(err, &ve) || ve.Errors[0] != fielderr.FieldError{Field: "closed_case_days", Code: tc.code}):
			t.Errorf("%d days: %v, want %s", tc.days, err, tc.code)
		}
	}
}

func TestCutoff(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		days int
		want time.Time
	}{
		{30, time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)},
		{365, time.Date(2025, 3, 31, 12, 0, 0, 0, time.UTC)},
	} {
		if got := retention.Cutoff(now, tc.days); !got.Equal(tc.want) {
			t.Errorf("Cutoff(%d) = %v, want %v", tc.days, got, tc.want)
		}
	}
}

// Only the organisation's administrators set its period; others who may
// read the organisation read it; another organisation gets "not found".
func TestPolicyAccess(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		orgA, orgB := a.Org("A"), a.Org("B")
		admin := a.NewUser(orgA.ID, access.RoleOrgAdmin, "")
		cw := a.NewUser(orgA.ID, access.RoleCaseworker, "")
		adminB := a.NewUser(orgB.ID, access.RoleOrgAdmin, "")

		pol, err := a.Retention.Get(ctx, cw.Principal, orgA.ID)
		if err != nil || !pol.Keeps() {
			t.Fatalf("default: %+v, %v", pol, err)
		}
		if _, err := a.Retention.Set(ctx, cw.Principal, orgA.ID, 365); !errors.Is(err, retention.ErrForbidden) {
			t.Fatalf("caseworker sets: %v", err)
		}
		for _, id := range []string{orgA.ID, "not-an-id", "01jx0000000000000000000000"} {
			if _, err := a.Retention.Set(ctx, adminB.Principal, id, 365); !errors.Is(err, retention.ErrNotFound) {
				t.Fatalf("another organisation sets %s: %v", id, err)
			}
			if _, err := a.Retention.Get(ctx, adminB.Principal, id); !errors.Is(err, retention.ErrNotFound) {
				t.Fatalf("another organisation reads %s: %v", id, err)
			}
		}
		var ve *fielderr.Error
		if _, err := a.Retention.Set(ctx, admin.Principal, orgA.ID, 7); !errors.As(err, &ve) {
			t.Fatalf("7 days: %v", err)
		}
		head, _, _ := a.Audit.Head(ctx)
		pol, err = a.Retention.Set(ctx, admin.Principal, orgA.ID, 365)
		if err != nil || pol.Days != 365 || pol.UpdatedBy != admin.ID {
			t.Fatalf("set: %+v, %v", pol, err)
		}
		if got, _ := a.Retention.Get(ctx, cw.Principal, orgA.ID); got.Days != 365 {
			t.Fatalf("read back %+v", got)
		}
		if _, err := a.Retention.Set(ctx, admin.Principal, orgA.ID, 365); err != nil {
			t.Fatal(err)
		}
		if pol, err := a.Retention.Set(ctx, admin.Principal, orgA.ID, 0); err != nil || !pol.Keeps() {
			t.Fatalf("back to keeping: %+v, %v", pol, err)
		}
		entries, _, err := a.Audit.List(ctx, audit.Filter{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		var changes int
		for _, e := range entries {
			if e.Seq > head && e.Action == "organisation.retention" {
				changes++
				if e.ObjectID != orgA.ID || e.ActorID != admin.ID || strings.Join(e.Fields, ",") != "retention.closed_case_days" {
					t.Errorf("entry %+v", e)
				}
			}
		}
		if changes != 2 {
			t.Errorf("%d changes audited, want 2 (setting the same period again changes nothing)", changes)
		}
	})
}

// closeCase closes c as its caseworker asks and its supervisor approves.
func closeCase(t *testing.T, a *testutil.App, cw, sup testutil.User, c cases.Case) {
	t.Helper()
	if _, err := a.Cases.RequestClosure(ctx, cw.Principal, c.ID, "objectives_met"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Cases.ApproveClosure(ctx, sup.Principal, c.ID); err != nil {
		t.Fatal(err)
	}
}

// pair makes a caseworker and their supervisor, in one team of orgID.
func pair(t *testing.T, a *testutil.App, orgID string) (cw, sup testutil.User) {
	t.Helper()
	team, err := a.Accounts.CreateTeam(ctx, access.System, orgID, "Team")
	if err != nil {
		t.Fatal(err)
	}
	return a.NewUser(orgID, access.RoleCaseworker, team.ID), a.NewUser(orgID, access.RoleSupervisor, team.ID)
}
