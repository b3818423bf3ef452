// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/countries"
)

// Action is what a state did with respect to an instrument.
type Action string

// The actions a record may hold. Ratification, accession and succession
// each make a state a party; a signature alone does not.
const (
	Signature    Action = "signature"
	Ratification Action = "ratification"
	Accession    Action = "accession"
	Succession   Action = "succession"
)

// Actions lists every action, in the order a state usually takes them.
var Actions = []Action{Signature, Ratification, Accession, Succession}

// Binding reports whether the action makes the state a party.
func (a Action) Binding() bool { return a == Ratification || a == Accession || a == Succession }

func validAction(s string) bool {
	for _, a := range Actions {
		if string(a) == s {
			return true
		}
	}
	return false
}

// Record is one recorded action of one state on one instrument.
type Record struct {
	ID         string
	Country    string // ISO 3166-1 alpha-3
	Instrument string // instrument code
	Action     Action
	Date       string // YYYY-MM-DD
	Source     string // URL or citation of the published source
	AsOf       string // YYYY-MM-DD: the date the source speaks for
	ImportID   string // the import that last wrote the record, or ""
	UpdatedBy  string // user id, or "system"
	UpdatedAt  time.Time
}

// Input is a record as a person or a file gives it: codes may be any ISO
// form and any case; Normalize makes them canonical.
type Input struct {
	Country, Instrument, Action, Date, Source, AsOf string
}

// maxSource bounds the length of a source, in characters.
const maxSource = 500

const dateLayout = "2006-01-02"

func validDate(s string) bool {
	t, err := time.Parse(dateLayout, s)
	return err == nil && t.Format(dateLayout) == s
}

// normalize checks in against the catalogue and returns it in canonical
// form (alpha-3 country, upper-case instrument code, lower-case action,
// trimmed text). today is the current date as YYYY-MM-DD: no date may be
// later, and an empty as_of becomes today. Every invalid field is
// reported, in the order of the columns.
func normalize(in Input, cat *Catalog, today string) (Input, []FieldError) {
	var errs []FieldError
	add := func(field, code string) { errs = append(errs, FieldError{Field: field, Code: code}) }
	out := Input{
		Country: strings.TrimSpace(in.Country), Instrument: strings.TrimSpace(in.Instrument),
		Action: strings.ToLower(strings.TrimSpace(in.Action)), Date: strings.TrimSpace(in.Date),
		Source: strings.TrimSpace(in.Source), AsOf: strings.TrimSpace(in.AsOf),
	}
	if out.Country == "" {
		add("country", CodeRequired)
	} else if c, ok := countries.Lookup(out.Country); ok {
		out.Country = c.Alpha3
	} else {
		add("country", CodeUnknownCountry)
	}
	var inst Instrument
	instOK := false
	if out.Instrument == "" {
		add("instrument", CodeRequired)
	} else if inst, instOK = cat.Lookup(out.Instrument); instOK {
		out.Instrument = inst.Code
	} else {
		add("instrument", CodeUnknownInstrument)
	}
	switch {
	case out.Action == "":
		add("action", CodeRequired)
	case !validAction(out.Action):
		add("action", CodeUnknownAction)
	}
	dateOK := checkDate(out.Date, "date", today, add)
	if dateOK && instOK && out.Date < inst.Adopted {
		add("date", CodeBeforeAdoption)
	}
	switch {
	case out.Source == "":
		add("source", CodeRequired)
	case utf8.RuneCountInString(out.Source) > maxSource:
		add("source", CodeTooLong)
	case strings.ContainsFunc(out.Source, unicode.IsControl):
		add("source", CodeControlChars)
	}
	if out.AsOf == "" {
		out.AsOf = today
	}
	if checkDate(out.AsOf, "as_of", today, add) && dateOK && out.AsOf < out.Date {
		add("as_of", CodeAsOfBeforeDate)
	}
	return out, errs
}

// checkDate reports a missing, malformed or future date of field.
func checkDate(s, field, today string, add func(field, code string)) bool {
	switch {
	case s == "":
		add(field, CodeRequired)
	case !validDate(s):
		add(field, CodeInvalidDate)
	case s > today:
		add(field, CodeFutureDate)
	default:
		return true
	}
	return false
}
