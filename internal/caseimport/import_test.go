// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/tabular/tabulartest"
	"github.com/amparo-project/amparo/internal/testutil"
)

// fixture is an organisation with a supervisor and a caseworker in one
// team, an administrator, and a caseworker of another organisation.
type fixture struct {
	a                                *testutil.App
	admin, supervisor, worker, other testutil.User
}

func newFixture(t *testing.T, a *testutil.App) fixture {
	t.Helper()
	ctx := context.Background()
	org, otherOrg := a.Org("Org A"), a.Org("Org B")
	team, err := a.Accounts.CreateTeam(ctx, access.System, org.ID, "Field team")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{a: a,
		admin:      a.NewUser(org.ID, access.RoleOrgAdmin, ""),
		supervisor: a.NewUser(org.ID, access.RoleSupervisor, team.ID),
		worker:     a.NewUser(org.ID, access.RoleCaseworker, team.ID),
		other:      a.NewUser(otherOrg.ID, access.RoleCaseworker, ""),
	}
}

// count returns the rows of table.
func (f fixture) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := f.a.DB.Scan(f.a.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// counts are the rows an import writes to, table by table.
func (f fixture) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"persons", "person_index", "person_vulnerabilities", "cases", "case_concerns",
		"case_persons", "data_keys", "audit_log", "case_numbers"} {
		out[table] = f.count(t, table)
	}
	return out
}

func (f fixture) run(t *testing.T, p access.Principal, file string, opt caseimport.Options) (caseimport.Report, error) {
	t.Helper()
	return f.a.CaseImport.Import(context.Background(), p, strings.NewReader(file), int64(len(file)), opt)
}

const validFile = "given_name,family_name,birth_date,sex,nationality,document_type,document_number,phone,languages,country,admin1,vulnerabilities,concerns,risk,status,opened\n" +
	"Amina,Diallo,1990-04-02,female,GIN,passport,P123 456,+52 55 1234 5678,fr ff,MEX,MX-CHP,pregnancy,detention;consular_access,high,assessment,2025-02-01\n" +
	"José,García,2012,male,Honduras,,,,es,MEX,,unaccompanied_child,child_protection,,,\n" +
	",,,,,,,,,,,,,,,\n" +
	"Li,Wei,,,CHN,national_id,X-99,,zh,MEX,,,,,new,2026-01-15\n"

