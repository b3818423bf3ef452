// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"io"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/httpx"
)

// layoutHTCDS is the case list export form's choice of the HTCDS
// template's columns, which list the trafficking cases only and are made
// as they are sent (caseexport.ExportHTCDS); any other value is Amparo's
// own columns.
const layoutHTCDS = "htcds"

// exportHTCDS makes an HTCDS export and answers with its file as it is
// made; a refused request shows the form again, as every export does.
func (w *Web) exportHTCDS(rw http.ResponseWriter, r *http.Request, form caseForm, req caseexport.CaseListRequest) {
	st, err := w.exp.ExportHTCDS(r.Context(), authn.PrincipalFrom(r.Context()), req)
	if err != nil {
		w.exportDone(rw, r, form, caseexport.File{}, err)
		return
	}
	rw.Header().Set("X-Export-Id", st.ID)
	if err := httpx.DownloadStream(rw, caseexport.ContentType, st.Name, func(out io.Writer) error {
		_, err := st.WriteTo(r.Context(), out)
		return err
	}); err != nil {
		w.logger.ErrorContext(r.Context(), "web export cut short", "request_id", httpx.RequestIDFrom(r.Context()), "err", err)
	}
}
