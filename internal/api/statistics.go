// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/statistics"
)

// statisticsRoutes lists the statistics endpoints: any table, protected
// by disclosure control, for every role; the threshold k, read by all and
// set by system administrators.
func (a *API) statisticsRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /api/v1/statistics/tables/{dimension}", statistics.PermRead, a.statisticsTable),
		perm("GET /api/v1/statistics/settings", statistics.PermRead, a.statisticsSettings),
		perm("PUT /api/v1/statistics/settings", statistics.PermConfigure, a.putStatisticsSettings),
	}
}

// statisticsCatalog is the translation catalogue the tables' labels come from,
// loaded at the first request that needs it.
var statisticsCatalog = sync.OnceValue(i18n.MustLoad)

// statisticsTable answers one table as JSON, or as a CSV, XLSX or
// HXL-tagged CSV file with ?format=. Categories are named in the language
// of ?lang= or the Accept-Language header.
func (a *API) statisticsTable(w http.ResponseWriter, r *http.Request) {
	values := r.URL.Query()
	format := values.Get("format")
	if format != "" && !export.ValidTagged(format) {
		a.fail(w, r, fielderr.One("format", "unknown_format"))
		return
	}
	q, err := statistics.ParseQuery(r.PathValue("dimension"), values)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	res, err := a.stats.Table(r.Context(), authn.PrincipalFrom(r.Context()), q)
	if err != nil {
		a.statisticsFail(w, r, err)
		return
	}
	loc := statisticsCatalog().Locale(i18n.Negotiate(values.Get("lang"), "", r.Header.Get("Accept-Language")))
	if format != "" {
		var suppressed any = statistics.Suppressed
		if format == export.HXL {
			suppressed = nil
		}
		if err := export.Serve(w, a.stats.Export(loc, res, suppressed), format); err != nil {
			a.fail(w, r, err)
		}
		return
	}
	httpx.WriteJSON(w, http.StatusOK, a.toStatisticsTable(loc, res))
}

// statisticsFail answers for an error of the statistics domain.
func (a *API) statisticsFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, statistics.ErrForbidden):
		httpx.WriteProblem(w, r, http.StatusForbidden, "forbidden", "You are not permitted to do this.")
	case errors.Is(err, statistics.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
	default:
		a.fail(w, r, err)
	}
}

type statisticsTableJSON struct {
	Dimension string               `json:"dimension"`
	Column    *string              `json:"column"`
	Unit      string               `json:"unit"`
	Filter    statisticsFilterJSON `json:"filter"`
	K         int                  `json:"k"`
	Rounding  int                  `json:"rounding_base"`
	CountedAt string               `json:"counted_at"`
	Columns   []statisticsCatJSON  `json:"columns"`
	Rows      []statisticsRowJSON  `json:"rows"`
	// ColumnTotals are the totals of the columns, in their order; empty
	// for a table without columns.
	ColumnTotals []statisticsCellJSON `json:"column_totals"`
	Total        statisticsCellJSON   `json:"total"`
}

type statisticsFilterJSON struct {
	OrgID       *string `json:"org_id"`
	From        *string `json:"from"`
	To          *string `json:"to"`
	Nationality *string `json:"nationality"`
	Country     *string `json:"country"`
}

type statisticsCatJSON struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type statisticsRowJSON struct {
	Code  string               `json:"code"`
	Label string               `json:"label"`
	Cells []statisticsCellJSON `json:"cells"`
	// Total is the row's total in a table with columns, nil otherwise.
	Total *statisticsCellJSON `json:"total"`
}

// statisticsCellJSON is a published count, or a withheld one (value null).
type statisticsCellJSON struct {
	Value      *int `json:"value"`
	Suppressed bool `json:"suppressed"`
}

func toStatisticsCell(c disclosure.Cell) statisticsCellJSON {
	if c.Suppressed {
		return statisticsCellJSON{Suppressed: true}
	}
	v := c.Value
	return statisticsCellJSON{Value: &v}
}

func (a *API) toStatisticsTable(loc *i18n.Locale, res statistics.Result) statisticsTableJSON {
	q, tab := res.Query, res.Table
	f := q.Filter
	out := statisticsTableJSON{Dimension: string(q.Dimension), Column: orNull(string(q.Column)), Unit: string(res.Unit),
		Filter: statisticsFilterJSON{OrgID: orNull(f.OrgID), From: orNull(f.From.String()), To: orNull(f.To.String()),
			Nationality: orNull(f.Nationality), Country: orNull(f.Country)},
		K: tab.K, Rounding: tab.Base, CountedAt: res.At.UTC().Format(time.RFC3339),
		Columns: []statisticsCatJSON{}, Rows: []statisticsRowJSON{}, ColumnTotals: []statisticsCellJSON{},
		Total: toStatisticsCell(tab.Total)}
	for _, c := range tab.Cols {
		out.Columns = append(out.Columns, statisticsCatJSON{Code: c, Label: a.stats.Label(loc, q.Column, c)})
	}
	for i, code := range tab.Rows {
		row := statisticsRowJSON{Code: code, Label: a.stats.Label(loc, q.Dimension, code)}
		for _, c := range tab.Cells[i] {
			row.Cells = append(row.Cells, toStatisticsCell(c))
		}
		if tab.TwoWay() {
			t := toStatisticsCell(tab.RowTotals[i])
			row.Total = &t
		}
		out.Rows = append(out.Rows, row)
	}
	for _, c := range tab.ColTotals {
		out.ColumnTotals = append(out.ColumnTotals, toStatisticsCell(c))
	}
	return out
}

type statisticsSettingsJSON struct {
	K         int     `json:"k"`
	Floor     int     `json:"floor"`
	Max       int     `json:"max"`
	UpdatedAt *string `json:"updated_at"`
}

func toStatisticsSettings(s statistics.Settings) statisticsSettingsJSON {
	out := statisticsSettingsJSON{K: s.K, Floor: disclosure.MinK, Max: statistics.MaxK}
	if !s.UpdatedAt.IsZero() {
		out.UpdatedAt = orNull(ts(s.UpdatedAt))
	}
	return out
}

func (a *API) statisticsSettings(w http.ResponseWriter, r *http.Request) {
	s, err := a.stats.Settings(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		a.statisticsFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toStatisticsSettings(s))
}

// putStatisticsSettings sets k; the body is {"k": n}, nothing else.
func (a *API) putStatisticsSettings(w http.ResponseWriter, r *http.Request) {
	var body struct {
		K *int `json:"k"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	if body.K == nil {
		a.fail(w, r, fielderr.One("k", "required"))
		return
	}
	s, err := a.stats.SetK(r.Context(), authn.PrincipalFrom(r.Context()), *body.K)
	if err != nil {
		a.statisticsFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toStatisticsSettings(s))
}
