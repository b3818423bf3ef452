// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"reflect"
	"testing"
	"time"
)

// kinds lists the kinds of as, in order.
func kinds(as []Alert) []AlertKind {
	var out []AlertKind
	for _, a := range as {
		out = append(out, a.Kind)
	}
	return out
}

func TestEvaluate(t *testing.T) {
	start := at(t, "2026-01-01T00:00:00Z")
	// A 30-day maximum: deadline 2026-01-31T00:00Z; with 7 warning days the
	// warning window opens 2026-01-24T00:00Z. Judicial review is due by
	// 2026-01-03T00:00Z (2 days).
	limit := &LegalLimit{Country: "GRC", MaxDays: 30}
	adult := BirthYear(1990)
	reviewed := []time.Time{at(t, "2026-01-02T00:00:00Z")}
	type ep = EpisodeInput
	base := ep{FacilityType: FacilityImmigrationDetentionCentre, FacilityCountry: "GRC", ImmigrationRelated: true,
		Start: start, JudicialReviews: reviewed}
	with := func(edit func(*ep)) ep { e := base; edit(&e); return e }
	cases := []struct {
		name   string
		ep     ep
		person BirthInfo
		limit  *LegalLimit
		cfg    Config
		now    string
		want   []AlertKind
	}{
		{"adult, reviewed, well within the limit", base, adult, limit, Config{}, "2026-01-10T00:00:00Z", nil},
		{"before the start", base, BirthYear(2015), limit, Config{}, "2025-12-31T23:59:59Z", nil},

		// Child in immigration detention: at once, whatever else.
		{"child, at the first instant", base, BirthYear(2015), limit, Config{}, "2026-01-01T00:00:00Z",
			[]AlertKind{AlertChildInImmigrationDetention}},
		{"possible child (year of birth)", base, BirthYear(2008), limit, Config{}, "2026-01-01T00:00:00Z",
			[]AlertKind{AlertChildInImmigrationDetention}},
		{"full date: adult that day", base, BirthDate(2007, 12, 30), limit, Config{}, "2026-01-01T00:00:00Z", nil},
		{"unknown birth raises no child alert", base, BirthInfo{}, limit, Config{}, "2026-01-01T00:00:00Z", nil},
		{"child held in a police station on immigration grounds", with(func(e *ep) { e.FacilityType = FacilityPoliceStation }),
			BirthYear(2015), limit, Config{}, "2026-01-01T00:00:00Z", []AlertKind{AlertChildInImmigrationDetention}},
		{"child in an immigration centre recorded as not immigration-related", with(func(e *ep) { e.ImmigrationRelated = false }),
			BirthYear(2015), limit, Config{}, "2026-01-01T00:00:00Z", []AlertKind{AlertChildInImmigrationDetention}},
		{"child in prison on a criminal charge", with(func(e *ep) { e.FacilityType, e.ImmigrationRelated = FacilityPrison, false }),
			BirthYear(2015), limit, Config{}, "2026-01-01T00:00:00Z", nil},
		{"child released", with(func(e *ep) { e.End = new(at(t, "2026-01-01T06:00:00Z")) }),
			BirthYear(2015), limit, Config{}, "2026-01-01T06:00:00Z", nil},
		{"child, every alert at once, child first", with(func(e *ep) { e.JudicialReviews = nil }),
			BirthYear(2015), limit, Config{}, "2026-02-01T00:00:00Z",
			[]AlertKind{AlertChildInImmigrationDetention, AlertNoJudicialReview, AlertPastLegalMaximum}},

		// Legal maximum.
		{"a microsecond before the warning window", base, adult, limit, Config{}, "2026-01-23T23:59:59.999999Z", nil},
		{"warning window opens", base, adult, limit, Config{}, "2026-01-24T00:00:00Z", []AlertKind{AlertApproachingLegalMaximum}},
		{"at the deadline: still approaching", base, adult, limit, Config{}, "2026-01-31T00:00:00Z", []AlertKind{AlertApproachingLegalMaximum}},
		{"a microsecond past the deadline", base, adult, limit, Config{}, "2026-01-31T00:00:00.000001Z", []AlertKind{AlertPastLegalMaximum}},
		{"a year past", base, adult, limit, Config{}, "2027-01-01T00:00:00Z", []AlertKind{AlertPastLegalMaximum}},
		{"custom warning days", base, adult, limit, Config{WarnDays: 10}, "2026-01-21T00:00:00Z", []AlertKind{AlertApproachingLegalMaximum}},
		{"custom warning days, just before", base, adult, limit, Config{WarnDays: 10}, "2026-01-20T23:59:59Z", nil},
		{"warning window longer than the maximum", base, adult, &LegalLimit{Country: "GRC", MaxDays: 3}, Config{WarnDays: 7},
			"2026-01-01T00:00:00Z", []AlertKind{AlertApproachingLegalMaximum}},
		{"no limit recorded", base, adult, nil, Config{}, "2027-01-01T00:00:00Z", nil},
		{"law sets no maximum", base, adult, &LegalLimit{Country: "GRC"}, Config{}, "2030-01-01T00:00:00Z", nil},
		{"limit of another country is ignored", base, adult, &LegalLimit{Country: "ITA", MaxDays: 1}, Config{}, "2026-01-10T00:00:00Z", nil},
		{"not immigration detention: no limit alerts", with(func(e *ep) { e.FacilityType, e.ImmigrationRelated = FacilityPrison, false }),
			adult, limit, Config{}, "2027-01-01T00:00:00Z", nil},
		{"closed past the maximum: no alert", with(func(e *ep) { e.End = new(at(t, "2026-06-01T00:00:00Z")) }),
			adult, limit, Config{}, "2026-07-01T00:00:00Z", nil},
		{"end after now: still open at now", with(func(e *ep) { e.End = new(at(t, "2026-06-01T00:00:00Z")) }),
			adult, limit, Config{}, "2026-02-01T00:00:00Z", []AlertKind{AlertPastLegalMaximum}},

		// Judicial review.
		{"no review, at the review deadline", with(func(e *ep) { e.JudicialReviews = nil }), adult, nil, Config{},
			"2026-01-03T00:00:00Z", nil},
		{"no review, a microsecond after", with(func(e *ep) { e.JudicialReviews = nil }), adult, nil, Config{},
			"2026-01-03T00:00:00.000001Z", []AlertKind{AlertNoJudicialReview}},
		{"no review, any detention", with(func(e *ep) { e.FacilityType, e.ImmigrationRelated, e.JudicialReviews = FacilityPrison, false, nil }),
			adult, nil, Config{}, "2026-01-05T00:00:00Z", []AlertKind{AlertNoJudicialReview}},
		{"late review closes the alert", with(func(e *ep) { e.JudicialReviews = []time.Time{at(t, "2026-01-04T00:00:00Z")} }),
			adult, nil, Config{}, "2026-01-05T00:00:00Z", nil},
		{"scheduled review does not count yet", with(func(e *ep) { e.JudicialReviews = []time.Time{at(t, "2026-01-06T00:00:00Z")} }),
			adult, nil, Config{}, "2026-01-05T00:00:00Z", []AlertKind{AlertNoJudicialReview}},
		{"review exactly now counts", with(func(e *ep) { e.JudicialReviews = []time.Time{at(t, "2026-01-05T00:00:00Z")} }),
			adult, nil, Config{}, "2026-01-05T00:00:00Z", nil},
		{"custom review period", with(func(e *ep) { e.JudicialReviews = nil }), adult, nil, Config{ReviewDays: 5},
			"2026-01-05T00:00:00Z", nil},
		{"custom review period passed", with(func(e *ep) { e.JudicialReviews = nil }), adult, nil, Config{ReviewDays: 5},
			"2026-01-06T00:00:01Z", []AlertKind{AlertNoJudicialReview}},
		{"now in another zone", with(func(e *ep) { e.JudicialReviews = nil }), adult, nil, Config{},
			"2026-01-03T01:00:00.000001+01:00", []AlertKind{AlertNoJudicialReview}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Episode{ID: "ep", OrgID: "org", CaseID: "case", PersonID: "person", EpisodeInput: c.ep}
			got := Evaluate(e, c.person, c.limit, c.cfg, at(t, c.now))
			if !reflect.DeepEqual(kinds(got), c.want) {
				t.Errorf("alerts = %v, want %v", kinds(got), c.want)
			}
			for _, a := range got {
				if a.Priority != PriorityOf(a.Kind) || a.EpisodeID != "ep" || a.CaseID != "case" ||
					a.PersonID != "person" || a.OrgID != "org" || a.NotificationID != "" {
					t.Errorf("alert %+v does not name its records or priority", a)
				}
			}
		})
	}
}

