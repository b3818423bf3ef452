// SPDX-License-Identifier: AGPL-3.0-or-later

package demo_test

import (
	"context"
	"testing"

	"github.com/amparo-project/amparo/internal/demo"
	"github.com/amparo-project/amparo/internal/testutil"
)

func TestSeedIsRepeatableAndMarked(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		first, err := demo.Seed(ctx, a.DB, a.Accounts)
		if err != nil || len(first) != 3 {
			t.Fatalf("Seed = %v, %v", first, err)
		}
		var demoUsers, demoOrgs int
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM users WHERE is_demo = 1 AND must_change_password = 1`), &demoUsers); err != nil || demoUsers != 3 {
			t.Fatalf("%d demo users with one-time passwords, %v", demoUsers, err)
		}
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE is_demo = 1`), &demoOrgs); err != nil || demoOrgs != 1 {
			t.Fatalf("%d demo organisations, %v", demoOrgs, err)
		}
		// The administrator starts using the account: a second run leaves it
		// alone and re-issues the others' unused one-time passwords.
		if _, err := a.DB.Exec(ctx, `UPDATE users SET must_change_password = 0 WHERE id = (SELECT id FROM users WHERE is_sysadmin = 1)`); err != nil {
			t.Fatal(err)
		}
		second, err := demo.Seed(ctx, a.DB, a.Accounts)
		if err != nil {
			t.Fatal(err)
		}
		for i, acc := range second {
			switch {
			case acc.Email == "admin@demo.amparo.test" && acc.Password != "":
				t.Errorf("an account in use got a new password")
			case acc.Email != "admin@demo.amparo.test" && (acc.Password == "" || acc.Password == first[i].Password):
				t.Errorf("%s: unused account did not get a fresh one-time password", acc.Email)
			}
		}
		var orgs int
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM organisations`), &orgs); err != nil || orgs != 1 {
			t.Fatalf("second run created organisations: %d", orgs)
		}
	})
}

// Without demo mode there are no accounts at all.
func TestNoDefaultAccounts(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		var n int
		if err := a.DB.Scan(a.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM users`), &n); err != nil || n != 0 {
			t.Fatalf("a fresh installation has %d accounts, %v", n, err)
		}
	})
}
