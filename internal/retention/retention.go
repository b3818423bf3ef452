// SPDX-License-Identifier: AGPL-3.0-or-later

// Package retention ends the life of closed protection cases: each
// organisation may set a retention period, and once a case has been closed
// for longer than that, the scheduler shreds it (DESIGN "Rights of the
// person"; SECURITY-BAR 12).
//
// Shredding is crypto-shredding, as erasure is everywhere in Amparo: the
// case's data key is destroyed, so its notes, task titles and attachments
// can never be opened again, backups included; the case row stays with its
// codes and dates for statistics. A person whose every case has been
// shredded is then erased through the persons package's own erasure (their
// identity key destroyed, an anonymous shell kept), because nothing needs
// their identity any more. Every step is audited by the system actor,
// naming what was destroyed and never a value.
//
// The default is to keep closed cases: no period is set until an
// organisation's administrator sets one. Every step is idempotent (a case
// already shredded, or reopened since, is skipped; an erased person is not
// erased again), so the job may run on several servers, or again after a
// crash half-way, with the same result as one clean run.
package retention

import (
	"context"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Permissions: the period is part of the organisation's settings.
const (
	PermRead   access.Permission = "organisation.read"
	PermUpdate access.Permission = "organisation.update"
)

// Bounds of a retention period, in days. The floor leaves time to notice a
// case closed by mistake and reopen it before it is gone for good; the
// ceiling is a century, past any legal retention duty.
const (
	MinDays = 30
	MaxDays = 36500
)

// Day is the unit of a period: 24 hours, whatever the calendar.
const Day = 24 * time.Hour

// The organisation's errors: a period belongs to its organisation, and
// another organisation's answers as if it did not exist.
var (
	ErrNotFound  = accounts.ErrNotFound
	ErrForbidden = accounts.ErrForbidden
)

// Field error codes for the period.
const (
	CodeTooSmall = "too_small"
	CodeTooLarge = "too_large"
)

// Policy is an organisation's retention of closed cases.
type Policy struct {
	OrgID string
	// Days is the period; 0 means closed cases are kept.
	Days int
	// UpdatedBy and UpdatedAt say who set the period and when; empty and
	// zero while none was ever set.
	UpdatedBy string
	UpdatedAt time.Time
}

// Keeps reports whether closed cases are kept for ever.
func (p Policy) Keeps() bool { return p.Days == 0 }

// Service reads and sets the periods and shreds what they expire.
type Service struct {
	db      *store.DB
	audit   *audit.Log
	clock   clock.Clock
	cases   *cases.Service
	persons *persons.Service
}

// Config holds a Service's collaborators; Clock nil means the system clock.
type Config struct {
	DB      *store.DB
	Audit   *audit.Log
	Clock   clock.Clock
	Cases   *cases.Service
	Persons *persons.Service
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, cases: c.Cases, persons: c.Persons}
}

// Get returns organisation orgID's policy, for whoever may read the
// organisation.
func (s *Service) Get(ctx context.Context, p access.Principal, orgID string) (Policy, error) {
	if !ids.Valid(orgID) || !p.Allows(PermRead, access.Record{OrgID: orgID}) {
		return Policy{}, ErrNotFound
	}
	return s.policy(ctx, s.db, orgID)
}

func (s *Service) policy(ctx context.Context, q store.Queryer, orgID string) (Policy, error) {
	var n int
	if err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE id = ?`, orgID), &n); err != nil {
		return Policy{}, err
	}
	if n == 0 {
		return Policy{}, ErrNotFound
	}
	pol := Policy{OrgID: orgID}
	var at int64
	err := store.ScanRow(q.QueryRow(ctx, `SELECT closed_case_days, updated_by, updated_at FROM org_retention WHERE org_id = ?`, orgID),
		&pol.Days, &pol.UpdatedBy, &at)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return pol, nil
	case err != nil:
		return Policy{}, err
	}
	pol.UpdatedAt = time.UnixMicro(at).UTC()
	return pol, nil
}

// Validate checks a period: 0 (keep) or MinDays to MaxDays.
func Validate(days int) error {
	switch {
	case days == 0:
		return nil
	case days < MinDays:
		return fielderr.One("closed_case_days", CodeTooSmall)
	case days > MaxDays:
		return fielderr.One("closed_case_days", CodeTooLarge)
	}
	return nil
}

// Set sets organisation orgID's period to days (0: keep closed cases). It
// needs organisation.update on the organisation (ErrForbidden for someone
// who may only read it, ErrNotFound otherwise). A change is audited as
// organisation.retention naming the field; setting the period it already
// has changes and audits nothing.
func (s *Service) Set(ctx context.Context, p access.Principal, orgID string, days int) (Policy, error) {
	if !ids.Valid(orgID) || !p.Allows(PermRead, access.Record{OrgID: orgID}) {
		return Policy{}, ErrNotFound
	}
	if !p.Allows(PermUpdate, access.Record{OrgID: orgID}) {
		return Policy{}, ErrForbidden
	}
	if err := Validate(days); err != nil {
		return Policy{}, err
	}
	var out Policy
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.policy(ctx, tx, orgID)
		if err != nil {
			return err
		}
		if old.Days == days {
			out = old
			return nil
		}
		now := s.clock.Now().UTC().Truncate(time.Microsecond)
		if days == 0 {
			_, err = tx.Exec(ctx, `DELETE FROM org_retention WHERE org_id = ?`, orgID)
			out = Policy{OrgID: orgID}
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO org_retention (org_id, closed_case_days, updated_by, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (org_id) DO UPDATE SET closed_case_days = excluded.closed_case_days,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`, orgID, days, p.UserID, now.UnixMicro())
			out = Policy{OrgID: orgID, Days: days, UpdatedBy: p.UserID, UpdatedAt: now}
		}
		if err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, OrgID: orgID, Action: "organisation.retention",
			ObjectType: "organisation", ObjectID: orgID, Fields: []string{"retention.closed_case_days"}, RequestID: requestid.From(ctx)})
		return err
	})
	return out, err
}