func TestEvaluateTimes(t *testing.T) {
	start := at(t, "2026-01-01T06:00:00Z")
	e := Episode{ID: "ep", EpisodeInput: EpisodeInput{FacilityType: FacilityImmigrationDetentionCentre,
		FacilityCountry: "GRC", ImmigrationRelated: true, Start: start}}
	limit := &LegalLimit{Country: "GRC", MaxDays: 10}
	deadline := at(t, "2026-01-11T06:00:00Z")

	got := Evaluate(e, BirthYear(2012), limit, Config{}, at(t, "2026-01-05T00:00:00Z"))
	want := []Alert{
		{Kind: AlertChildInImmigrationDetention, Priority: PriorityCritical, EpisodeID: "ep", Since: start, Due: start, Child: ChildYes},
		{Kind: AlertNoJudicialReview, Priority: PriorityHigh, EpisodeID: "ep",
			Since: at(t, "2026-01-03T06:00:00Z"), Due: at(t, "2026-01-03T06:00:00Z")},
		{Kind: AlertApproachingLegalMaximum, Priority: PriorityMedium, EpisodeID: "ep",
			Since: at(t, "2026-01-04T06:00:00Z"), Due: deadline},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("alerts\n%+v\nwant\n%+v", got, want)
	}
	got = Evaluate(e, BirthYear(2008), limit, Config{}, at(t, "2026-01-12T00:00:00Z"))
	if got[0].Child != ChildPossible {
		t.Errorf("child alert says %s, want possible_child", got[0].Child)
	}
	if last := got[len(got)-1]; last.Kind != AlertPastLegalMaximum || !last.Since.Equal(deadline) || !last.Due.Equal(deadline) {
		t.Errorf("past-maximum alert %+v, want since and due %v", last, deadline)
	}
}