func TestImportValidFile(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		ctx := context.Background()
		before := f.counts(t)
		var phases []string
		rep, err := f.run(t, f.supervisor.Principal, validFile, caseimport.Options{OwnerID: f.worker.ID,
			Progress: func(p caseimport.Progress) {
				if len(phases) == 0 || phases[len(phases)-1] != p.Phase {
					phases = append(phases, p.Phase)
				}
			}})
		if err != nil {
			t.Fatalf("Import = %+v, %v", rep, err)
		}
		if rep.Rows != 3 || rep.Created != 3 || rep.ImportID == "" || len(rep.Errors) != 0 {
			t.Fatalf("report = %+v", rep)
		}
		if want := []string{caseimport.PhaseRows, caseimport.PhaseAudit, caseimport.PhaseCommit}; !reflect.DeepEqual(phases, want) {
			t.Errorf("phases = %v, want %v", phases, want)
		}
		after := f.counts(t)
		for table, want := range map[string]int{"persons": 3, "cases": 3, "case_persons": 3, "data_keys": 6,
			"case_concerns": 3, "person_vulnerabilities": 2, "audit_log": 4} {
			if got := after[table] - before[table]; got != want {
				t.Errorf("%s: %d rows added, want %d", table, got, want)
			}
		}
		// The caseworker owns the cases and reads them as entered by hand.
		found, err := a.Persons.Search(ctx, f.worker.Principal, persons.SearchQuery{DocumentNumber: "p123456"})
		if err != nil || len(found) != 1 {
			t.Fatalf("search by document = %v, %v", found, err)
		}
		p, err := a.Persons.Get(ctx, f.worker.Principal, found[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Identity.GivenName != "Amina" || p.Identity.DateOfBirth != "1990-04-02" || p.Attributes.BirthYear != 1990 ||
			p.Attributes.Nationality != "GIN" || p.Attributes.CurrentAdmin1 != "MX-CHP" ||
			!reflect.DeepEqual(p.Attributes.Languages, []string{"fr", "ff"}) ||
			!reflect.DeepEqual(p.Vulnerabilities, []string{"pregnancy"}) || p.OwnerID != f.worker.ID || p.TeamID != f.worker.TeamID {
			t.Errorf("person = %+v", p)
		}
		byName, err := a.Persons.Search(ctx, f.worker.Principal, persons.SearchQuery{Name: "jose garcia"})
		if err != nil || len(byName) != 1 || byName[0].Attributes.Nationality != "HND" {
			t.Fatalf("search by name = %+v, %v", byName, err)
		}
		var caseIDs []string
		rows, err := a.DB.Query(ctx, `SELECT c.id FROM cases c JOIN case_persons cp ON cp.case_id = c.id
			WHERE cp.role = 'principal' ORDER BY c.number`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id string
			_ = rows.Scan(&id)
			caseIDs = append(caseIDs, id)
		}
		_ = rows.Close()
		var got []string
		for _, id := range caseIDs {
			c, err := a.Cases.Get(ctx, f.worker.Principal, id)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, fmt.Sprintf("%s %s %s %v %s", c.Number, c.Status, c.Risk, c.Concerns, c.CreatedAt.Format("2006-01-02")))
		}
		want := []string{
			"2025-00001 assessment high [consular_access detention] 2025-02-01",
			"2026-00001 new  [child_protection] 2026-11-22",
			"2026-00002 new  [] 2026-01-15",
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("cases =\n%q\nwant\n%q", got, want)
		}
		// A case opened by hand afterwards takes the next number.
		c, err := a.Cases.Create(ctx, f.worker.Principal, cases.NewCase{})
		if err != nil || c.Number != "2026-00003" {
			t.Errorf("next case = %q, %v", c.Number, err)
		}
		if n, brk, err := a.Audit.Verify(ctx); err != nil || brk != nil {
			t.Errorf("audit Verify = %d, %+v, %v", n, brk, err)
		}
		actions, err := store.QueryAll(ctx, a.DB, func(sc store.Scanner) (string, error) {
			var s string
			return s, sc.Scan(&s)
		}, `SELECT action || ' ' || fields FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 4`, before["audit_log"])
		if err != nil {
			t.Fatal(err)
		}
		// The cases' entries come in the order of their ids, the import's
		// last.
		slices.Sort(actions[:3])
		if want := "case.create number,owner_id,status,team_id,concerns,person,person.given_name,person.family_name," +
			"person.date_of_birth,person.sex,person.birth_year,person.nationality,person.languages,person.current_country," +
			"person.vulnerabilities|" +
			"case.create number,owner_id,status,team_id,person,person.given_name,person.family_name,person.documents," +
			"person.nationality,person.languages,person.current_country|" +
			"case.create number,owner_id,status,team_id,risk,concerns,person,person.given_name,person.family_name," +
			"person.date_of_birth,person.documents,person.phones,person.sex,person.birth_year,person.nationality," +
			"person.languages,person.current_country,person.current_admin1,person.vulnerabilities|" +
			"case.import cases,persons"; strings.Join(actions, "|") != want {
			t.Errorf("last audit actions = %v, want %s", actions, want)
		}
	})
}

func TestImportBadRowChangesNothing(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		before := f.counts(t)
		file := validFile + "Bad,Row,1990-13-01,robot,XXX,,,,,,,,torture;detention,extreme,closed,2099-01-01\n"
		rep, err := f.run(t, f.supervisor.Principal, file, caseimport.Options{})
		if !errors.Is(err, caseimport.ErrInvalidFile) {
			t.Fatalf("Import = %+v, %v; want ErrInvalidFile", rep, err)
		}
		want := []caseimport.RowError{
			{Line: 6, Field: "opened", Code: "future_date"},
			{Line: 6, Field: "birth_date", Code: "invalid_date"},
			{Line: 6, Field: "sex", Code: "unknown_sex"},
			{Line: 6, Field: "nationality", Code: "unknown_country"},
			{Line: 6, Field: "status", Code: "not_allowed"},
			{Line: 6, Field: "risk", Code: "unknown"},
			{Line: 6, Field: "concerns", Code: "unknown"},
		}
		if !reflect.DeepEqual(rep.Errors, want) || rep.Created != 0 || rep.ImportID != "" {
			t.Errorf("report = %+v\nwant errors %+v", rep, want)
		}
		if after := f.counts(t); !reflect.DeepEqual(after, before) {
			t.Errorf("rows changed: %v -> %v", before, after)
		}
	})
}

func TestImportDryRunChangesNothing(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		before := f.counts(t)
		rep, err := f.run(t, f.admin.Principal, validFile, caseimport.Options{OwnerID: f.worker.ID, DryRun: true})
		if err != nil || rep.Created != 3 || !rep.DryRun || rep.ImportID != "" {
			t.Fatalf("dry run = %+v, %v", rep, err)
		}
		if after := f.counts(t); !reflect.DeepEqual(after, before) {
			t.Errorf("rows changed: %v -> %v", before, after)
		}
	})
}

