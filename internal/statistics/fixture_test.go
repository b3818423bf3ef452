// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

var ctx = context.Background()

// now is the fixture's present: ages are worked out for 2026.
var now = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

// fixture is a database with two organisations whose cases are opened
// through the cases and persons services (so that the copies of the
// principals' attributes are made as in production) and whose detention,
// referral and violation records are inserted with their columns.
type fixture struct {
	t       *testing.T
	db      *store.DB
	log     *audit.Log
	clock   *clock.Fake
	persons *persons.Service
	cases   *cases.Service
	svc     *Service

	orgA, orgB string
	// cwA and cwB open the cases; the others read the statistics.
	cwA, cwB, supervisorA, adminA, viewerA, sysadmin access.Principal
	// groups are the cases of each group of fixtureGroups, and their
	// principals.
	groups [][]fixtureCase
}

type fixtureCase struct{ caseID, personID string }

// fixtureGroup is a number of alike cases.
type fixtureGroup struct {
	org                       string // "A" or "B"
	n                         int
	nationality, sex, country string
	admin1                    string
	birthYear                 int
	concerns                  []cases.Concern
	opened                    time.Time
}

// fixtureGroups: 37 cases in A and 6 in B.
var fixtureGroups = []fixtureGroup{
	{"A", 12, "HND", "female", "MEX", "MX-CHP", 1990, []cases.Concern{"detention", "trafficking"}, day(2026, 2, 10)},
	{"A", 3, "HND", "male", "MEX", "MX-CHP", 2012, []cases.Concern{"child_protection"}, day(2026, 5, 3)},
	{"A", 20, "GTM", "male", "USA", "", 1985, []cases.Concern{"detention"}, day(2026, 8, 20)},
	{"A", 2, "SLV", "", "", "", 0, nil, day(2026, 11, 1)},
	{"B", 6, "HND", "female", "MEX", "MX-TAB", 2000, []cases.Concern{"health"}, day(2026, 5, 15)},
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Exec(ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ring, err := vault.CreateKeyFile(filepath.Join(t.TempDir(), "amparo.keys"))
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(db, ring)
	if err := v.Init(ctx); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, clock: clock.NewFake(now)}
	f.log = audit.New(db, f.clock)
	f.persons = persons.New(persons.Config{DB: db, Vault: v, Audit: f.log, Clock: f.clock})
	f.cases = cases.New(cases.Config{DB: db, Vault: v, Audit: f.log, Clock: f.clock, Persons: f.persons})
	det := detention.New(detention.ServiceConfig{DB: db, Audit: f.log, Clock: f.clock})
	f.svc = New(Config{DB: db, Audit: f.log, Clock: f.clock, Detention: det,
		Labels: func(d, code, lang string) string { return fmt.Sprintf("%s:%s:%s", d, code, lang) }})

	f.orgA, f.orgB = ids.New(), ids.New()
	f.exec(`INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, 'A', 1, 1), (?, 'B', 1, 1)`, f.orgA, f.orgB)
	user := func(org, role string) access.Principal {
		id := ids.New()
		f.exec(`INSERT INTO users (id, email_index, email_enc, name_enc, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'x', 1, 1)`, id, id, []byte{}, []byte{})
		if org != "" {
			f.exec(`INSERT INTO memberships (id, org_id, user_id, role, created_at, updated_at) VALUES (?, ?, ?, ?, 1, 1)`,
				ids.New(), org, id, role)
		}
		return access.Principal{UserID: id, OrgID: org, Role: role, MFA: true}
	}
	f.cwA, f.cwB = user(f.orgA, access.RoleCaseworker), user(f.orgB, access.RoleCaseworker)
	f.supervisorA, f.adminA = user(f.orgA, access.RoleSupervisor), user(f.orgA, access.RoleOrgAdmin)
	f.viewerA = user(f.orgA, access.RoleViewer)
	f.sysadmin = user("", access.RoleSysadmin)
	for _, g := range fixtureGroups {
		f.groups = append(f.groups, f.openGroup(g))
	}
	f.clock.Set(now)
	f.records()
	return f
}

