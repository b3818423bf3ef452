// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"time"

	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/i18n"
)

// exportSamples are views of the export, erasure and transfer pages in
// their states, for the test that renders every page in every language.
func exportSamples(now time.Time) map[page][]view {
	w := New(Config{})
	loc := w.i18n.Locale(i18n.Default)
	form := exportForm{Purposes: codeOptions(loc, "export.purpose.", caseexport.Purposes()),
		Orgs: []option{{Value: "o2", Label: "Casa del Migrante"}}, MinPassphrase: caseexport.MinPassphraseLength}
	noKeys := exportForm{Purposes: form.Purposes, MinPassphrase: caseexport.MinPassphraseLength}
	h := caseHeader{ID: "c1", Number: "2026-00001", Status: "assessment", Tabs: caseTabs}
	row := transferRow{ID: "t1", CaseID: "c1", CaseNumber: "2026-00042", From: "مركز الهجرة", To: "Casa del Migrante",
		OfferedAt: now}
	failed := map[string]string{"password": "incorrect", "passphrase": "passphrase_too_short", "purpose": "required",
		"reference": "invalid", "recipient": "recipient_required", "recipient_org_id": "no_export_key",
		"include_identity": "not_allowed", "format": "unknown_format", "status": "unknown"}
	return map[page][]view{
		pageCasesExport: {
			{Data: &casesExportData{exportForm: form, Statuses: []option{{"new", "New"}}, CanIdentity: true},
				Values: map[string]string{"format": "xlsx", "recipient": "organisation", "recipient_org_id": "o2"}},
			{Data: &casesExportData{exportForm: noKeys, CanIdentity: true}, Fields: failed, Error: "too_many_rows"},
			{Data: &casesExportData{exportForm: form}, Error: errThrottled},
			{},
		},
		pagePersonExport: {
			{Data: &personExportData{exportForm: form, PersonID: "p1"}, Values: map[string]string{"reference": "REQ-118"}},
			{Data: &personExportData{exportForm: noKeys, PersonID: "p1", Erased: true}, Fields: failed},
			{},
		},
		pagePersonErase: {
			{Data: &personEraseData{PersonID: "p1"}},
			{Data: &personEraseData{PersonID: "p1"}, Fields: map[string]string{"confirm_word": "wrong_word"}},
			{Data: &personEraseData{PersonID: "p1", ErasedAt: &now}},
			{},
		},
		pageCaseTransfer: {
			{Data: &caseTransferData{Header: h, Orgs: []option{{Value: "o2", Label: "Casa del Migrante"}}, Open: true,
				Done: transferDoneWithdrawn}, Fields: map[string]string{"to_org_id": "transfer_pending"}, Error: "consent_required"},
			{Data: &caseTransferData{Header: h, Pending: &row, Open: true, Done: transferDoneOffered}},
			{Data: &caseTransferData{Header: h}, Error: "shared_person"},
			{},
		},
		pageTransfers: {
			{Data: &transfersData{Offers: []transferRow{row}, Done: transferDoneDeclined}},
			{Data: &transfersData{}},
			{},
		},
		pageTransferConfirm: {
			{Data: &transferConfirmData{Action: transferAccept, Offer: row}, Error: "consent_required"},
			{Data: &transferConfirmData{Action: transferDecline, Offer: row}},
			{},
		},
	}
}
