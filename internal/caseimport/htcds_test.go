// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport_test

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/testutil"
)

// htcdsCases are the exploitation records of the round trip, each with
// the person it is about.
var htcdsCases = []struct {
	attrs   persons.Attributes
	ident   persons.Identity
	exploit exploitation.Input
}{
	{persons.Attributes{Sex: persons.SexFemale, Nationality: "PHL", CurrentCountry: "SAU", CurrentAdmin1: "SA-01"},
		persons.Identity{DateOfBirth: "1994-02-11", Phones: []string{"+639171234567", "+6321234567"}, Address: "12 Rizal St, Quezon City"},
		exploitation.Input{Sector: "T", RecruitmentCountry: "PHL", ExploitationCountry: "SAU", TraffickingStatus: "actual_victim",
			StatusDecidedBy: "court_or_prosecution", ExploitationTypes: []string{"forced_labour", "servitude"},
			RecruitmentMethods: []string{"online_advertisement", "friends"}, ControlMethods: []string{"withholds_documents", "takes_earnings"}}},
	{persons.Attributes{Sex: persons.SexMale, Nationality: "NPL", CurrentCountry: "QAT"},
		persons.Identity{DateOfBirth: "1988"},
		exploitation.Input{Sector: "F", TraffickingStatus: "possible_victim", StatusDecidedBy: "ngo",
			ExploitationTypes: []string{"forced_labour"}, ControlMethods: []string{"debt_bondage", "excessive_working_hours", "other"},
			ExploitationCountry: "QAT"}},
	{persons.Attributes{Sex: persons.SexOther, Nationality: "HND"},
		persons.Identity{Phones: []string{"+50499998888"}},
		exploitation.Input{TraffickingStatus: "actual_victim", ExploitationTypes: []string{"sexual_exploitation", "other"},
			SexExploitationTypes: []string{"prostitution", "remote_interactive_services"}, RecruitmentCountry: "HND",
			ExploitationCountry: "MEX", RecruitmentMethods: []string{"online_social_networks"}}},
	{persons.Attributes{}, persons.Identity{}, exploitation.Input{TraffickingStatus: "not_a_victim", Sector: "Q"}},
}

// htcdsOnly is what HTCDS carries of a record: neither the ILO indicators
// nor the costs and wage.
func htcdsOnly(r exploitation.Record) exploitation.Record {
	return exploitation.Record{Sector: r.Sector, RecruitmentCountry: r.RecruitmentCountry,
		ExploitationCountry: r.ExploitationCountry, TraffickingStatus: r.TraffickingStatus, StatusDecidedBy: r.StatusDecidedBy,
		ExploitationTypes: r.ExploitationTypes, RecruitmentMethods: r.RecruitmentMethods, ControlMethods: r.ControlMethods,
		SexExploitationTypes: r.SexExploitationTypes}
}

