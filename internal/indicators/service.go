// SPDX-License-Identifier: AGPL-3.0-or-later

package indicators

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/statistics"
	"github.com/amparo-project/amparo/internal/store"
)

// Service is the indicator registry and its computations.
type Service struct {
	db      *store.DB
	audit   *audit.Log
	clock   clock.Clock
	obs     *observations.Service
	stats   *statistics.Service
	commits *commitments.Service
	members func(region string) []string
	nodeOK  func(ctx context.Context, id string) (bool, error)
}

// Config holds the collaborators of a Service. Observations supplies the
// values of entered and formula indicators and records live values;
// Statistics counts live values through disclosure control; Commitments
// gives the ratification records. Members lists the areas a region's
// aggregate is formed from (nil: observations.RegionMembers, the M49
// countries of the region). NodeExists, when set, checks that the framework
// nodes an indicator links to exist. Clock nil means the system clock.
type Config struct {
	DB           *store.DB
	Audit        *audit.Log
	Clock        clock.Clock
	Observations *observations.Service
	Statistics   *statistics.Service
	Commitments  *commitments.Service
	Members      func(region string) []string
	NodeExists   func(ctx context.Context, id string) (bool, error)
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	if c.Members == nil {
		c.Members = observations.RegionMembers
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, obs: c.Observations, stats: c.Statistics,
		commits: c.Commitments, members: c.Members, nodeOK: c.NodeExists}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }
