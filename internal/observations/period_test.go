// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in, text   string
		freq       byte
		start, end string
	}{
		{"2020", "2020", 'A', "2020-01-01", "2020-12-31"},
		{" 2020-a1 ", "2020", 'A', "2020-01-01", "2020-12-31"},
		{"2021-S2", "2021-S2", 'S', "2021-07-01", "2021-12-31"},
		{"2024-Q1", "2024-Q1", 'Q', "2024-01-01", "2024-03-31"},
		{"2023-Q4", "2023-Q4", 'Q', "2023-10-01", "2023-12-31"},
		{"2024-02", "2024-02", 'M', "2024-02-01", "2024-02-29"},
		{"2024-M11", "2024-11", 'M', "2024-11-01", "2024-11-30"},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", tt.in, err)
			continue
		}
		if p.Text != tt.text || p.Freq != tt.freq || p.Start.Format(time.DateOnly) != tt.start || p.End.Format(time.DateOnly) != tt.end {
			t.Errorf("ParsePeriod(%q) = %s %c %s..%s, want %s %c %s..%s", tt.in, p.Text, p.Freq,
				p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly), tt.text, tt.freq, tt.start, tt.end)
		}
	}
	for _, bad := range []string{"", "20", "1899", "2020-", "2020-Q5", "2020-S0", "2020-13", "2020-1", "2020-M1",
		"2020-Q01", "2020-W01", "2020/01", "２０２０", "2020-00", "abcd"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}

func TestNormalizeArea(t *testing.T) {
	tests := map[string]string{"076": "076", "76": "076", "4": "004", "1": "001", "BRA": "076", "br": "076", "001": "001", "419": "419",
		"002": "002", "MX-CHP": "MX-CHP", " mx-chp ": "MX-CHP"}
	for in, want := range tests {
		got, err := NormalizeArea(in)
		if err != nil || got != want {
			t.Errorf("NormalizeArea(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "999", "0", "99", "XX", "QQ-ABC", "076-1", "Brazil"} {
		if _, err := NormalizeArea(bad); err == nil {
			t.Errorf("NormalizeArea(%q) accepted", bad)
		}
	}
	if AreaName("076", "fr") != "Brésil" || AreaName("001", "zh") != "世界" {
		t.Errorf("names: %q %q", AreaName("076", "fr"), AreaName("001", "zh"))
	}
	if !IsCountryArea("076") || IsCountryArea("419") || !IsRegionArea("419") || !IsRegionArea("001") {
		t.Error("country/region classification")
	}
	for code, want := range map[string]string{"747": "Northern Africa and Western Asia", "513": "Europe and Northern America"} {
		if a, err := NormalizeArea(code); err != nil || a != code || AreaName(code, "en") != want || !IsRegionArea(code) {
			t.Errorf("SDG region %s: %q %v %q", code, a, err, AreaName(code, "en"))
		}
	}
	if n := len(RegionMembers("513")); n != len(RegionMembers("150"))+len(RegionMembers("021")) || n < 40 {
		t.Errorf("Europe and Northern America has %d members", n)
	}
	world, sa := RegionMembers("001"), RegionMembers("005")
	if len(world) < 240 || len(sa) < 10 || len(sa) > 20 {
		t.Errorf("world %d members, South America %d", len(world), len(sa))
	}
}

func TestDisaggKey(t *testing.T) {
	tests := map[string]string{
		"":                            "",
		"SEX=_T":                      "",
		"sex=F":                       "SEX=F",
		"SEX=F;AGE=Y15T64":            "AGE=Y15T64;SEX=F",
		" AGE = Y_GE65 ; SEX=_T ":     "AGE=Y_GE65",
		"MIGRATORY_STATUS=MS_MIGRANT": "MIGRATORY_STATUS=MS_MIGRANT",
		"ITEM=D1Q1":                   "ITEM=D1Q1",
	}
	for in, want := range tests {
		got, err := CanonicalDisagg(in)
		if err != nil || got != want {
			t.Errorf("CanonicalDisagg(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"SEX", "SEX=X", "COLOUR=RED", "SEX=F;SEX=M", "AGE=old", "CITIZENSHIP=BRA", "=F", ";"} {
		if _, err := CanonicalDisagg(bad); err == nil {
			t.Errorf("CanonicalDisagg(%q) accepted", bad)
		}
	}
}

func FuzzParseDisagg(f *testing.F) {
	for _, s := range []string{"", "SEX=F;AGE=Y15T64", "CITIZENSHIP=076", "ITEM=D6Q5;SEX=_T", "SEX==F", ";;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDisagg(s)
		if err != nil {
			return
		}
		again, err := ParseDisagg(d.Key())
		if err != nil || again.Key() != d.Key() {
			t.Fatalf("key %q does not re-parse to itself: %q, %v", d.Key(), again.Key(), err)
		}
	})
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2020", "2020-Q3", "2020-S1", "2020-07", "2020-M07", "2020-A1", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			return
		}
		again, err := ParsePeriod(p.Text)
		if err != nil || again != p || p.End.Before(p.Start) {
			t.Fatalf("%q → %+v does not re-parse to itself: %+v, %v", s, p, again, err)
		}
	})
}
