// SPDX-License-Identifier: AGPL-3.0-or-later

package i18n

import (
	"testing"
	"time"
)

func TestNumber(t *testing.T) {
	t.Parallel()
	c := load(t)
	for code, want := range map[string][4]string{
		"en": {"1,234,567", "-1,234.5", "0.667", "25.6%"},
		"fr": {"1\u00a0234\u00a0567", "-1\u00a0234,5", "0,667", "25,6\u00a0%"},
		"es": {"1.234.567", "-1.234,5", "0,667", "25,6\u00a0%"},
		"ru": {"1\u00a0234\u00a0567", "-1\u00a0234,5", "0,667", "25,6\u00a0%"},
		"ar": {"١٬٢٣٤٬٥٦٧", "\u061c-١٬٢٣٤٫٥", "٠٫٦٦٧", "٢٥٫٦٪\u061c"},
		"zh": {"1,234,567", "-1,234.5", "0.667", "25.6%"},
	} {
		l := c.Locale(code)
		got := [4]string{l.Number(1234567), l.Number(-1234.5), l.Number(2.0 / 3), l.Percent(0.256)}
		if got != want {
			t.Errorf("%s: got %q, want %q", code, got, want)
		}
	}
	en := c.Locale("en")
	if got := en.Number(uint8(7)); got != "7" {
		t.Errorf("Number(uint8) = %q", got)
	}
	if got := en.Number("12"); got != "12" {
		t.Errorf("Number(string) = %q", got)
	}
}

func TestDate(t *testing.T) {
	t.Parallel()
	c := load(t)
	// Late in the evening of 2 March in New York is 3 March in UTC: Date
	// keeps the time's own zone, DateTime shows UTC.
	ny := time.FixedZone("EST", -5*3600)
	when := time.Date(2026, 3, 2, 23, 7, 0, 0, ny)
	for code, want := range map[string][2]string{
		"en": {"2 March 2026", "3 March 2026, 04:07"},
		"fr": {"2 mars 2026", "3 mars 2026 à 04:07"},
		"es": {"2 de marzo de 2026", "3 de marzo de 2026, 04:07"},
		"ru": {"2 марта 2026 г.", "3 марта 2026 г., 04:07"},
		"ar": {"٢ مارس ٢٠٢٦", "٣ مارس ٢٠٢٦، ٠٤:٠٧"},
		"zh": {"2026年3月2日", "2026年3月3日 04:07"},
	} {
		l := c.Locale(code)
		if got := [2]string{l.Date(when), l.DateTime(when)}; got != want {
			t.Errorf("%s: got %q, want %q", code, got, want)
		}
	}
	// Every month has its name.
	en := c.Locale("en")
	for m := time.January; m <= time.December; m++ {
		if got, want := en.Date(time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC)), "1 "+m.String()+" 2026"; got != want {
			t.Errorf("Date in %s = %q, want %q", m, got, want)
		}
	}
}
