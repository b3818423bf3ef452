// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/obsimport"
	"github.com/amparo-project/amparo/internal/validation"
)

// Imports of observation files and the saved column mappings they use. An
// import is answered when it has ended (files over HTTP are at most 25
// MiB; the command line streams larger ones): 200 with its report, or 422
// with the same report listing every bad row or broken high-importance
// rule, nothing having been written.

func (a *API) obsImportRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("POST /api/v1/observation-imports", observations.PermWrite, a.importObservations).WithMaxBody(obsimport.MaxUploadBytes + 1<<20),
		perm("GET /api/v1/observation-imports", observations.PermRead, a.listObservationImports),
		perm("GET /api/v1/import-mappings", observations.PermWrite, a.listImportMappings),
		perm("POST /api/v1/import-mappings", observations.PermWrite, a.saveImportMapping),
		perm("DELETE /api/v1/import-mappings/{name}", observations.PermWrite, a.deleteImportMapping),
	}
}

type obsImportErrorJSON struct {
	Line      int    `json:"line"`
	Field     string `json:"field"`
	Code      string `json:"code"`
	FirstLine int    `json:"first_line,omitempty"`
}

type obsImportViolationJSON struct {
	Rule       string   `json:"rule"`
	Importance string   `json:"importance"`
	Area       string   `json:"area"`
	Period     string   `json:"period"`
	Left       *float64 `json:"left"`
	Right      *float64 `json:"right"`
}

type obsImportReportJSON struct {
	ImportID   *string                  `json:"import_id"`
	Format     string                   `json:"format"`
	Rows       int                      `json:"rows"`
	Written    int                      `json:"written"`
	Sets       int                      `json:"sets"`
	DryRun     bool                     `json:"dry_run"`
	Errors     []obsImportErrorJSON     `json:"errors"`
	MoreErrors bool                     `json:"more_errors"`
	Violations []obsImportViolationJSON `json:"violations"`
}

func toObsImportReport(rep obsimport.Report) obsImportReportJSON {
	out := obsImportReportJSON{ImportID: orNull(rep.ImportID), Format: rep.Format, Rows: rep.Rows, Written: rep.Written,
		Sets: rep.Sets, DryRun: rep.DryRun, MoreErrors: rep.MoreErrors,
		Errors: []obsImportErrorJSON{}, Violations: []obsImportViolationJSON{}}
	for _, e := range rep.Errors {
		// A header is client text: bounded as any echoed field name is.
		out.Errors = append(out.Errors, obsImportErrorJSON{Line: e.Line, Field: httpx.RowError(e.Line, e.Field, e.Code).Field,
			Code: e.Code, FirstLine: e.FirstLine})
	}
	for _, v := range rep.Violations {
		out.Violations = append(out.Violations, toObsImportViolation(v))
	}
	return out
}

func toObsImportViolation(v validation.Violation) obsImportViolationJSON {
	return obsImportViolationJSON{Rule: v.RuleCode, Importance: v.Importance, Area: v.Area, Period: v.Period, Left: v.Left, Right: v.Right}
}

// importObservations imports the body: ?format= (detected when absent),
// ?dry_run=true, ?mapping=NAME for a table read through a saved mapping.
func (a *API) importObservations(w http.ResponseWriter, r *http.Request) {
	if !isUpload(r.Header.Get("Content-Type")) && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		httpx.WriteProblem(w, r, http.StatusUnsupportedMediaType, "request.unsupported_media_type",
			"Send the file as the body (text/csv, application/json or an XLSX workbook)")
		return
	}
	file, err := io.ReadAll(io.LimitReader(r.Body, obsimport.MaxUploadBytes+1))
	switch {
	case errors.As(err, new(*http.MaxBytesError)) || len(file) > obsimport.MaxUploadBytes:
		httpx.WriteProblem(w, r, http.StatusRequestEntityTooLarge, "request.too_large", "Request body is too large")
		return
	case err != nil:
		httpx.WriteProblem(w, r, http.StatusBadRequest, "request.unreadable", "Request body could not be read")
		return
	}
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	q := r.URL.Query()
	opt := obsimport.Options{Format: q.Get("format"), FileName: q.Get("file_name"), Size: int64(len(file))}
	switch q.Get("dry_run") {
	case "", "false":
	case "true":
		opt.DryRun = true
	default:
		a.fail(w, r, fielderr.One("dry_run", fielderr.CodeInvalid))
		return
	}
	if name := q.Get("mapping"); name != "" {
		m, err := a.oimp.MappingByName(ctx, p, name)
		if errors.Is(err, obsimport.ErrNotFound) {
			err = fielderr.One("mapping", "not_found")
		}
		if err != nil {
			a.obsImportFail(w, r, err)
			return
		}
		opt.Mapping = &m.Mapping
	}
	rep, err := a.oimp.Import(ctx, p, bytes.NewReader(file), opt)
	if errors.Is(err, obsimport.ErrInvalidFile) {
		httpx.WriteJSON(w, http.StatusUnprocessableEntity, toObsImportReport(rep))
		return
	}
	if err != nil {
		a.obsImportFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toObsImportReport(rep))
}

