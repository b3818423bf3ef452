// SPDX-License-Identifier: AGPL-3.0-or-later

package access

import (
	"strings"
	"testing"
)

func TestEveryRoleIsDefined(t *testing.T) {
	for _, r := range []string{RoleSysadmin, RoleOrgAdmin, RoleSupervisor, RoleCaseworker, RoleAnalyst, RoleViewer} {
		if !ValidRole(r) {
			t.Errorf("role %s missing from permissions.json", r)
		}
	}
}

// A role that administers, or reads other people's identities, must use
// two-factor sign-in (SECURITY-BAR 5).
func TestAdministeringRolesRequireMFA(t *testing.T) {
	for _, role := range Roles() {
		for _, perm := range Permissions() {
			s := Grant(role, perm)
			res, action, _ := strings.Cut(string(perm), ".")
			administers := action != "read" && res != "token" && res != "session" && s > ScopeNone
			readsOthers := (res == "user" || res == "audit") && s > ScopeOwn
			if (administers || readsOthers) && !RequiresMFA(role) {
				t.Errorf("role %s holds %s at scope %s without requiring MFA", role, perm, s)
			}
		}
	}
}

func TestAllows(t *testing.T) {
	rec := Record{OrgID: "orgA", OwnerID: "u1", TeamID: "t1"}
	tests := []struct {
		name string
		p    Principal
		perm Permission
		want bool
	}{
		{"sysadmin sees any org", Principal{UserID: "s", Role: RoleSysadmin, MFA: true}, "user.read", true},
		{"org admin sees own org", Principal{UserID: "a", OrgID: "orgA", Role: RoleOrgAdmin, MFA: true}, "user.read", true},
		{"org admin blind to other org", Principal{UserID: "a", OrgID: "orgB", Role: RoleOrgAdmin, MFA: true}, "user.read", false},
		{"org admin without MFA sees nothing", Principal{UserID: "a", OrgID: "orgA", Role: RoleOrgAdmin}, "user.read", false},
		{"supervisor sees team", Principal{UserID: "s", OrgID: "orgA", TeamID: "t1", Role: RoleSupervisor, MFA: true}, "user.read", true},
		{"supervisor blind to other team", Principal{UserID: "s", OrgID: "orgA", TeamID: "t2", Role: RoleSupervisor, MFA: true}, "user.read", false},
		{"supervisor without team sees only self", Principal{UserID: "s", OrgID: "orgA", Role: RoleSupervisor, MFA: true}, "user.read", false},
		{"caseworker sees own", Principal{UserID: "u1", OrgID: "orgA", Role: RoleCaseworker, MFA: true}, "user.read", true},
		{"caseworker blind to others", Principal{UserID: "u2", OrgID: "orgA", Role: RoleCaseworker, MFA: true}, "user.read", false},
		{"viewer needs no MFA for own", Principal{UserID: "u1", OrgID: "orgA", Role: RoleViewer}, "user.read", true},
		{"token scope excludes", Principal{UserID: "a", OrgID: "orgA", Role: RoleOrgAdmin, MFA: true, Scopes: []Permission{"organisation.read"}}, "user.read", false},
		{"token wildcard includes", Principal{UserID: "a", OrgID: "orgA", Role: RoleOrgAdmin, MFA: true, Scopes: []Permission{"user.*"}}, "user.read", true},
		{"anonymous", Anonymous, "organisation.read", false},
		{"ungranted permission", Principal{UserID: "u1", OrgID: "orgA", Role: RoleViewer}, "audit.read", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Allows(tt.perm, rec); got != tt.want {
				t.Fatalf("Allows(%s) = %v, want %v", tt.perm, got, tt.want)
			}
		})
	}
}

func TestParseScopes(t *testing.T) {
	got, bad := ParseScopes("organisation.read user.*")
	if bad != "" || len(got) != 2 {
		t.Fatalf("ParseScopes = %v, %q", got, bad)
	}
	if _, bad := ParseScopes("organisation.read cases.delete"); bad != "cases.delete" {
		t.Fatalf("unknown scope not reported: %q", bad)
	}
}

func TestLoadRejectsBadPolicy(t *testing.T) {
	for name, doc := range map[string]string{
		"bad scope":      `{"roles":{"x":{"grants":{"user.read":"everyone"}}}}`,
		"bad permission": `{"roles":{"x":{"grants":{"userread":"own"}}}}`,
		"bad json":       `{`,
	} {
		if _, err := load([]byte(doc)); err == nil {
			t.Errorf("%s: load succeeded", name)
		}
	}
}

// Token scopes come from API clients: parsing never panics, and whatever it
// accepts is a known permission or resource wildcard.
func FuzzParseScopes(f *testing.F) {
	for _, seed := range []string{"organisation.read user.*", "", "  ", "audit.read audit.read", "x.* y", "user.\x00read"} {
		f.Add(seed)
	}
	known := map[Permission]bool{}
	for _, p := range Permissions() {
		known[p] = true
		res, _, _ := strings.Cut(string(p), ".")
		known[Permission(res+".*")] = true
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, bad := ParseScopes(s)
		if bad != "" && got != nil {
			t.Fatalf("ParseScopes(%q) returned scopes and an unknown entry", s)
		}
		for _, p := range got {
			if !known[p] {
				t.Fatalf("ParseScopes(%q) accepted unknown %q", s, p)
			}
		}
	})
}
