// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/chart"
	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/i18n"
)

// pageDashboard is the supervisor dashboard: the live figures of the
// viewer's organisation.
const pageDashboard page = "dashboard"

var dashboardPages = []page{pageDashboard}

// dashboardRoutes lists the dashboard page, which also answers its
// tables' downloads (?table=…&format=csv|xlsx).
func (w *Web) dashboardRoutes() []authn.Route {
	return []authn.Route{authn.PermRoute("GET /dashboard", dashboard.PermRead, w.dashboardPage)}
}

// dashboardChartTop is how many workers the caseload and overdue-task
// charts draw; the tables list them all.
const dashboardChartTop = 15

// dashboardData is the dashboard page: each table's rows in the reader's
// words, its chart and its downloads.
type dashboardData struct {
	At time.Time
	// Risks are the codes of the concern table's risk columns.
	Risks     []string
	Concerns  []dashboardRiskRow
	All       dashboardRiskRow
	Overdue   []dashboard.WorkerCount
	Caseload  []dashboard.WorkerCount
	Alerts    []dashboardCount
	Referrals []dashboardCount
	Consular  []dashboardCount
	// OverdueTable and CaseloadTable are Overdue and Caseload as tables.
	OverdueTable, CaseloadTable dashboardWorkers
	// Totals of the tables, for their last rows and empty states.
	OpenTotal, OverdueTotal, CaseloadTotal, AlertTotal, ReferralTotal, ConsularRecords int
	// Completed is the completed share of referrals, "" when none was sent.
	Completed                                                            string
	CasesChart, OverdueChart, AlertsChart, CaseloadChart, ReferralsChart template.HTML
	// ChartTop is how many workers the worker charts draw.
	ChartTop  int
	Downloads map[string]dashboardDownload
}

// dashboardWorkers is a table of a count per worker.
type dashboardWorkers struct {
	// Table is the table's name (dashboard.Tables).
	Table, Caption, Column string
	Rows                   []dashboard.WorkerCount
	Total                  int
}

// dashboardDownload is one table's downloads, with the table's name in
// words for the links' accessible names.
type dashboardDownload struct {
	downloads
	Table, Label string
}

// dashboardRiskRow is a concern's open cases by risk.
type dashboardRiskRow struct {
	Code, Label string
	Counts      []int
	Total       int
}

// dashboardCount is a labelled figure: a count, and where it has one, a
// share already written as a percentage.
type dashboardCount struct {
	Code, Label string
	Count       int
	Share       string
	// IsShare marks a figure that is a share only (Share, no count).
	IsShare bool
}