// openGroup opens g's cases through the services, at g's opening date.
func (f *fixture) openGroup(g fixtureGroup) []fixtureCase {
	f.t.Helper()
	p := f.cwA
	if g.org == "B" {
		p = f.cwB
	}
	f.clock.Set(g.opened)
	var out []fixtureCase
	for range g.n {
		per, err := f.persons.Create(ctx, p, persons.Input{
			Identity: persons.Identity{GivenName: "SNTL-given-" + ids.New()},
			Attributes: persons.Attributes{Sex: g.sex, BirthYear: g.birthYear, Nationality: g.nationality,
				CurrentCountry: g.country, CurrentAdmin1: g.admin1}})
		if err != nil {
			f.t.Fatal(err)
		}
		c, err := f.cases.Create(ctx, p, cases.NewCase{Concerns: g.concerns,
			Persons: []cases.PersonLinkInput{{PersonID: per.ID, Role: cases.RolePrincipal}}})
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, fixtureCase{caseID: c.ID, personID: per.ID})
	}
	return out
}

// records adds, in organisation A: detention episodes of 15 GTM cases (5
// ongoing, 10 ended after 10 days) with a consular notification each (8
// told and notified in time at the person's request, 7 not told and not
// asked); 12 referrals of the HND women (7 completed, 5 sent); a violation
// event in MEX with 13 acts "10.10" against them and 2 acts "20" without a
// victim, 12 police perpetrators and an unknown one; and 11 employers of
// their exploitation.
func (f *fixture) records() {
	f.t.Helper()
	start := now.Add(-30 * 24 * time.Hour)
	for i, c := range f.groups[2][:15] {
		ep := ids.New()
		var end any
		if i >= 5 {
			end = start.Add(10 * 24 * time.Hour).UnixMicro()
		}
		f.exec(`INSERT INTO detention_episodes (id, org_id, case_id, person_id, facility_type, facility_country,
			start_at, end_at, immigration_related, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, 'immigration_detention_centre', 'MEX', ?, ?, 1, 'x', 1, 'x', 1)`,
			ep, f.orgA, c.caseID, c.personID, start.UnixMicro(), end)
		var told, requested, notified any
		if i < 8 {
			told, requested, notified = start.Add(time.Hour).UnixMicro(), 1, start.Add(2*time.Hour).UnixMicro()
		}
		f.exec(`INSERT INTO consular_notifications (id, org_id, episode_id, nationality, arrested_at, told_at, requested,
			notified_at, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, 'GTM', ?, ?, ?, ?, 'x', 1, 'x', 1)`,
			ids.New(), f.orgA, ep, start.UnixMicro(), told, requested, notified)
	}
	provider := ids.New()
	f.exec(`INSERT INTO service_providers (id, name, country, created_by, created_at, updated_by, updated_at)
		VALUES (?, 'Shelter', 'MEX', 'x', 1, 'x', 1)`, provider)
	for i, c := range f.groups[0] {
		status := "sent"
		if i < 7 {
			status = "completed"
		}
		f.exec(`INSERT INTO referrals (id, case_id, person_id, from_org_id, provider_id, service_type, status,
			consent_basis, sent_by, sent_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, 'legal', ?, 'internal', 'x', 1, 'x', 1)`, ids.New(), c.caseID, c.personID, f.orgA, provider, status)
	}
	event := ids.New()
	f.exec(`INSERT INTO violation_events (id, org_id, owner_id, title_enc, description_enc, place_enc, start_date,
		start_precision, start_first, start_last, country, admin1, created_by, created_at, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, '2026-03', 'month', '2026-03-01', '2026-03-31', 'MEX', '', 'x', 1, 'x', 1)`,
		event, f.orgA, f.cwA.UserID, []byte{1}, []byte{1}, []byte{1})
	act := func(typ string, victim any) {
		f.exec(`INSERT INTO violation_acts (id, org_id, event_id, act_type, victim_person_id, description_enc,
			created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'x', 1, 'x', 1)`,
			ids.New(), f.orgA, event, typ, victim, []byte{1})
	}
	for i := range 13 {
		act("10.10", f.groups[0][i%12].personID)
	}
	act("20", nil)
	act("20", nil)
	for i := range 13 {
		category := "police"
		if i == 12 {
			category = "unknown"
		}
		f.exec(`INSERT INTO violation_perpetrators (id, org_id, event_id, category, created_by, created_at, updated_by,
			updated_at) VALUES (?, ?, ?, ?, 'x', 1, 'x', 1)`, ids.New(), f.orgA, event, category)
	}
	for _, c := range f.groups[0][:11] {
		f.exec(`INSERT INTO case_exploitation_perpetrators (id, org_id, case_id, role, created_by, created_at,
			updated_by, updated_at) VALUES (?, ?, ?, 'employer', 'x', 1, 'x', 1)`, ids.New(), f.orgA, c.caseID)
	}
}
