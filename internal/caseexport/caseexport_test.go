// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/testutil"
)

var ctx = context.Background()

// world is an organisation with a team, its people and two cases of the
// team's caseworker, each with a principal person whose names carry
// sentinels, and a second organisation.
type world struct {
	a                       *testutil.App
	team                    string
	sup, cw, admin, otherCW testutil.User
	given                   []string
	person                  persons.Person
	caseA, caseB            cases.Case
	otherOrg                string
	passphrase              string
}

func newWorld(t *testing.T, a *testutil.App) *world {
	t.Helper()
	org, other := a.Org("Org A"), a.Org("Org B")
	team, err := a.Accounts.CreateTeam(ctx, access.System, org.ID, "Team")
	if err != nil {
		t.Fatal(err)
	}
	w := &world{a: a, team: team.ID, otherOrg: other.ID, passphrase: "correct horse battery staple"}
	w.sup = a.NewUser(org.ID, access.RoleSupervisor, team.ID)
	w.cw = a.NewUser(org.ID, access.RoleCaseworker, team.ID)
	w.admin = a.NewUser(org.ID, access.RoleOrgAdmin, "")
	w.otherCW = a.NewUser(other.ID, access.RoleCaseworker, "")
	for i := range 2 {
		given := testutil.Sentinel("given")
		p, err := a.Persons.Create(ctx, w.cw.Principal, persons.Input{
			Identity: persons.Identity{GivenName: given, FamilyName: testutil.Sentinel("family"),
				Documents: []persons.Document{{Type: "passport", Number: "X123456" + string(rune('0'+i))}}},
			Attributes: persons.Attributes{Sex: persons.SexFemale, BirthYear: 1990 + i, Nationality: "MAR"}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := a.Cases.Create(ctx, w.cw.Principal, cases.NewCase{Concerns: []cases.Concern{"detention"},
			Persons: []cases.PersonLinkInput{{PersonID: p.ID, Role: cases.RolePrincipal}}})
		if err != nil {
			t.Fatal(err)
		}
		w.given = append(w.given, given)
		if i == 0 {
			w.person, w.caseA = p, c
		} else {
			w.caseB = c
		}
	}
	if _, err := a.Cases.AddNote(ctx, w.cw.Principal, w.caseA.ID, testutil.Sentinel("note")); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) request(u testutil.User) caseexport.Request {
	return caseexport.Request{Purpose: caseexport.PurposeOversight, Reference: "MoU-2026/04", Password: u.Password,
		Recipient: caseexport.Recipient{Passphrase: w.passphrase}}
}

// open decrypts an export with identity, failing the test unless it is an
// age file.
func open(t *testing.T, f caseexport.File, id age.Identity) []byte {
	t.Helper()
	if !bytes.HasPrefix(f.Data, []byte("age-encryption.org/v1\n")) {
		t.Fatalf("the export is not an age file: %q", f.Data[:min(len(f.Data), 32)])
	}
	r, err := age.Decrypt(bytes.NewReader(f.Data), id)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func scrypt(t *testing.T, passphrase string) age.Identity {
	t.Helper()
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// entries returns the audit entries with action, newest first.
func entries(t *testing.T, a *testutil.App, action string) []audit.Entry {
	t.Helper()
	list, _, err := a.Audit.List(ctx, audit.Filter{Action: action, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func ledgerRows(t *testing.T, a *testutil.App) int {
	t.Helper()
	var n int
	if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM data_exports`), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantFields(t *testing.T, err error, want ...string) {
	t.Helper()
	var ve *fielderr.Error
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want field errors %v", err, want)
	}
	var got []string
	for _, fe := range ve.Errors {
		got = append(got, fe.Field+":"+fe.Code)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("field errors %v, want %v", got, want)
	}
}

// TestExportCases exports the team's cases to a passphrase, without and
// with identity, and checks the decrypted content, the ledger and the
// audit entry.
func TestExportCases(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		f, err := a.Exports.ExportCases(ctx, w.sup.Principal, caseexport.CaseListRequest{Request: w.request(w.sup),
			Format: "csv", Filter: cases.Filter{Concern: "detention"}})
		if err != nil {
			t.Fatal(err)
		}
		if f.Rows != 2 || !strings.HasSuffix(f.Name, ".csv.age") {
			t.Fatalf("file %q with %d rows", f.Name, f.Rows)
		}
		for _, given := range w.given {
			if bytes.Contains(f.Data, []byte(given)) {
				t.Fatal("the encrypted file holds a name in clear")
			}
		}
		rows := readCSV(t, open(t, f, scrypt(t, w.passphrase)))
		if len(rows) != 3 || !slices.Contains(rows[0], "person_nationality") || slices.Contains(rows[0], "person_given_name") {
			t.Fatalf("rows %v", rows)
		}
		numbers := []string{rows[1][0], rows[2][0]}
		slices.Sort(numbers)
		if !slices.Equal(numbers, []string{w.caseA.Number, w.caseB.Number}) || rows[1][10] != "MAR" {
			t.Fatalf("rows %v", rows)
		}
		es := entries(t, a, "case.export")
		if len(es) != 1 || es[0].ObjectType != "export" || es[0].ObjectID != f.ID || es[0].ActorID != w.sup.ID ||
			!slices.Equal(es[0].Fields, []string{"purpose.oversight", "recipient.passphrase", "format.csv", "cases",
				"person.attributes"}) {
			t.Fatalf("audit %+v", es)
		}
		var purpose, reference string
		var count int
		if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT purpose, reference, row_count FROM data_exports WHERE id = ?`, f.ID),
			&purpose, &reference, &count); err != nil || purpose != "oversight" || reference != "MoU-2026/04" || count != 2 {
			t.Fatalf("ledger %q %q %d %v", purpose, reference, count, err)
		}

		// With identity: the names are in the file, and each read of one
		// is audited.
		f, err = a.Exports.ExportCases(ctx, w.sup.Principal, caseexport.CaseListRequest{Request: w.request(w.sup),
			Format: "csv", IncludeIdentity: true})
		if err != nil {
			t.Fatal(err)
		}
		plain := open(t, f, scrypt(t, w.passphrase))
		for _, given := range w.given {
			if !bytes.Contains(plain, []byte(given)) {
				t.Error("a name is missing from the export with identity")
			}
		}
		if !bytes.Contains(plain, []byte("passport:X1234560")) {
			t.Error("the document is missing from the export with identity")
		}
		if n := len(entries(t, a, "person.read")); n != 2 {
			t.Errorf("%d identity reads audited, want 2", n)
		}
	})
}

// TestExportRefusals checks that every refusal writes nothing: no file,
// no ledger row, no export audited; a wrong password is audited as a
// failure.
func TestExportRefusals(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		good := caseexport.CaseListRequest{Request: w.request(w.sup), Format: "csv"}
		if _, err := a.Exports.ExportCases(ctx, w.cw.Principal, good); !errors.Is(err, cases.ErrForbidden) {
			t.Errorf("caseworker: %v, want cases.ErrForbidden", err)
		}
		bad := good
		bad.Password = "not the password"
		_, err := a.Exports.ExportCases(ctx, w.sup.Principal, bad)
		wantFields(t, err, "password:"+accounts.CodeIncorrect)
		if es := entries(t, a, "auth.reauth_failed"); len(es) != 1 || es[0].ActorID != w.sup.ID ||
			!slices.Equal(es[0].Fields, []string{"case.export"}) {
			t.Errorf("failed attempt audited as %+v", es)
		}

		rows := []struct {
			name string
			p    testutil.User
			edit func(r *caseexport.CaseListRequest)
			want []string
		}{
			{"unknown purpose and format", w.sup, func(r *caseexport.CaseListRequest) { r.Purpose, r.Format = "curiosity", "pdf" },
				[]string{"format:unknown_format", "purpose:unknown"}},
			{"no purpose", w.sup, func(r *caseexport.CaseListRequest) { r.Purpose = "" }, []string{"purpose:required"}},
			{"reference as a sentence", w.sup, func(r *caseexport.CaseListRequest) { r.Reference = "for Ana's hearing" },
				[]string{"reference:invalid"}},
			{"reference too long", w.sup, func(r *caseexport.CaseListRequest) { r.Reference = strings.Repeat("a", 65) },
				[]string{"reference:too_long"}},
			{"short passphrase", w.sup, func(r *caseexport.CaseListRequest) { r.Recipient.Passphrase = "short" },
				[]string{"passphrase:passphrase_too_short"}},
			{"passphrase is the password", w.sup, func(r *caseexport.CaseListRequest) { r.Recipient.Passphrase = w.sup.Password },
				[]string{"passphrase:same_as_password"}},
			{"two recipients", w.sup, func(r *caseexport.CaseListRequest) { r.Recipient.OrgID = w.otherOrg },
				[]string{"recipient:one_recipient"}},
			{"no recipient", w.sup, func(r *caseexport.CaseListRequest) { r.Recipient = caseexport.Recipient{} },
				[]string{"recipient:recipient_required"}},
			{"organisation without a key", w.sup, func(r *caseexport.CaseListRequest) {
				r.Recipient = caseexport.Recipient{OrgID: w.otherOrg}
			}, []string{"recipient_org_id:no_export_key"}},
			{"bad filter", w.sup, func(r *caseexport.CaseListRequest) { r.Filter.Status = "lost" }, []string{"status:unknown"}},
			{"identity without the permission", w.admin, func(r *caseexport.CaseListRequest) {
				r.IncludeIdentity, r.Password = true, w.admin.Password
			}, []string{"include_identity:not_allowed"}},
			{"no password", w.sup, func(r *caseexport.CaseListRequest) { r.Password = "" }, []string{"password:required"}},
		}
		for _, r := range rows {
			t.Run(r.name, func(t *testing.T) {
				req := good
				r.edit(&req)
				_, err := a.Exports.ExportCases(ctx, r.p.Principal, req)
				wantFields(t, err, r.want...)
			})
		}
		if n := ledgerRows(t, a); n != 0 {
			t.Errorf("%d exports recorded after refusals", n)
		}
		if n := len(entries(t, a, "case.export")); n != 0 {
			t.Errorf("%d exports audited after refusals", n)
		}
		// The validation errors spent no password attempt: only the one
		// wrong password counted.
		if n := len(entries(t, a, "auth.reauth_failed")); n != 1 {
			t.Errorf("%d failed attempts audited, want 1", n)
		}
	})
}

// TestExportToOrganisationKey has organisation B's administrator set its
// key, then exports to it: B's identity opens the file, another does not.
// Organisation A's administrator exports the whole organisation's list.
func TestExportToOrganisationKey(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		adminB := a.NewUser(w.otherOrg, access.RoleOrgAdmin, "")
		idB, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Exports.SetExportKey(ctx, w.admin.Principal, w.otherOrg, idB.Recipient().String()); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("A's administrator sets B's key: %v", err)
		}
		if _, err := a.Exports.SetExportKey(ctx, adminB.Principal, w.otherOrg, "ssh-ed25519 AAAA"); err == nil {
			t.Fatal("a key that is not an age recipient was accepted")
		}
		got, err := a.Exports.SetExportKey(ctx, adminB.Principal, w.otherOrg, "  "+idB.Recipient().String()+"\n")
		if err != nil || got != idB.Recipient().String() {
			t.Fatalf("set key: %q %v", got, err)
		}
		if k, err := a.Exports.ExportKey(ctx, adminB.Principal, w.otherOrg); err != nil || k != got {
			t.Fatalf("read key: %q %v", k, err)
		}
		orgs, err := a.Exports.KeyedOrganisations(ctx, w.admin.Principal)
		if err != nil || len(orgs) != 1 || orgs[0].ID != w.otherOrg {
			t.Fatalf("keyed organisations %+v %v", orgs, err)
		}

		req := caseexport.CaseListRequest{Request: caseexport.Request{Purpose: caseexport.PurposeCaseTransfer,
			Password: w.admin.Password, Recipient: caseexport.Recipient{OrgID: w.otherOrg}}, Format: "xlsx"}
		f, err := a.Exports.ExportCases(ctx, w.admin.Principal, req)
		if err != nil {
			t.Fatal(err)
		}
		if f.Rows != 2 {
			t.Errorf("the organisation's administrator exported %d cases, want the organisation's 2", f.Rows)
		}
		if plain := open(t, f, idB); !bytes.HasPrefix(plain, []byte("PK")) {
			t.Error("the decrypted export is not an XLSX workbook")
		}
		stranger, _ := age.GenerateX25519Identity()
		if _, err := age.Decrypt(bytes.NewReader(f.Data), stranger); err == nil {
			t.Error("another key opens the export")
		}
		if es := entries(t, a, "case.export"); len(es) != 1 ||
			!slices.Contains(es[0].Fields, "recipient.organisation") || !slices.Contains(es[0].Fields, "purpose.case_transfer") {
			t.Errorf("audit %+v", es)
		}
		if _, err := a.Exports.SetExportKey(ctx, adminB.Principal, w.otherOrg, ""); err != nil {
			t.Fatal(err)
		}
		_, err = a.Exports.ExportCases(ctx, w.admin.Principal, req)
		wantFields(t, err, "recipient_org_id:no_export_key")
		if n := len(entries(t, a, "organisation.export_key")); n != 2 {
			t.Errorf("%d key changes audited, want 2", n)
		}
	})
}

