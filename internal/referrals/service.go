// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Permissions, granted in internal/access/permissions.json.
const (
	// PermRead and PermWrite are needed on the case a referral is made
	// from.
	PermRead  access.Permission = "referral.read"
	PermWrite access.Permission = "referral.write"
	// PermReceive, on the receiving organisation, lets its members see and
	// answer the referrals sent to it.
	PermReceive access.Permission = "referral.receive"
	// PermOverrideConsent, on the case, lets a user send a referral
	// without the person's consent, giving a reason.
	PermOverrideConsent access.Permission = "referral.override_consent"
	// PermProviderWrite, on the organisation maintaining a directory
	// entry, lets a user change it.
	PermProviderWrite access.Permission = "provider.write"
	// permProviderRead is what reading the directory needs: any signed-in
	// member of an organisation holds it.
	permProviderRead access.Permission = "organisation.read"
)

// Audit object types.
const (
	objProvider = "service_provider"
	objReferral = "referral"
)

// CaseReacher decides access to a case; *cases.Service is one.
type CaseReacher interface {
	Reach(ctx context.Context, p access.Principal, caseID string, perm access.Permission) (access.Record, error)
}

// ConsentChecker answers whether a person's consent is in force, inside
// the caller's transaction; *persons.Service is one.
type ConsentChecker interface {
	HasConsentTx(ctx context.Context, tx *store.Tx, personID string, purpose persons.Purpose, recipientOrgID string) (bool, error)
}

// Service is the referrals domain.
type Service struct {
	db      *store.DB
	audit   *audit.Log
	clock   clock.Clock
	cases   CaseReacher
	consent ConsentChecker
}

// Config holds the collaborators of a Service. Clock nil means the system
// clock.
type Config struct {
	DB      *store.DB
	Audit   *audit.Log
	Clock   clock.Clock
	Cases   CaseReacher
	Consent ConsentChecker
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, cases: c.Cases, consent: c.Consent}
}

// now is the current time to the microsecond, the precision stored.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return micros(*t)
}

func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// log appends an audit entry for p inside tx. Call it last in tx (see
// audit.Log.AppendTx).
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, orgID, action, objType, objID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: orgID, Action: action, ObjectType: objType, ObjectID: objID,
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

// reach asks the cases layer whether p may exercise perm on case caseID,
// mapping its errors to this package's.
func (s *Service) reach(ctx context.Context, p access.Principal, caseID string, perm access.Permission) (access.Record, error) {
	rec, err := s.cases.Reach(ctx, p, caseID, perm)
	switch {
	case errors.Is(err, cases.ErrNotFound):
		return rec, ErrNotFound
	case errors.Is(err, cases.ErrForbidden):
		return rec, ErrForbidden
	}
	return rec, err
}

// Page is a cursor page request. Cursor is the last id of the previous
// page; Limit is 50 when <= 0 and at most 500.
type Page struct {
	Cursor string
	Limit  int
}

func (pg Page) limit() int {
	switch {
	case pg.Limit <= 0:
		return 50
	case pg.Limit > 500:
		return 500
	default:
		return pg.Limit
	}
}