// dashboardPage shows the dashboard of the viewer's organisation, or
// answers one of its tables as a file. The domain reads only the viewer's
// own organisation and audits the view.
func (w *Web) dashboardPage(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	table, format := q.Get("table"), q.Get("format")
	if (table != "" || format != "") &&
		(!slices.Contains(dashboard.Tables, table) || (format != export.CSV && format != export.XLSX)) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	p := authn.PrincipalFrom(r.Context())
	d, err := w.dash.Get(r.Context(), p, p.OrgID)
	switch {
	case errors.Is(err, dashboard.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	loc := w.locale(r)
	words := dashboardWords{loc}
	if format != "" {
		t, _ := d.Table(table, words)
		w.download(rw, r, t, format)
		return
	}
	w.render(rw, r, http.StatusOK, pageDashboard, view{Data: dashboardView(loc, words, d)})
}

// dashboardView puts d into the reader's words and draws its charts.
func dashboardView(loc *i18n.Locale, words dashboardWords, d dashboard.Dashboard) *dashboardData {
	v := &dashboardData{At: d.At, Overdue: d.OverdueTasks.ByAssignee, Caseload: d.Caseload,
		OpenTotal: d.OpenCaseTotal(), OverdueTotal: d.OverdueTasks.Total, AlertTotal: d.TotalAlerts(),
		ReferralTotal: d.Referrals.Total, ConsularRecords: d.Consular.Records, ChartTop: dashboardChartTop,
		Downloads: map[string]dashboardDownload{}}
	for _, t := range dashboard.Tables {
		v.Downloads[t] = dashboardDownload{downloads: downloadLinks("/dashboard", url.Values{"table": {t}}), Table: t,
			Label: loc.T("dashboard.table." + t)}
	}
	for _, r := range dashboard.Risks {
		v.Risks = append(v.Risks, riskCode(string(r)))
	}
	riskRow := func(code string, rc dashboard.RiskCounts) dashboardRiskRow {
		return dashboardRiskRow{Code: code, Label: words.Label("concern", code), Counts: rc[:], Total: rc.Total()}
	}
	for _, c := range d.OpenCases.Concerns {
		v.Concerns = append(v.Concerns, riskRow(string(c.Concern), c.ByRisk))
	}
	v.All = riskRow(dashboard.AllKey, d.OpenCases.All)
	for _, wc := range d.Caseload {
		v.CaseloadTotal += wc.Count
	}
	v.OverdueTable = dashboardWorkers{Table: dashboard.TableOverdueTasks, Caption: loc.T("dashboard.overdue.caption"),
		Column: loc.T("dashboard.col.overdue_tasks"), Rows: v.Overdue, Total: v.OverdueTotal}
	v.CaseloadTable = dashboardWorkers{Table: dashboard.TableCaseload, Caption: loc.T("dashboard.caseload.caption"),
		Column: loc.T("dashboard.col.open_cases"), Rows: v.Caseload, Total: v.CaseloadTotal}
	for _, a := range d.Alerts {
		v.Alerts = append(v.Alerts, dashboardCount{Code: string(a.Kind), Label: words.Label("alert", string(a.Kind)), Count: a.Count})
	}
	for _, st := range d.Referrals.ByStatus {
		v.Referrals = append(v.Referrals, dashboardCount{Code: string(st.Status),
			Label: words.Label("status", string(st.Status)), Count: st.Count, Share: percent(loc, st.Share.Value)})
	}
	v.Completed = percent(loc, d.Referrals.Completed.Value)
	for _, m := range dashboard.ConsularMeasures(d.Consular) {
		c := dashboardCount{Code: m.Code, Label: words.Label("measure", m.Code)}
		switch x := m.Value.(type) {
		case int:
			c.Count = x
		case float64:
			c.Share, c.IsShare = loc.Percent(x), true
		default:
			c.IsShare = true
		}
		v.Consular = append(v.Consular, c)
	}
	dashboardCharts(loc, v)
	return v
}

// percent writes a share as a percentage, or "" when there is none.
func percent(loc *i18n.Locale, value func() (float64, bool)) string {
	if f, ok := value(); ok {
		return loc.Percent(f)
	}
	return ""
}

// riskCode is the column code of a risk: "unassessed" for the empty one.
func riskCode(r string) string {
	if r == "" {
		return "unassessed"
	}
	return r
}

// dashboardCharts draws the charts of v's tables. Each has a table beside
// it with the same figures, for screen readers and print.
func dashboardCharts(loc *i18n.Locale, v *dashboardData) {
	rtl := loc.Dir() == "rtl"
	// Ticks between small counts fall on fractions (0.5), written as
	// such rather than rounded to a repeated whole number.
	count := func(f float64) string { return loc.Number(f) }
	spec := func(id, title, desc, x string) chart.Spec {
		return chart.Spec{ID: id, Title: title, Desc: desc, XLabel: x, YLabel: loc.T("dashboard.chart.count"),
			Empty: loc.T("dashboard.chart.empty"), Format: count, RTL: rtl}
	}

	var concerns []string
	series := make([]chart.Series, len(v.Risks))
	for j, code := range v.Risks {
		series[j].Name = loc.T("dashboard.col." + code)
	}
	for _, row := range v.Concerns {
		concerns = append(concerns, row.Label)
		for j, n := range row.Counts {
			series[j].Values = append(series[j].Values, float64(n))
		}
	}
	v.CasesChart = chart.StackedBar(spec("chart-cases", loc.T("dashboard.cases.title"),
		loc.N("dashboard.cases.chart_desc", v.OpenTotal), loc.T("dashboard.col.concern")), concerns, series)

	bars := func(id, title, desc, x string, rows []dashboardCount) template.HTML {
		labels, values := make([]string, len(rows)), make([]float64, len(rows))
		for i, r := range rows {
			labels[i], values[i] = r.Label, float64(r.Count)
		}
		return chart.Bar(spec(id, title, desc, x), labels, values)
	}
	v.AlertsChart = bars("chart-alerts", loc.T("dashboard.alerts.title"), loc.N("dashboard.alerts.chart_desc", v.AlertTotal),
		loc.T("dashboard.col.alert"), v.Alerts)
	v.ReferralsChart = bars("chart-referrals", loc.T("dashboard.referrals.title"),
		loc.N("dashboard.referrals.chart_desc", v.ReferralTotal), loc.T("dashboard.col.status"), v.Referrals)
	workers := func(list []dashboard.WorkerCount) []dashboardCount {
		var out []dashboardCount
		for _, wc := range list[:min(len(list), dashboardChartTop)] {
			label := wc.Name
			if label == "" {
				label = loc.T("dashboard.worker.id", "id", wc.UserID[:min(len(wc.UserID), 8)])
			}
			out = append(out, dashboardCount{Label: label, Count: wc.Count})
		}
		return out
	}
	v.CaseloadChart = bars("chart-caseload", loc.T("dashboard.caseload.title"),
		loc.N("dashboard.caseload.chart_desc", len(v.Caseload)), loc.T("dashboard.col.worker_name"), workers(v.Caseload))
	v.OverdueChart = bars("chart-overdue", loc.T("dashboard.overdue.title"),
		loc.N("dashboard.overdue.chart_desc", v.OverdueTotal), loc.T("dashboard.col.worker_name"), workers(v.Overdue))
}

// dashboardWords puts the dashboard's codes into the reader's words, for
// the page and the downloads (dashboard.Words).
type dashboardWords struct{ loc *i18n.Locale }

// Header names a column.
func (w dashboardWords) Header(column string) string { return w.loc.T("dashboard.col." + column) }

// Label names a code of a key column; a code without words of its own (a
// concern added since) is shown as it is.
func (w dashboardWords) Label(column, code string) string {
	key := ""
	switch {
	case code == dashboard.AllKey && column == "concern":
		key = "dashboard.all_open_cases"
	case code == dashboard.AllKey:
		key = "dashboard.all"
	case column == "concern" && code == dashboard.NoConcern:
		key = "dashboard.no_concern"
	case column == "concern":
		key = "concern." + code
	case column == "alert":
		key = "notify.kind." + code
	case column == "status":
		key = "referral.status." + code
	case column == "measure":
		key = "dashboard.measure." + code
	}
	if !w.loc.Has(key) {
		return code
	}
	return w.loc.T(key)
}
