// SPDX-License-Identifier: AGPL-3.0-or-later

// Package demo seeds a demonstration organisation and users, marked as demo
// data, for `amparo serve --demo` and `amparo demo`. Nothing here runs
// unless demo mode is asked for: a normal installation has no default
// accounts.
package demo

import (
	"context"
	"errors"
	"fmt"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/store"
)

// OrganisationName names the demo organisation.
const OrganisationName = "Amparo demo organisation"

// Account is a demo account and its one-time password (empty when the
// account already existed and was left alone).
type Account struct {
	Email, Role, Password string
}

var accountsToSeed = []struct {
	email, name, role string
	sysadmin          bool
}{
	{"admin@demo.amparo.test", "Demo Administrator", access.RoleOrgAdmin, true},
	{"caseworker@demo.amparo.test", "Demo Caseworker", access.RoleCaseworker, false},
	{"analyst@demo.amparo.test", "Demo Analyst", access.RoleAnalyst, false},
}

// Seed creates the demo organisation and accounts when absent. For an
// account that exists but has never signed in (its one-time password is
// unchanged) it issues a fresh one-time password, so that whoever runs the
// demo again can still get in; accounts in use are left alone.
func Seed(ctx context.Context, db *store.DB, acc *accounts.Service) ([]Account, error) {
	var orgID string
	err := db.Scan(db.QueryRow(ctx, `SELECT id FROM organisations WHERE name = ? AND is_demo = 1`, OrganisationName), &orgID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		name, country := OrganisationName, ""
		org, err := acc.CreateOrganisation(ctx, access.System, accounts.OrganisationInput{Name: &name, Country: &country}, true)
		if err != nil {
			return nil, fmt.Errorf("demo organisation: %w", err)
		}
		orgID = org.ID
	case err != nil:
		return nil, err
	}
	var out []Account
	for _, a := range accountsToSeed {
		id, err := acc.UserIDByEmail(ctx, a.email)
		if errors.Is(err, accounts.ErrNotFound) {
			_, pw, err := acc.CreateUser(ctx, access.System, accounts.NewUser{
				Email: a.email, Name: a.name, OrgID: orgID, Role: a.role, Sysadmin: a.sysadmin, Demo: true,
			})
			if err != nil {
				return nil, fmt.Errorf("demo account %s: %w", a.email, err)
			}
			out = append(out, Account{a.email, displayRole(a.role, a.sysadmin), pw})
			continue
		}
		if err != nil {
			return nil, err
		}
		var mustChange int
		if err := db.Scan(db.QueryRow(ctx, `SELECT must_change_password FROM users WHERE id = ? AND is_demo = 1`, id), &mustChange); err != nil {
			return nil, fmt.Errorf("account %s exists and is not a demo account", a.email)
		}
		pw := ""
		if mustChange == 1 {
			if pw, err = acc.ResetPassword(ctx, access.System, id, ""); err != nil {
				return nil, err
			}
		}
		out = append(out, Account{a.email, displayRole(a.role, a.sysadmin), pw})
	}
	return out, nil
}

func displayRole(role string, sysadmin bool) string {
	if sysadmin {
		return access.RoleSysadmin
	}
	return role
}
