// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/totp"
)

func detentionReferenceSamples() map[page][]view {
	cfg := detention.DefaultConfig()
	full := &detentionRefData{
		Limits:    []legalLimitRow{{Country: "MEX", Name: "Mexico", Source: "Ley de Migración, art. 111", AsOf: "1 March 2026", MaxDays: 60}, {Country: "GBR", Name: "United Kingdom", Source: "https://example.org", AsOf: "1 March 2026"}},
		Mandatory: []mandatoryRow{{Detaining: "USA", DetainingName: "United States", Nationality: "CHN", NationalityName: "China", Source: "https://example.org", AsOf: "1 March 2026"}},
		Countries: adminCountryOptions("en"), CanEditShared: true, CanEditSettings: true, Settings: &cfg, Done: "limits",
		Compliance: []complianceTable{{By: "nationality", Rows: []complianceRow{{Key: "GTM", Label: "Guatemala", Records: 3, ToldInTime: 2, ToldDecided: 3, ToldRate: "67%", NotifiedRate: "—"}}},
			{By: "authority"}},
	}
	return map[page][]view{pageDetentionReference: {
		{},
		{Data: &detentionRefData{Settings: &cfg}},
		{Data: full, Fields: map[string]string{"limit_max_days": "too_large", "mand_nationality": "same_as_detaining_country",
			"set_warn_days": "too_small", "limit_as_of": "future"}, Values: map[string]string{"limit_max_days": "99999"}},
	}}
}

// enrolledBrowser signs in a new account of role (a system administrator
// when sysadmin is set), enrolling the second factor its role requires.
func (s *stack) enrolledBrowser(email, role string, sysadmin bool) *browser {
	s.t.Helper()
	in := accounts.NewUser{Email: email, Name: "Test " + role, Password: testPassword, OrgID: s.org.ID, Role: role,
		Sysadmin: sysadmin}
	if _, _, err := s.acc.CreateUser(context.Background(), access.System, in); err != nil {
		s.t.Fatal(err)
	}
	b := s.browser()
	b.login(email, testPassword, pathEnrol)
	res := b.post(pathEnrol, nil)
	secret := strings.ReplaceAll(secretRE.FindStringSubmatch(res.body)[1], " ", "")
	code, err := totp.Code(secret, s.clock.Now())
	if err != nil {
		s.t.Fatal(err)
	}
	expect(s.t, "confirm", b.post("/account/totp/confirm", url.Values{"code": {code}}), http.StatusOK, "")
	return b
}

// A system administrator keeps the legal limits and agreements with their
// sources; an organisation administrator its alert settings; a bad value is
// shown beside its field and changes nothing; the others only read.
func TestDetentionReferencePage(t *testing.T) {
	s := newStack(t)
	sys := s.enrolledBrowser("sys@example.org", access.RoleOrgAdmin, true)
	res := sys.get("/detention")
	expect(t, "page", res, http.StatusOK, "")
	contains(t, "page", res.body, `data-testid="limit-form"`, `data-testid="mandatory-form"`)

	limit := url.Values{"limit_country": {"MX"}, "limit_max_days": {"60"}, "limit_source": {"Ley de Migración, art. 111"}, "limit_as_of": {""}}
	expect(t, "limit", sys.post("/detention/legal-limits", limit), http.StatusSeeOther, "/detention?done=limits#limits")
	limit.Set("limit_max_days", "99999")
	res = sys.post("/detention/legal-limits", limit)
	expect(t, "bad limit", res, http.StatusUnprocessableEntity, "")
	contains(t, "bad limit", res.body, `id="limit_max_days-error"`, `value="99999"`)
	if l, err := s.det.LegalLimitFor(context.Background(), "MEX"); err != nil || l == nil || l.MaxDays != 60 {
		t.Errorf("limit after a refused change: %+v, %v", l, err)
	}
	mand := url.Values{"mand_detaining_country": {"US"}, "mand_nationality": {"US"}, "mand_source": {"x"}}
	res = sys.post("/detention/mandatory-notification", mand)
	expect(t, "same country", res, http.StatusUnprocessableEntity, "")
	contains(t, "same country", res.body, `id="mand_nationality-error"`)
	mand.Set("mand_nationality", "CN")
	expect(t, "mandatory", sys.post("/detention/mandatory-notification", mand), http.StatusSeeOther, "/detention?done=mandatory#mandatory")
	expect(t, "unconfirmed delete", sys.post("/detention/mandatory-notification/USA/CHN/delete", nil), http.StatusBadRequest, "")
	expect(t, "delete", sys.post("/detention/mandatory-notification/USA/CHN/delete", url.Values{"confirm": {"yes"}}),
		http.StatusSeeOther, "/detention?done=mandatory#mandatory")
	if ms, err := s.det.MandatoryCountries(context.Background(), ""); err != nil || len(ms) != 0 {
		t.Errorf("agreements after delete: %+v, %v", ms, err)
	}

	admin := s.enrolledBrowser("admin@example.org", access.RoleOrgAdmin, false)
	expect(t, "org admin on a shared table", admin.post("/detention/legal-limits", limit), http.StatusForbidden, "")
	settings := url.Values{"set_warn_days": {"10"}, "set_review_days": {"3"}, "set_consular_hours": {"48"}}
	expect(t, "settings", admin.post("/detention/settings", settings), http.StatusSeeOther, "/detention?done=settings#settings")
	settings.Set("set_review_days", "0")
	res = admin.post("/detention/settings", settings)
	expect(t, "bad settings", res, http.StatusUnprocessableEntity, "")
	contains(t, "bad settings", res.body, `id="set_review_days-error"`)

	sup := s.enrolledBrowser("sup@example.org", access.RoleSupervisor, false)
	res = sup.get("/detention")
	expect(t, "supervisor", res, http.StatusOK, "")
	contains(t, "supervisor", res.body, `data-testid="compliance-nationality"`, "Ley de Migración")
	if strings.Contains(res.body, `data-testid="settings-form"`) || strings.Contains(res.body, `data-testid="limit-form"`) {
		t.Error("a supervisor is offered forms they may not use")
	}
	expect(t, "supervisor settings", sup.post("/detention/settings", settings), http.StatusForbidden, "")
}
