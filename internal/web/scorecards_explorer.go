// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strings"

	"github.com/amparo-project/amparo/internal/chart"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/scorecard"
)

// explorerIndexData is the list of indicators to explore.
type explorerIndexData struct {
	Indicators []explorerIndicator
	Options    []option
}

type explorerIndicator struct{ Code, Name, Kind, Unit string }

// explorerIndex lists the indicators; ?indicator= goes to one.
func (w *Web) explorerIndex(rw http.ResponseWriter, r *http.Request) {
	if code := r.URL.Query().Get("indicator"); code != "" {
		http.Redirect(rw, r, pathExplorer+"/"+url.PathEscape(code), http.StatusSeeOther)
		return
	}
	loc := w.locale(r)
	list, err := w.ind.List(r.Context(), indicators.Filter{Lang: loc.Code()})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &explorerIndexData{}
	for _, in := range list {
		d.Indicators = append(d.Indicators, explorerIndicator{Code: in.Code, Name: in.Name(loc.Code()), Kind: in.Kind, Unit: unitLabel(loc, in)})
		d.Options = append(d.Options, option{Value: in.Code, Label: in.Code + " — " + in.Name(loc.Code())})
	}
	w.render(rw, r, http.StatusOK, pageExplorerIndex, view{Data: d})
}

// explorerData is one indicator in the explorer.
type explorerData struct {
	Code, Name, Definition, Unit, Custodian, Source string
	Live                                            bool
	Areas, Disaggs, Periods                         []option
	// Chosen are the areas on the chart, for the form's multiple choice.
	Chosen     map[string]bool
	Chart, Map template.HTML
	Period     string
	ChartHead  []string
	ChartRows  []chartRow
	Rows       []explorerRow
	Sort       map[string]sortLink
	Downloads  downloads
	ChartFiles downloads
	NoData     bool
}

// chartRow is one area's line as a table row, the chart's text
// alternative.
type chartRow struct {
	Name   string
	Values []string
}

type explorerRow struct {
	Area, Name, Value, Period, Status string
}

// explorerColumns are the columns the table sorts by.
var explorerColumns = []string{scorecard.SortArea, scorecard.SortValue, scorecard.SortPeriod}

// explorerPage shows one indicator's chart, map and table, or downloads
// the table (or with ?table=chart the chart's values) exactly as shown.
func (w *Web) explorerPage(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	loc := w.locale(r)
	by, desc := sortParams(q, explorerColumns...)
	eq := scorecard.ExploreQuery{Indicator: r.PathValue("indicator"), Areas: q["area"], Disagg: q.Get("disagg"),
		From: q.Get("from"), To: q.Get("to"), Period: q.Get("period"), Sort: by, Desc: desc, Lang: loc.Code()}
	ex, err := w.scorecards.Explore(r.Context(), eq)
	if fields, ok := scorecardFields(err); ok {
		w.explorerInvalid(rw, r, loc, eq, fields)
		return
	}
	if err != nil {
		w.scorecardFail(rw, r, err)
		return
	}
	in := ex.Indicator
	name := in.Name(loc.Code())
	table := explorerTable(loc, ex)
	if q.Get("table") == "chart" {
		table = explorerChartTable(loc, ex)
	}
	if w.exportTable(rw, r, table) {
		return
	}
	d := &explorerData{Code: in.Code, Name: name, Definition: in.Definition(loc.Code()), Unit: unitLabel(loc, in),
		Custodian: in.Custodian, Source: in.Source, Live: in.Computation == indicators.Live, Period: ex.Query.Period,
		Areas: scAreaOptions(loc.Code()), Chosen: map[string]bool{}, NoData: len(ex.Periods) == 0,
		Sort:      sortLinks(pathExplorer+"/"+in.Code, q, by, desc, explorerColumns...),
		Downloads: downloadLinksAll(pathExplorer+"/"+in.Code, q)}
	cq := url.Values{}
	for k, vs := range q {
		cq[k] = vs
	}
	cq.Set("table", "chart")
	d.ChartFiles = downloadLinksAll(pathExplorer+"/"+in.Code, cq)
	for _, a := range ex.Query.Areas {
		d.Chosen[a] = true
	}
	for _, k := range ex.Disaggs {
		d.Disaggs = append(d.Disaggs, option{Value: k, Label: disaggLabel(loc, k)})
	}
	for _, p := range ex.Periods {
		d.Periods = append(d.Periods, option{Value: p, Label: p})
	}
	for _, o := range ex.Rows {
		d.Rows = append(d.Rows, explorerRow{Area: o.Area, Name: observations.AreaName(o.Area, loc.Code()),
			Value: scValue(loc, o.Value), Period: o.Period, Status: o.Status})
	}
	d.ChartHead = ex.Categories
	for _, l := range ex.Lines {
		row := chartRow{Name: observations.AreaName(l.Area, loc.Code())}
		for _, p := range ex.Categories {
			v := ""
			if x := l.Value(p); !math.IsNaN(x) {
				v = scValue(loc, x)
			}
			row.Values = append(row.Values, v)
		}
		d.ChartRows = append(d.ChartRows, row)
	}
	d.Chart = explorerChart(loc, ex, name, d.Unit)
	d.Map = explorerMap(loc, ex, name)
	values := map[string]string{"disagg": ex.Query.Disagg, "from": ex.Query.From, "to": ex.Query.To,
		"period": ex.Query.Period, "sort": by}
	if desc {
		values["dir"] = "desc"
	}
	w.render(rw, r, http.StatusOK, pageExplorer, view{Data: d, Values: values})
}

