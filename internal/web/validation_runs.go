// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/validation"
)

// The on-demand runs of the validation rules: a form choosing what to
// check, the list of runs, each run's report with its violations, and
// the report as CSV.

type runsData struct {
	Runs  []runRow
	Areas []option
	Start bool // the user may start a run
	Prev  string
	Next  string
}

type runRow struct {
	validation.RunReport
	Href, Areas string
}

const runsPage = 50

func (w *Web) runList(rw http.ResponseWriter, r *http.Request) {
	w.showRuns(rw, r, http.StatusOK, view{})
}

func (w *Web) showRuns(rw http.ResponseWriter, r *http.Request, status int, v view) {
	p, lang := authn.PrincipalFrom(r.Context()), w.locale(r).Code()
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(offset, 0)
	runs, total, err := w.val.Runs(r.Context(), p, runsPage, offset)
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	d := &runsData{Areas: areaOptions(lang), Start: p.Can(validation.PermRun)}
	for _, run := range runs {
		names := make([]string, len(run.Scope.Areas))
		for i, a := range run.Scope.Areas {
			names[i] = areaLabel(a, lang)
		}
		d.Runs = append(d.Runs, runRow{RunReport: run, Href: "/validation/runs/" + run.ID, Areas: strings.Join(names, ", ")})
	}
	if offset > 0 {
		d.Prev = "/validation/runs?offset=" + strconv.Itoa(max(offset-runsPage, 0))
	}
	if offset+len(runs) < total {
		d.Next = "/validation/runs?offset=" + strconv.Itoa(offset+len(runs))
	}
	v.Data = d
	w.render(rw, r, status, pageValidationRuns, v)
}

func (w *Web) runStart(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.showRuns(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	f := r.PostForm
	sc := validation.Scope{Series: seriesList(f.Get("series")), From: f.Get("from"), To: f.Get("to")}
	if a := f.Get("area"); a != "" {
		sc.Areas = []string{a}
	}
	rep, err := w.val.Run(r.Context(), authn.PrincipalFrom(r.Context()), sc)
	var fe *fielderr.Error
	if errors.As(err, &fe) {
		fields, above := formErrors(fe, func(e fielderr.FieldError) (string, string) {
			if e.Field == "areas" {
				return "area", e.Code
			}
			return e.Field, e.Code
		})
		w.showRuns(rw, r, http.StatusUnprocessableEntity, view{Values: formValues(f, "series", "area", "from", "to"),
			Fields: fields, Error: above})
		return
	}
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/validation/runs/"+rep.ID, http.StatusSeeOther)
}

type runData struct {
	Run        validation.RunReport
	Areas      string
	Violations []ruleViolationRow
	Prev, Next string
	CSV        string
}

const reportPage = 100

func (w *Web) runReport(rw http.ResponseWriter, r *http.Request) {
	ctx, p, lang := r.Context(), authn.PrincipalFrom(r.Context()), w.locale(r).Code()
	run, err := w.val.RunByID(ctx, p, r.PathValue("id"))
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(offset, 0)
	var vs []validation.Violation
	if err := w.val.EachViolation(ctx, p, run.ID, reportPage, offset, func(v validation.Violation) error {
		vs = append(vs, v)
		return nil
	}); err != nil {
		w.observationFail(rw, r, err)
		return
	}
	rows, err := w.violationRows(ctx, p, vs, lang)
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	names := make([]string, len(run.Scope.Areas))
	for i, a := range run.Scope.Areas {
		names[i] = areaLabel(a, lang)
	}
	d := &runData{Run: run, Areas: strings.Join(names, ", "), Violations: rows, CSV: "/validation/runs/" + run.ID + "/csv"}
	base := "/validation/runs/" + run.ID
	if offset > 0 {
		d.Prev = base + "?offset=" + strconv.Itoa(max(offset-reportPage, 0))
	}
	if offset+len(vs) < run.Stored {
		d.Next = base + "?offset=" + strconv.Itoa(offset+len(vs))
	}
	w.render(rw, r, http.StatusOK, pageValidationRun, view{Data: d})
}

// runCSV downloads a run's violations: the rule, the area and period, and
// the values of both sides.
func (w *Web) runCSV(rw http.ResponseWriter, r *http.Request) {
	ctx, p, lang := r.Context(), authn.PrincipalFrom(r.Context()), w.locale(r).Code()
	run, err := w.val.RunByID(ctx, p, r.PathValue("id"))
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	names, err := w.ruleNames(ctx, p, lang)
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	err = httpx.DownloadStream(rw, "text/csv; charset=utf-8", "validation-"+run.ID+".csv", func(out io.Writer) error {
		cw := csv.NewWriter(out)
		_ = cw.Write([]string{"rule_code", "rule_name", "importance", "area", "area_name", "period", "left", "operator", "right"})
		err := w.val.EachViolation(ctx, p, run.ID, 0, 0, func(v validation.Violation) error {
			return cw.Write([]string{v.RuleCode, reportCell(names[v.RuleID]), v.Importance, v.Area,
				reportCell(observations.AreaName(v.Area, lang)), v.Period, num(v.Left), v.Operator, num(v.Right)})
		})
		cw.Flush()
		if err != nil {
			return err
		}
		return cw.Error()
	})
	if err != nil {
		w.logger.ErrorContext(ctx, "validation report download failed", "request_id", httpx.RequestIDFrom(ctx), "err", err)
	}
}

// reportCell keeps a spreadsheet from reading a text cell as a formula.
func reportCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
