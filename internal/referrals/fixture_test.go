// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals_test

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
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

var ctx = context.Background()

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// fixture is a database with three organisations: A makes referrals from a
// case, B is a provider in Amparo that receives them, C is a stranger.
// Rows other domains own are inserted with their minimal columns.
type fixture struct {
	t       *testing.T
	db      *store.DB
	log     *audit.Log
	clock   *clock.Fake
	cases   *cases.Service
	persons *persons.Service
	svc     *referrals.Service

	orgA, orgB, orgC, team string

	owner      access.Principal // caseworker of A who owns the case
	colleague  access.Principal // caseworker of A, other team
	supervisor access.Principal // supervisor of the case's team in A
	adminA     access.Principal // org_admin of A
	receiver   access.Principal // caseworker of B
	supervB    access.Principal // supervisor of B
	adminB     access.Principal // org_admin of B
	viewerB    access.Principal // viewer of B
	stranger   access.Principal // caseworker of C
	sysadmin   access.Principal

	caseID, personID string
	// Providers: provB is organisation B; provA is A's own service;
	// external is outside Amparo. All offer every service type.
	provA, provB, external string
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
	f.cases = cases.New(cases.Config{DB: db, Vault: v, Audit: f.log, Clock: f.clock})
	f.persons = persons.New(persons.Config{DB: db, Vault: v, Audit: f.log, Clock: f.clock})
	f.svc = referrals.New(referrals.Config{DB: db, Audit: f.log, Clock: f.clock, Cases: f.cases, Consent: f.persons})

	f.orgA, f.orgB, f.orgC, f.team = ids.New(), ids.New(), ids.New(), ids.New()
	f.exec(`INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, 'A', 1, 1), (?, 'B', 1, 1), (?, 'C', 1, 1)`,
		f.orgA, f.orgB, f.orgC)
	f.exec(`INSERT INTO teams (id, org_id, name, created_at) VALUES (?, ?, 'T', 1)`, f.team, f.orgA)
	user := func(org, team, role string) access.Principal {
		id := ids.New()
		f.exec(`INSERT INTO users (id, email_index, email_enc, name_enc, password_hash, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'x', 1, 1)`, id, id, []byte{}, []byte{})
		return access.Principal{UserID: id, OrgID: org, TeamID: team, Role: role, MFA: true}
	}
	f.owner = user(f.orgA, f.team, access.RoleCaseworker)
	f.colleague = user(f.orgA, "", access.RoleCaseworker)
	f.supervisor = user(f.orgA, f.team, access.RoleSupervisor)
	f.adminA = user(f.orgA, "", access.RoleOrgAdmin)
	f.receiver = user(f.orgB, "", access.RoleCaseworker)
	f.supervB = user(f.orgB, "", access.RoleSupervisor)
	f.adminB = user(f.orgB, "", access.RoleOrgAdmin)
	f.viewerB = user(f.orgB, "", access.RoleViewer)
	f.stranger = user(f.orgC, "", access.RoleCaseworker)
	f.sysadmin = user("", "", access.RoleSysadmin)

	f.caseID, f.personID = ids.New(), ids.New()
	f.exec(`INSERT INTO persons (id, org_id, owner_id, team_id, identity_enc, sex, birth_year, nationality, country_of_birth,
		languages, current_country, current_admin1, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 'female', 1994, 'HND', 'GTM', 'es en', 'MEX', 'MX-CHP', 1, 1)`,
		f.personID, f.orgA, f.owner.UserID, f.team, []byte("placeholder-ciphertext"))
	f.exec(`INSERT INTO cases (id, org_id, number, owner_id, team_id, created_by, created_at, updated_at)
		VALUES (?, ?, '2026-00001', ?, ?, ?, 1, 1)`, f.caseID, f.orgA, f.owner.UserID, f.team, f.owner.UserID)
	f.exec(`INSERT INTO case_persons (case_id, person_id, role, created_by, created_at) VALUES (?, ?, 'principal', ?, 1)`,
		f.caseID, f.personID, f.owner.UserID)

	f.provB = f.provider(f.sysadmin, "Clínica B", f.orgB)
	f.provA = f.provider(f.adminA, "Servicio propio A", f.orgA)
	f.external = f.provider(f.adminA, "Outside shelter", "")
	return f
}

func providerInput(name, orgID string) referrals.ProviderInput {
	return referrals.ProviderInput{Name: name, OrgID: orgID, ServiceTypes: referrals.ServiceTypes(), Country: "MX",
		Admin1: "MX-CHP", Address: "Av. Central 1, Tapachula", Languages: []string{"es", "EN"}, Phone: "+52 962 000 0000",
		Email: "info@example.org", Website: "https://example.org/", OpeningHours: "Mon–Fri 9–17"}
}

func (f *fixture) provider(p access.Principal, name, orgID string) string {
	f.t.Helper()
	pr, err := f.svc.CreateProvider(ctx, p, providerInput(name, orgID))
	if err != nil {
		f.t.Fatalf("CreateProvider(%s): %v", name, err)
	}
	return pr.ID
}

func (f *fixture) consent(status persons.ConsentStatus, org string) {
	f.t.Helper()
	f.clock.Advance(time.Minute)
	if _, err := f.persons.RecordConsent(ctx, f.owner, f.personID, persons.ConsentInput{
		Purpose: persons.PurposeReferral, RecipientOrgID: org, Status: status}); err != nil {
		f.t.Fatalf("RecordConsent: %v", err)
	}
}

func (f *fixture) refer(p access.Principal, providerID, overrideReason string) (referrals.Referral, error) {
	return f.svc.Create(ctx, p, f.caseID, referrals.NewReferral{PersonID: f.personID, ProviderID: providerID,
		ServiceType: "medical", OverrideReason: overrideReason})
}

// mustRefer sends a referral to provB on consent.
func (f *fixture) mustRefer(providerID string) referrals.Referral {
	f.t.Helper()
	r, err := f.refer(f.owner, providerID, "")
	if err != nil {
		f.t.Fatalf("Create: %v", err)
	}
	return r
}

// actions returns the audit actions about object id, oldest first, each
// with its fields: "referral.create:case_id,person_id".
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

// hasFieldError reports whether err is a ValidationError with exactly the
// field errors given, as "field:code".
func fieldErrors(err error) []string {
	var ve *referrals.ValidationError
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

// principal names the fixture's principals for table tests.
func (f *fixture) principal(name string) access.Principal {
	p, ok := map[string]access.Principal{
		"owner": f.owner, "colleague": f.colleague, "supervisor": f.supervisor, "adminA": f.adminA,
		"receiver": f.receiver, "supervB": f.supervB, "adminB": f.adminB, "viewerB": f.viewerB,
		"stranger": f.stranger, "sysadmin": f.sysadmin,
	}[name]
	if !ok {
		f.t.Fatalf("no principal %q", name)
	}
	return p
}
