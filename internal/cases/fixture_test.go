// SPDX-License-Identifier: AGPL-3.0-or-later

package cases_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

var ctx = context.Background()

// env is the cases service over a fresh database, with helpers that insert
// organisations, teams, members and persons directly (the accounts and
// persons services are not under test here, and hashing passwords would
// make every test slow).
type env struct {
	t     *testing.T
	db    *store.DB
	svc   *cases.Service
	vault *vault.Vault
	audit *audit.Log
	clock *clock.Fake
}

// each runs fn once per engine with a fresh env, in parallel with other
// tests (each has its own database).
func each(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	t.Parallel()
	storetest.EachDB(t, func(t *testing.T, db *store.DB) { fn(t, newEnv(t, db)) })
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ring, err := vault.CreateKeyFile(filepath.Join(t.TempDir(), "amparo.keys"))
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(db, ring)
	if err := v.Init(ctx); err != nil {
		t.Fatal(err)
	}
	c := clock.NewFake(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	log := audit.New(db, c)
	return &env{t: t, db: db, svc: cases.New(cases.Config{DB: db, Vault: v, Audit: log, Clock: c}), vault: v, audit: log,
		clock: c}
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.db.Exec(ctx, query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
}

func (e *env) micros() int64 { return e.clock.Now().UnixMicro() }

// org inserts an organisation and returns its id.
func (e *env) org() string {
	e.t.Helper()
	id := ids.New()
	e.exec(`INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)`, id, "Org "+id, e.micros(), e.micros())
	return id
}

// team inserts a team of orgID and returns its id.
func (e *env) team(orgID string) string {
	e.t.Helper()
	id := ids.New()
	e.exec(`INSERT INTO teams (id, org_id, name, created_at) VALUES (?, ?, ?, ?)`, id, orgID, "Team "+id, e.micros())
	return id
}

// member inserts a user who is a member of orgID with role in teamID ("" for
// none) and returns the principal they act as once signed in.
func (e *env) member(orgID, role, teamID string) access.Principal {
	e.t.Helper()
	id := ids.New()
	e.exec(`INSERT INTO users (id, email_index, email_enc, name_enc, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, id, "test:"+id, []byte{1}, []byte{1}, "x", e.micros(), e.micros())
	var team any
	if teamID != "" {
		team = teamID
	}
	e.exec(`INSERT INTO memberships (id, org_id, user_id, role, team_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		ids.New(), orgID, id, role, team, e.micros(), e.micros())
	return access.Principal{UserID: id, OrgID: orgID, TeamID: teamID, Role: role, MFA: true}
}

// person inserts a minimal person of orgID (the contract of migration 0003).
func (e *env) person(orgID string) string {
	e.t.Helper()
	id := ids.New()
	e.exec(`INSERT INTO persons (id, org_id, created_at, updated_at) VALUES (?, ?, ?, ?)`, id, orgID, e.micros(), e.micros())
	return id
}

// create opens a case for p, failing the test on error.
func (e *env) create(p access.Principal, in cases.NewCase) cases.Case {
	e.t.Helper()
	c, err := e.svc.Create(ctx, p, in)
	if err != nil {
		e.t.Fatalf("Create: %v", err)
	}
	return c
}

// checkCopies fails unless every concern row carries its case's
// organisation and time of last change (the copies List orders by).
func (e *env) checkCopies() {
	e.t.Helper()
	var n int
	err := e.db.Scan(e.db.QueryRow(ctx, `SELECT COUNT(*) FROM case_concerns cc JOIN cases c ON c.id = cc.case_id
		WHERE cc.case_org_id <> c.org_id OR cc.case_updated_at <> c.updated_at`), &n)
	if err != nil || n != 0 {
		e.t.Errorf("%d concern rows out of step with their case (%v)", n, err)
	}
}

// history returns the actions and fields of case id's audit entries,
// oldest first, as "action:field,field".
func (e *env) history(p access.Principal, id string) []string {
	e.t.Helper()
	entries, err := e.svc.History(ctx, p, id)
	if err != nil {
		e.t.Fatalf("History: %v", err)
	}
	var out []string
	for _, en := range slices.Backward(entries) {
		s := en.Action + ":"
		for i, f := range en.Fields {
			if i > 0 {
				s += ","
			}
			s += f
		}
		out = append(out, s)
	}
	return out
}

// wantValidation fails unless err is a ValidationError holding exactly
// the field error want.
func wantValidation(t *testing.T, err error, field, code string) {
	t.Helper()
	var ve *cases.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a ValidationError %s: %s", err, field, code)
	}
	if len(ve.Errors) != 1 || ve.Errors[0] != (cases.FieldError{Field: field, Code: code}) {
		t.Fatalf("errors = %v, want [%s: %s]", ve.Errors, field, code)
	}
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
}
