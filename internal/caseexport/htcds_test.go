// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/testutil"
)

// htcds makes an HTCDS export for u and returns its decrypted bytes, its
// stream and the rows written.
func (w *world) htcds(t *testing.T, u testutil.User, format string, identity bool) ([]byte, *caseexport.Stream) {
	t.Helper()
	st, err := w.a.Exports.ExportHTCDS(ctx, u.Principal, caseexport.CaseListRequest{Request: w.request(u), Format: format,
		IncludeIdentity: identity})
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	if _, err := st.WriteTo(ctx, &enc); err != nil {
		t.Fatal(err)
	}
	for _, given := range w.given {
		if bytes.Contains(enc.Bytes(), []byte(given)) {
			t.Fatal("the encrypted file holds a name in clear")
		}
	}
	return open(t, caseexport.File{Data: enc.Bytes()}, scrypt(t, w.passphrase)), st
}

// TestExportHTCDS records an exploitation record on one of the team's two
// cases and exports the team's list in the HTCDS layout: one row, for the
// trafficking case, in the template's columns, with the identity only
// when asked by someone allowed, recorded and audited.
func TestExportHTCDS(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		if _, err := a.Exploitation.Put(ctx, w.cw.Principal, w.caseA.ID, exploitation.Input{Sector: "A",
			TraffickingStatus: "actual_victim", StatusDecidedBy: "police", ExploitationTypes: []string{"forced_labour"},
			ControlMethods: []string{"debt_bondage", "withholds_documents"}, RecruitmentCountry: "MAR",
			ExploitationCountry: "ESP", Indicators: []string{"isolation"}}); err != nil {
			t.Fatal(err)
		}
		plain, st := w.htcds(t, w.sup, "csv", true)
		rows := readCSV(t, plain)
		if len(rows) != 2 || !slices.Equal(rows[0], exploitation.HTCDSColumns) {
			t.Fatalf("%d rows, header %v", len(rows), rows[0])
		}
		row := map[string]string{}
		for i, c := range rows[0] {
			row[c] = rows[1][i]
		}
		for col, want := range map[string]string{"": "1", "prs_FirstName": w.given[0], "prs_Gender": "Feminine",
			"prs_Citizenship": "MAR", "vic_TraffickingStatus": "ActualVictimOfTrafficking",
			"vic_TraffickingStatusDecisionMakingOrg": "Police", "vic_TypeOfExploitation": "ForcedLabour",
			"vic_MethodsOfControl": "DebtBondage;WithholdsDocuments", "vic_ForcedLabourIndustry": "A_AgricultureForestryAndFishing",
			"vic_LocationOfRecruitment": "MAR", "vic_LocationOfExploitation": "ESP", "cas_Status": "Active",
			"cas_CaseOwner": w.cw.ID} {
			if row[col] != want {
				t.Errorf("%q = %q, want %q", col, row[col], want)
			}
		}
		var count int
		var format string
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT row_count, format FROM data_exports WHERE id = ?`, st.ID),
			&count, &format); err != nil || count != 1 || format != "csv" {
			t.Errorf("ledger: %d rows, format %q, %v", count, format, err)
		}
		es := entries(t, a, "case.export")
		if len(es) != 1 || es[0].ObjectID != st.ID || !slices.Equal(es[0].Fields, []string{"purpose.oversight",
			"recipient.passphrase", "format.csv", "layout.htcds", "cases", "exploitation", "person.attributes",
			"person.identity"}) {
			t.Errorf("audit %+v", es)
		}
		if n := len(entries(t, a, "person.read")); n != 1 {
			t.Errorf("%d identity reads audited, want 1 (the trafficking case's person only)", n)
		}

		// An organisation's administrator exports the list without
		// identities: the identity columns are empty.
		plain, _ = w.htcds(t, w.admin, "csv", false)
		if bytes.Contains(bytes.ToUpper(plain), []byte("SNTL")) {
			t.Error("an export without identity holds a name")
		}
		if rows := readCSV(t, plain); len(rows) != 2 || rows[1][3] != "" || rows[1][18] != "ActualVictimOfTrafficking" {
			t.Errorf("rows %v", rows)
		}

		// The workbook holds the same table.
		plain, _ = w.htcds(t, w.sup, "xlsx", true)
		f, err := excelize.OpenReader(bytes.NewReader(plain))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = f.Close() }()
		sheet, err := f.GetRows(f.GetSheetList()[0])
		if err != nil || len(sheet) != 2 || !slices.Equal(sheet[0][1:], exploitation.HTCDSColumns[1:]) ||
			sheet[1][0] != "1" || sheet[1][3] != w.given[0] || sheet[1][22] != "DebtBondage;WithholdsDocuments" {
			t.Errorf("workbook rows %v, %v", sheet, err)
		}
	})
}

func TestExportHTCDSRefusals(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		req := caseexport.CaseListRequest{Request: w.request(w.sup), Format: "csv"}
		if _, err := a.Exports.ExportHTCDS(ctx, w.cw.Principal, req); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("caseworker: %v", err)
		}
		identity := req
		identity.Request, identity.IncludeIdentity = w.request(w.admin), true
		_, err := a.Exports.ExportHTCDS(ctx, w.admin.Principal, identity)
		wantFields(t, err, "include_identity:not_allowed")
		bad := req
		bad.Password, bad.Format = "not the password", "pdf"
		_, err = a.Exports.ExportHTCDS(ctx, w.sup.Principal, bad)
		wantFields(t, err, "format:unknown_format")
		bad.Format = "csv"
		_, err = a.Exports.ExportHTCDS(ctx, w.sup.Principal, bad)
		wantFields(t, err, "password:incorrect")
		if n := ledgerRows(t, a); n != 0 {
			t.Errorf("%d exports recorded", n)
		}
		// A list without trafficking cases is a file with the header only.
		plain, _ := w.htcds(t, w.sup, "csv", false)
		if rows := readCSV(t, plain); len(rows) != 1 || !strings.HasPrefix(string(plain), "\ufeff,cas_CaseOwner,") {
			t.Errorf("rows %v", rows)
		}
	})
}
