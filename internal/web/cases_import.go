// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"mime"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/tabular"
)

// The case import pages: a form that uploads a file and starts its import
// in the background, and the import's own page, which refreshes itself
// (a meta refresh, no script) until the import ends and then shows what
// it did or every error it found.
const (
	pageCaseImport    page = "cases_import"
	pageCaseImportJob page = "cases_import_job"
)

var caseImportPages = []page{pageCaseImport, pageCaseImportJob}

// pathCaseImports is where an import's page lives: under a prefix of its
// own, since any path under /cases/{id}/ belongs to a case's tabs.
const pathCaseImports = "/case-imports/"

// caseImportRefreshSeconds is how often a running import's page reloads.
const caseImportRefreshSeconds = 2

func (w *Web) caseImportRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /cases/import", caseimport.PermImport, w.caseImportForm),
		perm("POST /cases/import", caseimport.PermImport, w.caseImportStart).WithMaxBody(caseimport.MaxUploadBytes + 1<<20),
		perm("GET /case-imports/{id}", caseimport.PermImport, w.caseImportJob),
	}
}

// caseImportData is the upload form's choices.
type caseImportData struct {
	Presets, Owners []option
	// Fields are the fields a file's columns can fill, for the list that
	// documents them; DateFormats the formats a mapping may name.
	Fields, DateFormats []string
	MaxMiB              int
}

// caseImportForm shows the upload form, the caller as the default owner.
func (w *Web) caseImportForm(rw http.ResponseWriter, r *http.Request) {
	w.renderCaseImport(rw, r, http.StatusOK,
		view{Values: map[string]string{"owner_id": authn.PrincipalFrom(r.Context()).UserID}})
}

func (w *Web) renderCaseImport(rw http.ResponseWriter, r *http.Request, status int, v view) {
	_, owners, err := w.userNames(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	loc := w.locale(r)
	v.Data = &caseImportData{Presets: codeOptions(loc, "caseimport.preset.", caseimport.Presets), Owners: owners,
		Fields: caseimport.Fields, DateFormats: caseimport.DateFormats, MaxMiB: caseimport.MaxUploadBytes >> 20}
	w.render(rw, r, status, pageCaseImport, v)
}

// caseImportStart reads the upload, checks the options and the owner, and
// starts the import; the browser is sent to its page. Problems with the
// form are shown beside its fields, and nothing starts.
func (w *Web) caseImportStart(rw http.ResponseWriter, r *http.Request) {
	fail := func(status int, v view) { w.renderCaseImport(rw, r, status, v) }
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		fail(http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	parts, err := httpx.ReadParts(r, caseimport.FormParts)
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
		if name != "file" && name != "mapping" {
			values[name] = string(p.Data)
		}
	}
	v := view{Values: values}
	opt, err := caseimport.FormOptions(values, parts["file"].Data, parts["mapping"].Data)
	if err == nil {
		var id string
		id, err = w.imp.Start(r.Context(), authn.PrincipalFrom(r.Context()), parts["file"].FileName, parts["file"].Data, opt)
		if err == nil {
			http.Redirect(rw, r, pathCaseImports+id, http.StatusSeeOther)
			return
		}
	}
	var ve *caseimport.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Fields, v.Error = formErrors(ve, func(fe fielderr.FieldError) (string, string) {
			return caseImportField(fe.Field), fe.Code
		})
		fail(http.StatusUnprocessableEntity, v)
	case errors.Is(err, caseimport.ErrBusy):
		v.Error = "import_busy"
		fail(http.StatusConflict, v)
	case errors.Is(err, caseimport.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}

// caseImportField is the form field an option's error belongs beside:
// every part of a mapping's is the mapping's.
func caseImportField(field string) string {
	switch field {
	case "file", "owner_id", "dry_run", "skip_existing":
		return field
	}
	return "mapping"
}

// caseImportJobData is an import's page.
type caseImportJobData struct {
	Job caseimport.Job
	// Refresh is how often, in seconds, the page reloads while the import
	// runs.
	Refresh int
	// Percent is how much of the file was read, while rows are read.
	Percent int
	// Invalid is set when the report lists the file's errors; Failed when
	// the import failed otherwise (the cause is in the log).
	Invalid, Failed bool
	// Errors are the file's errors, at most tabular.MaxErrors.
	Errors []tabular.RowError
}

// Fraction is Percent as a fraction, as the page writes percentages.
func (d *caseImportJobData) Fraction() float64 { return float64(d.Percent) / 100 }

// caseImportJob shows an import's progress, reloading itself while it
// runs, then what it did. Only who started it may see it; anyone else,
// and an import forgotten since, gets 404.
func (w *Web) caseImportJob(rw http.ResponseWriter, r *http.Request) {
	job, err := w.imp.Job(authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	d := &caseImportJobData{Job: job, Percent: 100, Refresh: caseImportRefreshSeconds}
	if p := job.Progress; !job.Done && p.Total > 0 && p.Phase == caseimport.PhaseRows {
		d.Percent = int(min(p.Done*100/p.Total, 99))
	}
	switch {
	case errors.Is(job.Err, caseimport.ErrInvalidFile):
		d.Invalid, d.Errors = true, job.Report.Errors
	case job.Err != nil:
		d.Failed = true
		w.logger.ErrorContext(r.Context(), "case import failed", "request_id", httpx.RequestIDFrom(r.Context()), "err", job.Err)
	}
	w.render(rw, r, http.StatusOK, pageCaseImportJob, view{Data: d})
}
