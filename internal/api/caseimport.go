// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/tabular"
)

// importCases opens cases from a CSV or XLSX file: sent as the body, with
// its options in the query, or as multipart/form-data with a "file" part,
// the options as fields and a "mapping" part holding a JSON mapping. The
// domain checks every row before writing any, so a 422 means nothing
// changed.
func (a *API) importCases(w http.ResponseWriter, r *http.Request) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	values := map[string]string{}
	var file, mapping []byte
	var err error
	switch {
	case mt == "multipart/form-data":
		var parts map[string]httpx.Part
		if parts, err = httpx.ReadParts(r, caseimport.FormParts); err == nil {
			for name, p := range parts {
				values[name] = string(p.Data)
			}
			file, mapping = parts["file"].Data, parts["mapping"].Data
		}
	case isUpload(r.Header.Get("Content-Type")):
		for name := range caseimport.FormParts {
			values[name] = r.URL.Query().Get(name)
		}
		if file, err = io.ReadAll(io.LimitReader(r.Body, caseimport.MaxUploadBytes+1)); len(file) > caseimport.MaxUploadBytes {
			err = httpx.ErrPartTooLarge
		}
	default:
		httpx.WriteProblem(w, r, http.StatusUnsupportedMediaType, "request.unsupported_media_type",
			"Send the file as the body (text/csv or an XLSX workbook) or as multipart/form-data")
		return
	}
	switch {
	case errors.As(err, new(*http.MaxBytesError)), errors.Is(err, httpx.ErrPartTooLarge):
		httpx.WriteProblem(w, r, http.StatusRequestEntityTooLarge, "request.too_large", "Request body is too large")
		return
	case err != nil:
		httpx.WriteProblem(w, r, http.StatusBadRequest, "request.unreadable", "Request body could not be read")
		return
	}
	opt, err := caseimport.FormOptions(values, file, mapping)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rep, err := a.imp.Import(r.Context(), authn.PrincipalFrom(r.Context()), bytes.NewReader(file), int64(len(file)), opt)
	if errors.Is(err, caseimport.ErrInvalidFile) {
		writeRowErrors(w, r, rep.Errors)
		return
	}
	writeOne(a, w, r, http.StatusOK, rep, err, toCaseImportReport)
}

// writeRowErrors answers 422 listing what is wrong with each row of an
// imported file; nothing was changed.
func writeRowErrors(w http.ResponseWriter, r *http.Request, errs []tabular.RowError) {
	fes := make([]httpx.FieldError, len(errs))
	for i, e := range errs {
		fes[i] = httpx.RowError(e.Line, e.Field, e.Code)
	}
	httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed",
		"The file has invalid rows; nothing was imported.", fes...)
}

type caseImportReportJSON struct {
	ImportID *string `json:"import_id"`
	Rows     int     `json:"rows"`
	Created  int     `json:"created"`
	Skipped  int     `json:"skipped"`
	DryRun   bool    `json:"dry_run"`
}

func toCaseImportReport(rep caseimport.Report) caseImportReportJSON {
	return caseImportReportJSON{orNull(rep.ImportID), rep.Rows, rep.Created, rep.Skipped, rep.DryRun}
}
