// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/vault"
)

// caseAttachmentsData is the attachments tab: the case's files, newest
// first, and the upload form.
type caseAttachmentsData struct {
	caseTab
	Attachments []attachmentRow
	// MaxMiB is the largest file accepted, in mebibytes.
	MaxMiB int
}

// attachmentRow is an attachment with its size in kibibytes, rounded up.
type attachmentRow struct {
	cases.Attachment
	KiB int
}

// caseAttachmentsTab shows the attachments tab. Reading the files' names
// is audited.
func (w *Web) caseAttachmentsTab(rw http.ResponseWriter, r *http.Request) {
	w.renderAttachments(rw, r, http.StatusOK, view{})
}

func (w *Web) renderAttachments(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, tab, _, ok := w.loadTab(rw, r, "attachments")
	if !ok {
		return
	}
	list, err := w.cas.Attachments(r.Context(), authn.PrincipalFrom(r.Context()), c.ID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	rows := make([]attachmentRow, len(list))
	for i, a := range list {
		rows[i] = attachmentRow{Attachment: a, KiB: int((a.Size + 1023) / 1024)}
	}
	v.Data = &caseAttachmentsData{caseTab: tab, Attachments: rows, MaxMiB: cases.MaxAttachmentSize >> 20}
	w.render(rw, r, status, pageCaseAttachments, v)
}

// caseAttachmentAdd attaches an uploaded file. The route caps the body
// (attachmentBodyLimit); the file is read into memory up to the domain's
// limit, never into a temporary file, and the domain checks its size and
// recognises its type from its content.
func (w *Web) caseAttachmentAdd(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(map[string]string{"name": "file", "content": "file"}),
		show: func(status int, v view) { w.renderAttachments(rw, r, status, v) }}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		form.unreadable()
		return
	}
	if err := r.ParseMultipartForm(attachmentBodyLimit); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			form.fields = map[string]string{"file": cases.CodeTooLarge}
			w.caseSaved(rw, r, form)
			return
		}
		form.unreadable()
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	file, header, err := r.FormFile("file")
	if err != nil {
		form.fields = map[string]string{"file": cases.CodeRequired}
		w.caseSaved(rw, r, form)
		return
	}
	defer func() { _ = file.Close() }()
	// One byte past the limit is enough for the domain to refuse it.
	content, err := io.ReadAll(io.LimitReader(file, cases.MaxAttachmentSize+1))
	if err != nil {
		form.unreadable()
		return
	}
	a, err := w.cas.AddAttachment(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), header.Filename, content)
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(a.CaseID, "attachments"), http.StatusSeeOther)
	}
}

// caseAttachmentDownload sends an attachment of the case: as a download
// (never shown in the page's origin), with the type the domain recognised
// from the content, which the browser may not second-guess. Opening it is
// audited. An attachment of another case answers 404, as does one whose
// case key was destroyed.
func (w *Web) caseAttachmentDownload(rw http.ResponseWriter, r *http.Request) {
	a, content, err := w.cas.OpenAttachment(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("attachment"))
	switch {
	case errors.Is(err, vault.ErrErased) || (err == nil && a.CaseID != r.PathValue("id")):
		w.errorPage(rw, r, http.StatusNotFound)
		return
	case err != nil:
		w.caseFail(rw, r, err)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", a.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(content)))
	_, _ = rw.Write(content) // A failed write means the client left; there is no one to tell.
}
