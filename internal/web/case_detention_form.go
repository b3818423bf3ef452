// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
)

// The forms of the protection tabs post dates (YYYY-MM-DD) and dates with
// a time (datetime-local), read as UTC as the pages say. Errors found in
// the form itself (a date that does not parse) are shown together with
// those the domain's rules find, and then nothing is saved.

const (
	formDate     = "2006-01-02"
	formDateTime = "2006-01-02T15:04"
	// errInvalidDateTime is the field code of a date and time that does not
	// parse.
	errInvalidDateTime = "invalid_datetime"
)

// formTime reads the date or date and time (layout formDate or
// formDateTime) posted in field. Empty gives nil. A value that shows orig
// unchanged gives orig back, with the precision the form cannot show, so
// that saving a form changes only what was changed. A value that does not
// parse records the field's error in bad.
func formTime(r *http.Request, field, layout string, orig *time.Time, bad map[string]string) *time.Time {
	s := r.PostForm.Get(field)
	switch {
	case s == "":
		return nil
	case orig != nil && s == formatTime(*orig, layout):
		return orig
	}
	t, err := time.ParseInLocation(layout, s, time.UTC)
	if err != nil && layout == formDateTime {
		// A browser may send seconds.
		t, err = time.ParseInLocation(formDateTime+":05", s, time.UTC)
	}
	if err != nil {
		code := codeInvalidDate
		if layout == formDateTime {
			code = errInvalidDateTime
		}
		bad[field] = code
		return nil
	}
	return &t
}

// formatTime writes t for a form field of layout, in UTC; the zero time
// gives "".
func formatTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(layout)
}

// formatTimePtr is formatTime for an optional time.
func formatTimePtr(t *time.Time, layout string) string {
	if t == nil {
		return ""
	}
	return formatTime(*t, layout)
}

// episodeForm is the form that records or changes an episode.
type episodeForm struct {
	// Persons are the case's persons, for a new episode only: an
	// episode's person does not change.
	Persons       []option
	FacilityTypes []option
	Countries     []option
	Alternatives  []altChoice
	// Reviews names the inputs of the judicial review dates: one per date
	// recorded, and one more, empty, to add a date.
	Reviews []string
}

// altChoice is an alternative to detention with its select (not
// considered, considered, applied).
type altChoice struct{ Kind, Field string }

// Values of an alternative's select.
const (
	altConsidered = "considered"
	altApplied    = "applied"
)

// Form field names of the episode form besides the domain's own.
const (
	fieldImmigration = "immigration_related"
	yes              = "yes"
)

func altField(k detention.AlternativeKind) string { return "alt_" + string(k) }

func reviewField(i int) string { return "review_" + strconv.Itoa(i) }

// newEpisodeForm builds the form in loc's language for values (the record,
// or a refused post).
func newEpisodeForm(loc *i18n.Locale, persons []option, values map[string]string) episodeForm {
	f := episodeForm{Persons: persons, Countries: countryOptions(loc.Code())}
	for _, ft := range detention.FacilityTypes {
		f.FacilityTypes = append(f.FacilityTypes, option{Value: string(ft), Label: loc.T("detention.facility." + string(ft))})
	}
	for _, k := range detention.AlternativeKinds {
		f.Alternatives = append(f.Alternatives, altChoice{Kind: string(k), Field: altField(k)})
	}
	n := 0
	for {
		if _, ok := values[reviewField(n)]; !ok {
			break
		}
		n++
	}
	if n == 0 || values[reviewField(n-1)] != "" {
		n++
	}
	for i := range n {
		f.Reviews = append(f.Reviews, reviewField(i))
	}
	return f
}

// episodePost is the episode form as posted.
type episodePost struct {
	in     detention.EpisodeInput
	values map[string]string
	// bad holds the errors found in the form itself, by field; check is
	// then the domain rules' verdict on the rest (nothing is saved), so
	// that every error is shown at once.
	bad   map[string]string
	check error
	// reviews maps each judicial review of in, by its index in the
	// domain's field names, to its input.
	reviews map[string]string
}

// maxReviewInputs bounds the review inputs read, a little above what the
// domain accepts so that it can say there are too many.
const maxReviewInputs = 256

// episodeFields are the fields of the episode form named as the domain
// names them.
var episodeFields = []string{"person_id", "facility_type", "facility_country", "authority", "start", "end",
	"legal_basis", "judicial_reviews"}

