// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"encoding/csv"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/obsimport"
)

// The observation import pages: a form that uploads a file (SDMX-CSV, the
// SDG database's CSV, SDMX-JSON, or any table through a column mapping)
// and starts its import in the background; the import's page, which
// reloads itself (a meta refresh, no script) until the import ends and
// then shows what it wrote or every error, downloadable as CSV; and the
// history of imports, each linked to its sets in the approval queue.
const (
	pageObsImport    page = "observation_import"
	pageObsImportJob page = "observation_import_job"
	pageObsImports   page = "observation_imports"
)

var obsImportPages = []page{pageObsImport, pageObsImportJob, pageObsImports}

// obsImportParts are the parts of the upload form and the most bytes each
// may hold.
var obsImportParts = func() map[string]int64 {
	m := map[string]int64{"file": obsimport.MaxUploadBytes, "format": 16, "dry_run": 8, "mapping": 200, "save_as": 200}
	for _, f := range obsMappingFields {
		m["m_"+f] = 400
	}
	for _, d := range observations.Dimensions() {
		m["m_dim_"+d.Code] = 400
	}
	return m
}()

// obsMappingFields are the mapping's fields as the form names them
// (after "m_").
var obsMappingFields = []string{"series", "area", "period", "value", "status", "footnote", "source", "unit_mult",
	"fixed_series", "fixed_area", "fixed_period"}

func (w *Web) obsImportRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /observations/import", observations.PermWrite, w.obsImportForm),
		perm("POST /observations/import", observations.PermWrite, w.obsImportStart).WithMaxBody(obsimport.MaxUploadBytes + 1<<20),
		perm("POST /observations/import/mappings/delete", observations.PermWrite, w.obsMappingDelete),
		perm("GET /observations/imports", observations.PermRead, w.obsImports),
		perm("GET /observations/imports/{id}", observations.PermWrite, w.obsImportJob),
		perm("GET /observations/imports/{id}/errors.csv", observations.PermWrite, w.obsImportErrors),
	}
}

// obsImportData is the upload form's choices.
type obsImportData struct {
	Formats, Mappings []option
	Fields            []string
	Dimensions        []string
	MaxMiB            int
	// Deleted names a mapping just deleted.
	Deleted string
}

func (w *Web) obsImportForm(rw http.ResponseWriter, r *http.Request) {
	w.renderObsImport(rw, r, http.StatusOK, view{Values: map[string]string{}})
}

