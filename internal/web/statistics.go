// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"html/template"
	"math"
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/chart"
	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/statistics"
)

// The statistics pages: any table of the live statistics, protected by
// disclosure control, chosen with a form whose values travel in the
// address (codes and quarters only, never anything about a person), and
// the threshold k for system administrators.
const (
	pageStatistics         page = "statistics"
	pageStatisticsSettings page = "statistics_settings"
)

// statisticsPages are the statistics pages' templates.
var statisticsPages = []page{pageStatistics, pageStatisticsSettings}

const (
	pathStatistics         = "/statistics"
	pathStatisticsSettings = "/statistics/settings"
)

// statisticsRoutes lists the statistics pages.
func (w *Web) statisticsRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET "+pathStatistics, statistics.PermRead, w.statisticsPage),
		perm("GET "+pathStatisticsSettings, statistics.PermConfigure, w.statisticsSettingsForm),
		perm("POST "+pathStatisticsSettings, statistics.PermConfigure, w.statisticsSettingsSave),
	}
}

// statisticsData is the statistics page: the form, and the table when the
// form's values make one.
type statisticsData struct {
	Dimensions, Columns, Orgs, Countries []option
	// Table is nil when the form has errors.
	Table        *statisticsTable
	CanConfigure bool
}

// statisticsTable is a protected table as the page shows it.
type statisticsTable struct {
	Caption, RowHead string
	// Cols are the column categories' names; nil for a table of one
	// dimension, whose only column is the count (CountHead).
	Cols      []string
	CountHead string
	Rows      []statisticsRow
	Totals    statisticsRow
	K         int
	At        time.Time
	// Empty: nothing was counted.
	Empty     bool
	Chart     template.HTML
	Downloads statisticsDownloads
}

// statisticsRow is a row of the table: its category's name, its cells and,
// in a table of two dimensions, its total.
type statisticsRow struct {
	Label string
	Cells []statisticsCell
	Total statisticsCell
}

// statisticsCell is a published number, or a withheld one (Suppressed,
// shown as statistics.Suppressed with the legend saying why).
type statisticsCell struct {
	Value      int
	Suppressed bool
}

// statisticsDownloads are the addresses of the table shown, as files.
type statisticsDownloads struct{ CSV, XLSX, HXL string }

// statisticsPage shows the table the address asks for (by default, cases
// by concern), or downloads exactly that table with ?format=csv, xlsx or
// hxl.
func (w *Web) statisticsPage(rw http.ResponseWriter, r *http.Request) {
	values := r.URL.Query()
	format := values.Get("format")
	if format != "" && !export.ValidTagged(format) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	dimension := values.Get("dimension")
	if dimension == "" {
		dimension = string(statistics.Concern)
	}
	loc := w.locale(r)
	p := authn.PrincipalFrom(r.Context())
	form := map[string]string{"dimension": dimension}
	for _, k := range []string{"column", "org", "from", "to", "nationality", "country"} {
		form[k] = values.Get(k)
	}
	d := &statisticsData{CanConfigure: p.Can(statistics.PermConfigure)}
	if err := w.statisticsOptions(r, loc, d); err != nil {
		w.fail(rw, r, err)
		return
	}
	q, err := statistics.ParseQuery(dimension, values)
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		w.render(rw, r, http.StatusUnprocessableEntity, pageStatistics, view{Data: d, Values: form, Fields: fieldErrors(ve)})
		return
	}
	res, err := w.stats.Table(r.Context(), p, q)
	if err != nil {
		w.statisticsFail(rw, r, err)
		return
	}
	if format != "" {
		var suppressed any = statistics.Suppressed
		if format == export.HXL {
			suppressed = nil
		}
		w.download(rw, r, w.stats.Export(loc, res, suppressed), format)
		return
	}
	// The form shows the query as understood: countries as alpha-3 codes.
	form["nationality"], form["country"] = q.Filter.Nationality, q.Filter.Country
	d.Table = w.statisticsTable(loc, res)
	w.render(rw, r, http.StatusOK, pageStatistics, view{Data: d, Values: form})
}

// statisticsFail answers for an error of the statistics domain.
func (w *Web) statisticsFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, statistics.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	case errors.Is(err, statistics.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	default:
		w.fail(rw, r, err)
	}
}

