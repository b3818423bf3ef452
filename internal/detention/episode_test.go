// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNormalizeEpisode(t *testing.T) {
	now := at(t, "2026-03-10T12:00:00Z")
	start := at(t, "2026-03-01T08:00:00Z")
	valid := EpisodeInput{FacilityType: " police_station ", FacilityCountry: "mx", Authority: " INM ",
		Start: start, LegalBasis: " Ley de Migración, art. 99 ", ImmigrationRelated: true}
	cases := []struct {
		name string
		edit func(*EpisodeInput)
		want []FieldError
	}{
		{"valid", func(*EpisodeInput) {}, nil},
		{"alpha-3 country", func(in *EpisodeInput) { in.FacilityCountry = "MEX" }, nil},
		{"numeric country", func(in *EpisodeInput) { in.FacilityCountry = "484" }, nil},
		{"no authority or legal basis", func(in *EpisodeInput) { in.Authority, in.LegalBasis = "", "" }, nil},
		{"every facility type", func(in *EpisodeInput) { in.FacilityType = "airport_or_port_holding" }, nil},
		{"missing facility type", func(in *EpisodeInput) { in.FacilityType = "  " }, []FieldError{{Field: "facility_type", Code: CodeRequired}}},
		{"unknown facility type", func(in *EpisodeInput) { in.FacilityType = "hotel" }, []FieldError{{Field: "facility_type", Code: CodeUnknownFacility}}},
		{"facility type is case-sensitive", func(in *EpisodeInput) { in.FacilityType = "Prison" }, []FieldError{{Field: "facility_type", Code: CodeUnknownFacility}}},
		{"missing country", func(in *EpisodeInput) { in.FacilityCountry = "" }, []FieldError{{Field: "facility_country", Code: CodeRequired}}},
		{"unknown country", func(in *EpisodeInput) { in.FacilityCountry = "XX" }, []FieldError{{Field: "facility_country", Code: CodeUnknownCountry}}},
		{"long authority", func(in *EpisodeInput) { in.Authority = strings.Repeat("ж", maxAuthority+1) }, []FieldError{{Field: "authority", Code: CodeTooLong}}},
		{"authority at the limit", func(in *EpisodeInput) { in.Authority = strings.Repeat("ж", maxAuthority) }, nil},
		{"control characters", func(in *EpisodeInput) { in.Authority = "a\nb" }, []FieldError{{Field: "authority", Code: CodeControlChars}}},
		{"invalid UTF-8", func(in *EpisodeInput) { in.LegalBasis = "a\xffb" }, []FieldError{{Field: "legal_basis", Code: CodeInvalid}}},
		{"missing start", func(in *EpisodeInput) { in.Start = time.Time{} }, []FieldError{{Field: "start", Code: CodeRequired}}},
		{"start now", func(in *EpisodeInput) { in.Start = now }, nil},
		{"future start", func(in *EpisodeInput) { in.Start = now.Add(time.Microsecond) }, []FieldError{{Field: "start", Code: CodeFuture}}},
		{"future start, other zone", func(in *EpisodeInput) { in.Start = at(t, "2026-03-10T13:00:00+01:00").Add(time.Second) }, []FieldError{{Field: "start", Code: CodeFuture}}},
		{"end equals start", func(in *EpisodeInput) { in.End = new(start) }, nil},
		{"end before start", func(in *EpisodeInput) { in.End = new(start.Add(-time.Microsecond)) }, []FieldError{{Field: "end", Code: CodeBeforeStart}}},
		{"future end", func(in *EpisodeInput) { in.End = new(now.Add(time.Second)) }, []FieldError{{Field: "end", Code: CodeFuture}}},
		{"zero end", func(in *EpisodeInput) { in.End = &time.Time{} }, []FieldError{{Field: "end", Code: CodeInvalidDate}}},
		{"end with a missing start", func(in *EpisodeInput) { in.Start = time.Time{}; in.End = new(now) }, []FieldError{{Field: "start", Code: CodeRequired}}},
		{"review at start", func(in *EpisodeInput) { in.JudicialReviews = []time.Time{start} }, nil},
		{"scheduled review", func(in *EpisodeInput) { in.JudicialReviews = []time.Time{now.Add(48 * time.Hour)} }, nil},
		{"review before start", func(in *EpisodeInput) {
			in.JudicialReviews = []time.Time{start.Add(time.Hour), start.Add(-time.Second)}
		}, []FieldError{{Field: "judicial_reviews.1", Code: CodeBeforeStart}}},
		{"duplicate review", func(in *EpisodeInput) {
			in.JudicialReviews = []time.Time{start.Add(time.Hour), start.Add(time.Hour).In(time.FixedZone("X", 3600))}
		}, []FieldError{{Field: "judicial_reviews.1", Code: CodeDuplicate}}},
		{"zero review", func(in *EpisodeInput) { in.JudicialReviews = []time.Time{{}} }, []FieldError{{Field: "judicial_reviews.0", Code: CodeInvalidDate}}},
		{"too many reviews", func(in *EpisodeInput) {
			in.JudicialReviews = make([]time.Time, maxJudicialReviews+1)
		}, []FieldError{{Field: "judicial_reviews", Code: CodeTooMany}}},
		{"unknown alternative", func(in *EpisodeInput) {
			in.Alternatives = []Alternative{{Kind: "bail", Considered: true}, {Kind: "bracelet", Considered: true}}
		}, []FieldError{{Field: "alternatives.1.kind", Code: CodeUnknownAlternative}}},
		{"duplicate alternative", func(in *EpisodeInput) {
			in.Alternatives = []Alternative{{Kind: "bail", Considered: true}, {Kind: " bail", Applied: true}}
		}, []FieldError{{Field: "alternatives.1.kind", Code: CodeDuplicate}}},
		{"alternative without kind", func(in *EpisodeInput) { in.Alternatives = []Alternative{{Considered: true}} },
			[]FieldError{{Field: "alternatives.0.kind", Code: CodeRequired}}},
		{"everything wrong", func(in *EpisodeInput) {
			*in = EpisodeInput{FacilityType: "x", Authority: "\x00", End: new(now.Add(time.Hour)), LegalBasis: "\x01"}
		}, []FieldError{{Field: "facility_type", Code: CodeUnknownFacility}, {Field: "facility_country", Code: CodeRequired},
			{Field: "authority", Code: CodeControlChars}, {Field: "start", Code: CodeRequired}, {Field: "end", Code: CodeFuture}, {Field: "legal_basis", Code: CodeControlChars}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := valid
			c.edit(&in)
			_, errs := NormalizeEpisode(in, now)
			if !reflect.DeepEqual(errs, c.want) {
				t.Errorf("errors = %v, want %v", errs, c.want)
			}
		})
	}
}

