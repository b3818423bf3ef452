// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/store"
)

// Permissions, granted in internal/access/permissions.json.
const (
	// PermRead lets a user read protected tables (every role, scope all).
	PermRead access.Permission = "statistics.read"
	// PermConfigure lets a user set k (system administrators).
	PermConfigure access.Permission = "statistics.configure"
	// PermDashboard lets a user read their own organisation's figures
	// unprotected (organisation administrators and supervisors).
	PermDashboard access.Permission = "dashboard.read"
)

// Errors callers map to responses: ErrForbidden for a principal without
// the permission, ErrNotFound for another organisation's unprotected
// figures, which look like an organisation that does not exist.
var (
	ErrForbidden = errors.New("statistics: not permitted")
	ErrNotFound  = errors.New("statistics: not found")
)

// Labels names a code of a vocabulary the statistics do not own (act types
// and perpetrator categories, dimension ActType or PerpetratorCategory) in
// language lang; "" when it has no name.
type Labels func(dimension, code, lang string) string

// Service counts and publishes the statistics.
type Service struct {
	db     *store.DB
	audit  *audit.Log
	clock  clock.Clock
	det    *detention.Service
	labels Labels
}

// Config holds the collaborators of a Service. Detention supplies the
// rules of consular compliance (each organisation's time limit and the
// mandatory-notification agreements); Labels names act types and
// perpetrator categories (nil: their codes are shown); Clock nil means the
// system clock.
type Config struct {
	DB        *store.DB
	Audit     *audit.Log
	Clock     clock.Clock
	Detention *detention.Service
	Labels    Labels
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, det: c.Detention, labels: c.Labels}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }
