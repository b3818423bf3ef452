// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import (
	"context"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Permissions, granted in internal/access/permissions.json. Rules belong
// with the indicators they check; reading rules and reports is reading the
// working values; starting a run writes a report, as data entry does.
const (
	PermWrite access.Permission = "indicator.write"
	PermRead  access.Permission = "observation.read"
	PermRun   access.Permission = "observation.write"
)

// Audit object types and actions.
const (
	objRule = "validation_rule"
	objRun  = "validation_run"

	ActionRuleCreate = "validation_rule.create"
	ActionRuleUpdate = "validation_rule.update"
	ActionRun        = "validation_run.create"
)

// Config wires a Service. Observations is needed by Put only. Series looks a series up in the indicators
// registry (indicators.Service.SeriesInfo), answering
// observations.ErrUnknownSeries for one that does not exist; nil accepts
// every series, for tests of the rules alone. Clock nil means the system
// clock.
type Config struct {
	DB           *store.DB
	Audit        *audit.Log
	Clock        clock.Clock
	Series       func(ctx context.Context, code string) (observations.SeriesInfo, error)
	Observations *observations.Service
}

// Service keeps validation rules and runs them.
type Service struct {
	db     *store.DB
	audit  *audit.Log
	clock  clock.Clock
	series func(ctx context.Context, code string) (observations.SeriesInfo, error)
	obs    *observations.Service
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, series: c.Series, obs: c.Observations}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// log appends an audit entry for p inside tx; call it last in tx.
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, objType, objID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: p.OrgID, Action: action, ObjectType: objType, ObjectID: objID,
		Fields: slices.Clone(fields), RequestID: requestid.From(ctx),
	})
	return err
}
