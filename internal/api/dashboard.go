// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/httpx"
)

// dashboardRoutes lists the caller's organisation's dashboard, whole as
// JSON, and each of its tables as a file: one route per table, so that
// the route table names every address.
func (a *API) dashboardRoutes() []authn.Route {
	routes := []authn.Route{authn.PermRoute("GET /api/v1/dashboard", dashboard.PermRead, a.getDashboard)}
	for _, t := range dashboard.Tables {
		routes = append(routes, authn.PermRoute("GET /api/v1/dashboard/"+t, dashboard.PermRead, a.dashboardTable(t)))
	}
	return routes
}

// riskCountsJSON is a count per risk level.
type riskCountsJSON struct {
	Unassessed int `json:"unassessed"`
	Low        int `json:"low"`
	Medium     int `json:"medium"`
	High       int `json:"high"`
	Critical   int `json:"critical"`
}

func riskCounts(rc dashboard.RiskCounts) riskCountsJSON {
	return riskCountsJSON{Unassessed: rc[0], Low: rc[1], Medium: rc[2], High: rc[3], Critical: rc[4]}
}

type concernRowJSON struct {
	Concern string         `json:"concern"`
	ByRisk  riskCountsJSON `json:"by_risk"`
	Total   int            `json:"total"`
}

type openCasesJSON struct {
	Total     int              `json:"total"`
	ByRisk    riskCountsJSON   `json:"by_risk"`
	ByConcern []concernRowJSON `json:"by_concern"`
}

// workerCountJSON is a count for a worker; name is null when the caller
// may not read it.
type workerCountJSON struct {
	UserID string  `json:"user_id"`
	Name   *string `json:"name"`
	Count  int     `json:"count"`
}

type workerCountsJSON struct {
	Total   int               `json:"total"`
	Workers []workerCountJSON `json:"workers"`
}

type alertCountJSON struct {
	Kind  string `json:"kind"`
	Count int    `json:"count"`
}

type alertsJSON struct {
	Total  int              `json:"total"`
	ByKind []alertCountJSON `json:"by_kind"`
}

type statusCountJSON struct {
	Status string   `json:"status"`
	Count  int      `json:"count"`
	Share  *float64 `json:"share"`
}

type referralsJSON struct {
	Total          int               `json:"total"`
	CompletedShare *float64          `json:"completed_share"`
	ByStatus       []statusCountJSON `json:"by_status"`
}

type dashboardJSON struct {
	OrganisationID string           `json:"organisation_id"`
	AsOf           string           `json:"as_of"`
	OpenCases      openCasesJSON    `json:"open_cases"`
	OverdueTasks   workerCountsJSON `json:"overdue_tasks"`
	Alerts         alertsJSON       `json:"alerts"`
	Caseload       workerCountsJSON `json:"caseload"`
	Referrals      referralsJSON    `json:"referrals"`
	// Consular holds dashboard.ConsularMeasures by code: counts, and
	// shares (null when nothing is decided yet).
	Consular map[string]any `json:"consular_compliance"`
}

// getDashboard answers the dashboard of the caller's organisation. The
// domain reads only that organisation and audits the view.
func (a *API) getDashboard(w http.ResponseWriter, r *http.Request) {
	d, ok := a.dashboardOf(w, r)
	if !ok {
		return
	}
	out := dashboardJSON{OrganisationID: d.OrgID, AsOf: ts(d.At),
		OpenCases:    openCasesJSON{Total: d.OpenCaseTotal(), ByRisk: riskCounts(d.OpenCases.All), ByConcern: []concernRowJSON{}},
		OverdueTasks: workerCounts(d.OverdueTasks.ByAssignee), Caseload: workerCounts(d.Caseload),
		Alerts:    alertsJSON{Total: d.TotalAlerts(), ByKind: []alertCountJSON{}},
		Referrals: referralsJSON{Total: d.Referrals.Total, CompletedShare: ratio(d.Referrals.Completed.Value), ByStatus: []statusCountJSON{}},
		Consular:  map[string]any{},
	}
	for _, c := range d.OpenCases.Concerns {
		out.OpenCases.ByConcern = append(out.OpenCases.ByConcern, concernRowJSON{Concern: string(c.Concern),
			ByRisk: riskCounts(c.ByRisk), Total: c.ByRisk.Total()})
	}
	for _, al := range d.Alerts {
		out.Alerts.ByKind = append(out.Alerts.ByKind, alertCountJSON{Kind: string(al.Kind), Count: al.Count})
	}
	for _, st := range d.Referrals.ByStatus {
		out.Referrals.ByStatus = append(out.Referrals.ByStatus, statusCountJSON{Status: string(st.Status), Count: st.Count,
			Share: ratio(st.Share.Value)})
	}
	for _, m := range dashboard.ConsularMeasures(d.Consular) {
		out.Consular[m.Code] = m.Value
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func workerCounts(list []dashboard.WorkerCount) workerCountsJSON {
	out := workerCountsJSON{Workers: make([]workerCountJSON, 0, len(list))}
	for _, wc := range list {
		out.Total += wc.Count
		out.Workers = append(out.Workers, workerCountJSON{UserID: wc.UserID, Name: orNull(wc.Name), Count: wc.Count})
	}
	return out
}

// ratio is a share as a number, or nil (null) when it has no
// denominator.
func ratio(value func() (float64, bool)) *float64 {
	if v, ok := value(); ok {
		return &v
	}
	return nil
}

// dashboardTable answers table t of the caller's organisation's dashboard
// as a CSV (the default) or XLSX file, with codes for headers and keys, for
// programs.
func (a *API) dashboardTable(t string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		format := r.URL.Query().Get("format")
		if format == "" {
			format = export.CSV
		}
		if format != export.CSV && format != export.XLSX {
			httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.",
				httpx.FieldError{Field: "format", Code: "invalid"})
			return
		}
		d, ok := a.dashboardOf(w, r)
		if !ok {
			return
		}
		table, _ := d.Table(t, nil)
		if err := export.Serve(w, table, format); err != nil {
			a.fail(w, r, err)
		}
	}
}

// dashboardOf computes the caller's organisation's dashboard, or answers
// the problem and reports false.
func (a *API) dashboardOf(w http.ResponseWriter, r *http.Request) (dashboard.Dashboard, bool) {
	p := authn.PrincipalFrom(r.Context())
	d, err := a.dash.Get(r.Context(), p, p.OrgID)
	switch {
	case errors.Is(err, dashboard.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
		return dashboard.Dashboard{}, false
	case err != nil:
		a.fail(w, r, err)
		return dashboard.Dashboard{}, false
	}
	return d, true
}
