// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/countries"
)

// FacilityType is the kind of place a person is held in.
type FacilityType string

// Facility types.
const (
	FacilityImmigrationDetentionCentre FacilityType = "immigration_detention_centre"
	FacilityPoliceStation              FacilityType = "police_station"
	FacilityPrison                     FacilityType = "prison"
	FacilityAirportOrPortHolding       FacilityType = "airport_or_port_holding"
	FacilityOther                      FacilityType = "other"
)

// FacilityTypes lists every facility type, in the order forms show them.
var FacilityTypes = []FacilityType{FacilityImmigrationDetentionCentre, FacilityPoliceStation, FacilityPrison,
	FacilityAirportOrPortHolding, FacilityOther}

// AlternativeKind is an alternative to detention (res. ¶4(a), (d)).
type AlternativeKind string

// Alternatives to detention.
const (
	AltReporting            AlternativeKind = "reporting"
	AltResidenceRequirement AlternativeKind = "residence_requirement"
	AltBail                 AlternativeKind = "bail"
	AltCaseManagement       AlternativeKind = "case_management_programme"
	AltCommunityPlacement   AlternativeKind = "community_placement"
	AltRelease              AlternativeKind = "release"
)

// AlternativeKinds lists every alternative, in the order forms show them.
var AlternativeKinds = []AlternativeKind{AltReporting, AltResidenceRequirement, AltBail, AltCaseManagement,
	AltCommunityPlacement, AltRelease}

// Alternative records whether an alternative to detention was considered by
// the authority and whether it was applied. Applying one means it was
// considered, so normalisation sets Considered when Applied is set.
type Alternative struct {
	Kind       AlternativeKind
	Considered bool
	Applied    bool
}

// Episode is one continuous deprivation of liberty of one person, recorded
// in one case.
type Episode struct {
	ID       string
	OrgID    string
	CaseID   string
	PersonID string
	EpisodeInput
	CreatedBy string
	CreatedAt time.Time
	UpdatedBy string
	UpdatedAt time.Time
}

// EpisodeInput is what a person records of an episode.
type EpisodeInput struct {
	FacilityType    FacilityType
	FacilityCountry string // ISO 3166-1 alpha-3 of the detaining state; any ISO form on input
	// Authority is a short code or name of the detaining authority (for
	// instance a border police directorate); compliance rates are grouped
	// by it. Empty when not known.
	Authority string
	Start     time.Time
	End       *time.Time // nil while the person is held
	// LegalBasis cites the provision the detention rests on, as the
	// detaining authority states it. It must not hold personal data.
	LegalBasis string
	// ImmigrationRelated is true when the person is held on immigration
	// grounds (entry, stay, removal) rather than on a criminal charge or
	// sentence.
	ImmigrationRelated bool
	// JudicialReviews are the moments a court or judge reviewed the
	// lawfulness of the detention, earliest first. Future entries are
	// scheduled hearings; rules count only those that have happened.
	JudicialReviews []time.Time
	// Alternatives lists the alternatives to detention considered or
	// applied, at most one entry per kind, in the order of AlternativeKinds.
	Alternatives []Alternative
}

// OpenAt reports whether the person was held at now: the episode has begun
// and has not ended.
func (e EpisodeInput) OpenAt(now time.Time) bool {
	return !now.Before(e.Start) && (e.End == nil || now.Before(*e.End))
}

// ImmigrationDetention reports whether the episode is immigration
// detention: the person is held on immigration grounds, or in an
// immigration detention centre whatever the recorded grounds (erring on
// the side of the child alert, which applies to immigration detention).
func (e EpisodeInput) ImmigrationDetention() bool {
	return e.ImmigrationRelated || e.FacilityType == FacilityImmigrationDetentionCentre
}

// Limits on what an episode may hold.
const (
	maxAuthority       = 100
	maxLegalBasis      = 500
	maxJudicialReviews = 200
)