func (w *Web) renderObsImport(rw http.ResponseWriter, r *http.Request, status int, v view) {
	loc := w.locale(r)
	saved, err := w.oimp.Mappings(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &obsImportData{Formats: codeOptions(loc, "obsimport.format.", obsimport.Formats()), Fields: obsMappingFields,
		MaxMiB: obsimport.MaxUploadBytes >> 20}
	for _, m := range saved {
		d.Mappings = append(d.Mappings, option{Value: m.Name, Label: m.Name})
	}
	for _, dim := range observations.Dimensions() {
		d.Dimensions = append(d.Dimensions, dim.Code)
	}
	if dd, ok := v.Data.(*obsImportData); ok {
		d.Deleted = dd.Deleted
	}
	v.Data = d
	w.render(rw, r, status, pageObsImport, v)
}

// obsImportStart reads the upload and its options, saves the mapping
// when asked to, and starts the import; the browser is sent to its page.
// Problems with the form are shown beside its fields, and nothing starts.
func (w *Web) obsImportStart(rw http.ResponseWriter, r *http.Request) {
	fail := func(status int, v view) { w.renderObsImport(rw, r, status, v) }
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		fail(http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	parts, err := httpx.ReadParts(r, obsImportParts)
	switch {
	case errors.As(err, new(*http.MaxBytesError)), errors.Is(err, httpx.ErrPartTooLarge):
		fail(http.StatusRequestEntityTooLarge, view{Error: errTooLarge})
		return
	case err != nil:
		fail(http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	values := map[string]string{}
	for name, p := range parts {
		if name != "file" {
			values[name] = strings.TrimSpace(string(p.Data))
		}
	}
	v := view{Values: values}
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	file := parts["file"]
	if len(file.Data) == 0 {
		v.Fields = map[string]string{"file": "required"}
		fail(http.StatusUnprocessableEntity, v)
		return
	}
	opt := obsimport.Options{Format: values["format"], FileName: file.FileName, DryRun: values["dry_run"] == "on" || values["dry_run"] == "true"}
	opt.Mapping, err = w.formMapping(r, values)
	if err == nil && opt.Mapping != nil && values["save_as"] != "" {
		_, err = w.oimp.SaveMapping(ctx, p, values["save_as"], *opt.Mapping)
	}
	var id string
	if err == nil {
		if id, err = w.oimp.Start(ctx, p, file.Data, opt); err == nil {
			http.Redirect(rw, r, "/observations/imports/"+id, http.StatusSeeOther)
			return
		}
	}
	var ve *obsimport.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Fields, v.Error = formErrors(ve, func(fe fielderr.FieldError) (string, string) {
			return obsImportFormField(fe.Field), fe.Code
		})
		fail(http.StatusUnprocessableEntity, v)
	case errors.Is(err, obsimport.ErrNotFound):
		v.Fields = map[string]string{"mapping": "not_found"}
		fail(http.StatusUnprocessableEntity, v)
	case errors.Is(err, obsimport.ErrBusy):
		v.Error = "import_busy"
		fail(http.StatusConflict, v)
	case errors.Is(err, obsimport.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}

// formMapping is the mapping the form chose: a saved one by name, or the
// one its fields describe; nil when neither.
func (w *Web) formMapping(r *http.Request, values map[string]string) (*obsimport.Mapping, error) {
	if name := values["mapping"]; name != "" {
		m, err := w.oimp.MappingByName(r.Context(), authn.PrincipalFrom(r.Context()), name)
		if err != nil {
			return nil, err
		}
		return &m.Mapping, nil
	}
	m := obsimport.Mapping{Series: values["m_series"], Area: values["m_area"], Period: values["m_period"],
		Value: values["m_value"], Status: values["m_status"], Footnote: values["m_footnote"], Source: values["m_source"],
		UnitMult: values["m_unit_mult"], FixedSeries: values["m_fixed_series"], FixedArea: values["m_fixed_area"],
		FixedPeriod: values["m_fixed_period"]}
	empty := true
	for name, v := range values {
		if strings.HasPrefix(name, "m_") && v != "" {
			empty = false
		}
	}
	for _, d := range observations.Dimensions() {
		if col := values["m_dim_"+d.Code]; col != "" {
			if m.Dimensions == nil {
				m.Dimensions = map[string]string{}
			}
			m.Dimensions[d.Code] = col
		}
	}
	if empty {
		return nil, nil
	}
	return &m, m.Check()
}

// obsImportFormField is the form field an option's error belongs beside.
func obsImportFormField(field string) string {
	switch {
	case field == "file" || field == "format" || field == "name" || field == "mapping":
		if field == "name" {
			return "save_as"
		}
		return field
	case strings.HasPrefix(field, "dimensions."):
		return "m_dim_" + strings.TrimPrefix(field, "dimensions.")
	}
	return "m_" + field
}

// obsMappingDelete deletes a saved mapping and shows the form again.
func (w *Web) obsMappingDelete(rw http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		w.renderObsImport(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	name := r.PostForm.Get("name")
	err := w.oimp.DeleteMapping(r.Context(), authn.PrincipalFrom(r.Context()), name)
	switch {
	case errors.Is(err, obsimport.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case err != nil:
		w.fail(rw, r, err)
	default:
		w.renderObsImport(rw, r, http.StatusOK, view{Data: &obsImportData{Deleted: name}})
	}
}

// obsImportJobData is an import's page.
type obsImportJobData struct {
	Job     obsimport.Job
	Refresh int
	Percent int
	// Invalid: the report lists errors or failed rules; Failed: the
	// import failed otherwise (the cause is in the log).
	Invalid, Failed bool
	Violations      []obsViolation
}

// obsViolation is a broken rule as the page shows it.
type obsViolation struct {
	Rule, Importance, Area, Period string
	Left, Right                    *float64
}

// Fraction is Percent as a fraction, as the page writes percentages.
func (d *obsImportJobData) Fraction() float64 { return float64(d.Percent) / 100 }

// obsImportJob shows an import's progress, reloading itself while it
// runs, then what it did. Only who started it may see it.
func (w *Web) obsImportJob(rw http.ResponseWriter, r *http.Request) {
	job, err := w.oimp.Job(authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	lang := w.locale(r).Code()
	d := &obsImportJobData{Job: job, Percent: 100, Refresh: caseImportRefreshSeconds}
	if p := job.Progress; !job.Done && p.Total > 0 && p.Phase == obsimport.PhaseRows {
		d.Percent = int(min(p.Done*100/p.Total, 99))
	}
	for _, v := range job.Report.Violations {
		d.Violations = append(d.Violations, obsViolation{Rule: v.RuleCode, Importance: v.Importance,
			Area: observations.AreaName(v.Area, lang), Period: v.Period, Left: v.Left, Right: v.Right})
	}
	switch {
	case errors.Is(job.Err, obsimport.ErrInvalidFile):
		d.Invalid = true
	case job.Err != nil:
		d.Failed = true
		w.logger.ErrorContext(r.Context(), "observation import failed", "request_id", httpx.RequestIDFrom(r.Context()), "err", job.Err)
	}
	w.render(rw, r, http.StatusOK, pageObsImportJob, view{Data: d})
}

// obsImportErrors downloads an import's error report as CSV: line,
// column and reason in the reader's language, then the broken rules.
func (w *Web) obsImportErrors(rw http.ResponseWriter, r *http.Request) {
	job, err := w.oimp.Job(authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil || !job.Done {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	loc := w.locale(r)
	err = httpx.DownloadStream(rw, "text/csv; charset=utf-8", "import-errors-"+job.ID+".csv", func(out io.Writer) error {
		cw := csv.NewWriter(out)
		_ = cw.Write([]string{loc.T("obsimport.line"), loc.T("obsimport.column"), loc.T("obsimport.reason")})
		for _, e := range job.Report.Errors {
			_ = cw.Write([]string{strconv.Itoa(e.Line), importReportCell(e.Field), obsImportReason(loc, e.Code)})
		}
		for _, v := range job.Report.Violations {
			_ = cw.Write([]string{"", v.RuleCode, obsImportReason(loc, obsimport.CodeRule) + " (" + v.Importance + ", " + v.Area + ", " + v.Period + ")"})
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		w.logger.ErrorContext(r.Context(), "import error report failed", "request_id", httpx.RequestIDFrom(r.Context()), "err", err)
	}
}

// importReportCell keeps a spreadsheet from reading a column name taken
// from an uploaded file as a formula.
func importReportCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// obsImportReason says a reason code in words.
func obsImportReason(loc *i18n.Locale, code string) string {
	if loc.Has("obsimport.code." + code) {
		return loc.T("obsimport.code." + code)
	}
	if loc.Has("field." + code) {
		return loc.T("field." + code)
	}
	return code
}

// obsImportsData is the history of imports.
type obsImportsData struct {
	Imports    []observations.Import
	Total      int
	Prev, Next string
	CanImport  bool
}

const obsImportsPage = 50

// obsImports lists the batches written, newest first, each linked to its
// sets in the approval queue.
func (w *Web) obsImports(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(offset, 0)
	list, total, err := w.obs.Imports(r.Context(), p, obsImportsPage, offset)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &obsImportsData{Imports: list, Total: total, CanImport: p.Can(observations.PermWrite)}
	if offset > 0 {
		d.Prev = "/observations/imports?offset=" + strconv.Itoa(max(offset-obsImportsPage, 0))
	}
	if offset+obsImportsPage < total {
		d.Next = "/observations/imports?offset=" + strconv.Itoa(offset+obsImportsPage)
	}
	w.render(rw, r, http.StatusOK, pageObsImports, view{Data: d})
}
