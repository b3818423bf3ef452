// SPDX-License-Identifier: AGPL-3.0-or-later

package access

import (
	"strings"
	"sync"
)

// Principal is who is acting: a signed-in user or an API token, within one
// organisation.
type Principal struct {
	UserID string
	OrgID  string // the organisation acted in; "" for a system administrator outside any
	TeamID string
	Role   string
	// Scopes limits an API token to these permissions; nil for a session.
	Scopes []Permission
	// MFA is true when the session completed two-factor sign-in, and for
	// API tokens (issued only from such a session).
	MFA bool
}

// Anonymous is the principal of a request without credentials.
var Anonymous = Principal{}

// Authenticated reports whether p is a user.
func (p Principal) Authenticated() bool { return p.UserID != "" }

// Scope returns how far p may exercise perm: the role's grant, narrowed to
// nothing when a token's scopes do not include it or when the role needs
// two-factor sign-in that the session has not completed.
func (p Principal) Scope(perm Permission) Scope {
	if !p.Authenticated() {
		return ScopeNone
	}
	if RequiresMFA(p.Role) && !p.MFA {
		return ScopeNone
	}
	if p.Scopes != nil && !hasScope(p.Scopes, perm) {
		return ScopeNone
	}
	return Grant(p.Role, perm)
}

func hasScope(scopes []Permission, perm Permission) bool {
	for _, s := range scopes {
		if s == perm {
			return true
		}
		// "resource.*" grants every action on a resource.
		if res, ok := strings.CutSuffix(string(s), ".*"); ok && strings.HasPrefix(string(perm), res+".") {
			return true
		}
	}
	return false
}

// Can reports whether p holds perm at any scope.
func (p Principal) Can(perm Permission) bool { return p.Scope(perm) > ScopeNone }

// Record locates a record for scope checks: its organisation, the user who
// owns it (the caseworker, or for a user record the user themself) and the
// team it belongs to.
type Record struct {
	OrgID   string
	OwnerID string
	TeamID  string
}

// Allows reports whether p may exercise perm on rec. A record of another
// organisation is out of reach for every scope below ScopeAll; callers
// answer 404 for it so that its existence is not revealed.
func (p Principal) Allows(perm Permission, rec Record) bool {
	switch p.Scope(perm) {
	case ScopeAll:
		return true
	case ScopeOrg:
		return rec.OrgID != "" && rec.OrgID == p.OrgID
	case ScopeTeam:
		if rec.OrgID != p.OrgID || rec.OrgID == "" {
			return false
		}
		return rec.OwnerID == p.UserID || (p.TeamID != "" && rec.TeamID == p.TeamID)
	case ScopeOwn:
		return rec.OrgID == p.OrgID && rec.OwnerID == p.UserID
	default:
		return false
	}
}

// knownScopes is every permission and resource wildcard, built once: token
// scopes are parsed on every API request.
var knownScopes = sync.OnceValue(func() map[string]bool {
	known := map[string]bool{}
	for _, p := range Permissions() {
		known[string(p)] = true
		res, _, _ := strings.Cut(string(p), ".")
		known[res+".*"] = true
	}
	return known
})

// ParseScopes parses a space-separated list of token scopes, each a granted
// permission or "resource.*". It returns the unknown entry when one is found.
func ParseScopes(s string) ([]Permission, string) {
	known := knownScopes()
	var out []Permission
	for _, f := range strings.Fields(s) {
		if !known[f] {
			return nil, f
		}
		out = append(out, Permission(f))
	}
	return out, ""
}

// System is the principal of the command line run by the machine's
// operator: a system administrator who has, by holding the data directory,
// already proved more than two factors could.
var System = Principal{UserID: "system", Role: RoleSysadmin, MFA: true}
