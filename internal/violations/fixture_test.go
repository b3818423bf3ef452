// SPDX-License-Identifier: AGPL-3.0-or-later

package violations_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
	"github.com/amparo-project/amparo/internal/violations"
)

var ctx = context.Background()

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// fixture is a database with two organisations: A documents events about
// a case and its person, B is a stranger. Rows other domains own are
// inserted with their minimal columns.
type fixture struct {
	t       *testing.T
	db      *store.DB
	log     *audit.Log
	clock   *clock.Fake
	persons *persons.Service
	svc     *violations.Service

	orgA, orgB, team, otherTeam string

	owner       access.Principal // caseworker of A in team T, who records events
	colleague   access.Principal // caseworker of A, no team
	supervisor  access.Principal // supervisor of team T in A
	supervisor2 access.Principal // supervisor of another team in A
	adminA      access.Principal // org_admin of A: erases persons, reads no events
	stranger    access.Principal // supervisor of B
	sysadmin    access.Principal

	// caseID is the owner's case with personID as principal and memberID
	// as a family member; otherPerson is the colleague's.
	caseID, personID, memberID, otherPerson string
}

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
	f := &fixture{t: t, db: db, clock: clock.NewFake(t0)}
	f.log = audit.New(db, f.clock)
	cas := cases.New(cases.Config{DB: db, Vault: v, Audit: f.log, Clock: f.clock})
	f.persons = persons.New(persons.Config{DB: db, Vault: v, Audit: f.log, Clock: f.clock})
	f.svc = violations.New(violations.Config{DB: db, Vault: v, Audit: f.log, Clock: f.clock, Cases: cas, Persons: f.persons})

	f.orgA, f.orgB, f.team, f.otherTeam = ids.New(), ids.New(), ids.New(), ids.New()
	f.exec(`INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, 'A', 1, 1), (?, 'B', 1, 1)`, f.orgA, f.orgB)
	f.exec(`INSERT INTO teams (id, org_id, name, created_at) VALUES (?, ?, 'T', 1), (?, ?, 'U', 1)`,
		f.team, f.orgA, f.otherTeam, f.orgA)
	user := func(org, team, role string) access.Principal {
		id := ids.New()
		f.exec(`INSERT INTO users (id, email_index, email_enc, name_enc, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'x', 1, 1)`, id, id, []byte{}, []byte{})
		return access.Principal{UserID: id, OrgID: org, TeamID: team, Role: role, MFA: true}
	}
	f.owner = user(f.orgA, f.team, access.RoleCaseworker)
	f.colleague = user(f.orgA, "", access.RoleCaseworker)
	f.supervisor = user(f.orgA, f.team, access.RoleSupervisor)
	f.supervisor2 = user(f.orgA, f.otherTeam, access.RoleSupervisor)
	f.adminA = user(f.orgA, "", access.RoleOrgAdmin)
	f.stranger = user(f.orgB, "", access.RoleSupervisor)
	f.sysadmin = user("", "", access.RoleSysadmin)

	f.caseID, f.personID, f.memberID, f.otherPerson = ids.New(), ids.New(), ids.New(), ids.New()
	person := func(id string, owner access.Principal) {
		f.exec(`INSERT INTO persons (id, org_id, owner_id, team_id, sex, birth_year, nationality, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'female', 1994, 'HND', 1, 1)`, id, f.orgA, owner.UserID, nullable(owner.TeamID))
	}
	person(f.personID, f.owner)
	person(f.memberID, f.owner)
	person(f.otherPerson, f.colleague)
	f.exec(`INSERT INTO cases (id, org_id, number, owner_id, team_id, created_by, created_at, updated_at)
		VALUES (?, ?, '2026-00001', ?, ?, ?, 1, 1)`, f.caseID, f.orgA, f.owner.UserID, f.team, f.owner.UserID)
	f.exec(`INSERT INTO case_persons (case_id, person_id, role, created_by, created_at) VALUES (?, ?, 'principal', ?, 1),
		(?, ?, 'family_member', ?, 1)`, f.caseID, f.personID, f.owner.UserID, f.caseID, f.memberID, f.owner.UserID)
	return f
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// eventInput is a valid event with sentinels in its sealed fields.
func eventInput(tag string) violations.EventInput {
	return violations.EventInput{Title: "SNTL-title-" + tag, Description: "SNTL-description-" + tag + "\nsecond line",
		Place: "SNTL-place-" + tag, Start: violations.Date{Value: "2026-03", Precision: violations.PrecisionMonth},
		End: violations.Date{Value: "2026-04-02", Precision: violations.PrecisionEstimated}, Country: "MX", Admin1: "MX-CHP"}
}

// mustEvent records an event as p.
func (f *fixture) mustEvent(p access.Principal, tag string) violations.Event {
	f.t.Helper()
	e, err := f.svc.Create(ctx, p, eventInput(tag))
	if err != nil {
		f.t.Fatalf("Create: %v", err)
	}
	return e
}

// actions returns the audit actions about object id, oldest first, each
// with its fields: "violation.create:title,start".
func (f *fixture) actions(id string) []string {
	f.t.Helper()
	es, _, err := f.log.List(ctx, audit.Filter{ObjectID: id, Limit: audit.MaxLimit})
	if err != nil {
		f.t.Fatal(err)
	}
	slices.Reverse(es)
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Action + ":" + strings.Join(e.Fields, ",")
	}
	return out
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.Scan(f.db.QueryRow(ctx, q, args...), &n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

// fieldErrors lists a ValidationError's errors as "field:code".
func fieldErrors(err error) []string {
	var ve *violations.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, fe := range ve.Errors {
		out = append(out, fe.Field+":"+fe.Code)
	}
	return out
}

func wantFieldErrors(t *testing.T, err error, want ...string) {
	t.Helper()
	if got := fieldErrors(err); !slices.Equal(got, want) {
		t.Fatalf("err = %v, want field errors %v", err, want)
	}
}
