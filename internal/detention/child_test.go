// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"testing"
	"time"
)

// at parses an RFC 3339 time; tests write instants with their offsets.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestChildAt(t *testing.T) {
	cases := []struct {
		name  string
		birth BirthInfo
		start string
		want  ChildStatus
	}{
		// Nothing known, or nonsense: unknown, never adult.
		{"unknown birth", BirthInfo{}, "2026-01-01T00:00:00Z", ChildUnknown},
		{"month 13", BirthInfo{Year: 2008, Month: 13}, "2026-01-01T00:00:00Z", ChildUnknown},
		{"30 February", BirthDate(2008, time.February, 30), "2026-01-01T00:00:00Z", ChildUnknown},
		{"31 April", BirthDate(2008, time.April, 31), "2026-01-01T00:00:00Z", ChildUnknown},
		{"day without month", BirthInfo{Year: 2008, Day: 3}, "2026-01-01T00:00:00Z", ChildUnknown},
		{"month without year", BirthInfo{Month: 5, Day: 3}, "2026-01-01T00:00:00Z", ChildUnknown},
		{"negative year", BirthInfo{Year: -4}, "2026-01-01T00:00:00Z", ChildUnknown},

		// Full date 10 May 2008: 18 on 10 May 2026, which begins at
		// 2026-05-09T10:00Z in UTC+14 and at 2026-05-10T12:00Z in UTC−12.
		{"full date, years before", BirthDate(2008, time.May, 10), "2020-01-01T00:00:00Z", ChildYes},
		{"full date, last child microsecond", BirthDate(2008, time.May, 10), "2026-05-09T09:59:59.999999Z", ChildYes},
		{"full date, 18 begins in UTC+14", BirthDate(2008, time.May, 10), "2026-05-09T10:00:00Z", ChildPossible},
		{"full date, birthday at 00:00 UTC", BirthDate(2008, time.May, 10), "2026-05-10T00:00:00Z", ChildPossible},
		{"full date, last possible microsecond", BirthDate(2008, time.May, 10), "2026-05-10T11:59:59.999999Z", ChildPossible},
		{"full date, 18 everywhere", BirthDate(2008, time.May, 10), "2026-05-10T12:00:00Z", ChildNo},
		{"full date, years after", BirthDate(2008, time.May, 10), "2030-01-01T00:00:00Z", ChildNo},
		{"start before birth", BirthDate(2008, time.May, 10), "2007-01-01T00:00:00Z", ChildYes},

		// The same instants written in other zones give the same answers.
		{"zone +14, 23:59:59 on the eve", BirthDate(2008, time.May, 10), "2026-05-09T23:59:59+14:00", ChildYes},
		{"zone +14, birthday 00:30", BirthDate(2008, time.May, 10), "2026-05-10T00:30:00+14:00", ChildPossible},
		{"zone −12, 23:00 on the eve", BirthDate(2008, time.May, 10), "2026-05-09T23:00:00-12:00", ChildPossible},
		{"zone −12, birthday 00:00", BirthDate(2008, time.May, 10), "2026-05-10T00:00:00-12:00", ChildNo},
		{"zone +05:30", BirthDate(2008, time.May, 10), "2026-05-10T17:29:59+05:30", ChildPossible},
		{"zone +05:30, noon UTC", BirthDate(2008, time.May, 10), "2026-05-10T17:30:00+05:30", ChildNo},

		// Born 29 February 2008: 18 on 1 March 2026 (2026 has no 29 February).
		{"leap day, 28 Feb early", BirthDate(2008, time.February, 29), "2026-02-28T09:59:59Z", ChildYes},
		{"leap day, 28 Feb is not yet 18", BirthDate(2008, time.February, 29), "2026-02-28T23:00:00Z", ChildPossible},
		{"leap day, 1 March before noon", BirthDate(2008, time.February, 29), "2026-03-01T11:59:59Z", ChildPossible},
		{"leap day, 1 March noon", BirthDate(2008, time.February, 29), "2026-03-01T12:00:00Z", ChildNo},
		{"28 Feb birth, not a leap day", BirthDate(2008, time.February, 28), "2026-02-28T12:00:00Z", ChildNo},

		// Year only, 2008: possibly born 1 January to 31 December.
		{"year, 17 years on", BirthYear(2008), "2025-06-01T00:00:00Z", ChildYes},
		{"year, last child microsecond", BirthYear(2008), "2025-12-31T09:59:59.999999Z", ChildYes},
		{"year, someone born 1 Jan turns 18 in UTC+14", BirthYear(2008), "2025-12-31T10:00:00Z", ChildPossible},
		{"year, 18 years on, January", BirthYear(2008), "2026-01-01T00:00:00Z", ChildPossible},
		{"year, 18 years on, July", BirthYear(2008), "2026-07-01T00:00:00Z", ChildPossible},
		{"year, 31 December Y+18 before noon", BirthYear(2008), "2026-12-31T11:59:59Z", ChildPossible},
		{"year, 31 December Y+18 noon", BirthYear(2008), "2026-12-31T12:00:00Z", ChildNo},
		{"year, 19 years on", BirthYear(2008), "2027-01-01T00:00:00Z", ChildNo},
		{"leap year of birth", BirthYear(2004), "2022-12-31T11:59:59Z", ChildPossible},

		// Year and month.
		{"month, before the first birthday", BirthInfo{Year: 2008, Month: time.June}, "2026-05-31T09:59:59Z", ChildYes},
		{"month, within the month", BirthInfo{Year: 2008, Month: time.June}, "2026-06-15T00:00:00Z", ChildPossible},
		{"month, 30 June noon", BirthInfo{Year: 2008, Month: time.June}, "2026-06-30T12:00:00Z", ChildNo},
		{"month, February of a leap year", BirthInfo{Year: 2008, Month: time.February}, "2026-03-01T11:00:00Z", ChildPossible},
		{"month, February of a common year", BirthInfo{Year: 2009, Month: time.February}, "2027-02-28T12:00:00Z", ChildNo},
		{"month, December", BirthInfo{Year: 2008, Month: time.December}, "2026-12-31T11:00:00Z", ChildPossible},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ChildAt(c.birth, at(t, c.start)); got != c.want {
				t.Errorf("ChildAt(%+v, %s) = %s, want %s", c.birth, c.start, got, c.want)
			}
		})
	}
}