// obsImportFail maps the import's own errors, then the rest as usual.
func (a *API) obsImportFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, obsimport.ErrForbidden):
		httpx.WriteProblem(w, r, http.StatusForbidden, "forbidden", "You are not permitted to do this.")
	case errors.Is(err, obsimport.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
	default:
		a.fail(w, r, err)
	}
}

type observationImportJSON struct {
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Format     string `json:"format"`
	FileName   string `json:"file_name"`
	FileSHA256 string `json:"file_sha256"`
	Origin     string `json:"origin"`
	Rows       int    `json:"rows"`
	CreatedBy  string `json:"created_by"`
	CreatedAt  string `json:"created_at"`
}

func toObservationImport(i observations.Import) observationImportJSON {
	return observationImportJSON{ID: i.ID, Kind: i.Kind, Format: i.Format, FileName: i.FileName, FileSHA256: i.FileSHA256,
		Origin: i.Origin, Rows: i.Rows, CreatedBy: i.CreatedBy, CreatedAt: ts(i.CreatedAt)}
}

// listObservationImports lists the batches written, newest first.
func (a *API) listObservationImports(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := offsetPage(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items, total, err := a.obs.Imports(r.Context(), authn.PrincipalFrom(r.Context()), limit, offset)
	if errors.Is(err, observations.ErrForbidden) {
		a.obsImportFail(w, r, obsimport.ErrForbidden)
		return
	}
	writeList(a, w, r, items, nextOffset(offset, limit, offset+len(items) < total), err, toObservationImport)
}

type importMappingJSON struct {
	Name      string            `json:"name"`
	Mapping   obsimport.Mapping `json:"mapping"`
	CreatedBy string            `json:"created_by,omitempty"`
	CreatedAt string            `json:"created_at,omitempty"`
	UpdatedAt string            `json:"updated_at,omitempty"`
}

func toImportMapping(m obsimport.SavedMapping) importMappingJSON {
	return importMappingJSON{Name: m.Name, Mapping: m.Mapping, CreatedBy: m.CreatedBy, CreatedAt: ts(m.CreatedAt), UpdatedAt: ts(m.UpdatedAt)}
}

func (a *API) listImportMappings(w http.ResponseWriter, r *http.Request) {
	items, err := a.oimp.Mappings(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		a.obsImportFail(w, r, err)
		return
	}
	writeList(a, w, r, items, "", nil, toImportMapping)
}

// saveImportMapping saves a mapping under its name, replacing one of the
// same name.
func (a *API) saveImportMapping(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name    string            `json:"name"`
		Mapping obsimport.Mapping `json:"mapping"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	m, err := a.oimp.SaveMapping(r.Context(), authn.PrincipalFrom(r.Context()), body.Name, body.Mapping)
	if err != nil {
		a.obsImportFail(w, r, err)
		return
	}
	writeOne(a, w, r, http.StatusOK, m, nil, toImportMapping)
}

func (a *API) deleteImportMapping(w http.ResponseWriter, r *http.Request) {
	if err := a.oimp.DeleteMapping(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("name")); err != nil {
		a.obsImportFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
