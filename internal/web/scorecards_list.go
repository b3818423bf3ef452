// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/scorecard"
)

// scorecardsData is the scorecards' front page: the choice of a country
// or region, and every country's data availability.
type scorecardsData struct {
	Framework, FrameworkTitle string
	Frameworks, Areas         []option
	Since                     string
	World                     availabilityView
	Rows                      []availabilityRow
	Sort                      map[string]sortLink
	Downloads                 downloads
}

// availabilityView is an availability in figures and shares.
type availabilityView struct {
	Indicators, Recent, Migratory int
	RecentShare, MigratoryShare   string
}

func viewAvailability(loc *i18n.Locale, a scorecard.Availability) availabilityView {
	return availabilityView{Indicators: a.Indicators, Recent: a.Recent, Migratory: a.Migratory,
		RecentShare: loc.Percent(a.RecentShare()), MigratoryShare: loc.Percent(a.MigratoryShare())}
}

// availabilityRow is one country's availability.
type availabilityRow struct {
	Area, Name string
	availabilityView
	share, migratory float64
}

// availabilityColumns are the columns the countries' table sorts by.
var availabilityColumns = []string{"name", "recent", "migratory"}

// availabilityRows lists members' availability, sorted as asked.
func availabilityRows(loc *i18n.Locale, members []scorecard.MemberAvailability, by string, desc bool) []availabilityRow {
	rows := make([]availabilityRow, len(members))
	for i, m := range members {
		rows[i] = availabilityRow{Area: m.Area, Name: observations.AreaName(m.Area, loc.Code()),
			availabilityView: viewAvailability(loc, m.Availability), share: m.RecentShare(), migratory: m.MigratoryShare()}
	}
	col := collatorFor(loc.Code())
	slices.SortStableFunc(rows, func(a, b availabilityRow) int {
		c := 0
		switch by {
		case "recent":
			c = compareFloat(a.share, b.share)
		case "migratory":
			c = compareFloat(a.migratory, b.migratory)
		}
		if c == 0 && by != "name" {
			return col.CompareString(a.Name, b.Name)
		}
		if c == 0 {
			c = col.CompareString(a.Name, b.Name)
		}
		if desc {
			c = -c
		}
		return c
	})
	return rows
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// availabilityTable is the countries' availability as a download.
func availabilityTable(loc *i18n.Locale, name string, rows []availabilityRow) export.Table {
	t := export.Table{Name: name, Header: []string{loc.T("scorecard.col.m49"), loc.T("scorecard.col.area"),
		loc.T("scorecard.col.indicators"), loc.T("scorecard.col.recent"), loc.T("scorecard.col.migratory")}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []any{r.Area, r.Name, r.Indicators, r.Recent, r.Migratory})
	}
	return t
}

// scorecardsPage offers the choice of a country or region and lists every
// country's data availability; ?area= goes to that area's scorecard.
func (w *Web) scorecardsPage(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	fw := frameworkParam(r)
	if area := q.Get("area"); area != "" {
		code, err := observations.NormalizeArea(area)
		if err != nil {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		http.Redirect(rw, r, pathScorecards+"/"+code+"?"+url.Values{"framework": {fw}}.Encode(), http.StatusSeeOther)
		return
	}
	loc := w.locale(r)
	sc, err := w.scorecards.Scorecard(r.Context(), fw, observations.World)
	if err != nil {
		w.scorecardFail(rw, r, err)
		return
	}
	by, desc := sortParams(q, availabilityColumns...)
	rows := availabilityRows(loc, sc.MemberAvailability, by, desc)
	if w.exportTable(rw, r, availabilityTable(loc, "availability-"+sc.Framework.Code, rows)) {
		return
	}
	d := &scorecardsData{Framework: sc.Framework.Code, FrameworkTitle: sc.Framework.Title(loc.Code()),
		Areas: scAreaOptions(loc.Code()), Since: sc.Since, World: viewAvailability(loc, sc.Availability), Rows: rows,
		Sort: sortLinks(pathScorecards, q, by, desc, availabilityColumns...), Downloads: downloadLinksAll(pathScorecards, q)}
	if d.Frameworks, err = w.frameworkOptions(r, loc.Code()); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageScorecards, view{Data: d, Values: map[string]string{"framework": d.Framework}})
}

// downloadLinksAll is downloadLinks keeping every value of every
// parameter (several areas), so that a download has the page's filters.
func downloadLinksAll(path string, q url.Values) downloads {
	link := func(format string) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "lang" && k != "format" {
				v[k] = vs
			}
		}
		v.Set("format", format)
		return path + "?" + v.Encode()
	}
	return downloads{CSV: link(export.CSV), XLSX: link(export.XLSX)}
}
