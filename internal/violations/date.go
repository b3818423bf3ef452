// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"slices"
	"strings"
	"time"
)

// Precision says how precisely a date is known. Witnesses often remember
// "in March" or "that winter, 2019" rather than a day, and an estimate is
// not a fact: the precision keeps the record honest and lets searches
// treat a month as the whole month.
type Precision string

// Precisions.
const (
	// PrecisionExact is a day known for certain (YYYY-MM-DD).
	PrecisionExact Precision = "exact"
	// PrecisionEstimated is a day given as the best estimate (YYYY-MM-DD).
	PrecisionEstimated Precision = "estimated"
	// PrecisionMonth is a month (YYYY-MM).
	PrecisionMonth Precision = "month"
	// PrecisionYear is a year (YYYY).
	PrecisionYear Precision = "year"
)

// Precisions returns every precision, most precise first.
func Precisions() []Precision {
	return []Precision{PrecisionExact, PrecisionEstimated, PrecisionMonth, PrecisionYear}
}

// Valid reports whether p is a precision.
func (p Precision) Valid() bool { return slices.Contains(Precisions(), p) }

// minYear is the earliest year a date may have: nothing documented here
// happened earlier, and a smaller year is a typing error.
const minYear = 1900

// dayLayout is how the first and last day of a date are written, in an
// order that sorts as it reads.
const dayLayout = "2006-01-02"

// Date is when something happened, to its precision: Value is "YYYY-MM-DD"
// for exact and estimated dates, "YYYY-MM" for a month and "YYYY" for a
// year. The zero Date is no date.
type Date struct {
	Value     string
	Precision Precision
}

// IsZero reports whether d is no date.
func (d Date) IsZero() bool { return d.Value == "" && d.Precision == "" }

// DateError is why a date was refused: Code is a reason code (CodeRequired,
// CodeInvalidDate, CodeUnknownPrecision, CodePrecisionMismatch,
// CodeTooEarly).
type DateError struct{ Code string }

// Error names the reason code.
func (e *DateError) Error() string { return "violations: date: " + e.Code }

// ParseDate reads a date given as text with its precision, as a form or a
// client sends them. An empty precision takes the one the text implies: a
// full date is exact, "YYYY-MM" a month, "YYYY" a year. It refuses, with a
// *DateError, a date that is empty, not a calendar date, earlier than
// 1900, or written to another precision than the one given; it never
// panics, whatever the input. Whether the date is in the future is for the
// caller to judge, against its clock.
func ParseDate(value string, precision Precision) (Date, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return Date{}, &DateError{CodeRequired}
	}
	implied, ok := impliedPrecision(value)
	if !ok {
		return Date{}, &DateError{CodeInvalidDate}
	}
	switch {
	case precision == "":
		precision = implied
	case !precision.Valid():
		return Date{}, &DateError{CodeUnknownPrecision}
	case precision == PrecisionEstimated && implied == PrecisionExact:
	case precision != implied:
		return Date{}, &DateError{CodePrecisionMismatch}
	}
	d := Date{Value: value, Precision: precision}
	first := d.first()
	// A month or a day that does not exist (2024-13, 2023-02-29) comes back
	// from time.Date normalised into another one.
	if first.Format(dayLayout)[:len(value)] != value {
		return Date{}, &DateError{CodeInvalidDate}
	}
	if first.Year() < minYear {
		return Date{}, &DateError{CodeTooEarly}
	}
	return d, nil
}

// impliedPrecision returns the precision the form of value implies, and
// false when value is none of YYYY, YYYY-MM and YYYY-MM-DD in digits.
func impliedPrecision(value string) (Precision, bool) {
	var p Precision
	switch len(value) {
	case 4:
		p = PrecisionYear
	case 7:
		p = PrecisionMonth
	case 10:
		p = PrecisionExact
	default:
		return "", false
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		if i == 4 || i == 7 {
			if c != '-' {
				return "", false
			}
		} else if c < '0' || c > '9' {
			return "", false
		}
	}
	return p, true
}

// first is the first day d may stand for; d must have passed ParseDate's
// form check.
func (d Date) first() time.Time {
	y, m, day := atoi(d.Value[0:4]), 1, 1
	if len(d.Value) >= 7 {
		m = atoi(d.Value[5:7])
	}
	if len(d.Value) == 10 {
		day = atoi(d.Value[8:10])
	}
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// last is the last day d may stand for.
func (d Date) last() time.Time {
	f := d.first()
	switch len(d.Value) {
	case 4:
		return f.AddDate(1, 0, -1)
	case 7:
		return f.AddDate(0, 1, -1)
	default:
		return f
	}
}

// First is the first day d may stand for, as YYYY-MM-DD: the day itself,
// the first of the month or the first of January.
func (d Date) First() string { return d.first().Format(dayLayout) }

// Last is the last day d may stand for, as YYYY-MM-DD.
func (d Date) Last() string { return d.last().Format(dayLayout) }

// atoi reads digits the caller has checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// checkDate checks date in of field: a valid date, not after today (a
// month or year is in the future only when it begins after today). The
// zero Date passes unless required. It returns the date as stored.
func checkDate(v *ValidationError, field string, in Date, required bool, today time.Time) Date {
	if in.IsZero() {
		if required {
			v.Add(field, CodeRequired)
		}
		return Date{}
	}
	d, err := ParseDate(in.Value, in.Precision)
	if err != nil {
		v.Add(field, err.(*DateError).Code)
		return Date{}
	}
	if d.first().After(today) {
		v.Add(field, CodeFuture)
		return Date{}
	}
	return d
}

// checkSpan checks a start and an end (either may be zero unless the start
// is required): an end needs a start, and must not end before the start
// begins. "March 2024" to "2024-03-10" is a valid span; "2024-03-10" to
// "2024-02" is not.
func checkSpan(v *ValidationError, prefix string, start, end Date, startRequired bool, today time.Time) (Date, Date) {
	s := checkDate(v, prefix+"start", start, startRequired, today)
	e := checkDate(v, prefix+"end", end, false, today)
	switch {
	case !end.IsZero() && start.IsZero():
		v.Add(prefix+"end", CodeEndWithoutStart)
	case s.IsZero() || e.IsZero():
	case e.last().Before(s.first()):
		v.Add(prefix+"end", CodeDateOrder)
	}
	return s, e
}

// today is the calendar day of t in UTC, the day dates are judged
// against. Dates carry no time zone, so a date is "in the future" only when
// it is after today in UTC.
func today(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
