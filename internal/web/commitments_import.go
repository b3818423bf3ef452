// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/commitments"
)

// importData is the import page: the form, and after an upload its
// report.
type importData struct {
	Report *commitments.Report
	// FileName is the uploaded file's name, shown in the report.
	FileName string
	Recent   []commitments.ImportRecord
}

// Import form errors about the whole upload.
const (
	errNoFile   = "no_file"
	errTooLarge = "file_too_large"
)

// importForm shows the upload form and the latest imports.
func (w *Web) importForm(rw http.ResponseWriter, r *http.Request) {
	w.renderImport(rw, r, http.StatusOK, &importData{}, "")
}

func (w *Web) renderImport(rw http.ResponseWriter, r *http.Request, status int, d *importData, formErr string) {
	recent, err := w.com.RecentImports(r.Context(), 10)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Recent = recent
	w.render(rw, r, status, pageCommitmentsImport, view{Data: d, Error: formErr})
}

// importUpload validates an uploaded file and, unless it is a dry run or
// a row is bad, imports it; the page then lists every bad row, or what
// changed.
func (w *Web) importUpload(rw http.ResponseWriter, r *http.Request) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		w.renderImport(rw, r, http.StatusBadRequest, &importData{}, errBadRequest)
		return
	}
	// Files are read into memory up to the cap, never into temporary
	// files: the form has one file and one checkbox.
	if err := r.ParseMultipartForm(importBodyLimit); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			w.renderImport(rw, r, http.StatusRequestEntityTooLarge, &importData{}, errTooLarge)
			return
		}
		w.renderImport(rw, r, http.StatusBadRequest, &importData{}, errBadRequest)
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	file, header, err := r.FormFile("file")
	if err != nil {
		w.renderImport(rw, r, http.StatusUnprocessableEntity, &importData{}, errNoFile)
		return
	}
	defer func() { _ = file.Close() }()
	data, err := io.ReadAll(io.LimitReader(file, commitments.MaxFileBytes+1))
	if err != nil {
		w.renderImport(rw, r, http.StatusBadRequest, &importData{}, errBadRequest)
		return
	}
	if len(data) > commitments.MaxFileBytes {
		w.renderImport(rw, r, http.StatusRequestEntityTooLarge, &importData{}, errTooLarge)
		return
	}
	dryRun := r.PostForm.Get("dry_run") == "on"
	rep, err := w.com.Import(r.Context(), authn.PrincipalFrom(r.Context()), header.Filename, data,
		commitments.ImportOptions{DryRun: dryRun})
	d := &importData{Report: &rep, FileName: header.Filename}
	switch {
	case errors.Is(err, commitments.ErrInvalidFile):
		w.renderImport(rw, r, http.StatusUnprocessableEntity, d, "")
	case err != nil:
		w.commitmentsFail(rw, r, err)
	default:
		w.renderImport(rw, r, http.StatusOK, d, "")
	}
}
