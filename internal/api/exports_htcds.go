// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"io"
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Layouts of a case list export: Amparo's own columns ("") or the HTCDS
// template's ("htcds"), which lists the trafficking cases only and is made
// as it is sent.
const layoutHTCDS = "htcds"

// exportLayout answers a case list export in a layout other than Amparo's
// own and reports true, or reports false for Amparo's layout, which the
// caller makes.
func (a *API) exportLayout(w http.ResponseWriter, r *http.Request, layout string, req caseexport.CaseListRequest) bool {
	switch layout {
	case "":
		return false
	case layoutHTCDS:
	default:
		a.fail(w, r, fielderr.One("layout", caseexport.CodeUnknown))
		return true
	}
	st, err := a.exp.ExportHTCDS(r.Context(), authn.PrincipalFrom(r.Context()), req)
	if err != nil {
		a.fail(w, r, err)
		return true
	}
	w.Header().Set("X-Export-Id", st.ID)
	if err := httpx.DownloadStream(w, caseexport.ContentType, st.Name, func(out io.Writer) error {
		_, err := st.WriteTo(r.Context(), out)
		return err
	}); err != nil {
		a.logger.ErrorContext(r.Context(), "api export cut short", "request_id", httpx.RequestIDFrom(r.Context()), "err", err)
	}
	return true
}
