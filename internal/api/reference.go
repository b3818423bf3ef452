// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Countries, instruments and their standing are public reference facts:
// these handlers need no principal and hold nothing about a person.

// unLanguages are the six official languages of the United Nations, in
// which countries and instruments are named. Fixed here rather than taken
// from the interface's languages, because the API's JSON must not change
// shape when the interface gains a translation.
var unLanguages = [...]string{"en", "fr", "es", "ru", "ar", "zh"}

// names is a text in each of the six languages.
type names struct {
	En string `json:"en"`
	Fr string `json:"fr"`
	Es string `json:"es"`
	Ru string `json:"ru"`
	Ar string `json:"ar"`
	Zh string `json:"zh"`
}

func namesOf(name func(lang string) string) names {
	return names{name("en"), name("fr"), name("es"), name("ru"), name("ar"), name("zh")}
}

// lang reads the optional lang parameter. An unknown language is refused
// rather than quietly answered in English, so that a client's typo shows.
func lang(r *http.Request) (string, error) {
	l := r.URL.Query().Get("lang")
	if l == "" {
		return "en", nil
	}
	for _, known := range unLanguages {
		if l == known {
			return l, nil
		}
	}
	return "", &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "lang", Code: "unknown_language"}}}
}

type regionJSON struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// region is nil for a country M49 places in no region of that level.
func region(code, lang string) *regionJSON {
	if code == "" {
		return nil
	}
	return &regionJSON{code, countries.RegionName(code, lang)}
}

type countryJSON struct {
	Alpha2             string      `json:"alpha2"`
	Alpha3             string      `json:"alpha3"`
	Numeric            string      `json:"numeric"`
	Names              names       `json:"names"`
	Region             *regionJSON `json:"region"`
	SubRegion          *regionJSON `json:"sub_region"`
	IntermediateRegion *regionJSON `json:"intermediate_region"`
}

func toCountry(c countries.Country, lang string) countryJSON {
	return countryJSON{c.Alpha2, c.Alpha3, c.Numeric, namesOf(c.Name),
		region(c.Region, lang), region(c.SubRegion, lang), region(c.IntermediateRegion, lang)}
}

// statusJSON is what the records say of one state and one instrument.
// Action is set only for a party: the act that bound it.
type statusJSON struct {
	Standing string  `json:"standing"`
	Action   *string `json:"action"`
	Date     *string `json:"date"`
	Signed   *string `json:"signed"`
}

func toStatus(st commitments.Status) statusJSON {
	return statusJSON{string(st.Standing), orNull(string(st.Action)), orNull(st.Date), orNull(st.Signed)}
}

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *API) listCountries(w http.ResponseWriter, r *http.Request) {
	l, err := lang(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[countryJSON]{Items: []countryJSON{}}
	for _, c := range countries.All() {
		out.Items = append(out.Items, toCountry(c, l))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// getCountry answers with the country and its standing towards every
// instrument of the catalogue, "none" included: a client shows the gaps as
// gaps, not as absences from a list.
func (a *API) getCountry(w http.ResponseWriter, r *http.Request) {
	l, err := lang(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	c, ok := countries.Lookup(r.PathValue("code"))
	if !ok {
		a.fail(w, r, commitments.ErrNotFound)
		return
	}
	recs, err := a.com.List(r.Context(), commitments.Filter{Country: c.Alpha3})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	m := commitments.Statuses(recs)
	type commitmentJSON struct {
		Instrument string `json:"instrument"`
		statusJSON
		Records []ratificationJSON `json:"records"`
	}
	out := struct {
		Country     countryJSON      `json:"country"`
		Commitments []commitmentJSON `json:"commitments"`
	}{toCountry(c, l), []commitmentJSON{}}
	for _, in := range a.com.Catalog().All() {
		cj := commitmentJSON{Instrument: in.Code, statusJSON: toStatus(m.At(c.Alpha3, in.Code)), Records: []ratificationJSON{}}
		for _, rec := range recs {
			if rec.Instrument == in.Code {
				cj.Records = append(cj.Records, toRatification(rec))
			}
		}
		out.Commitments = append(out.Commitments, cj)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

type instrumentJSON struct {
	Code           string `json:"code"`
	Titles         names  `json:"titles"`
	ShortNames     names  `json:"short_names"`
	Adopted        string `json:"adopted"`
	EntryIntoForce string `json:"entry_into_force"`
	AdoptedBy      string `json:"adopted_by"`
	Place          string `json:"place"`
	Depositary     string `json:"depositary"`
	Source         string `json:"source"`
	Parties        int    `json:"parties"`
	Signatories    int    `json:"signatories"`
}

// toInstrument describes in with its counts of parties and signatories in
// m, which must hold the records of in (it may hold others).
func toInstrument(in commitments.Instrument, m *commitments.Matrix) instrumentJSON {
	out := instrumentJSON{Code: in.Code, Titles: namesOf(in.Name), ShortNames: namesOf(in.ShortName),
		Adopted: in.Adopted, EntryIntoForce: in.EntryIntoForce, AdoptedBy: in.AdoptedBy, Place: in.Place,
		Depositary: in.Depositary, Source: in.Source}
	for _, c := range m.Countries {
		switch m.At(c, in.Code).Standing {
		case commitments.Party:
			out.Parties++
		case commitments.Signatory:
			out.Signatories++
		}
	}
	return out
}

func (a *API) listInstruments(w http.ResponseWriter, r *http.Request) {
	m, err := a.com.Matrix(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[instrumentJSON]{Items: []instrumentJSON{}}
	for _, in := range a.com.Catalog().All() {
		out.Items = append(out.Items, toInstrument(in, m))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// getInstrument answers with the instrument, the number of parties at the
// end of each year, and the standing of each state with records of it.
func (a *API) getInstrument(w http.ResponseWriter, r *http.Request) {
	in, ok := a.com.Catalog().Lookup(r.PathValue("code"))
	if !ok {
		a.fail(w, r, commitments.ErrNotFound)
		return
	}
	recs, err := a.com.List(r.Context(), commitments.Filter{Instrument: in.Code})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	m := commitments.Statuses(recs)
	// The timeline runs to the year the newest source speaks for, not to
	// this year: the records say nothing of the years after it.
	lastYear := 0
	for _, rec := range recs {
		if y, err := strconv.Atoi(rec.AsOf[:min(4, len(rec.AsOf))]); err == nil {
			lastYear = max(lastYear, y)
		}
	}
	type yearJSON struct {
		Year    int `json:"year"`
		Parties int `json:"parties"`
	}
	type countryStatusJSON struct {
		Country string `json:"country"`
		statusJSON
	}
	out := struct {
		Instrument instrumentJSON      `json:"instrument"`
		Timeline   []yearJSON          `json:"timeline"`
		Statuses   []countryStatusJSON `json:"statuses"`
	}{toInstrument(in, m), []yearJSON{}, []countryStatusJSON{}}
	for _, yc := range commitments.Timeline(m, in.Code, lastYear) {
		out.Timeline = append(out.Timeline, yearJSON(yc))
	}
	for _, c := range m.Countries {
		out.Statuses = append(out.Statuses, countryStatusJSON{c, toStatus(m.At(c, in.Code))})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
