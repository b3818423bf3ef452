// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/i18n"
)

// keyRE finds a message key written in a template: {{t "key"}},
// (tn "key" n), has "key".
var keyRE = regexp.MustCompile(`[{(\s](t|tn|has)\s+"([^"]*)"`)

// TestTemplateKeysExist checks that every key a template names is in every
// language, as a plain message for t and has and a plural one for tn.
func TestTemplateKeysExist(t *testing.T) {
	t.Parallel()
	cat := i18n.MustLoad()
	entries, err := fs.ReadDir(files, "templates")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, e := range entries {
		for _, m := range keyRE.FindAllStringSubmatch(string(mustRead("templates/"+e.Name())), -1) {
			found++
			fn, key := m[1], m[2]
			for _, lang := range i18n.Languages {
				l := cat.Locale(lang.Code)
				ok := l.Has(key)
				if fn == "tn" {
					ok = !strings.HasPrefix(l.N(key, 1), "⟦")
				}
				if !ok {
					t.Errorf("%s: %s %q has no %s message", e.Name(), fn, key, lang.Code)
				}
			}
		}
	}
	// The pages name well over a hundred keys; far fewer means the
	// pattern no longer matches how templates are written.
	if found < 100 {
		t.Errorf("found %d keys in the templates; has keyRE fallen out of step with them?", found)
	}
}

// TestCodesHaveMessages checks that every code a handler can pass to a
// template has words of its own in every language, rather than the general
// message shared.html falls back to.
func TestCodesHaveMessages(t *testing.T) {
	t.Parallel()
	cat := i18n.MustLoad()
	var keys []string
	for _, code := range []string{errBadRequest, errCredentials, errThrottled} {
		keys = append(keys, "error."+code)
	}
	for _, code := range []string{errCode, errRecoveryCode, errMismatch, errOutOfRange,
		// The accounts domain's codes for the fields of the forms here
		// (changing one's password, issuing a token).
		"required", "too_short", "too_long", "too_common", "invalid", "same_as_current", "incorrect",
		"unknown_scope", "not_held"} {
		keys = append(keys, "field."+code)
	}
	for _, role := range access.Roles() {
		keys = append(keys, "role."+role)
	}
	for _, lang := range i18n.Languages {
		for _, key := range keys {
			if !cat.Locale(lang.Code).Has(key) {
				t.Errorf("%s has no message %s", lang.Code, key)
			}
		}
	}
}

