// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Permissions. Episodes and notifications are reached through their case:
// the caller (the cases layer, cases.Service.Reach) describes the case with
// an access.Record and the principal needs these on it.
const (
	PermRead  access.Permission = "detention.read"
	PermWrite access.Permission = "detention.write"
	// permOrgAdmin lets organisation administrators (and system
	// administrators) change their organisation's settings and the shared
	// reference tables, as long as no role holds detention.write at
	// organisation scope.
	permOrgAdmin access.Permission = "organisation.update"
)

// BirthSource tells what is known of persons' dates of birth, for the child
// rule. The persons layer may supply one that reads full dates (sealed with
// the identity); the default reads the year of birth kept in clear.
type BirthSource interface {
	Births(ctx context.Context, personIDs []string) (map[string]BirthInfo, error)
}

// Service is the detention domain's storage.
type Service struct {
	db     *store.DB
	audit  *audit.Log
	clock  clock.Clock
	births BirthSource
}

// ServiceConfig holds the collaborators of a Service. Clock nil means the
// system clock; Births nil means the year of birth in persons.birth_year.
type ServiceConfig struct {
	DB     *store.DB
	Audit  *audit.Log
	Clock  clock.Clock
	Births BirthSource
}

// New returns a Service.
func New(c ServiceConfig) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	s := &Service{db: c.DB, audit: c.Audit, clock: c.Clock, births: c.Births}
	if s.births == nil {
		s.births = BirthYears{DB: c.DB}
	}
	return s
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// today is the current UTC date as YYYY-MM-DD.
func (s *Service) today() string { return s.now().Format(dateLayout) }

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
	return new(fromMicros(v.Int64))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// reachCase checks that p may exercise perm on the case rec describes and
// that the case caseID exists in rec's organisation. A case p cannot read
// answers ErrNotFound; one p can read but not write answers ErrForbidden.
func (s *Service) reachCase(ctx context.Context, q store.Queryer, p access.Principal, rec access.Record, caseID string, perm access.Permission) error {
	if !ids.Valid(caseID) || rec.OrgID == "" {
		return ErrNotFound
	}
	if !p.Allows(perm, rec) {
		if perm != PermRead && p.Allows(PermRead, rec) {
			return ErrForbidden
		}
		return ErrNotFound
	}
	var org string
	err := store.ScanRow(q.QueryRow(ctx, `SELECT org_id FROM cases WHERE id = ?`, caseID), &org)
	if errors.Is(err, store.ErrNotFound) || (err == nil && org != rec.OrgID) {
		return ErrNotFound
	}
	return err
}

// canAdminister reports whether p may change the settings of orgID
// (detention.write at organisation scope or wider, or organisation
// administration), or, when orgID is "", the reference tables that every
// organisation's alerts read (legal limits, mandatory-notification
// agreements): those only a system administrator may change, so that no
// organisation can move another's alerts.
func canAdminister(p access.Principal, orgID string) bool {
	if orgID == "" {
		return p.Scope(permOrgAdmin) >= access.ScopeAll
	}
	rec := access.Record{OrgID: orgID}
	return (p.Scope(PermWrite) >= access.ScopeOrg && p.Allows(PermWrite, rec)) || p.Allows(permOrgAdmin, rec)
}

// log appends an audit entry for p inside tx.
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, orgID, action, objType, objID string, fields []string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: orgID, Action: action, ObjectType: objType, ObjectID: objID,
		Fields: slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}

// Settings returns the rules settings of organisation orgID (the defaults
// when it has set none). Anyone who may read detention records in the
// organisation, or administer it, may read them.
func (s *Service) Settings(ctx context.Context, p access.Principal, orgID string) (Config, error) {
	if !ids.Valid(orgID) {
		return Config{}, ErrNotFound
	}
	mine := access.Record{OrgID: orgID, OwnerID: p.UserID, TeamID: p.TeamID}
	if !p.Allows(PermRead, mine) && !canAdminister(p, orgID) {
		return Config{}, ErrNotFound
	}
	return s.settings(ctx, s.db, orgID)
}

func (s *Service) settings(ctx context.Context, q store.Queryer, orgID string) (Config, error) {
	var c Config
	err := store.ScanRow(q.QueryRow(ctx, `SELECT warn_days, review_days, consular_hours FROM detention_settings
		WHERE org_id = ?`, orgID), &c.WarnDays, &c.ReviewDays, &c.ConsularHours)
	if errors.Is(err, store.ErrNotFound) {
		return DefaultConfig(), nil
	}
	return c.WithDefaults(), err
}

// PutSettings sets the rules settings of organisation orgID, for
// organisation administrators (or holders of detention.write at
// organisation scope). Every field must be set (ValidateConfig); the audit
// entry names those that changed.
func (s *Service) PutSettings(ctx context.Context, p access.Principal, orgID string, c Config) (Config, error) {
	if !ids.Valid(orgID) {
		return Config{}, ErrNotFound
	}
	if !canAdminister(p, orgID) {
		if p.Allows(PermRead, access.Record{OrgID: orgID, OwnerID: p.UserID, TeamID: p.TeamID}) {
			return Config{}, ErrForbidden
		}
		return Config{}, ErrNotFound
	}
	if err := invalid(ValidateConfig(c)); err != nil {
		return Config{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.settings(ctx, tx, orgID)
		if err != nil {
			return err
		}
		var changed []string
		for _, f := range []struct {
			name     string
			old, new int
		}{{"warn_days", old.WarnDays, c.WarnDays}, {"review_days", old.ReviewDays, c.ReviewDays},
			{"consular_hours", old.ConsularHours, c.ConsularHours}} {
			if f.old != f.new {
				changed = append(changed, f.name)
			}
		}
		if len(changed) == 0 {
			return nil
		}
		now := micros(s.now())
		res, err := tx.Exec(ctx, `UPDATE detention_settings SET warn_days = ?, review_days = ?, consular_hours = ?,
			updated_by = ?, updated_at = ? WHERE org_id = ?`, c.WarnDays, c.ReviewDays, c.ConsularHours, p.UserID, now, orgID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			if _, err := tx.Exec(ctx, `INSERT INTO detention_settings (org_id, warn_days, review_days, consular_hours,
				updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)`, orgID, c.WarnDays, c.ReviewDays, c.ConsularHours,
				p.UserID, now); err != nil {
				return err
			}
		}
		return s.log(ctx, tx, p, orgID, "detention_settings.update", "organisation", orgID, changed)
	})
	if err != nil {
		return Config{}, err
	}
	return c, nil
}

// MoveCaseTx moves the episodes and notifications of caseID to
// organisation orgID, inside the transaction that transfers the case (the
// cases layer calls it when a transfer is accepted).
func MoveCaseTx(ctx context.Context, tx *store.Tx, caseID, orgID string) error {
	if _, err := tx.Exec(ctx, `UPDATE consular_notifications SET org_id = ? WHERE episode_id IN
		(SELECT id FROM detention_episodes WHERE case_id = ?)`, orgID, caseID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE detention_episodes SET org_id = ? WHERE case_id = ?`, orgID, caseID)
	return err
}

// chunks splits ids into slices of at most n, for IN lists.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for len(ids) > n {
		out = append(out, ids[:n])
		ids = ids[n:]
	}
	if len(ids) > 0 {
		out = append(out, ids)
	}
	return out
}
