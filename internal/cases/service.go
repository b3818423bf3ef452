// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// Permissions this package decides on (internal/access/permissions.json).
const (
	PermRead           access.Permission = "case.read"
	PermCreate         access.Permission = "case.create"
	PermUpdate         access.Permission = "case.update"
	PermApproveClosure access.Permission = "case.approve_closure"
)

// objectType is the audit object type of every entry about a case or any
// of its parts.
const objectType = "case"

// dataKeyPurpose labels the data keys of cases in data_keys.
const dataKeyPurpose = "case"

// ErasedMarker stands in for sealed content whose case key was destroyed.
const ErasedMarker = "[erased]"

// Service is the cases domain.
type Service struct {
	db    *store.DB
	vault *vault.Vault
	audit *audit.Log
	clock clock.Clock
	// persons and movers move what belongs to a case with it when a
	// transfer is accepted (transfer_move.go).
	persons PersonMover
	movers  []PartMover
	// identities and alerts serve Search and the alert filter of List.
	identities IdentityMatcher
	alerts     AlertSource
}

// Config holds the collaborators of a Service. Clock nil means the system
// clock.
type Config struct {
	DB    *store.DB
	Vault *vault.Vault
	Audit *audit.Log
	Clock clock.Clock
	// Persons moves the persons of a case accepted by another
	// organisation; without it such a case cannot move. Movers move the
	// case's detention and referral records.
	Persons PersonMover
	Movers  []PartMover
	// Identities turns the identity criteria of Search into a condition on
	// persons; without it Search answers ErrForbidden. Alerts tells which
	// cases have an open alert; without it List knows no alert kind.
	Identities IdentityMatcher
	Alerts     AlertSource
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, vault: c.Vault, audit: c.Audit, clock: c.Clock, persons: c.Persons, movers: c.Movers,
		identities: c.Identities, alerts: c.Alerts}
}

// now is the current time to the microsecond, the precision stored, so
// that what a call returns equals what a later read gives.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

// log appends an audit entry about case caseID of organisation orgID for
// p inside tx. Call it last in the transaction (see audit.Log.AppendTx).
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, caseID, orgID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: orgID, Action: action, ObjectType: objectType, ObjectID: caseID,
		Fields: slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}

// notFound turns "no row" into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// open opens a sealed field under a case's key, answering ErasedMarker for
// a case whose key was destroyed.
func (s *Service) open(ctx context.Context, q store.Queryer, keyID string, ad vault.AD, sealed []byte) (string, error) {
	v, err := s.vault.OpenString(ctx, q, keyID, ad, sealed)
	if errors.Is(err, vault.ErrErased) {
		return ErasedMarker, nil
	}
	return v, err
}

// member is a user's membership of an organisation, as far as case rules
// need it.
type member struct {
	teamID string
	role   string
}

// memberOf returns userID's membership of orgID; ok is false when the user
// is not an active member. Memberships belong to internal/accounts; this
// reads them to check that owners and assignees work for the organisation.
func memberOf(ctx context.Context, q store.Queryer, orgID, userID string) (member, bool, error) {
	var m member
	var team sql.NullString
	err := store.ScanRow(q.QueryRow(ctx, `SELECT m.team_id, m.role FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.org_id = ? AND m.user_id = ? AND u.disabled_at IS NULL`, orgID, userID), &team, &m.role)
	if errors.Is(err, store.ErrNotFound) {
		return m, false, nil
	}
	m.teamID = team.String
	return m, err == nil, err
}

// principalOf is the principal userID would be when signed in to orgID,
// for asking what they could do to a record (an owner or assignee must be
// able to read the case they are given).
func (m member) principalOf(orgID, userID string) access.Principal {
	return access.Principal{UserID: userID, OrgID: orgID, TeamID: m.teamID, Role: m.role, MFA: true}
}

// teamInOrg reports whether team teamID belongs to organisation orgID.
func teamInOrg(ctx context.Context, q store.Queryer, orgID, teamID string) (bool, error) {
	var n int
	err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM teams WHERE id = ? AND org_id = ?`, teamID, orgID), &n)
	return n > 0, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