// statisticsOptions fills the form's choices: the tables, the second
// dimensions, the organisations the reader may see by name (every one for
// a system administrator, their own for anyone else) and the countries.
func (w *Web) statisticsOptions(r *http.Request, loc *i18n.Locale, d *statisticsData) error {
	for _, dim := range statistics.Dimensions() {
		d.Dimensions = append(d.Dimensions, option{Value: string(dim), Label: loc.T("statistics.dim." + string(dim))})
	}
	for _, dim := range statistics.ColumnDimensions() {
		d.Columns = append(d.Columns, option{Value: string(dim), Label: loc.T("statistics.dim." + string(dim))})
	}
	orgs, _, err := w.acc.ListOrganisations(r.Context(), authn.PrincipalFrom(r.Context()), "", accounts.Page{Limit: 500})
	if err != nil && !errors.Is(err, accounts.ErrForbidden) {
		return err
	}
	for _, o := range orgs {
		d.Orgs = append(d.Orgs, option{Value: o.ID, Label: o.Name})
	}
	d.Countries = countryOptions(loc.Code())
	return nil
}

// statisticsTable lays out a protected table for the page, with its chart
// and the addresses of its downloads.
func (w *Web) statisticsTable(loc *i18n.Locale, res statistics.Result) *statisticsTable {
	q, tab := res.Query, res.Table
	dimName := loc.T("statistics.dim." + string(q.Dimension))
	unitName := loc.T("statistics.unit." + string(res.Unit))
	t := &statisticsTable{RowHead: dimName, CountHead: unitName, K: tab.K, At: res.At,
		Empty: !tab.Total.Suppressed && tab.Total.Value == 0, Downloads: statisticsLinks(q)}
	if q.Column != "" {
		t.Caption = loc.T("statistics.caption_by", "unit", unitName, "dimension", dimName,
			"column", loc.T("statistics.dim."+string(q.Column)))
		for _, c := range tab.Cols {
			t.Cols = append(t.Cols, w.stats.Label(loc, q.Column, c))
		}
	} else {
		t.Caption = loc.T("statistics.caption", "unit", unitName, "dimension", dimName)
	}
	cell := func(c disclosure.Cell) statisticsCell {
		return statisticsCell{Value: c.Value, Suppressed: c.Suppressed}
	}
	labels := make([]string, len(tab.Rows))
	for i, code := range tab.Rows {
		labels[i] = w.stats.Label(loc, q.Dimension, code)
		row := statisticsRow{Label: labels[i]}
		for _, c := range tab.Cells[i] {
			row.Cells = append(row.Cells, cell(c))
		}
		if tab.TwoWay() {
			row.Total = cell(tab.RowTotals[i])
		}
		t.Rows = append(t.Rows, row)
	}
	t.Totals = statisticsRow{Label: loc.T("statistics.total"), Total: cell(tab.Total)}
	for _, c := range tab.ColTotals {
		t.Totals.Cells = append(t.Totals.Cells, cell(c))
	}
	if !tab.TwoWay() {
		t.Totals.Cells = []statisticsCell{cell(tab.Total)}
	}
	t.Chart = statisticsChart(loc, t, tab, labels)
	return t
}

// statisticsChart draws the published counts as bars, one per row
// category, stacked by column category in a table of two dimensions.
// Withheld counts are not drawn.
func statisticsChart(loc *i18n.Locale, t *statisticsTable, tab disclosure.Published, labels []string) template.HTML {
	value := func(c disclosure.Cell) float64 {
		if c.Suppressed {
			return math.NaN()
		}
		return float64(c.Value)
	}
	spec := chart.Spec{ID: "statistics-chart", Title: t.Caption, Desc: loc.T("statistics.chart_desc"),
		XLabel: t.RowHead, YLabel: t.CountHead, Empty: loc.T("statistics.empty"), RTL: loc.Dir() == "rtl",
		Format: func(v float64) string { return loc.Number(int(v)) }}
	if !tab.TwoWay() {
		values := make([]float64, len(tab.Rows))
		for i := range tab.Rows {
			values[i] = value(tab.Cells[i][0])
		}
		return chart.Bar(spec, labels, values)
	}
	series := make([]chart.Series, len(tab.Cols))
	for j := range tab.Cols {
		series[j].Name = t.Cols[j]
		for i := range tab.Rows {
			series[j].Values = append(series[j].Values, value(tab.Cells[i][j]))
		}
	}
	return chart.StackedBar(spec, labels, series)
}

// statisticsLinks are the addresses of q's table as CSV, XLSX and HXL.
func statisticsLinks(q statistics.Query) statisticsDownloads {
	link := func(format string) string {
		v := q.Values()
		v.Set("dimension", string(q.Dimension))
		v.Set("format", format)
		return pathStatistics + "?" + v.Encode()
	}
	return statisticsDownloads{CSV: link(export.CSV), XLSX: link(export.XLSX), HXL: link(export.HXL)}
}