// NormalizeEpisode checks in and returns it in canonical form: alpha-3
// country, trimmed text, times in UTC at microsecond precision (what the
// database keeps), judicial reviews sorted, alternatives in the order of
// AlternativeKinds with Considered set when Applied is. now is the current
// time: neither start nor end may be later. Every invalid field is
// reported, in the order of the fields.
func NormalizeEpisode(in EpisodeInput, now time.Time) (EpisodeInput, []FieldError) {
	var errs []FieldError
	add := func(field, code string) { errs = append(errs, FieldError{Field: field, Code: code}) }
	out := in
	out.FacilityType = FacilityType(strings.TrimSpace(string(in.FacilityType)))
	out.FacilityCountry = strings.TrimSpace(in.FacilityCountry)
	out.Authority = strings.TrimSpace(in.Authority)
	out.LegalBasis = strings.TrimSpace(in.LegalBasis)

	switch {
	case out.FacilityType == "":
		add("facility_type", CodeRequired)
	case !slices.Contains(FacilityTypes, out.FacilityType):
		add("facility_type", CodeUnknownFacility)
	}
	if c, code := country(out.FacilityCountry); code != "" {
		add("facility_country", code)
	} else {
		out.FacilityCountry = c
	}
	checkText(out.Authority, "authority", maxAuthority, add)

	startOK := false
	if in.Start.IsZero() {
		add("start", CodeRequired)
	} else {
		out.Start = canonical(in.Start)
		if out.Start.After(now) {
			add("start", CodeFuture)
		} else {
			startOK = true
		}
	}
	if in.End != nil {
		end := canonical(*in.End)
		out.End = &end
		switch {
		case in.End.IsZero():
			add("end", CodeInvalidDate)
		case end.After(now):
			add("end", CodeFuture)
		case startOK && end.Before(out.Start):
			add("end", CodeBeforeStart)
		}
	}
	checkText(out.LegalBasis, "legal_basis", maxLegalBasis, add)

	out.JudicialReviews = nil
	if len(in.JudicialReviews) > maxJudicialReviews {
		add("judicial_reviews", CodeTooMany)
	} else {
		seen := map[time.Time]bool{}
		for i, r := range in.JudicialReviews {
			field := "judicial_reviews." + strconv.Itoa(i)
			r = canonical(r)
			switch {
			case r.IsZero():
				add(field, CodeInvalidDate)
			case startOK && r.Before(out.Start):
				add(field, CodeBeforeStart)
			case seen[r]:
				add(field, CodeDuplicate)
			default:
				seen[r] = true
				out.JudicialReviews = append(out.JudicialReviews, r)
			}
		}
		slices.SortFunc(out.JudicialReviews, time.Time.Compare)
	}

	out.Alternatives = nil
	byKind := map[AlternativeKind]Alternative{}
	for i, a := range in.Alternatives {
		field := "alternatives." + strconv.Itoa(i) + ".kind"
		a.Kind = AlternativeKind(strings.TrimSpace(string(a.Kind)))
		switch {
		case a.Kind == "":
			add(field, CodeRequired)
		case !slices.Contains(AlternativeKinds, a.Kind):
			add(field, CodeUnknownAlternative)
		case byKind[a.Kind].Kind != "":
			add(field, CodeDuplicate)
		default:
			a.Considered = a.Considered || a.Applied
			byKind[a.Kind] = a
		}
	}
	for _, k := range AlternativeKinds {
		// An entry neither considered nor applied says nothing: drop it.
		if a, ok := byKind[k]; ok && a.Considered {
			out.Alternatives = append(out.Alternatives, a)
		}
	}
	return out, errs
}

// canonical returns t in UTC at microsecond precision, the form the
// database stores, so that what is validated is what is kept.
func canonical(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Microsecond)
}

// country returns the alpha-3 code of code, or a reason code.
func country(code string) (string, string) {
	if code == "" {
		return "", CodeRequired
	}
	c, ok := countries.Lookup(code)
	if !ok {
		return "", CodeUnknownCountry
	}
	return c.Alpha3, ""
}

// checkText reports text longer than max characters or holding control
// characters.
func checkText(s, field string, max int, add func(field, code string)) {
	switch {
	case utf8.RuneCountInString(s) > max:
		add(field, CodeTooLong)
	case !utf8.ValidString(s):
		add(field, CodeInvalid)
	case strings.ContainsFunc(s, unicode.IsControl):
		add(field, CodeControlChars)
	}
}