// TestHTCDSRoundTrip exports trafficking cases in the HTCDS layout, CSV
// and XLSX, and imports each file with the htcds preset into another
// organisation: the exploitation data, and the person's data HTCDS
// carries, come back the same.
func TestHTCDSRoundTrip(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		f := newFixture(t, a)
		want := map[string]exploitation.Record{} // by given name
		people := map[string]persons.Person{}
		for _, c := range htcdsCases {
			c.ident.GivenName, c.ident.FamilyName = testutil.Sentinel("given"), testutil.Sentinel("family")
			p, err := a.Persons.Create(ctx, f.worker.Principal, persons.Input{Identity: c.ident, Attributes: c.attrs})
			if err != nil {
				t.Fatal(err)
			}
			k, err := a.Cases.Create(ctx, f.worker.Principal, cases.NewCase{Concerns: []cases.Concern{"trafficking"},
				Persons: []cases.PersonLinkInput{{PersonID: p.ID, Role: cases.RolePrincipal}}})
			if err != nil {
				t.Fatal(err)
			}
			// Indicators and costs are recorded too, and stay behind.
			c.exploit.Indicators, c.exploit.MonthlyWage, c.exploit.WageCurrency = []string{"deception"}, "900", "USD"
			rec, err := a.Exploitation.Put(ctx, f.worker.Principal, k.ID, c.exploit)
			if err != nil {
				t.Fatal(err)
			}
			want[c.ident.GivenName], people[c.ident.GivenName] = htcdsOnly(rec), p
		}
		// A case without a record is not a trafficking case: not exported.
		if _, err := a.Cases.Create(ctx, f.worker.Principal, cases.NewCase{Concerns: []cases.Concern{"health"}}); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(format, func(t *testing.T) {
				org := a.Org("Receiving " + format)
				team, err := a.Accounts.CreateTeam(ctx, access.System, org.ID, "Team")
				if err != nil {
					t.Fatal(err)
				}
				receiver := a.NewUser(org.ID, access.RoleSupervisor, team.ID)
				file := exportHTCDS(t, a, f.supervisor, format)
				rep, err := a.CaseImport.Import(ctx, receiver.Principal, bytes.NewReader(file), int64(len(file)),
					caseimport.Options{Mapping: mustPreset(t, "htcds")})
				if err != nil || rep.Created != len(htcdsCases) {
					t.Fatalf("Import = %+v, %v", rep, err)
				}
				got := importedRecords(t, a, receiver, org.ID)
				if len(got) != len(want) {
					t.Fatalf("%d cases imported with a record, want %d", len(got), len(want))
				}
				for given, w := range want {
					g, ok := got[given]
					if !ok {
						t.Fatal("a person's case was not imported")
					}
					if !reflect.DeepEqual(htcdsOnly(g.record), w) {
						t.Errorf("record %+v, want %+v", htcdsOnly(g.record), w)
					}
					orig := people[given]
					if g.person.Attributes.Sex != orDefault(orig.Attributes.Sex, persons.SexUnknown) ||
						g.person.Attributes.Nationality != orig.Attributes.Nationality ||
						g.person.Attributes.CurrentCountry != orig.Attributes.CurrentCountry ||
						g.person.Attributes.CurrentAdmin1 != orig.Attributes.CurrentAdmin1 ||
						g.person.Identity.FamilyName != orig.Identity.FamilyName ||
						g.person.Identity.DateOfBirth != orig.Identity.DateOfBirth ||
						g.person.Identity.Address != orig.Identity.Address ||
						!slices.Equal(g.person.Identity.Phones, orig.Identity.Phones) {
						t.Error("a person's data did not come back the same")
					}
					if !slices.Equal(g.concerns, []cases.Concern{"trafficking"}) {
						t.Errorf("concerns %v", g.concerns)
					}
				}
			})
		}
	})
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func mustPreset(t *testing.T, name string) *caseimport.Mapping {
	t.Helper()
	m, err := caseimport.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// exportHTCDS exports u's cases in the HTCDS layout with identities and
// returns the decrypted file, kept in memory only.
func exportHTCDS(t *testing.T, a *testutil.App, u testutil.User, format string) []byte {
	t.Helper()
	ctx := context.Background()
	const passphrase = "correct horse battery staple"
	st, err := a.Exports.ExportHTCDS(ctx, u.Principal, caseexport.CaseListRequest{Format: format, IncludeIdentity: true,
		Request: caseexport.Request{Purpose: caseexport.PurposeCaseTransfer, Password: u.Password,
			Recipient: caseexport.Recipient{Passphrase: passphrase}}})
	if err != nil {
		t.Fatal(err)
	}
	var enc bytes.Buffer
	if _, err := st.WriteTo(ctx, &enc); err != nil {
		t.Fatal(err)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		t.Fatal(err)
	}
	r, err := age.Decrypt(&enc, id)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

type imported struct {
	record   exploitation.Record
	person   persons.Person
	concerns []cases.Concern
}

// importedRecords reads, as u, the cases of organisation orgID that have
// an exploitation record, by their principal's given name.
func importedRecords(t *testing.T, a *testutil.App, u testutil.User, orgID string) map[string]imported {
	t.Helper()
	ctx := context.Background()
	rows, err := a.DB.Query(ctx, `SELECT e.case_id, cp.person_id FROM case_exploitation e
		JOIN case_persons cp ON cp.case_id = e.case_id AND cp.role = 'principal' WHERE e.org_id = ?`, orgID)
	if err != nil {
		t.Fatal(err)
	}
	type pair struct{ caseID, personID string }
	var pairs []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.caseID, &p.personID); err != nil {
			t.Fatal(err)
		}
		pairs = append(pairs, p)
	}
	_ = rows.Close()
	out := map[string]imported{}
	for _, p := range pairs {
		rec, err := a.Exploitation.Get(ctx, u.Principal, p.caseID)
		if err != nil {
			t.Fatal(err)
		}
		per, err := a.Persons.Get(ctx, u.Principal, p.personID)
		if err != nil {
			t.Fatal(err)
		}
		k, err := a.Cases.Get(ctx, u.Principal, p.caseID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(per.Identity.GivenName, "SNTL-given-") {
			t.Fatal("an imported person lost their name")
		}
		out[per.Identity.GivenName] = imported{record: rec, person: per, concerns: k.Concerns}
	}
	return out
}
