// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import "time"

// AgeOfMajority is the age below which a person is a child (Convention on
// the Rights of the Child, art. 1).
const AgeOfMajority = 18

// The civil day begins first at UTC+14 (Line Islands, Kiribati) and last at
// UTC−12. A facility is known only by its country, and several countries
// span many time zones, so the local date at which detention began is known
// only to within these bounds.
const (
	earliestZone = 14 * time.Hour // ahead of UTC
	latestZone   = 12 * time.Hour // behind UTC
)

// BirthInfo is what is known of a person's date of birth: a full date, a
// year and month, only a year, or nothing (Year 0). The persons layer
// supplies it (the full date lives encrypted with the person's identity,
// the year of birth in clear).
type BirthInfo struct {
	Year  int        // 0: unknown
	Month time.Month // 0: only the year is known
	Day   int        // 0: only the year, or the year and month, are known
}

// BirthYear is a BirthInfo knowing only the year.
func BirthYear(y int) BirthInfo { return BirthInfo{Year: y} }

// BirthDate is a BirthInfo knowing the full date.
func BirthDate(y int, m time.Month, d int) BirthInfo { return BirthInfo{Year: y, Month: m, Day: d} }

// Known reports whether anything is known of the date of birth.
func (b BirthInfo) Known() bool { return b.Year != 0 }

// Valid reports whether b is unknown or a well-formed (partial) date: a year
// from 1 to 9999, a month only with a year, a day only with a month, and a
// day that exists in that month.
func (b BirthInfo) Valid() bool {
	_, _, ok := b.dateRange()
	return ok || b == BirthInfo{}
}

// dateRange returns the first and last possible dates of birth, as
// midnight UTC; ok is false when b is unknown or malformed.
func (b BirthInfo) dateRange() (first, last time.Time, ok bool) {
	switch {
	case b.Year < 1 || b.Year > 9999 || b.Month < 0 || b.Month > 12 || b.Day < 0 || b.Day > 31:
		return time.Time{}, time.Time{}, false
	case b.Month == 0 && b.Day != 0:
		return time.Time{}, time.Time{}, false
	case b.Month == 0:
		return civil(b.Year, time.January, 1), civil(b.Year, time.December, 31), true
	case b.Day == 0:
		// Day 0 of the next month is the last day of this one.
		return civil(b.Year, b.Month, 1), civil(b.Year, b.Month+1, 0), true
	default:
		d := civil(b.Year, b.Month, b.Day)
		if d.Day() != b.Day { // 30 February and the like
			return time.Time{}, time.Time{}, false
		}
		return d, d, true
	}
}

func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// majority returns the day a person born on birth turns AgeOfMajority, as
// midnight UTC. A person born on 29 February turns 18 on 1 March when the
// 18th year is not a leap year: of the two dates laws use (28 February or 1
// March) it is the later, which keeps the person a child one day longer.
// time.Date normalises 29 February of a common year to 1 March.
func majority(birth time.Time) time.Time {
	return civil(birth.Year()+AgeOfMajority, birth.Month(), birth.Day())
}

// ChildStatus is whether a person was a child at a given moment. Unknown is
// a value of its own: a person whose date of birth is not recorded is not
// thereby an adult.
type ChildStatus string

// Child statuses.
const (
	ChildUnknown  ChildStatus = "unknown"        // nothing is known of the date of birth
	ChildYes      ChildStatus = "child"          // under 18 whatever the exact date of birth and local time
	ChildPossible ChildStatus = "possible_child" // under 18 for some of the dates of birth or time zones possible
	ChildNo       ChildStatus = "adult"          // 18 or over for every date of birth and time zone possible
)

// MayBeChild reports whether the person must be treated as a child: they
// are one, or could be.
func (c ChildStatus) MayBeChild() bool { return c == ChildYes || c == ChildPossible }

// ChildAt says whether a person born as b was a child at the instant t,
// erring on the side of protection.
//
// A person becomes an adult at 00:00 local time on their 18th birthday.
// What is known of the birth gives a range of possible dates (one day for a
// full date; 1 January to 31 December for a year alone; the whole month for
// a year and month), and the facility's local time zone is unknown (between
// UTC+14 and UTC−12). The person is:
//
//   - a child (ChildYes) if t is before the earliest moment anyone born on
//     the earliest possible date turned 18 anywhere: that date's 18th
//     birthday at 00:00 UTC+14;
//   - an adult (ChildNo) from the latest moment anyone born on the latest
//     possible date turned 18 anywhere: that date's 18th birthday at 00:00
//     UTC−12, i.e. 12:00 UTC;
//   - a possible child (ChildPossible) in between.
//
// For a year of birth Y alone, this makes a person a possible child for
// any start in years up to Y+18 (start.Year − Y ≤ 18), except in the last
// twelve hours (UTC) of 31 December Y+18, by when even someone born on
// 31 December Y has turned 18 in every time zone; a child for certain up to
// 31 December Y+17, 10:00 UTC. Both ChildYes and ChildPossible raise the
// child alert. Unknown or malformed birth information gives ChildUnknown.
func ChildAt(b BirthInfo, t time.Time) ChildStatus {
	first, last, ok := b.dateRange()
	if !ok {
		return ChildUnknown
	}
	t = t.UTC()
	switch {
	case t.Before(majority(first).Add(-earliestZone)):
		return ChildYes
	case t.Before(majority(last).Add(latestZone)):
		return ChildPossible
	default:
		return ChildNo
	}
}

// ChildAtStart says whether the person was a child when ep began.
func ChildAtStart(ep Episode, b BirthInfo) ChildStatus { return ChildAt(b, ep.Start) }
