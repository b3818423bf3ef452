// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNormalizeLegalLimit(t *testing.T) {
	const today = "2026-03-10"
	valid := LegalLimit{Country: " es ", MaxDays: 60, Source: " https://example.org/law ", AsOf: "2026-01-01"}
	cases := []struct {
		name string
		edit func(*LegalLimit)
		want []FieldError
	}{
		{"valid", func(*LegalLimit) {}, nil},
		{"no maximum in law", func(l *LegalLimit) { l.MaxDays = 0 }, nil},
		{"largest", func(l *LegalLimit) { l.MaxDays = MaxLegalDays }, nil},
		{"too large", func(l *LegalLimit) { l.MaxDays = MaxLegalDays + 1 }, []FieldError{{Field: "max_days", Code: CodeTooLarge}}},
		{"negative", func(l *LegalLimit) { l.MaxDays = -1 }, []FieldError{{Field: "max_days", Code: CodeTooSmall}}},
		{"missing country", func(l *LegalLimit) { l.Country = "" }, []FieldError{{Field: "country", Code: CodeRequired}}},
		{"unknown country", func(l *LegalLimit) { l.Country = "ZZZ" }, []FieldError{{Field: "country", Code: CodeUnknownCountry}}},
		{"missing source", func(l *LegalLimit) { l.Source = " " }, []FieldError{{Field: "source", Code: CodeRequired}}},
		{"long source", func(l *LegalLimit) { l.Source = strings.Repeat("a", maxSource+1) }, []FieldError{{Field: "source", Code: CodeTooLong}}},
		{"control in source", func(l *LegalLimit) { l.Source = "a\tb" }, []FieldError{{Field: "source", Code: CodeControlChars}}},
		{"as_of today", func(l *LegalLimit) { l.AsOf = today }, nil},
		{"future as_of", func(l *LegalLimit) { l.AsOf = "2026-03-11" }, []FieldError{{Field: "as_of", Code: CodeFuture}}},
		{"bad as_of", func(l *LegalLimit) { l.AsOf = "2026-02-30" }, []FieldError{{Field: "as_of", Code: CodeInvalidDate}}},
		{"as_of not ISO", func(l *LegalLimit) { l.AsOf = "10/03/2026" }, []FieldError{{Field: "as_of", Code: CodeInvalidDate}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := valid
			c.edit(&l)
			_, errs := NormalizeLegalLimit(l, today)
			if !reflect.DeepEqual(errs, c.want) {
				t.Errorf("errors = %v, want %v", errs, c.want)
			}
		})
	}
	out, _ := NormalizeLegalLimit(LegalLimit{Country: "724", MaxDays: 60, Source: " s ", UpdatedBy: "x"}, today)
	if want := (LegalLimit{Country: "ESP", MaxDays: 60, Source: "s", AsOf: today}); out != want {
		t.Errorf("normalised %+v, want %+v", out, want)
	}
}

func TestDeadline(t *testing.T) {
	l := LegalLimit{MaxDays: 60}
	start := at(t, "2024-01-15T10:30:00+02:00")
	// 60 days of 24 hours, across the leap day of 2024.
	if got, want := l.Deadline(start), at(t, "2024-03-15T08:30:00Z"); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Deadline = %v, want %v in UTC", got, want)
	}
}

func TestDaysDetained(t *testing.T) {
	start := at(t, "2026-01-01T10:00:00Z")
	cases := []struct {
		name string
		end  string
		now  string
		want int
	}{
		{"before start", "", "2026-01-01T09:00:00Z", 0},
		{"at start", "", "2026-01-01T10:00:00Z", 0},
		{"one microsecond short of a day", "", "2026-01-02T09:59:59.999999Z", 0},
		{"one day", "", "2026-01-02T10:00:00Z", 1},
		{"across February of a common year", "", "2026-03-01T10:00:00Z", 59},
		{"closed: counts to the end", "2026-01-11T10:00:00Z", "2026-06-01T00:00:00Z", 10},
		{"closed, end after now: counts to now", "2026-01-11T10:00:00Z", "2026-01-05T10:00:00Z", 4},
		{"zone of now is irrelevant", "", "2026-01-02T11:00:00+01:00", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ep := Episode{EpisodeInput: EpisodeInput{Start: start}}
			if c.end != "" {
				ep.End = new(at(t, c.end))
			}
			if got := DaysDetained(ep, at(t, c.now)); got != c.want {
				t.Errorf("DaysDetained = %d, want %d", got, c.want)
			}
		})
	}
	leap := Episode{EpisodeInput: EpisodeInput{Start: at(t, "2024-02-28T00:00:00Z")}}
	if got := DaysDetained(leap, at(t, "2024-03-01T00:00:00Z")); got != 2 {
		t.Errorf("across 29 February 2024: %d days, want 2", got)
	}
}

func TestExceededLimit(t *testing.T) {
	start := at(t, "2026-01-01T00:00:00Z")
	esp := &LegalLimit{Country: "ESP", MaxDays: 60}
	cases := []struct {
		name  string
		ft    FacilityType
		imm   bool
		end   string
		limit *LegalLimit
		want  Answer
	}{
		{"ended at the deadline", FacilityPoliceStation, true, "2026-03-02T00:00:00Z", esp, No},
		{"ended a microsecond past it", FacilityPoliceStation, true, "2026-03-02T00:00:00.000001Z", esp, Yes},
		{"ended long past it", FacilityImmigrationDetentionCentre, false, "2026-12-01T00:00:00Z", esp, Yes},
		{"still open", FacilityImmigrationDetentionCentre, true, "", esp, Unknown},
		{"no limit recorded", FacilityImmigrationDetentionCentre, true, "2026-12-01T00:00:00Z", nil, Unknown},
		{"limit of another country", FacilityImmigrationDetentionCentre, true, "2026-12-01T00:00:00Z", &LegalLimit{Country: "FRA", MaxDays: 1}, Unknown},
		{"law sets no maximum", FacilityImmigrationDetentionCentre, true, "2036-12-01T00:00:00Z", &LegalLimit{Country: "ESP"}, No},
		{"not immigration detention", FacilityPrison, false, "2026-12-01T00:00:00Z", esp, NotApplicable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ep := Episode{EpisodeInput: EpisodeInput{FacilityType: c.ft, FacilityCountry: "ESP", ImmigrationRelated: c.imm, Start: start}}
			if c.end != "" {
				ep.End = new(at(t, c.end))
			}
			if got := ExceededLimit(ep, c.limit); got != c.want {
				t.Errorf("ExceededLimit = %s, want %s", got, c.want)
			}
		})
	}
}
