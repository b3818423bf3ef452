// SPDX-License-Identifier: AGPL-3.0-or-later

package persons_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

var ctx = context.Background()

// fixture is the persons domain over a fresh database, with organisations,
// teams and users inserted directly (no password hashing, to stay fast).
type fixture struct {
	t     *testing.T
	db    *store.DB
	vault *vault.Vault
	log   *audit.Log
	clock *clock.Fake
	svc   *persons.Service
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
	c := clock.NewFake(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	log := audit.New(db, c)
	return &fixture{t: t, db: db, vault: v, log: log, clock: c,
		svc: persons.New(persons.Config{DB: db, Vault: v, Audit: log, Clock: c})}
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Exec(ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) org() string {
	id := ids.New()
	f.exec(`INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, ?, 1, 1)`, id, "Org "+id)
	return id
}

func (f *fixture) team(orgID string) string {
	id := ids.New()
	f.exec(`INSERT INTO teams (id, org_id, name, created_at) VALUES (?, ?, ?, 1)`, id, orgID, "Team "+id)
	return id
}

// user inserts a member of orgID with role in teamID ("" for none) and
// returns their principal, signed in with two factors.
func (f *fixture) user(orgID, role, teamID string) access.Principal {
	id := ids.New()
	f.exec(`INSERT INTO users (id, email_index, email_enc, name_enc, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'x', 1, 1)`, id, "idx-"+id, []byte{1}, []byte{1})
	var team any
	if teamID != "" {
		team = teamID
	}
	f.exec(`INSERT INTO memberships (id, org_id, user_id, role, team_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 1)`,
		ids.New(), orgID, id, role, team)
	return access.Principal{UserID: id, OrgID: orgID, TeamID: teamID, Role: role, MFA: true}
}

func (f *fixture) create(p access.Principal, in persons.Input) persons.Person {
	f.t.Helper()
	got, err := f.svc.Create(ctx, p, in)
	if err != nil {
		f.t.Fatalf("Create: %v", err)
	}
	return got
}

// entries returns the audit entries about person id with action.
func (f *fixture) entries(action, id string) []audit.Entry {
	f.t.Helper()
	es, _, err := f.log.List(ctx, audit.Filter{Action: action, ObjectID: id, Limit: audit.MaxLimit})
	if err != nil {
		f.t.Fatal(err)
	}
	return es
}

// lastFields is the field list of the newest audit entry with action
// about id, joined by commas; the test fails when there is none.
func (f *fixture) lastFields(action, id string) string {
	f.t.Helper()
	es := f.entries(action, id)
	if len(es) == 0 {
		f.t.Fatalf("no %s entry for %s", action, id)
	}
	return strings.Join(es[0].Fields, ",")
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.Scan(f.db.QueryRow(ctx, q, args...), &n); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return n
}

func ptr[T any](v T) *T { return &v }
