// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import "testing"

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ query, cookie, accept, want string }{
		{"", "", "", "en"},
		{"ar", "fr", "ru", "ar"},
		{"", "fr", "ru", "fr"},
		{"xx", "fr", "ru", "fr"},
		{"xx", "yy", "ru", "ru"},
		{"AR", "", "", "en"},
		{"", "", "fr-CH, de;q=0.5", "fr"},
		{"", "", "de, es;q=0.3", "es"},
		{"", "", "de", "en"},
		{"", "", "es-419", "es"},
		{"", "", "ar-EG,ar;q=0.9,en;q=0.8", "ar"},
		{"", "", "zh-CN", "zh"},
		{"", "", "zh-TW", "zh"},
		{"", "", "zh-Hant", "zh"},
		{"", "", "ru-RU;q=0.9, en;q=0.8", "ru"},
		{"", "", "ru;q=0, fr", "fr"},
		{"", "", "en-GB", "en"},
		{"", "", "*", "en"},
		{"", "", "not a header;;;", "en"},
	} {
		if got := Negotiate(tc.query, tc.cookie, tc.accept); got != tc.want {
			t.Errorf("Negotiate(%q, %q, %q) = %q, want %q", tc.query, tc.cookie, tc.accept, got, tc.want)
		}
	}
}
