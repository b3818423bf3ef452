// SPDX-License-Identifier: AGPL-3.0-or-later

// Package access decides who may do what to which records. Permissions are
// (resource, action) pairs; each role grants some of them up to a record
// scope (own, team, organisation, all). The grants are data
// (permissions.json) so that routes can name their permission on the same
// line as their handler and tests can walk every route for every role. The
// package knows nothing of HTTP: domain packages ask it about records.
package access

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Scope is how far a grant reaches. Wider scopes include narrower ones.
type Scope int

// Scopes from none to all.
const (
	ScopeNone Scope = iota
	ScopeOwn
	ScopeTeam
	ScopeOrg
	ScopeAll
)

var scopeNames = map[string]Scope{"own": ScopeOwn, "team": ScopeTeam, "org": ScopeOrg, "all": ScopeAll}

func (s Scope) String() string {
	for name, v := range scopeNames {
		if v == s {
			return name
		}
	}
	return "none"
}

// Role names. System administrator is a property of the user; the others
// are held through a membership of an organisation.
const (
	RoleSysadmin   = "sysadmin"
	RoleOrgAdmin   = "org_admin"
	RoleSupervisor = "supervisor"
	RoleCaseworker = "caseworker"
	RoleAnalyst    = "analyst"
	RoleViewer     = "viewer"
)

// Permission is a resource and an action, written "resource.action".
type Permission string

type roleDef struct {
	MFA    bool              `json:"mfa"`
	Grants map[string]string `json:"grants"`
}

type policy struct {
	roles map[string]map[Permission]Scope
	mfa   map[string]bool
}

//go:embed permissions.json
var permissionsJSON []byte

var current = mustLoad(permissionsJSON)

func mustLoad(b []byte) policy {
	p, err := load(b)
	if err != nil {
		panic(fmt.Sprintf("access: permissions.json: %v", err))
	}
	return p
}

func load(b []byte) (policy, error) {
	var doc struct {
		Roles map[string]roleDef `json:"roles"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return policy{}, err
	}
	p := policy{roles: map[string]map[Permission]Scope{}, mfa: map[string]bool{}}
	for role, def := range doc.Roles {
		grants := map[Permission]Scope{}
		for perm, scopeName := range def.Grants {
			s, ok := scopeNames[scopeName]
			if !ok {
				return policy{}, fmt.Errorf("role %s: %s has unknown scope %q", role, perm, scopeName)
			}
			if strings.Count(perm, ".") != 1 {
				return policy{}, fmt.Errorf("role %s: permission %q is not resource.action", role, perm)
			}
			grants[Permission(perm)] = s
		}
		p.roles[role] = grants
		p.mfa[role] = def.MFA
	}
	return p, nil
}

// Roles returns every role name, sorted.
func Roles() []string {
	out := make([]string, 0, len(current.roles))
	for r := range current.roles {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// MembershipRoles returns the roles an organisation membership can carry
// (every role but system administrator).
func MembershipRoles() []string {
	return slices.DeleteFunc(Roles(), func(r string) bool { return r == RoleSysadmin })
}

// ValidRole reports whether role exists.
func ValidRole(role string) bool { _, ok := current.roles[role]; return ok }

// Permissions returns every permission any role grants, sorted.
func Permissions() []Permission {
	seen := map[Permission]bool{}
	for _, grants := range current.roles {
		for p := range grants {
			seen[p] = true
		}
	}
	out := make([]Permission, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// Grant returns the scope role has for perm (ScopeNone when not granted).
func Grant(role string, perm Permission) Scope { return current.roles[role][perm] }

// RequiresMFA reports whether role must complete two-factor sign-in before
// using anything but the enrolment pages. Unknown roles require it.
func RequiresMFA(role string) bool {
	v, ok := current.mfa[role]
	return !ok || v
}
