// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"context"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// PermRead is the permission to read an organisation's dashboard
// (internal/access/permissions.json: organisation administrators and
// supervisors, organisation scope).
const PermRead access.Permission = "dashboard.read"

// ErrNotFound answers a request for a dashboard out of the principal's
// reach: another organisation's, or any for someone without PermRead at
// organisation scope. It is what a record that does not exist answers.
var ErrNotFound = errors.New("dashboard: not found")

// auditAction is the audit entry of every view; its object is the
// organisation.
const auditAction = "dashboard.read"

// WorkerNames tells the display names of workers, as far as p may read
// them: ids p may not read are left out of the answer. Reading names is
// the source's to audit.
type WorkerNames interface {
	WorkerNames(ctx context.Context, p access.Principal, userIDs []string) (map[string]string, error)
}

// Service computes dashboards.
type Service struct {
	db        *store.DB
	audit     *audit.Log
	clock     clock.Clock
	detention *detention.Service
	names     WorkerNames
}

// Config holds the collaborators of a Service. Clock nil means the system
// clock. Detention evaluates the alerts and gives the consular rules'
// settings and agreements. Names nil shows every worker by id.
type Config struct {
	DB        *store.DB
	Audit     *audit.Log
	Clock     clock.Clock
	Detention *detention.Service
	Names     WorkerNames
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, detention: c.Detention, names: c.Names}
}

// Get computes the dashboard of organisation orgID for p, as the data is
// now, and audits the view. p must hold PermRead at organisation scope in
// orgID itself; anything else (another organisation, a team scope, no
// grant) answers ErrNotFound.
func (s *Service) Get(ctx context.Context, p access.Principal, orgID string) (Dashboard, error) {
	if !ids.Valid(orgID) || p.Scope(PermRead) < access.ScopeOrg || !p.Allows(PermRead, access.Record{OrgID: orgID}) {
		return Dashboard{}, ErrNotFound
	}
	now := s.clock.Now().UTC()
	d := Dashboard{OrgID: orgID, At: now}
	var err error
	if d.OpenCases, d.Caseload, err = s.openCases(ctx, orgID); err != nil {
		return Dashboard{}, err
	}
	if d.OverdueTasks, err = s.overdueTasks(ctx, orgID, now); err != nil {
		return Dashboard{}, err
	}
	if d.Alerts, err = s.alerts(ctx, orgID, now); err != nil {
		return Dashboard{}, err
	}
	if d.Referrals, err = s.referrals(ctx, orgID); err != nil {
		return Dashboard{}, err
	}
	if d.Consular, err = s.consular(ctx, orgID, now); err != nil {
		return Dashboard{}, err
	}
	if err := s.nameWorkers(ctx, p, &d); err != nil {
		return Dashboard{}, err
	}
	_, err = s.audit.Append(ctx, audit.Entry{ActorID: p.UserID, OrgID: orgID, Action: auditAction,
		ObjectType: "organisation", ObjectID: orgID, RequestID: requestid.From(ctx)})
	if err != nil {
		return Dashboard{}, err
	}
	return d, nil
}

// micros is t as stored: Unix microseconds.
func micros(t time.Time) int64 { return t.UTC().UnixMicro() }
