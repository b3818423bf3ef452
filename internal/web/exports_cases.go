// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/export"
)

// casesExportData is the form exporting a list of cases: which cases (a
// filter of codes), in which format, with or without the principal
// persons' identity, and the shared part.
type casesExportData struct {
	exportForm
	Statuses, Concerns, Risks []option
	// CanIdentity is true when the reader may put identities in the list
	// (case.export_identity).
	CanIdentity bool
}

// casesExportFields are the form's own fields, shown again after a failed
// post.
var casesExportFields = []string{"status", "concern", "risk", "format", "layout", "include_identity"}

// casesExportForm shows the form.
func (w *Web) casesExportForm(rw http.ResponseWriter, r *http.Request) {
	w.renderCasesExport(rw, r, http.StatusOK, view{Values: map[string]string{"format": export.CSV}})
}

func (w *Web) renderCasesExport(rw http.ResponseWriter, r *http.Request, status int, v view) {
	base, err := w.exportFormFor(r)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	loc := w.locale(r)
	d := &casesExportData{exportForm: base, Statuses: codeOptions(loc, "cases.status.", cases.Statuses),
		Risks:       append([]option{{Value: "unassessed", Label: loc.T("export.cases.unassessed")}}, codeOptions(loc, "cases.risk.", cases.Risks)...),
		CanIdentity: authn.PrincipalFrom(r.Context()).Can(caseexport.PermExportIdentity)}
	for _, c := range cases.Concerns {
		d.Concerns = append(d.Concerns, option{Value: string(c.Code), Label: loc.T("concern." + string(c.Code))})
	}
	v.Data = d
	w.render(rw, r, status, pageCasesExport, v)
}

// casesExport makes the export and answers with its file.
func (w *Web) casesExport(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: exportErrorPlace(casesExportFields...),
		show: func(status int, v view) { w.renderCasesExport(rw, r, status, v) }}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, append(casesExportFields, exportFields...)...)
	f := cases.Filter{Status: cases.Status(form.values["status"]), Concern: cases.Concern(form.values["concern"])}
	switch risk := form.values["risk"]; risk {
	case "":
	case "unassessed":
		f.Risk = new(cases.RiskUnassessed)
	default:
		f.Risk = new(cases.Risk(risk))
	}
	req := caseexport.CaseListRequest{Request: exportRequest(r), Filter: f, Format: form.values["format"],
		IncludeIdentity: form.values["include_identity"] == "yes"}
	if form.values["layout"] == layoutHTCDS {
		w.exportHTCDS(rw, r, form, req)
		return
	}
	file, err := w.exp.ExportCases(r.Context(), authn.PrincipalFrom(r.Context()), req)
	w.exportDone(rw, r, form, file, err)
}