// readEpisodeForm reads the episode form; old is the episode being
// changed, nil for a new one.
func readEpisodeForm(r *http.Request, old *detention.Episode, now time.Time) episodePost {
	f := episodePost{values: formValues(r.PostForm, "person_id", "facility_type", "facility_country",
		"authority", "start", "end", "legal_basis", fieldImmigration),
		bad: map[string]string{}, reviews: map[string]string{}}
	var orig detention.EpisodeInput
	if old != nil {
		orig = old.EpisodeInput
	}
	f.in = detention.EpisodeInput{FacilityType: detention.FacilityType(f.values["facility_type"]),
		FacilityCountry: f.values["facility_country"], Authority: f.values["authority"],
		LegalBasis: f.values["legal_basis"], ImmigrationRelated: f.values[fieldImmigration] == yes}
	if t := formTime(r, "start", formDate, &orig.Start, f.bad); t != nil {
		f.in.Start = *t
	}
	f.in.End = formTime(r, "end", formDate, orig.End, f.bad)
	for i := 0; i < maxReviewInputs && r.PostForm.Has(reviewField(i)); i++ {
		name := reviewField(i)
		f.values[name] = r.PostForm.Get(name)
		var was *time.Time
		if i < len(orig.JudicialReviews) {
			was = &orig.JudicialReviews[i]
		}
		if t := formTime(r, name, formDate, was, f.bad); t != nil {
			f.reviews["judicial_reviews."+strconv.Itoa(len(f.in.JudicialReviews))] = name
			f.in.JudicialReviews = append(f.in.JudicialReviews, *t)
		}
	}
	for _, k := range detention.AlternativeKinds {
		name := altField(k)
		v := r.PostForm.Get(name)
		f.values[name] = v
		switch v {
		case "":
		case altConsidered, altApplied:
			f.in.Alternatives = append(f.in.Alternatives, detention.Alternative{Kind: k, Considered: true, Applied: v == altApplied})
		default:
			f.bad[name] = fielderr.CodeInvalid
		}
	}
	if len(f.bad) > 0 {
		if _, errs := detention.NormalizeEpisode(f.in, now); len(errs) > 0 {
			f.check = &fielderr.Error{Errors: errs}
		}
	}
	return f
}

// form is the caseForm of the post, shown by show.
func (f episodePost) form(show func(status int, v view)) caseForm {
	inForm := placeIn(episodeFields)
	return caseForm{show: show, values: f.values, fields: f.bad, place: func(fe fielderr.FieldError) (string, string) {
		if name, ok := f.reviews[fe.Field]; ok {
			return name, fe.Code
		}
		return inForm(fe)
	}}
}

// episodeValues fills the episode form from ep.
func episodeValues(ep detention.Episode) map[string]string {
	v := map[string]string{"person_id": ep.PersonID, "facility_type": string(ep.FacilityType),
		"facility_country": ep.FacilityCountry, "authority": ep.Authority, "start": formatTime(ep.Start, formDate),
		"end": formatTimePtr(ep.End, formDate), "legal_basis": ep.LegalBasis}
	if ep.ImmigrationRelated {
		v[fieldImmigration] = yes
	}
	for i, t := range ep.JudicialReviews {
		v[reviewField(i)] = formatTime(t, formDate)
	}
	for _, a := range ep.Alternatives {
		switch {
		case a.Applied:
			v[altField(a.Kind)] = altApplied
		case a.Considered:
			v[altField(a.Kind)] = altConsidered
		}
	}
	return v
}

// dateField is a labelled date (or date and time) input with a hint and
// its error, for the "date-field" template.
type dateField struct {
	// Name is the field's name and its element's id; Type is the input's
	// type, date or datetime-local.
	Name, Type  string
	Label, Hint string
	Value       string
	Required    bool
	Error       *fieldError
}

// DateField makes the date field name of v's form, with v's value and
// error.
func (v view) DateField(name, label, hint string) dateField {
	return dateField{Name: name, Type: "date", Label: label, Hint: hint, Value: v.Val(name), Error: v.FieldError(name)}
}

// DateTimeField makes the date-and-time field name of v's form.
func (v view) DateTimeField(name, label, hint string) dateField {
	f := v.DateField(name, label, hint)
	f.Type = "datetime-local"
	return f
}

// Require returns f with a value required.
func (f dateField) Require() dateField {
	f.Required = true
	return f
}
