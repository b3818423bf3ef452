// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Attachments are files on a case, sealed under the case's key. A file's
// name can say who it is about ("passport of …"), so it travels in the
// body or a header, never in the URL, and is read back only through the
// audited list.

// MaxUploadBytes caps the body of an attachment upload: the largest
// attachment and room for a multipart envelope around it.
const MaxUploadBytes = cases.MaxAttachmentSize + 64<<10

type attachmentJSON struct {
	ID         string `json:"id"`
	CaseID     string `json:"case_id"`
	Name       string `json:"name"`
	MediaType  string `json:"media_type"`
	Size       int64  `json:"size"`
	UploadedBy string `json:"uploaded_by"`
	CreatedAt  string `json:"created_at"`
}

func toAttachment(at cases.Attachment) attachmentJSON {
	return attachmentJSON{at.ID, at.CaseID, at.Name, at.MediaType, at.Size, at.UploadedBy, ts(at.CreatedAt)}
}

// uploadTypes are the Content-Types a raw upload may declare; the domain
// then decides the type from the content itself.
var uploadTypes = map[string]bool{cases.MediaPDF: true, cases.MediaJPEG: true, cases.MediaPNG: true,
	"application/octet-stream": true}

// readUpload reads an uploaded file from r: either the raw body, named by
// the filename parameter of a Content-Disposition request header, or the
// part named "file" of a multipart/form-data body, named by its own
// filename. Multipart bodies are read part by part into memory, never
// into temporary files, so that no copy of the file reaches the disk
// unencrypted. ok is false when it has answered.
func readUpload(w http.ResponseWriter, r *http.Request) (name string, data []byte, ok bool) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch {
	case err == nil && mt == "multipart/form-data":
		name, data, err = readMultipart(r)
	case err == nil && uploadTypes[mt]:
		if _, params, perr := mime.ParseMediaType(r.Header.Get("Content-Disposition")); perr == nil {
			name = params["filename"]
		}
		data, err = io.ReadAll(r.Body)
	default:
		httpx.WriteProblem(w, r, http.StatusUnsupportedMediaType, "request.unsupported_media_type",
			"Send the file as the body (application/pdf, image/jpeg, image/png or application/octet-stream) or as multipart/form-data")
		return "", nil, false
	}
	switch {
	case errors.As(err, new(*http.MaxBytesError)):
		httpx.WriteProblem(w, r, http.StatusRequestEntityTooLarge, "request.too_large", "Request body is too large")
		return "", nil, false
	case err != nil:
		httpx.WriteProblem(w, r, http.StatusBadRequest, "request.unreadable", "Request body could not be read")
		return "", nil, false
	}
	return name, data, true
}

// errNoFilePart means a multipart body had no part named "file".
var errNoFilePart = errors.New("api: no file part")

func readMultipart(r *http.Request) (string, []byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, err
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", nil, errNoFilePart
		}
		if err != nil {
			return "", nil, err
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(part)
		return part.FileName(), data, err
	}
}

func (a *API) addAttachment(w http.ResponseWriter, r *http.Request) {
	name, data, ok := readUpload(w, r)
	if !ok {
		return
	}
	at, err := a.cas.AddAttachment(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), name, data)
	writeOne(a, w, r, http.StatusCreated, at, err, toAttachment)
}

func (a *API) listAttachments(w http.ResponseWriter, r *http.Request) {
	list, err := a.cas.Attachments(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeList(a, w, r, list, "", err, toAttachment)
}

// downloadAttachment sends an attachment's content as a download, with
// the type the domain recognised from the content: never shown inline,
// never sniffed (the server sets nosniff on every answer).
func (a *API) downloadAttachment(w http.ResponseWriter, r *http.Request) {
	at, data, err := a.cas.OpenAttachment(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	httpx.Download(w, at.MediaType, at.Name, data)
}