// TestExportPerson exports everything held about a person and checks the
// document, and that another organisation cannot.
func TestExportPerson(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		w := newWorld(t, a)
		if _, err := a.Exports.ExportPerson(ctx, w.otherCW.Principal, w.person.ID, w.request(w.otherCW)); !errors.Is(err, persons.ErrNotFound) {
			t.Fatalf("another organisation: %v, want persons.ErrNotFound", err)
		}
		f, err := a.Exports.ExportPerson(ctx, w.cw.Principal, w.person.ID, w.request(w.cw))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Format string `json:"format"`
			Person struct {
				Identity struct {
					GivenName string `json:"given_name"`
				} `json:"identity"`
			} `json:"person"`
			Cases []struct {
				Number string            `json:"number"`
				Role   string            `json:"role"`
				Notes  []json.RawMessage `json:"notes"`
			} `json:"cases"`
		}
		if err := json.Unmarshal(open(t, f, scrypt(t, w.passphrase)), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Format != caseexport.PersonFormat || doc.Person.Identity.GivenName != w.given[0] || len(doc.Cases) != 1 ||
			doc.Cases[0].Number != w.caseA.Number || doc.Cases[0].Role != "principal" || len(doc.Cases[0].Notes) != 1 {
			t.Fatalf("document %+v", doc)
		}
		if es := entries(t, a, "person.rights_export"); len(es) != 1 || es[0].ObjectID != f.ID {
			t.Errorf("audit %+v", es)
		}
		if es := entries(t, a, "person.export"); len(es) != 1 || es[0].ObjectID != w.person.ID {
			t.Errorf("the person's read audited as %+v", es)
		}
	})
}