// explorerInvalid shows the form again with what was wrong in the address.
func (w *Web) explorerInvalid(rw http.ResponseWriter, r *http.Request, loc *i18n.Locale, eq scorecard.ExploreQuery, fields map[string]string) {
	in, err := w.ind.Get(r.Context(), eq.Indicator)
	if err != nil {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	d := &explorerData{Code: in.Code, Name: in.Name(loc.Code()), Definition: in.Definition(loc.Code()), Unit: unitLabel(loc, in),
		Areas: scAreaOptions(loc.Code()), Chosen: map[string]bool{}, NoData: true}
	for _, a := range eq.Areas {
		d.Chosen[a] = true
	}
	values := map[string]string{"disagg": eq.Disagg, "from": eq.From, "to": eq.To, "period": eq.Period}
	w.render(rw, r, http.StatusUnprocessableEntity, pageExplorer, view{Data: d, Values: values, Fields: fields})
}

// disaggLabel names a disaggregation key in words: "Sex: female, Age:
// Y15T64"; the totals are "Total".
func disaggLabel(loc *i18n.Locale, key string) string {
	if key == "" {
		return loc.T("explorer.totals")
	}
	var parts []string
	for _, pair := range strings.Split(key, ";") {
		dim, code, _ := strings.Cut(pair, "=")
		dimName := dim
		if k := "explorer.dim." + dim; loc.Has(k) {
			dimName = loc.T(k)
		}
		codeName := code
		switch {
		case loc.Has("explorer.code." + dim + "." + code):
			codeName = loc.T("explorer.code." + dim + "." + code)
		case dim == "CITIZENSHIP" || dim == "COUNTRY_OF_BIRTH":
			codeName = observations.AreaName(code, loc.Code())
		}
		parts = append(parts, dimName+": "+codeName)
	}
	return strings.Join(parts, loc.T("explorer.list_separator"))
}

// explorerChart draws the chosen areas' values over time.
func explorerChart(loc *i18n.Locale, ex *scorecard.Exploration, name, unit string) template.HTML {
	var series []chart.Series
	for _, l := range ex.Lines {
		s := chart.Series{Name: observations.AreaName(l.Area, loc.Code())}
		for _, p := range ex.Categories {
			s.Values = append(s.Values, l.Value(p))
		}
		series = append(series, s)
	}
	return chart.Line(chart.Spec{ID: "explorer-chart", Title: name, Desc: loc.T("explorer.chart_desc", "indicator", name),
		XLabel: loc.T("explorer.period"), YLabel: unit, Empty: loc.T("explorer.no_data"), RTL: loc.Dir() == "rtl",
		Format: func(v float64) string { return loc.Number(v) }}, ex.Categories, series)
}

// explorerMap draws the countries' values of the table's period in five
// classes of about equal counts.
func explorerMap(loc *i18n.Locale, ex *scorecard.Exploration, name string) template.HTML {
	var values []float64
	for _, o := range ex.Rows {
		if observations.IsCountryArea(o.Area) {
			values = append(values, o.Value)
		}
	}
	breaks := scorecard.Breaks(values, 5)
	m := chart.MapData{Class: map[string]int{}, Names: map[string]string{}, NoData: loc.T("explorer.no_data")}
	lower := ""
	for i, b := range breaks {
		label := loc.T("explorer.class_upto", "max", loc.Number(b))
		if lower != "" {
			label = loc.T("explorer.class_range", "min", lower, "max", loc.Number(b))
		}
		lower = loc.Number(b)
		color := 0
		if len(breaks) > 1 {
			color = i * (chart.MapColors - 1) / (len(breaks) - 1)
		}
		m.Classes = append(m.Classes, chart.MapClass{Label: label, Color: color})
	}
	for _, o := range ex.Rows {
		if observations.IsCountryArea(o.Area) && len(breaks) > 0 {
			m.Class[o.Area] = scorecard.Class(breaks, o.Value)
		}
	}
	for _, code := range chart.MapCodes() {
		m.Names[code] = observations.AreaName(code, loc.Code())
	}
	return chart.WorldMap(chart.Spec{ID: "explorer-map", Title: name,
		Desc: loc.T("explorer.map_desc", "indicator", name, "period", ex.Query.Period), RTL: loc.Dir() == "rtl"}, m)
}

// explorerTable is the table as shown, as a download.
func explorerTable(loc *i18n.Locale, ex *scorecard.Exploration) export.Table {
	t := export.Table{Name: "explorer-" + ex.Indicator.Code, Header: []string{loc.T("scorecard.col.m49"),
		loc.T("scorecard.col.area"), loc.T("scorecard.col.period"), loc.T("scorecard.col.value"), loc.T("explorer.col.status"),
		loc.T("explorer.col.disagg")}}
	for _, o := range ex.Rows {
		t.Rows = append(t.Rows, []any{o.Area, observations.AreaName(o.Area, loc.Code()), o.Period, o.Value, o.Status,
			disaggLabel(loc, ex.Query.Disagg)})
	}
	return t
}

// explorerChartTable is the chart's values as a download: one row per
// area and period.
func explorerChartTable(loc *i18n.Locale, ex *scorecard.Exploration) export.Table {
	t := export.Table{Name: "explorer-" + ex.Indicator.Code + "-chart", Header: []string{loc.T("scorecard.col.m49"),
		loc.T("scorecard.col.area"), loc.T("scorecard.col.period"), loc.T("scorecard.col.value"), loc.T("explorer.col.status"),
		loc.T("explorer.col.disagg")}}
	for _, l := range ex.Lines {
		for _, o := range l.Values {
			t.Rows = append(t.Rows, []any{l.Area, observations.AreaName(l.Area, loc.Code()), o.Period, o.Value, o.Status,
				disaggLabel(loc, ex.Query.Disagg)})
		}
	}
	return t
}
