// SPDX-License-Identifier: AGPL-3.0-or-later

package access

import (
	"reflect"
	"testing"
)

func TestScopeSQL(t *testing.T) {
	const perm = Permission("case.read")
	tests := []struct {
		name string
		p    Principal
		cond string
		args []any
		ok   bool
	}{
		{"own", Principal{UserID: "u", OrgID: "o", Role: RoleCaseworker, MFA: true}, "x.org_id = ? AND x.owner_id = ?", []any{"o", "u"}, true},
		{"team", Principal{UserID: "u", OrgID: "o", TeamID: "t", Role: RoleSupervisor, MFA: true},
			"x.org_id = ? AND (x.owner_id = ? OR x.team_id = ?)", []any{"o", "u", "t"}, true},
		{"team without a team is own", Principal{UserID: "u", OrgID: "o", Role: RoleSupervisor, MFA: true},
			"x.org_id = ? AND x.owner_id = ?", []any{"o", "u"}, true},
		{"team without an organisation reads nothing", Principal{UserID: "u", Role: RoleSupervisor, MFA: true}, "1 = 0", nil, true},
		{"no scope", Principal{UserID: "u", OrgID: "o", Role: RoleViewer}, "", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cond, args, ok := ScopeSQL(tt.p, perm, "x")
			if cond != tt.cond || !reflect.DeepEqual(args, tt.args) || ok != tt.ok {
				t.Errorf("ScopeSQL = %q, %v, %v; want %q, %v, %v", cond, args, ok, tt.cond, tt.args, tt.ok)
			}
		})
	}
}
