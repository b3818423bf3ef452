// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/i18n"
)

// adminSamples are views of the administration pages in their states, for
// the tests that render every page in every language.
func adminSamples(now time.Time) map[page][]view {
	user := adminUserRow{ID: "u1", Name: "Ana Álvarez", Email: "ana@example.org", TOTP: true,
		Memberships: []adminMembership{{ID: "m1", OrgID: "o1", OrgName: "Cruz", Role: access.RoleCaseworker, TeamID: "t1", TeamName: "North",
			Teams: []option{{Value: "t1", Label: "North"}}}}}
	arabic := adminUserRow{ID: "u2", Name: "سارة", Email: "sara@example.org", Disabled: true, MustChange: true, Sysadmin: true,
		Memberships: []adminMembership{{ID: "m2", OrgID: "o2", Role: "a_role_without_words"}}}
	erased := adminUserRow{ID: "u3", Erased: true, Disabled: true}
	countries := []option{{Value: "MX", Label: "Mexico"}, {Value: "FR", Label: "France"}}
	org := adminOrgRow{ID: "o1", Name: "Cruz", Country: "MX", CountryName: "Mexico", CreatedAt: now}
	entries := []audit.Entry{
		{Seq: 3, At: now, ActorID: "u1", OrgID: "o1", Action: "user.read", ObjectType: "user", ObjectID: "u2",
			Fields: []string{"email", "name"}, Outcome: audit.OutcomeOK},
		{Seq: 2, At: now, Action: "auth.login_failed", ObjectType: "user", Outcome: audit.OutcomeFailed},
		{Seq: 1, At: now, ActorID: "system", Action: "an.action_without_words", ObjectType: "a_type_without_words",
			Outcome: audit.OutcomeDenied},
	}
	return map[page][]view{
		pageAdmin: {
			{Data: &adminIndexData{Orgs: true, OrgCreate: true, Users: true, UserCreate: true, Roles: true, Tokens: true, Audit: true}},
			{Data: &adminIndexData{Orgs: true, Audit: true}},
		},
		pageAdminOrgs: {
			{Data: &adminOrgsData{Orgs: []adminOrgRow{org, {ID: "o2", Name: "منظمة", IsDemo: true, CreatedAt: now}},
				Next: "/admin/organisations?after=o2", First: "/admin/organisations", CanCreate: true, Countries: countries},
				Values: map[string]string{"name": "Cruz", "country": "MX"}, Error: "a_code_without_words",
				Fields: map[string]string{"name": "taken", "country": "invalid_country_code"}},
			{Data: &adminOrgsData{Q: "zz"}},
			{Data: &adminOrgsData{}},
		},
		pageAdminOrg: {
			{Data: &adminOrgData{Org: org, Countries: countries, CanTeams: true, Done: adminDoneOrgCreated,
				Teams: nil, Retention: &adminRetentionData{CanEdit: true, Min: 30, Max: 36500}},
				Values: map[string]string{"name": "", "country": "", "team_name": "x", "closed_case_days": "7"},
				Fields: map[string]string{"name": "required", "country": "invalid_country_code", "team_name": "too_long",
					"closed_case_days": errOutOfRange, "confirm": "required"}},
			{Data: &adminOrgData{Org: adminOrgRow{ID: "o2", Name: "Demo", IsDemo: true}, Done: adminDoneOrgUpdated,
				Retention: &adminRetentionData{Days: 365, UpdatedAt: now}}},
			{Data: &adminOrgData{Org: org, Done: adminDoneRetention, Retention: &adminRetentionData{Days: 1, CanEdit: true}}},
			{Data: &adminOrgData{Org: org, Done: adminDoneTeamCreated}, Error: errBadRequest},
		},
		pageAdminUsers: {
			{Data: &adminUsersData{Orgs: []option{{Value: "o1", Label: "Cruz"}}, OrgID: "o1",
				Users: []adminUserRow{user, arabic, erased}, Next: "/admin/users?after=u3", First: "/admin/users",
				CanCreate: true, Done: adminDoneErased}},
			{Data: &adminUsersData{Search: true}, Values: map[string]string{"email": "x@example.org"},
				Fields: map[string]string{"email": "required"}},
			{Data: &adminUsersData{OrgID: "o1"}},
		},
		pageAdminUserNew: {
			{Data: &adminUserNewData{Orgs: []option{{Value: "o1", Label: "Cruz"}}}},
			{Data: &adminUserNewData{Orgs: []option{}}},
			{Data: &adminUserNewData{OrgID: "o1", OrgName: "Cruz", Roles: access.MembershipRoles(),
				Teams: []option{{Value: "t1", Label: "North"}}},
				Values: map[string]string{"email": "bad", "name": "Ana", "role": access.RoleViewer, "team_id": "t1"},
				Fields: map[string]string{"email": "invalid_email", "name": "too_long", "role": "invalid_role", "team_id": "not_found"},
				Error:  errBadRequest},
		},
		pageAdminUser: {
			{Data: &adminUserData{adminUserRow: user, CreatedAt: now, UpdatedAt: now, Roles: access.MembershipRoles(),
				CanUpdate: true, CanErase: true, CanMembership: true, Done: adminDoneMemberUpdated},
				Fields: map[string]string{"role-m1": "cannot_change_own_role", "team-m1": "not_found"}},
			{Data: &adminUserData{adminUserRow: arabic, Demo: true, CanUpdate: true, Done: adminDoneDisabled}, Error: "cannot_disable_self"},
			{Data: &adminUserData{adminUserRow: user, Self: true, CanUpdate: true, Done: adminDoneEnabled}},
			{Data: &adminUserData{adminUserRow: erased, CanUpdate: true, Done: adminDoneTOTPReset}},
		},
		pageAdminOneTime: {
			{Data: &adminOneTimeData{UserID: "u1", Name: "Ana", Email: "ana@example.org", Password: "s3cret-pass", Created: true}},
			{Data: &adminOneTimeData{UserID: "u2", Name: "سارة", Email: "sara@example.org", Password: "s3cret-pass"}},
		},
		pageAdminConfirm: {
			{Data: &adminConfirmData{Action: adminActDisable, Post: "/admin/users/u1/disable", Back: "/admin/users/u1", Name: "Ana", Email: "a@x.org"},
				Error: "cannot_disable_self"},
			{Data: &adminConfirmData{Action: adminActResetPassword, Post: "/p", Back: "/b", Name: "Ana", Email: "a@x.org"}},
			{Data: &adminConfirmData{Action: adminActResetTOTP, Post: "/p", Back: "/b", Name: "سارة", Email: "s@x.org"}},
			{Data: &adminConfirmData{Action: adminActErase, Post: "/p", Back: "/b", Erased: true},
				Fields: map[string]string{"confirm_word": "wrong_word"}},
			{Data: &adminConfirmData{Action: adminActRevokeToken, Post: "/p", Back: "/b", TokenName: "CI", TokenOwner: "u1"}},
			{Data: &adminConfirmData{Action: "an_action_without_words"}},
		},
		pageAdminRoles: {{Data: adminRolesMatrix()}},
		pageAdminTokens: {
			{Data: &adminTokensData{Tokens: []adminTokenRow{
				{ID: "t1", Name: "Nightly export", OwnerID: "u1", Scopes: []string{"user.read", "audit.read"}, CreatedAt: now, ExpiresAt: now, LastUsedAt: &now},
				{ID: "t2", Name: "تصدير", OwnerID: "u2", Scopes: []string{"user.*"}, CreatedAt: now, ExpiresAt: now, RevokedAt: &now},
			}, Next: "/admin/tokens?after=t2", First: "/admin/tokens", CanRevoke: true, Done: adminDoneTokenRevoked}},
			{Data: &adminTokensData{Tokens: []adminTokenRow{{ID: "t1", Name: "CI", OwnerID: "u1", CreatedAt: now, ExpiresAt: now}}}},
			{Data: &adminTokensData{}},
		},
		pageAdminAudit: {
			{Data: &adminAuditData{Entries: entries, Actions: adminAuditActions, ObjectTypes: adminAuditObjectTypes, All: true, Listed: true,
				Older: "/admin/audit?before=1", Newest: "/admin/audit", CSV: "/admin/audit/export?format=csv",
				XLSX: "/admin/audit/export?format=xlsx", MaxExport: audit.MaxLimit},
				Values: map[string]string{"action": "user.read", "object_type": "user", "from": "2026-03-01", "to": "2026-03-02"}},
			{Data: &adminAuditData{Actions: adminAuditActions, ObjectTypes: adminAuditObjectTypes, Own: true, Listed: true}},
			{Data: &adminAuditData{Actions: adminAuditActions, ObjectTypes: adminAuditObjectTypes},
				Fields: map[string]string{"actor": "invalid", "action": "invalid", "object_type": "invalid", "object_id": "invalid",
					"from": "invalid_date", "to": "date_order"}},
		},
	}
}

