// SPDX-License-Identifier: AGPL-3.0-or-later

// Package accounts owns organisations, users, teams, memberships, API tokens
// and sign-in sessions. Every function that acts for someone takes the acting
// access.Principal and decides record-level access itself, answering
// ErrNotFound for records out of reach so that their existence is not
// revealed. Every write, and every read of a user's name or e-mail, is
// written to the audit log in the same transaction.
package accounts

import (
	"context"
	"errors"
	"github.com/amparo-project/amparo/internal/fielderr"
	"time"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/password"
	"github.com/amparo-project/amparo/internal/ratelimit"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// FieldError and ValidationError are the validation error every domain
// returns (see internal/fielderr).
type (
	FieldError      = fielderr.FieldError
	ValidationError = fielderr.Error
)

// Errors callers map to responses.
var (
	ErrNotFound     = errors.New("accounts: not found")
	ErrUnauthorized = errors.New("accounts: not signed in or credentials invalid")
	ErrForbidden    = errors.New("accounts: not permitted")
	ErrThrottled    = errors.New("accounts: too many attempts")
)

// Session lifetimes (SECURITY-BAR 7).
const (
	SessionIdle     = 15 * time.Minute
	SessionAbsolute = 8 * time.Hour
	// sessionTouchEvery bounds how often a session's last-seen time is
	// written: a request within this interval of the last write does not
	// write again, so idle expiry can come up to this much early.
	sessionTouchEvery = 5 * time.Second
	tokenTouchEvery   = time.Minute
	// DefaultTokenLifetime and MaxTokenLifetime bound API tokens.
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 366 * 24 * time.Hour
)

// Service is the accounts domain.
type Service struct {
	db     *store.DB
	vault  *vault.Vault
	audit  *audit.Log
	hasher *password.Hasher
	clock  clock.Clock
	// Throttles for sign-in failures: per account (keyed by the e-mail's
	// blind index, so unknown accounts are throttled alike) and per address.
	perAccount *ratelimit.Failures
	perAddress *ratelimit.Failures
	issuer     string
}

// Config holds the collaborators of a Service.
type Config struct {
	DB     *store.DB
	Vault  *vault.Vault
	Audit  *audit.Log
	Hasher *password.Hasher
	Clock  clock.Clock
	// Issuer names the deployment in authenticator apps.
	Issuer string
}

// New returns a Service. Sign-in failures are limited to 10 per account and
// 100 per address in 15 minutes.
func New(c Config) *Service {
	if c.Issuer == "" {
		c.Issuer = "Amparo"
	}
	return &Service{
		db: c.DB, vault: c.Vault, audit: c.Audit, hasher: c.Hasher, clock: c.Clock, issuer: c.Issuer,
		perAccount: ratelimit.NewFailures(c.Clock, 10, 15*time.Minute, 100_000),
		perAddress: ratelimit.NewFailures(c.Clock, 100, 15*time.Minute, 100_000),
	}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func fromNullMicros(v *int64) *time.Time {
	if v == nil {
		return nil
	}
	t := fromMicros(*v)
	return &t
}

// Page is a cursor page request. Cursor is the last id of the previous page.
type Page struct {
	Cursor string
	Limit  int
}

func (p Page) limit() int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > 500:
		return 500
	default:
		return p.Limit
	}
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, q store.Queryer, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// trimPage cuts one extra fetched row and returns the next cursor.
func trimPage[T any](rows []T, limit int, idOf func(T) string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, idOf(rows[len(rows)-1])
}