func TestNormalizeEpisodeCanonicalForm(t *testing.T) {
	now := at(t, "2026-03-10T12:00:00Z")
	zone := time.FixedZone("UTC-5", -5*3600)
	in := EpisodeInput{
		FacilityType: "prison", FacilityCountry: "484", Authority: "  SSPC ",
		Start:      time.Date(2026, 3, 1, 3, 0, 0, 123456789, zone),
		End:        new(time.Date(2026, 3, 9, 3, 0, 0, 0, zone)),
		LegalBasis: " art. 1 ",
		JudicialReviews: []time.Time{
			time.Date(2026, 3, 5, 9, 0, 0, 0, zone), time.Date(2026, 3, 2, 9, 0, 0, 0, zone),
		},
		Alternatives: []Alternative{
			{Kind: "release", Applied: true},
			{Kind: "reporting", Considered: true},
			{Kind: "bail"}, // neither considered nor applied: dropped
		},
	}
	out, errs := NormalizeEpisode(in, now)
	if errs != nil {
		t.Fatal(errs)
	}
	want := EpisodeInput{
		FacilityType: FacilityPrison, FacilityCountry: "MEX", Authority: "SSPC",
		Start:      at(t, "2026-03-01T08:00:00.123456Z"),
		End:        new(at(t, "2026-03-09T08:00:00Z")),
		LegalBasis: "art. 1",
		JudicialReviews: []time.Time{
			at(t, "2026-03-02T14:00:00Z"), at(t, "2026-03-05T14:00:00Z"),
		},
		Alternatives: []Alternative{
			{Kind: AltReporting, Considered: true},
			{Kind: AltRelease, Considered: true, Applied: true},
		},
	}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("normalised\n%+v\nwant\n%+v", out, want)
	}
	if out.Start.Location() != time.UTC || out.End.Location() != time.UTC {
		t.Error("times are not in UTC")
	}
	if in.End == out.End {
		t.Error("the input's end pointer is shared with the output")
	}
}

func TestEpisodeOpenAtAndImmigration(t *testing.T) {
	start := at(t, "2026-03-01T00:00:00Z")
	end := at(t, "2026-03-05T00:00:00Z")
	open := EpisodeInput{Start: start}
	closed := EpisodeInput{Start: start, End: &end}
	cases := []struct {
		name string
		ep   EpisodeInput
		now  time.Time
		want bool
	}{
		{"before start", open, start.Add(-time.Microsecond), false},
		{"at start", open, start, true},
		{"open, long after", open, start.AddDate(5, 0, 0), true},
		{"closed, before end", closed, end.Add(-time.Microsecond), true},
		{"closed, at end", closed, end, false},
		{"closed, after end", closed, end.Add(time.Hour), false},
	}
	for _, c := range cases {
		if got := c.ep.OpenAt(c.now); got != c.want {
			t.Errorf("%s: OpenAt = %v, want %v", c.name, got, c.want)
		}
	}
	for _, c := range []struct {
		ft   FacilityType
		imm  bool
		want bool
	}{
		{FacilityImmigrationDetentionCentre, false, true},
		{FacilityImmigrationDetentionCentre, true, true},
		{FacilityPoliceStation, true, true},
		{FacilityPoliceStation, false, false},
		{FacilityPrison, false, false},
		{FacilityAirportOrPortHolding, false, false},
	} {
		if got := (EpisodeInput{FacilityType: c.ft, ImmigrationRelated: c.imm}).ImmigrationDetention(); got != c.want {
			t.Errorf("ImmigrationDetention(%s, %v) = %v, want %v", c.ft, c.imm, got, c.want)
		}
	}
}