func TestChildAtStartUsesTheStart(t *testing.T) {
	ep := Episode{EpisodeInput: EpisodeInput{Start: at(t, "2025-06-01T00:00:00Z")}}
	if got := ChildAtStart(ep, BirthYear(2008)); got != ChildYes {
		t.Errorf("ChildAtStart = %s, want child", got)
	}
	// Turning 18 while held does not change the status at the start.
	ep.End = new(at(t, "2027-06-01T00:00:00Z"))
	if got := ChildAtStart(ep, BirthYear(2008)); got != ChildYes {
		t.Errorf("ChildAtStart = %s, want child", got)
	}
}

func TestChildStatusMayBeChild(t *testing.T) {
	for s, want := range map[ChildStatus]bool{ChildYes: true, ChildPossible: true, ChildNo: false, ChildUnknown: false} {
		if s.MayBeChild() != want {
			t.Errorf("%s.MayBeChild() = %v", s, !want)
		}
	}
}

func TestBirthInfoValid(t *testing.T) {
	cases := []struct {
		b    BirthInfo
		want bool
	}{
		{BirthInfo{}, true},
		{BirthYear(1990), true},
		{BirthInfo{Year: 1990, Month: 12}, true},
		{BirthDate(2000, 2, 29), true},
		{BirthDate(1900, 2, 29), false}, // 1900 is not a leap year
		{BirthDate(1990, 6, 31), false},
		{BirthInfo{Year: 1990, Day: 1}, false},
		{BirthInfo{Month: 1}, false},
		{BirthInfo{Year: 10000}, false},
		{BirthInfo{Year: 1990, Month: -1}, false},
	}
	for _, c := range cases {
		if got := c.b.Valid(); got != c.want {
			t.Errorf("%+v.Valid() = %v, want %v", c.b, got, c.want)
		}
	}
}
