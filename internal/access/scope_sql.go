// SPDX-License-Identifier: AGPL-3.0-or-later

package access

// ScopeSQL returns the SQL condition selecting exactly the records on which
// Principal.Allows lets p exercise perm, for a table aliased alias whose
// rows carry org_id, owner_id and team_id, with its arguments; ok is false
// when p has no scope at all. Lists filter in SQL with it so that a page
// holds only readable records and paging stays exact.
func ScopeSQL(p Principal, perm Permission, alias string) (cond string, args []any, ok bool) {
	org, owner, team := alias+".org_id = ?", alias+".owner_id = ?", alias+".team_id = ?"
	switch p.Scope(perm) {
	case ScopeAll:
		return "1 = 1", nil, true
	case ScopeOrg:
		if p.OrgID == "" {
			return "1 = 0", nil, true
		}
		return org, []any{p.OrgID}, true
	case ScopeTeam:
		if p.OrgID == "" {
			return "1 = 0", nil, true
		}
		if p.TeamID == "" {
			return org + " AND " + owner, []any{p.OrgID, p.UserID}, true
		}
		return org + " AND (" + owner + " OR " + team + ")", []any{p.OrgID, p.UserID, p.TeamID}, true
	case ScopeOwn:
		return org + " AND " + owner, []any{p.OrgID, p.UserID}, true
	default:
		return "", nil, false
	}
}
