// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/chart"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/i18n"
)

// instrumentData is one instrument's page.
type instrumentData struct {
	Code, Short, Title, Adopted, EntryIntoForce, AdoptedBy, Place, Depositary string
	Source                                                                    []sourcePart
	Parties, Signatories                                                      int
	// Chart and Map are drawn on the server; Timeline and States are the
	// same figures as tables, for screen readers and for print.
	Chart, Map template.HTML
	Timeline   []commitments.YearCount
	States     []instrumentState
	// Unmapped names the states with records that the world map is too
	// coarse to draw.
	Unmapped  []string
	Coverage  coverageNote
	Downloads downloads
	CanEdit   bool
}

// instrumentState is one state's line in the instrument's table.
type instrumentState struct {
	Alpha3, Name, Standing, Action, Date, Signed string
}

// Map classes, in legend order: parties, then signatories.
const (
	mapParty = iota
	mapSignatory
)

// commitmentsInstrument shows one instrument: its facts, the number of
// parties over time as a line chart, a world map of who is bound, and the
// states by name; ?format= downloads the states' table.
func (w *Web) commitmentsInstrument(rw http.ResponseWriter, r *http.Request) {
	in, found := w.com.Catalog().Lookup(r.PathValue("code"))
	format, ok := w.addressed(rw, r, found, in.Code, "/commitments/instruments/")
	if !ok {
		return
	}
	loc := w.locale(r)
	lang := loc.Code()
	m, err := w.com.Matrix(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &instrumentData{
		Code: in.Code, Short: in.ShortName(lang), Title: in.Name(lang), Adopted: loc.Date(isoDate(in.Adopted)),
		AdoptedBy: in.AdoptedBy, Place: in.Place, Depositary: in.Depositary, Source: sourceParts(in.Source),
		CanEdit: canEdit(r), Downloads: downloadLinks("/commitments/instruments/"+in.Code, nil),
	}
	if in.EntryIntoForce != "" {
		d.EntryIntoForce = loc.Date(isoDate(in.EntryIntoForce))
	}
	mapData := chart.MapData{
		Classes: []chart.MapClass{
			{Label: loc.T("commitments.standing.party"), Color: 5},
			{Label: loc.T("commitments.standing.signatory"), Color: 2},
		},
		Class: map[string]int{}, Names: map[string]string{}, NoData: loc.T("commitments.standing.none"),
	}
	drawn := map[string]bool{}
	for _, code := range chart.MapCodes() {
		drawn[code] = true
	}
	all := countries.All()
	countries.SortByName(all, lang)
	lastAsOf := ""
	for _, c := range all {
		mapData.Names[c.Numeric] = c.Name(lang)
		st := m.At(c.Alpha3, in.Code)
		if st.Standing == commitments.NoRecord {
			continue
		}
		s := instrumentState{Alpha3: c.Alpha3, Name: c.Name(lang), Standing: string(st.Standing), Action: string(st.Action),
			Date: loc.Date(isoDate(st.Date))}
		if st.Signed != "" {
			s.Signed = loc.Date(isoDate(st.Signed))
		}
		d.States = append(d.States, s)
		if st.Standing == commitments.Party {
			d.Parties++
			mapData.Class[c.Numeric] = mapParty
		} else {
			d.Signatories++
			mapData.Class[c.Numeric] = mapSignatory
		}
		if !drawn[c.Numeric] {
			d.Unmapped = append(d.Unmapped, c.Name(lang))
		}
	}
	if format != "" {
		recs, err := w.com.List(r.Context(), commitments.Filter{Instrument: in.Code})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		w.download(rw, r, recordsTable(loc, "commitments-"+in.Code, recs, w.com.Catalog()), format)
		return
	}
	cov, err := w.com.Coverage(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if len(cov.NewestAsOf) >= 4 {
		lastAsOf = cov.NewestAsOf
	}
	lastYear := 0
	if lastAsOf != "" {
		lastYear, _ = strconv.Atoi(lastAsOf[:4])
	}
	d.Timeline = commitments.Timeline(m, in.Code, lastYear)
	d.Chart = timelineChart(loc, d.Short, d.Timeline)
	d.Map = chart.WorldMap(chart.Spec{
		ID: "map-" + in.Code, Title: loc.T("commitments.instrument.map_title", "instrument", d.Short),
		Desc: loc.T("commitments.instrument.map_desc", "parties", d.Parties, "signatories", d.Signatories),
		RTL:  loc.Dir() == "rtl",
	}, mapData)
	if d.Coverage, err = w.coverage(r, loc, m); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageCommitmentsInstrument, view{Data: d})
}

// timelineChart draws the number of parties at the end of each year.
func timelineChart(loc *i18n.Locale, short string, tl []commitments.YearCount) template.HTML {
	years := make([]string, len(tl))
	values := make([]float64, len(tl))
	for i, yc := range tl {
		years[i] = strconv.Itoa(yc.Year)
		values[i] = float64(yc.Parties)
	}
	desc := loc.T("commitments.instrument.chart_empty")
	if n := len(tl); n > 0 {
		desc = loc.T("commitments.instrument.chart_desc", "instrument", short, "parties", tl[n-1].Parties,
			"first", strconv.Itoa(tl[0].Year), "last", strconv.Itoa(tl[n-1].Year))
	}
	return chart.Line(chart.Spec{
		ID: "timeline", Title: loc.T("commitments.instrument.chart_title", "instrument", short), Desc: desc,
		XLabel: loc.T("commitments.instrument.chart_x"), YLabel: loc.T("commitments.instrument.chart_y"),
		Empty: loc.T("commitments.instrument.chart_empty"), RTL: loc.Dir() == "rtl",
		Format: func(v float64) string { return loc.Number(int(v)) },
	}, years, []chart.Series{{Name: loc.T("commitments.instrument.chart_y"), Values: values}})
}