// TestAdminPagesInEveryLanguage renders each administration page in each
// of its states in each language, and checks the result as checkPage
// does: no message missing, no placeholder left, the page's language and
// direction.
func TestAdminPagesInEveryLanguage(t *testing.T) {
	t.Parallel()
	samples := adminSamples(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	renderEveryPage(t, samples, adminPages, httptest.NewRequest("GET", "/admin", nil), "/admin", nil)
	if len(samples) != len(adminPages) {
		t.Errorf("%d pages have samples, want %d", len(samples), len(adminPages))
	}
}

// TestAdminCodesHaveMessages checks that every code the administration
// pages can be given has words of its own in every language: the domain's
// field codes for these forms, the actions and object types of the audit
// log, the permissions and the scopes.
func TestAdminCodesHaveMessages(t *testing.T) {
	t.Parallel()
	cat := i18n.MustLoad()
	var keys []string
	for _, code := range []string{"required", "too_long", "invalid", "invalid_email", "taken", "invalid_role", "not_found",
		"invalid_country_code", "wrong_word", "invalid_date", "date_order", "cannot_change_own_role"} {
		keys = append(keys, "field."+code)
	}
	for _, code := range []string{errBadRequest, "cannot_disable_self", "cannot_erase_self"} {
		keys = append(keys, "error."+code)
	}
	for _, a := range adminAuditActions {
		keys = append(keys, "admin.audit.action."+a)
	}
	for _, o := range adminAuditObjectTypes {
		keys = append(keys, "admin.audit.type."+o)
	}
	for _, c := range adminAuditColumns {
		keys = append(keys, "admin.audit.col."+c)
	}
	for _, p := range access.Permissions() {
		keys = append(keys, "admin.perm."+string(p))
	}
	for _, r := range access.Roles() {
		keys = append(keys, "role."+r)
	}
	for _, s := range []access.Scope{access.ScopeOwn, access.ScopeTeam, access.ScopeOrg, access.ScopeAll, access.ScopeNone} {
		keys = append(keys, "admin.scope."+s.String())
	}
	for _, lang := range i18n.Languages {
		for _, key := range keys {
			if !cat.Locale(lang.Code).Has(key) {
				t.Errorf("%s has no message %s", lang.Code, key)
			}
		}
	}
}
