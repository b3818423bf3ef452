// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts_test

import (
	"errors"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestReauthenticate checks the step-up password check: the right
// password passes unaudited, a wrong one is a field error audited as a
// failure naming the act, and past the throttle even the right one waits.
func TestReauthenticate(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		u := a.NewUser(org.ID, access.RoleSupervisor, "")
		if err := a.Accounts.Reauthenticate(ctx, u.Principal, u.Password, "case.export"); err != nil {
			t.Fatalf("right password: %v", err)
		}
		if err := a.Accounts.Reauthenticate(ctx, access.Anonymous, u.Password, "case.export"); !errors.Is(err, accounts.ErrUnauthorized) {
			t.Fatalf("anonymous: %v", err)
		}
		for i := range 10 {
			err := a.Accounts.Reauthenticate(ctx, u.Principal, "wrong password", "case.export")
			var ve *accounts.ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Field != "password" ||
				ve.Errors[0].Code != accounts.CodeIncorrect {
				t.Fatalf("wrong password #%d: %v", i+1, err)
			}
		}
		entries, _, err := a.Audit.List(ctx, audit.Filter{Action: "auth.reauth_failed", Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 10 || entries[0].ActorID != u.ID || entries[0].Outcome != audit.OutcomeFailed ||
			len(entries[0].Fields) != 1 || entries[0].Fields[0] != "case.export" {
			t.Fatalf("audit: %d entries, newest %+v", len(entries), entries[0])
		}
		var te *accounts.ThrottledError
		if err := a.Accounts.Reauthenticate(ctx, u.Principal, u.Password, "case.export"); !errors.As(err, &te) {
			t.Fatalf("past the throttle: %v", err)
		}
	})
}