// TestImportTwice checks that persons already registered (by document
// number) are refused, or skipped on request, and that a document twice
// in one file is refused.
func TestImportTwice(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		p := f.supervisor.Principal
		if _, err := f.run(t, p, validFile, caseimport.Options{}); err != nil {
			t.Fatal(err)
		}
		before := f.counts(t)
		rep, err := f.run(t, p, validFile, caseimport.Options{})
		want := []caseimport.RowError{{Line: 2, Field: "document_number", Code: caseimport.CodeAlreadyExists},
			{Line: 5, Field: "document_number", Code: caseimport.CodeAlreadyExists}}
		if !errors.Is(err, caseimport.ErrInvalidFile) || !reflect.DeepEqual(rep.Errors, want) {
			t.Fatalf("again = %+v, %v", rep, err)
		}
		rep, err = f.run(t, p, validFile, caseimport.Options{SkipExisting: true})
		if err != nil || rep.Created != 1 || rep.Skipped != 2 {
			t.Fatalf("again, skipping = %+v, %v", rep, err)
		}
		if got := f.count(t, "persons") - before["persons"]; got != 1 {
			t.Errorf("%d persons added, want 1 (the one without a document)", got)
		}
		// Another organisation may register the same document.
		if _, err := f.run(t, f.otherSupervisor(t), validFile, caseimport.Options{}); err != nil {
			t.Errorf("another organisation: %v", err)
		}
		twice := "given_name,document_number\nA,X1\nB,X2\nC,x-1\n"
		rep, err = f.run(t, p, twice, caseimport.Options{})
		if !errors.Is(err, caseimport.ErrInvalidFile) ||
			!reflect.DeepEqual(rep.Errors, []caseimport.RowError{{Line: 4, Field: "document_number", Code: caseimport.CodeDuplicateInFile}}) {
			t.Errorf("twice in a file = %+v, %v", rep, err)
		}
	})
}

// otherSupervisor is a supervisor of the other organisation.
func (f fixture) otherSupervisor(t *testing.T) access.Principal {
	t.Helper()
	return f.a.NewUser(f.other.OrgID, access.RoleSupervisor, "").Principal
}

func TestImportAccess(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		for _, c := range []struct {
			name string
			p    access.Principal
			opt  caseimport.Options
			want error
		}{
			{"caseworker", f.worker.Principal, caseimport.Options{}, caseimport.ErrForbidden},
			{"other organisation's owner", f.supervisor.Principal, caseimport.Options{OwnerID: f.other.ID}, &caseimport.ValidationError{}},
			{"other organisation", f.admin.Principal, caseimport.Options{OrgID: f.other.OrgID, OwnerID: f.other.ID}, caseimport.ErrForbidden},
			{"administrator owning cases", f.admin.Principal, caseimport.Options{}, &caseimport.ValidationError{}},
		} {
			t.Run(c.name, func(t *testing.T) {
				_, err := f.run(t, c.p, validFile, c.opt)
				var ve *caseimport.ValidationError
				if ok := errors.As(c.want, &ve); ok {
					if !errors.As(err, &ve) {
						t.Fatalf("err = %v, want a validation error", err)
					}
					return
				}
				if !errors.Is(err, c.want) {
					t.Fatalf("err = %v, want %v", err, c.want)
				}
			})
		}
		if got := f.count(t, "persons"); got != 0 {
			t.Errorf("%d persons written", got)
		}
	})
}

// TestImportPresetXLSX imports a KoboToolbox-style workbook: group paths
// in headers, codes translated by the preset, a date cell, extra columns.
func TestImportPresetXLSX(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		m, err := caseimport.Preset("kobotoolbox")
		if err != nil {
			t.Fatal(err)
		}
		m.Defaults = map[string]string{"country": "Mexique"}
		data := tabulartest.XLSX(t, [][]any{
			{"start", "person/first_name", "person/last_name", "person/gender", "person/date_of_birth", "id_number", "protection_concerns", "_uuid"},
			{"2025-01-01", "Ana", "López", "woman", 33000.0, "A1", "trafficking detention", "u1"},
			{"2025-01-01", "Ben", "Ruiz", "M", "", "", "", "u2"},
		})
		rep, err := a.CaseImport.Import(context.Background(), f.supervisor.Principal, strings.NewReader(string(data)),
			int64(len(data)), caseimport.Options{Mapping: m})
		if err != nil || rep.Created != 2 {
			t.Fatalf("Import = %+v, %v", rep, err)
		}
		found, err := a.Persons.Search(context.Background(), f.supervisor.Principal, persons.SearchQuery{Name: "ana lopez"})
		if err != nil || len(found) != 1 {
			t.Fatalf("search = %v, %v", found, err)
		}
		p, err := a.Persons.Get(context.Background(), f.supervisor.Principal, found[0].ID)
		if err != nil || p.Attributes.Sex != "female" || p.Identity.DateOfBirth != "1990-05-07" || p.Attributes.CurrentCountry != "MEX" {
			t.Errorf("person = %+v, %v", p, err)
		}
	})
}
