// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/totp"
)

// langCookieOf returns the language cookie res sets, or nil.
func langCookieOf(res response) *http.Cookie {
	for _, c := range res.cookies {
		if c.Name == langCookie {
			return c
		}
	}
	return nil
}

// expectLang checks the language and direction of a page.
func expectLang(t *testing.T, what string, res response, lang, dir string) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("%s: got %d, want 200", what, res.status)
	}
	if got, gotDir := pageLang(res.body); got != lang || gotDir != dir {
		t.Errorf("%s: page is lang %q dir %q, want %q %q", what, got, gotDir, lang, dir)
	}
}

// TestLanguageChoice follows a visitor who picks Arabic in the switcher and
// keeps it, and browsers that only say what they prefer.
func TestLanguageChoice(t *testing.T) {
	t.Parallel()
	s := newStack(t)

	b := s.browser()
	res := b.get("/login")
	expectLang(t, "no preference", res, "en", "ltr")
	if langCookieOf(res) != nil {
		t.Error("a language cookie was set without a choice")
	}
	if vary := strings.Join(res.header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
		t.Errorf("Vary %q lacks Accept-Language or Cookie", vary)
	}
	contains(t, "switcher", res.body, `data-testid="lang-switcher"`, `href="?lang=ar" lang="ar" hreflang="ar" dir="rtl" data-testid="lang-ar">العربية</a>`,
		`data-testid="lang-en" aria-current="true">English</a>`)

	res = b.get("/login?lang=ar")
	expectLang(t, "?lang=ar", res, "ar", "rtl")
	contains(t, "?lang=ar", res.body, "<h1>تسجيل الدخول</h1>", `data-testid="lang-ar" aria-current="true">`)
	c := langCookieOf(res)
	if c == nil {
		t.Fatal("?lang=ar set no cookie")
	}
	if c.Value != "ar" || c.Path != "/" || c.MaxAge != 365*24*60*60 || !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Errorf("language cookie %+v: want ar, Path=/, a year, Secure, HttpOnly, SameSite=Lax", c)
	}
	// The cookie alone keeps the choice, over the browser's preference.
	req := b.request(http.MethodGet, "/login", nil)
	req.Header.Set("Accept-Language", "fr")
	expectLang(t, "cookie only", b.do(req), "ar", "rtl")

	// A failed sign-in is answered in the chosen language, without a
	// switcher: its links would not show the same page.
	res = b.post("/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong password"}})
	if lang, _ := pageLang(res.body); lang != "ar" || res.status != http.StatusUnauthorized {
		t.Errorf("failed sign-in: %d in %q", res.status, lang)
	}
	contains(t, "failed sign-in", res.body, "البريد الإلكتروني أو كلمة المرور غير صحيحة.")
	if strings.Contains(res.body, "lang-switcher") {
		t.Error("the page answering a post has a language switcher")
	}

	// An invalid choice is ignored: no cookie, and the cookie's language.
	res = b.get("/login?lang=xx")
	expectLang(t, "?lang=xx with the cookie", res, "ar", "rtl")
	if langCookieOf(res) != nil {
		t.Error("?lang=xx set a cookie")
	}
	fresh := s.browser()
	res = fresh.get("/login?lang=xx")
	expectLang(t, "?lang=xx", res, "en", "ltr")
	if langCookieOf(res) != nil {
		t.Error("?lang=xx set a cookie")
	}

	// Without a choice, the browser's preference.
	req = fresh.request(http.MethodGet, "/login", nil)
	req.Header.Set("Accept-Language", "fr-CH, de;q=0.5")
	res = fresh.do(req)
	expectLang(t, "Accept-Language fr-CH", res, "fr", "ltr")
	contains(t, "French", res.body, "<h1>Connexion</h1>")
}

// TestLanguageChoiceSurvivesRedirect checks that a language picked on a
// page that sends the visitor elsewhere is remembered for the next page.
func TestLanguageChoiceSurvivesRedirect(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b := s.browser()
	res := b.get("/account/sessions?lang=es")
	expect(t, "sessions before sign-in", res, http.StatusSeeOther, "/login")
	if c := langCookieOf(res); c == nil || c.Value != "es" {
		t.Fatalf("the redirect set language cookie %+v, want es", c)
	}
	expectLang(t, "sign-in after the redirect", b.get("/login"), "es", "ltr")
}

// TestSwitcherKeepsQuery checks that the switcher's links keep the page's
// other query parameters and replace lang.
func TestSwitcherKeepsQuery(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b := s.browser()
	res := b.get("/login?lang=ru&next=%2Faccount%2Ftokens")
	expectLang(t, "Russian", res, "ru", "ltr")
	contains(t, "switcher", res.body, `href="?lang=zh&amp;next=%2Faccount%2Ftokens"`, `data-testid="lang-ru" aria-current="true">Русский</a>`)
	if strings.Contains(res.body, "lang=ru&amp;lang") {
		t.Error("a switcher link repeats lang")
	}
}

// TestHeader checks the header for each kind of visitor: anyone sees the
// main navigation; someone signed in sees their account's menu; only
// someone who may administer sees the administration link.
func TestHeader(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	res := s.browser().get("/login")
	contains(t, "anonymous", res.body, `href="/"`, `href="/commitments"`)
	for _, absent := range []string{`href="/admin"`, `data-testid="nav-tokens"`, `data-testid="nav-signout"`} {
		if strings.Contains(res.body, absent) {
			t.Errorf("anonymous header has %s", absent)
		}
	}

	viewer, _ := s.signedIn("vic@example.org")
	res = viewer.get("/")
	contains(t, "viewer", res.body, `href="/commitments"`, `href="/account/sessions"`, `data-testid="nav-tokens"`,
		`href="/account/totp/enrol"`, `href="/account/password"`, `data-testid="nav-signout"`,
		`<a href="/" aria-current="page">Home</a>`)
	if strings.Contains(res.body, `href="/admin"`) {
		t.Error("a viewer is offered the administration pages")
	}

	// An analyst may read the audit log, after the second factor.
	const email = "ada@example.org"
	s.user(email, "Ada Analyst", access.RoleAnalyst)
	analyst := s.browser()
	analyst.login(email, testPassword, "/account/totp/enrol")
	res = analyst.get("/account/totp/enrol")
	if strings.Contains(res.body, `href="/admin"`) || strings.Contains(res.body, `data-testid="nav-tokens"`) {
		t.Error("a session that has not finished signing in is offered more than signing out")
	}
	res = analyst.post("/account/totp/enrol", nil)
	secret := strings.ReplaceAll(secretRE.FindStringSubmatch(res.body)[1], " ", "")
	code, err := totp.Code(secret, s.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "confirm", analyst.post("/account/totp/confirm", url.Values{"code": {code}}), http.StatusOK, "")
	contains(t, "analyst", analyst.get("/").body, `href="/admin"`)
}
