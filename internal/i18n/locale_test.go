// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"testing"
	"time"
)

func TestT(t *testing.T) {
	t.Parallel()
	c := load(t)
	en, fr := c.Locale("en"), c.Locale("fr")
	when := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	for _, tc := range []struct {
		l    *Locale
		key  string
		args []any
		want string
	}{
		{en, "login.title", nil, "Sign in"},
		{fr, "login.title", nil, "Connexion"},
		{en, "tokens.revoke_full", []any{"name", "Nightly <export>"}, "Revoke the token Nightly <export>"},
		// Numbers are written the language's way.
		{en, "password.new_hint", []any{"min", 12, "max", 1280},
			"12 to 1,280 characters. A few unrelated words make a strong password that is easy to remember."},
		{fr, "tokens.name_hint", []any{"max", 1000},
			"À quoi sert le jeton, pour le reconnaître plus tard. 1\u00a0000 caractères au maximum."},
		// A time.Time is written as a date; extra arguments are ignored.
		{en, "common.in_utc", []any{"time", when, "unused", 1}, "2 March 2026 UTC"},
		// A placeholder without a value stays visible, as does a missing key
		// or a plural message asked for with T.
		{en, "common.in_utc", nil, "{time} UTC"},
		{en, "common.in_utc", []any{"time"}, "{time} UTC"},
		{en, "no.such.key", nil, "⟦no.such.key⟧"},
		{en, "sessions.count", nil, "⟦sessions.count⟧"},
	} {
		if got := tc.l.T(tc.key, tc.args...); got != tc.want {
			t.Errorf("%s T(%q, %v) = %q, want %q", tc.l.Code(), tc.key, tc.args, got, tc.want)
		}
	}
	if !en.Has("login.title") || en.Has("sessions.count") || en.Has("no.such.key") {
		t.Error("Has is wrong")
	}
}

// TestN checks the plural form chosen for each count, for the languages
// whose rules differ most.
func TestN(t *testing.T) {
	t.Parallel()
	c := load(t)
	cases := map[string]map[int]string{
		"en": {0: "You have 0 active sessions.", 1: "You have 1 active session.", 2: "You have 2 active sessions.", 1000: "You have 1,000 active sessions."},
		"fr": {0: "Vous avez 0 session active.", 1: "Vous avez 1 session active.", 2: "Vous avez 2 sessions actives."},
		"es": {0: "Tiene 0 sesiones activas.", 1: "Tiene 1 sesión activa.", 2: "Tiene 2 sesiones activas."},
		"ru": {
			1: "У вас 1 активный сеанс.", 2: "У вас 2 активных сеанса.", 5: "У вас 5 активных сеансов.",
			11: "У вас 11 активных сеансов.", 21: "У вас 21 активный сеанс.", 22: "У вас 22 активных сеанса.",
			25: "У вас 25 активных сеансов.", 0: "У вас 0 активных сеансов.",
		},
		"ar": {
			0: "ليست لديك أي جلسة نشطة.", 1: "لديك جلسة نشطة واحدة.", 2: "لديك جلستان نشطتان.",
			3: "لديك ٣ جلسات نشطة.", 11: "لديك ١١ جلسة نشطة.", 100: "لديك ١٠٠ جلسة نشطة.",
		},
		"zh": {0: "您有 0 个活动会话。", 1: "您有 1 个活动会话。", 2: "您有 2 个活动会话。"},
	}
	for code, byCount := range cases {
		l := c.Locale(code)
		for n, want := range byCount {
			if got := l.N("sessions.count", n); got != want {
				t.Errorf("%s N(sessions.count, %d) = %q, want %q", code, n, got, want)
			}
		}
	}
	// Other placeholders are filled too; a negative count takes the form
	// of its absolute value.
	if got, want := c.Locale("ru").N("tokens.expires_hint", 366, "min", 1), "От 1 до 366 дней."; got != want {
		t.Errorf("ru expires_hint = %q, want %q", got, want)
	}
	if got, want := c.Locale("en").N("sessions.count", -1), "You have -1 active session."; got != want {
		t.Errorf("en N(-1) = %q, want %q", got, want)
	}
	if got := c.Locale("en").N("login.title", 1); got != "⟦login.title⟧" {
		t.Errorf("a plain message as plural = %q", got)
	}
}
