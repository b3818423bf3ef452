// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
)

// countryData is one country's commitments.
type countryData struct {
	Alpha2, Alpha3, Numeric, Name string
	Region, SubRegion             string
	Instruments                   []countryInstrument
	Parties, Signatories          int
	Coverage                      coverageNote
	Downloads                     downloads
	CanEdit                       bool
}

// countryInstrument is one instrument's line on a country page.
type countryInstrument struct {
	Code, Short, Title string
	Standing           string
	Action             string // the binding act, for a party
	Date, Signed       string // formatted
	Records            []recordView
}

// recordView is one record as pages show it.
type recordView struct {
	ID, Country, CountryName, Instrument, Action string
	Date, AsOf                                   string // formatted
	Source                                       []sourcePart
}

func viewRecord(loc *i18n.Locale, rec commitments.Record) recordView {
	c, _ := countries.Lookup(rec.Country)
	return recordView{
		ID: rec.ID, Country: rec.Country, CountryName: c.Name(loc.Code()), Instrument: rec.Instrument,
		Action: string(rec.Action), Date: loc.Date(isoDate(rec.Date)), AsOf: loc.Date(isoDate(rec.AsOf)),
		Source: sourceParts(rec.Source),
	}
}

// commitmentsCountry shows what one state signed, ratified, acceded or
// succeeded to, and when; ?format= downloads its records.
func (w *Web) commitmentsCountry(rw http.ResponseWriter, r *http.Request) {
	c, found := countries.Lookup(r.PathValue("code"))
	format, ok := w.addressed(rw, r, found, c.Alpha3, "/commitments/countries/")
	if !ok {
		return
	}
	loc := w.locale(r)
	lang := loc.Code()
	recs, err := w.com.List(r.Context(), commitments.Filter{Country: c.Alpha3})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if format != "" {
		w.download(rw, r, recordsTable(loc, "commitments-"+c.Alpha3, recs, w.com.Catalog()), format)
		return
	}
	m := commitments.Statuses(recs)
	d := &countryData{
		Alpha2: c.Alpha2, Alpha3: c.Alpha3, Numeric: c.Numeric, Name: c.Name(lang),
		Region: countries.RegionName(c.Region, lang), SubRegion: countries.RegionName(c.SubRegion, lang),
		CanEdit: canEdit(r), Downloads: downloadLinks("/commitments/countries/"+c.Alpha3, nil),
	}
	for _, in := range w.com.Catalog().All() {
		st := m.At(c.Alpha3, in.Code)
		ci := countryInstrument{Code: in.Code, Short: in.ShortName(lang), Title: in.Name(lang), Standing: string(st.Standing),
			Action: string(st.Action)}
		if st.Date != "" {
			ci.Date = loc.Date(isoDate(st.Date))
		}
		if st.Signed != "" {
			ci.Signed = loc.Date(isoDate(st.Signed))
		}
		switch st.Standing {
		case commitments.Party:
			d.Parties++
		case commitments.Signatory:
			d.Signatories++
		}
		for _, rec := range recs {
			if rec.Instrument == in.Code {
				ci.Records = append(ci.Records, viewRecord(loc, rec))
			}
		}
		d.Instruments = append(d.Instruments, ci)
	}
	full, err := w.com.Matrix(r.Context())
	if err == nil {
		d.Coverage, err = w.coverage(r, loc, full)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageCommitmentsCountry, view{Data: d})
}

// recordsTable is a list of records as a download, in the columns of the
// import format, so that a downloaded file can be corrected and imported
// again.
func recordsTable(loc *i18n.Locale, name string, recs []commitments.Record, cat *commitments.Catalog) export.Table {
	t := export.Table{Name: name, Header: []string{"country", "instrument", "action", "date", "source", "as_of",
		loc.T("commitments.col.country"), loc.T("commitments.col.instrument")}}
	for _, rec := range recs {
		c, _ := countries.Lookup(rec.Country)
		in, _ := cat.Lookup(rec.Instrument)
		t.Rows = append(t.Rows, []any{rec.Country, rec.Instrument, string(rec.Action), rec.Date, rec.Source, rec.AsOf,
			c.Name(loc.Code()), in.Name(loc.Code())})
	}
	return t
}