func TestPriorities(t *testing.T) {
	all := []AlertKind{AlertChildInImmigrationDetention, AlertPastLegalMaximum, AlertApproachingLegalMaximum,
		AlertNoJudicialReview, AlertConsularRightNotTold, AlertConsulateNotNotified}
	for _, k := range all {
		if PriorityOf(k) == 0 {
			t.Errorf("%s has no priority", k)
		}
		if k != AlertChildInImmigrationDetention && PriorityOf(k) >= PriorityOf(AlertChildInImmigrationDetention) {
			t.Errorf("%s ranks with a child in immigration detention", k)
		}
	}
	if PriorityOf(AlertApproachingLegalMaximum) >= PriorityOf(AlertPastLegalMaximum) {
		t.Error("approaching ranks with past")
	}
	if PriorityCritical.String() != "critical" || Priority(0).String() != "none" {
		t.Error("priority names")
	}
}

func TestSortAlerts(t *testing.T) {
	t1, t2 := at(t, "2026-01-01T00:00:00Z"), at(t, "2026-01-02T00:00:00Z")
	as := []Alert{
		{Kind: AlertApproachingLegalMaximum, Priority: PriorityMedium, Since: t1},
		{Kind: AlertPastLegalMaximum, Priority: PriorityHigh, Since: t2, EpisodeID: "b"},
		{Kind: AlertPastLegalMaximum, Priority: PriorityHigh, Since: t2, EpisodeID: "a"},
		{Kind: AlertNoJudicialReview, Priority: PriorityHigh, Since: t1},
		{Kind: AlertChildInImmigrationDetention, Priority: PriorityCritical, Since: t2},
	}
	SortAlerts(as)
	var got []string
	for _, a := range as {
		got = append(got, string(a.Kind)+"/"+a.EpisodeID)
	}
	want := []string{"child_in_immigration_detention/", "no_judicial_review/", "past_legal_maximum/a",
		"past_legal_maximum/b", "approaching_legal_maximum/"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestReviewedInTime(t *testing.T) {
	start := at(t, "2026-01-01T00:00:00Z")
	cases := []struct {
		name    string
		reviews []string
		end     string
		now     string
		want    Answer
	}{
		{"review on the deadline", []string{"2026-01-03T00:00:00Z"}, "", "2026-02-01T00:00:00Z", Yes},
		{"review a microsecond late", []string{"2026-01-03T00:00:00.000001Z"}, "", "2026-02-01T00:00:00Z", No},
		{"no review, period running", nil, "", "2026-01-02T00:00:00Z", Unknown},
		{"no review, period passed", nil, "", "2026-01-03T00:00:00.000001Z", No},
		{"released within the period", nil, "2026-01-02T00:00:00Z", "2026-02-01T00:00:00Z", NotApplicable},
		{"released at the deadline", nil, "2026-01-03T00:00:00Z", "2026-02-01T00:00:00Z", NotApplicable},
		{"released after it, unreviewed", nil, "2026-01-04T00:00:00Z", "2026-02-01T00:00:00Z", No},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ep := Episode{EpisodeInput: EpisodeInput{Start: start}}
			for _, r := range c.reviews {
				ep.JudicialReviews = append(ep.JudicialReviews, at(t, r))
			}
			if c.end != "" {
				ep.End = new(at(t, c.end))
			}
			if got := ReviewedInTime(ep, Config{}, at(t, c.now)); got != c.want {
				t.Errorf("ReviewedInTime = %s, want %s", got, c.want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	if got := (Config{}).WithDefaults(); got != (Config{WarnDays: 7, ReviewDays: 2, ConsularHours: 72}) {
		t.Errorf("defaults %+v", got)
	}
	if got := (Config{WarnDays: 3, ReviewDays: -1}).WithDefaults(); got != (Config{WarnDays: 3, ReviewDays: 2, ConsularHours: 72}) {
		t.Errorf("partial defaults %+v", got)
	}
	cases := []struct {
		c    Config
		want []FieldError
	}{
		{DefaultConfig(), nil},
		{Config{WarnDays: 1, ReviewDays: 1, ConsularHours: 1}, nil},
		{Config{WarnDays: MaxWarnDays, ReviewDays: MaxReviewDays, ConsularHours: MaxConsularHours}, nil},
		{Config{}, []FieldError{{Field: "warn_days", Code: CodeTooSmall}, {Field: "review_days", Code: CodeTooSmall}, {Field: "consular_hours", Code: CodeTooSmall}}},
		{Config{WarnDays: MaxWarnDays + 1, ReviewDays: 2, ConsularHours: MaxConsularHours + 1},
			[]FieldError{{Field: "warn_days", Code: CodeTooLarge}, {Field: "consular_hours", Code: CodeTooLarge}}},
	}
	for _, c := range cases {
		if got := ValidateConfig(c.c); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ValidateConfig(%+v) = %v, want %v", c.c, got, c.want)
		}
	}
}
