// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Exports leave the system only as age-encrypted files (SECURITY-BAR 13):
// the answer is the file itself, never JSON holding personal data. The
// exporter's password travels in the body, like every secret.

type recipientBody struct {
	Passphrase string `json:"passphrase"`
	OrgID      string `json:"org_id"`
}

// exportBody is what every export request carries.
type exportBody struct {
	Purpose   string        `json:"purpose"`
	Reference string        `json:"reference"`
	Recipient recipientBody `json:"recipient"`
	Password  string        `json:"password"`
}

func (b exportBody) request() caseexport.Request {
	return caseexport.Request{Purpose: b.Purpose, Reference: b.Reference, Password: b.Password,
		Recipient: caseexport.Recipient{Passphrase: b.Recipient.Passphrase, OrgID: b.Recipient.OrgID}}
}

// caseFilterBody is the filter of a case list export: codes and ids, as
// in the list's query string.
type caseFilterBody struct {
	Status      string `json:"status"`
	Concern     string `json:"concern"`
	Risk        string `json:"risk"`
	OwnerID     string `json:"owner_id"`
	TeamID      string `json:"team_id"`
	Nationality string `json:"nationality"`
	Country     string `json:"country"`
	Alert       string `json:"alert"`
}

func (b caseFilterBody) filter() cases.Filter {
	f := cases.Filter{Status: cases.Status(b.Status), Concern: cases.Concern(b.Concern), OwnerID: b.OwnerID,
		TeamID: b.TeamID, Nationality: b.Nationality, Country: b.Country, Alert: b.Alert}
	switch b.Risk {
	case "":
	case "unassessed":
		f.Risk = new(cases.RiskUnassessed)
	default:
		f.Risk = new(cases.Risk(b.Risk))
	}
	return f
}

func (a *API) exportCases(w http.ResponseWriter, r *http.Request) {
	var body struct {
		exportBody
		Filter          caseFilterBody `json:"filter"`
		Format          string         `json:"format"`
		Layout          string         `json:"layout"`
		IncludeIdentity bool           `json:"include_identity"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	req := caseexport.CaseListRequest{Request: body.request(), Filter: body.Filter.filter(), Format: body.Format,
		IncludeIdentity: body.IncludeIdentity}
	if a.exportLayout(w, r, body.Layout, req) {
		return
	}
	f, err := a.exp.ExportCases(r.Context(), authn.PrincipalFrom(r.Context()), req)
	a.writeExport(w, r, f, err)
}

func (a *API) exportPerson(w http.ResponseWriter, r *http.Request) {
	var body exportBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	f, err := a.exp.ExportPerson(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.request())
	a.writeExport(w, r, f, err)
}

// writeExport answers with an export's encrypted file, or the problem
// matching err.
func (a *API) writeExport(w http.ResponseWriter, r *http.Request, f caseexport.File, err error) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("X-Export-Id", f.ID)
	httpx.Download(w, caseexport.ContentType, f.Name, f.Data)
}

type exportKeyJSON struct {
	OrgID        string  `json:"org_id"`
	AgeRecipient *string `json:"age_recipient"`
}

func (a *API) getExportKey(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	key, err := a.exp.ExportKey(r.Context(), authn.PrincipalFrom(r.Context()), id)
	writeOne(a, w, r, http.StatusOK, key, err, func(k string) exportKeyJSON { return exportKeyJSON{id, orNull(k)} })
}

func (a *API) putExportKey(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AgeRecipient *string `json:"age_recipient"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	id := r.PathValue("id")
	key, err := a.exp.SetExportKey(r.Context(), authn.PrincipalFrom(r.Context()), id, val(body.AgeRecipient))
	writeOne(a, w, r, http.StatusOK, key, err, func(k string) exportKeyJSON { return exportKeyJSON{id, orNull(k)} })
}