// TestEveryPageInEveryLanguage renders each page in each of its states in
// each language, with the whole header shown, and checks the result as
// checkPage does, with the page's language and direction and the switcher.
func TestEveryPageInEveryLanguage(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	qr, err := newQRCode("otpauth://totp/Amparo:ana@example.org?issuer=Amparo&secret=JBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	samples := map[page][]view{
		pageLogin: {
			{Error: errCredentials, Values: map[string]string{"email": "ana@example.org"}},
			{Error: "a_code_without_words"},
		},
		pageLoginTOTP: {
			{Fields: map[string]string{"code": errCode, "recovery_code": errRecoveryCode}},
			{Error: errThrottled},
		},
		pageEnrol: {
			{Data: &enrolData{Required: true}},
			{Data: &enrolData{Enabled: true}},
			{Data: &enrolData{Setup: &totpSetup{Secret: "JBSW Y3DP EHPK 3PXP", URI: "otpauth://totp/x", QR: qr}}},
			{Data: &enrolData{Retry: true}, Error: errBadRequest, Fields: map[string]string{"code": errCode}},
		},
		pageRecovery: {{Data: &recoveryData{Codes: []string{"abcd-efgh-ijkl"}, Next: pathHome}}},
		pagePassword: {{Data: &passwordData{Required: true}, Fields: map[string]string{
			"current_password": "incorrect", "new_password": "too_short", "confirm": errMismatch}}},
		pageHome: {
			{Data: &homeData{Name: "Ana", Email: "ana@example.org", Role: access.RoleCaseworker, OrgID: "org_1"}},
			{Data: &homeData{Name: "سارة", Role: "a_role_without_words", TOTPEnabled: true}},
			{Data: &homeData{}},
		},
		pageSessions: {
			{Data: &sessionsData{Sessions: []sessionRow{
				{ID: "s1", CreatedAt: now, LastSeenAt: now, MFA: true, Current: true},
				{ID: "s2", CreatedAt: now, LastSeenAt: now},
			}}},
			{Data: &sessionsData{}},
		},
		pageTokens: {
			{Data: &tokensData{
				Tokens: []tokenRow{
					{ID: "t1", Name: "Nightly export", Scopes: "user.read", ExpiresAt: now, LastUsedAt: &now},
					{ID: "t2", Name: "تصدير", Scopes: "user.read", ExpiresAt: now, RevokedAt: &now},
				},
				CanCreate: true, Held: []access.Permission{"user.read"}, MaxDays: maxTokenDays,
			}, Fields: map[string]string{"name": "required", "scopes": "not_held", "expires_in_days": errOutOfRange}},
			{Data: &tokensData{}, Error: errBadRequest},
		},
		pageTokenCreated: {{Data: &tokenCreatedData{Name: "CI", Scopes: "user.read", Secret: "amp_x", ExpiresAt: now}}},
		pageError:        {{Status: 400}, {Status: 403}, {Status: 404}, {Status: 500, RequestID: "req_1"}},
	}
	maps.Copy(samples, commitmentSamples(now))
	maps.Copy(samples, adminSamples(now))
	maps.Copy(samples, caseSamples(now))
	maps.Copy(samples, inboxSamples(now))
	maps.Copy(samples, detentionReferenceSamples())
	maps.Copy(samples, caseProtectionSamples(now))
	maps.Copy(samples, exportSamples(now))
	maps.Copy(samples, caseListSamples(now))
	maps.Copy(samples, caseImportSamples(now))
	maps.Copy(samples, exploitationSamples(now))
	maps.Copy(samples, violationSamples(now))
	maps.Copy(samples, frameworkSamples())
	maps.Copy(samples, dashboardSamples(now))
	maps.Copy(samples, statisticsSamples(t, now))
	maps.Copy(samples, scorecardSamples())
	maps.Copy(samples, indicatorSamples())
	maps.Copy(samples, observationSamples(now))
	maps.Copy(samples, harvestSamples(now))
	maps.Copy(samples, obsImportSamples(now))
	r := httptest.NewRequest("GET", "/account/tokens?sort=name", nil)
	renderEveryPage(t, samples, allPages, r, "/", func(what string, lang i18n.Language, body string) {
		contains(t, what, body, `data-testid="lang-switcher"`,
			`<a href="?lang=`+lang.Code+`&amp;sort=name" lang="`+lang.Code+`" hreflang="`+lang.Code+`" dir="`+lang.Dir+
				`" data-testid="lang-`+lang.Code+`" aria-current="true">`, `href="/admin"`)
		if n := strings.Count(body, `aria-current="true"`); n != 1 {
			t.Errorf("%s: %d languages marked current", what, n)
		}
	})
}

// renderEveryPage renders each of pages in each of its sample views in each
// language, for request r, with the whole header shown and navPath as the
// path the header marks, and checks the result as checkPage does, with the
// page's language and direction; more, when set, checks it further.
func renderEveryPage(t *testing.T, samples map[page][]view, pages []page, r *http.Request, navPath string,
	more func(what string, lang i18n.Language, body string)) {
	t.Helper()
	w := New(Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for _, p := range pages {
		if len(samples[p]) == 0 {
			t.Errorf("no sample view for the %s page", p)
		}
		for i, v := range samples[p] {
			for _, lang := range i18n.Languages {
				v.Nav = nav{Path: navPath, Account: true, SignOut: true, Admin: true}
				v.Langs = langLinks(r, lang.Code)
				var b strings.Builder
				if err := w.pages.get(p, lang.Code).ExecuteTemplate(&b, layoutFile, v); err != nil {
					t.Fatalf("%s #%d in %s: %v", p, i, lang.Code, err)
				}
				body := b.String()
				what := string(p) + " #" + strconv.Itoa(i) + " in " + lang.Code
				checkPage(t, what, body)
				if got, dir := pageLang(body); got != lang.Code || dir != lang.Dir {
					t.Errorf("%s: the page says lang %q dir %q", what, got, dir)
				}
				if more != nil {
					more(what, lang, body)
				}
			}
		}
	}
}
