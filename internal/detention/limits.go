// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"strings"
	"time"
)

// Day is the unit of legal maxima and of days detained: 24 hours of elapsed
// time. Times are instants in UTC, so a day is always 24 hours long, even
// across a change of local clocks.
const Day = 24 * time.Hour

// LegalLimit is the maximum period of immigration detention a country's law
// allows, with the published source that establishes it. MaxDays 0 records
// that the law sets no maximum (itself a fact worth recording, with its
// source); a country with no LegalLimit at all is "no data". Limits are
// entered by a deployment: none ships with Amparo.
type LegalLimit struct {
	Country   string // ISO 3166-1 alpha-3 of the detaining state
	MaxDays   int    // 0: the law sets no maximum
	Source    string // URL or citation of the law or authoritative summary
	AsOf      string // YYYY-MM-DD: the date the source speaks for
	UpdatedBy string
	UpdatedAt time.Time
}

// HasMaximum reports whether the law sets a maximum.
func (l LegalLimit) HasMaximum() bool { return l.MaxDays > 0 }

// Deadline returns the last instant of lawful detention for an episode that
// began at start: start plus MaxDays days. Detention is past the maximum
// only after this instant.
func (l LegalLimit) Deadline(start time.Time) time.Time {
	return start.UTC().Add(time.Duration(l.MaxDays) * Day)
}

// Limits on legal-limit and mandatory-country records.
const (
	// MaxLegalDays bounds a legal maximum: ten years. Longer figures are
	// typing errors; a law without a maximum is recorded as 0.
	MaxLegalDays = 3650
	maxSource    = 500
)

const dateLayout = "2006-01-02"

// NormalizeLegalLimit checks l and returns it in canonical form. today is
// the current UTC date (YYYY-MM-DD): as_of may not be later, and an empty
// as_of becomes today.
func NormalizeLegalLimit(l LegalLimit, today string) (LegalLimit, []FieldError) {
	var errs []FieldError
	add := func(field, code string) { errs = append(errs, FieldError{Field: field, Code: code}) }
	out := LegalLimit{Country: strings.TrimSpace(l.Country), MaxDays: l.MaxDays,
		Source: strings.TrimSpace(l.Source), AsOf: strings.TrimSpace(l.AsOf)}
	if c, code := country(out.Country); code != "" {
		add("country", code)
	} else {
		out.Country = c
	}
	switch {
	case out.MaxDays < 0:
		add("max_days", CodeTooSmall)
	case out.MaxDays > MaxLegalDays:
		add("max_days", CodeTooLarge)
	}
	checkSource(out.Source, add)
	out.AsOf = checkAsOf(out.AsOf, today, add)
	return out, errs
}

func checkSource(s string, add func(field, code string)) {
	if s == "" {
		add("source", CodeRequired)
		return
	}
	checkText(s, "source", maxSource, add)
}

// checkAsOf validates an as_of date, defaulting to today.
func checkAsOf(s, today string, add func(field, code string)) string {
	if s == "" {
		return today
	}
	t, err := time.Parse(dateLayout, s)
	switch {
	case err != nil || t.Format(dateLayout) != s:
		add("as_of", CodeInvalidDate)
	case s > today:
		add("as_of", CodeFuture)
	}
	return s
}

// DaysDetained returns the whole days (24-hour periods) a person has been
// held in ep: from the start to the end, or to now while the episode is
// open; 0 before the start. It counts completed days, so the first 24 hours
// are day 0; statistics that count calendar days begun add one.
func DaysDetained(ep Episode, now time.Time) int {
	until := now
	if ep.End != nil && ep.End.Before(now) {
		until = *ep.End
	}
	d := until.Sub(ep.Start)
	if d <= 0 {
		return 0
	}
	return int(d / Day)
}

// Answer is a yes / no that may not be known or may not apply.
type Answer string

// Answers.
const (
	Yes           Answer = "yes"
	No            Answer = "no"
	Unknown       Answer = "unknown"
	NotApplicable Answer = "not_applicable"
)

// ExceededLimit says whether a closed episode lasted longer than the legal
// maximum: its end is after limit.Deadline(start). It is a fact for
// statistics; open episodes are Evaluate's business and answer Unknown
// here, as does an episode with no limit recorded for its country (limit
// nil or of another country). Episodes that are not immigration detention
// answer NotApplicable (legal maxima here are those of immigration
// detention), and a law without a maximum answers No.
func ExceededLimit(ep Episode, limit *LegalLimit) Answer {
	switch {
	case !ep.ImmigrationDetention():
		return NotApplicable
	case limit == nil || limit.Country != ep.FacilityCountry || ep.End == nil:
		return Unknown
	case !limit.HasMaximum():
		return No
	case ep.End.After(limit.Deadline(ep.Start)):
		return Yes
	default:
		return No
	}
}
