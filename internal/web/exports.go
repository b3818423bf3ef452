// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// The export pages: a list of cases (/cases/export) and everything held
// about a person (/persons/{id}/export), each a form whose answer is the
// age-encrypted file itself, and the page that erases a person's
// identity. Like the API's, the forms go through internal/caseexport,
// which checks the purpose, the recipient and the exporter's password
// (entered again on every export) and records and audits the export; no
// page ever shows or sends exported data in clear. The erasure page asks
// for a word typed in, as erasing an account does.

import (
	"errors"
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/httpx"
)

// The export and erasure pages.
const (
	pageCasesExport  page = "cases_export"
	pagePersonExport page = "person_export"
	pagePersonErase  page = "person_erase"
)

// exportPages are their templates, with the transfer pages (transfers.go).
var exportPages = []page{pageCasesExport, pagePersonExport, pagePersonErase, pageCaseTransfer, pageTransfers,
	pageTransferConfirm}

// Permissions on persons the pages name; internal/persons decides them
// per person.
const (
	permPersonRead  access.Permission = "person.read"
	permPersonErase access.Permission = "person.erase"
)

// exportRoutes lists the export, erasure and transfer pages, and the form
// of an organisation's export key on its administration page.
func (w *Web) exportRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /cases/export", cases.PermExport, w.casesExportForm),
		perm("POST /cases/export", cases.PermExport, w.casesExport),
		perm("GET /persons/{id}/export", permPersonRead, w.personExportForm),
		perm("POST /persons/{id}/export", permPersonRead, w.personExport),
		perm("GET /persons/{id}/erase", permPersonErase, w.personEraseForm),
		perm("POST /persons/{id}/erase", permPersonErase, w.personErase),

		perm("GET /cases/{id}/transfer", cases.PermUpdate, w.caseTransferForm),
		perm("POST /cases/{id}/transfer", cases.PermUpdate, w.caseTransferOffer),
		perm("GET /transfers", cases.PermCreate, w.transferList),
		perm("GET /transfers/{id}/accept", cases.PermCreate, w.transferConfirmForm(transferAccept)),
		perm("POST /transfers/{id}/accept", cases.PermCreate, w.transferAccept),
		perm("GET /transfers/{id}/decline", cases.PermCreate, w.transferConfirmForm(transferDecline)),
		perm("POST /transfers/{id}/decline", cases.PermCreate, w.transferDecline),
		perm("POST /transfers/{id}/withdraw", cases.PermUpdate, w.transferWithdraw),

		w.adminRoute("POST /admin/organisations/{id}/export-key", adminNeedOrgs, w.adminExportKeyUpdate),
	}
}

// exportForm is the part of an export form every export shares: why, for
// whom, and the exporter's password.
type exportForm struct {
	Purposes []option
	// Orgs are the organisations with an export key, to encrypt for.
	Orgs []option
	// MinPassphrase is the shortest passphrase, in characters.
	MinPassphrase int
}

// exportRecipient values of the form's recipient choice.
const (
	recipientPassphrase   = "passphrase"
	recipientOrganisation = "organisation"
)

// exportFormFor fills the shared part of an export form for the reader.
func (w *Web) exportFormFor(r *http.Request) (exportForm, error) {
	loc := w.locale(r)
	orgs, err := w.exp.KeyedOrganisations(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		return exportForm{}, err
	}
	f := exportForm{Purposes: codeOptions(loc, "export.purpose.", caseexport.Purposes()),
		MinPassphrase: caseexport.MinPassphraseLength}
	for _, o := range orgs {
		f.Orgs = append(f.Orgs, option{Value: o.ID, Label: o.Name})
	}
	return f, nil
}

// exportFields are the form fields of the shared part, shown again after
// a failed post (never the passphrase or the password).
var exportFields = []string{"purpose", "reference", "recipient", "recipient_org_id"}

// exportRequest reads the shared part of a posted export form.
func exportRequest(r *http.Request) caseexport.Request {
	f := r.PostForm
	req := caseexport.Request{Purpose: f.Get("purpose"), Reference: strings.TrimSpace(f.Get("reference")),
		Password: f.Get("password")}
	switch f.Get("recipient") {
	case recipientPassphrase:
		req.Recipient.Passphrase = f.Get("passphrase")
	case recipientOrganisation:
		req.Recipient.OrgID = f.Get("recipient_org_id")
	}
	return req
}

// exportErrorPlace puts the export domain's field errors beside the
// form's fields: the recipient's under the choice of recipient, and a
// filter's that the form has no field for (too many rows) above it.
func exportErrorPlace(formFields ...string) errorPlace {
	m := map[string]string{"recipient": "recipient", "passphrase": "passphrase", "recipient_org_id": "recipient_org_id",
		"purpose": "purpose", "reference": "reference", "password": "password"}
	for _, f := range formFields {
		m[f] = f
	}
	return renamed(m)
}

// exportDone answers an export: the file as a download when it was made,
// else the form again with what went wrong. A throttled password is a
// 429 with the form, which says to wait.
func (w *Web) exportDone(rw http.ResponseWriter, r *http.Request, form caseForm, f caseexport.File, err error) {
	var te *accounts.ThrottledError
	if errors.As(err, &te) {
		throttled(rw, te)
		form.show(http.StatusTooManyRequests, view{Values: form.values, Error: errThrottled})
		return
	}
	if w.caseSaved(rw, r, form, err) {
		httpx.Download(rw, caseexport.ContentType, f.Name, f.Data)
	}
}
