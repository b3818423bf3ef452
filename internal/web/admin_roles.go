// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
)

// adminRolesData is the matrix of what each role may do: a row per
// permission, a column per role, and in each cell how far the role's grant
// reaches. It is read from package access, so it is always the rules the
// server applies.
type adminRolesData struct {
	Roles []adminRoleColumn
	Rows  []adminPermRow
}

type adminRoleColumn struct {
	Role string
	MFA  bool
}

type adminPermRow struct {
	Perm string
	// Scopes holds, in the order of Roles, the scope code of each role's
	// grant: "none", "own", "team", "org" or "all".
	Scopes []string
}

// adminRoleOrder puts the roles from the widest to the narrowest; a role it
// does not name follows, in access.Roles' order.
var adminRoleOrder = []string{access.RoleSysadmin, access.RoleOrgAdmin, access.RoleSupervisor, access.RoleCaseworker,
	access.RoleAnalyst, access.RoleViewer}

// adminOrderedRoles returns every role, adminRoleOrder's first.
func adminOrderedRoles() []string {
	all := access.Roles()
	out := slices.DeleteFunc(slices.Clone(adminRoleOrder), func(r string) bool { return !slices.Contains(all, r) })
	for _, r := range all {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// adminRoles shows the matrix of roles and permissions. It changes nothing
// and holds nothing personal.
func (w *Web) adminRoles(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, pageAdminRoles, view{Data: adminRolesMatrix()})
}

func adminRolesMatrix() *adminRolesData {
	roles := adminOrderedRoles()
	d := &adminRolesData{}
	for _, role := range roles {
		d.Roles = append(d.Roles, adminRoleColumn{Role: role, MFA: access.RequiresMFA(role)})
	}
	for _, perm := range access.Permissions() {
		row := adminPermRow{Perm: string(perm)}
		for _, role := range roles {
			row.Scopes = append(row.Scopes, access.Grant(role, perm).String())
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}
