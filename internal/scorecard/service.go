// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

// Errors callers map to responses.
var (
	// ErrNotFound: the framework, area or indicator is unknown.
	ErrNotFound = errors.New("scorecard: not found")
	// ErrInvalid: a query parameter is malformed (a period, a
	// disaggregation); Field names it.
	ErrInvalid = errors.New("scorecard: invalid query")
)

// FrameworkSource is what the scorecard needs of internal/frameworks.
type FrameworkSource interface {
	Frameworks(ctx context.Context) ([]frameworks.Framework, error)
	Tree(ctx context.Context, code string) (frameworks.Framework, error)
}

// IndicatorSource is what the scorecard needs of internal/indicators.
type IndicatorSource interface {
	List(ctx context.Context, f indicators.Filter) ([]indicators.Indicator, error)
	ForNode(ctx context.Context, nodeID string) ([]indicators.Indicator, error)
	Get(ctx context.Context, code string) (indicators.Indicator, error)
	Values(ctx context.Context, layer observations.Layer, code string, areas []string, from, to string) ([]observations.Observation, error)
	Aggregate(ctx context.Context, layer observations.Layer, code, region, period string) (observations.Observation, bool, error)
}

// CommitmentSource is what the scorecard needs of internal/commitments.
type CommitmentSource interface {
	Matrix(ctx context.Context) (*commitments.Matrix, error)
	Catalog() *commitments.Catalog
}

// Config holds the collaborators of a Service.
type Config struct {
	// DB is read for the few questions about published observations that
	// internal/observations has no query for (which disaggregations a
	// series has, which areas have a value since a period); only the
	// published table is read.
	DB           *store.DB
	Observations *observations.Service
	Frameworks   FrameworkSource
	Indicators   IndicatorSource
	Commitments  CommitmentSource
	// Clock says which five years count as recent; nil means the system
	// clock.
	Clock clock.Clock
	// Version returns a number that changes whenever published
	// observations change: the application passes
	// observations.Service.PublishedVersion, which every publication
	// raises, also one that only removes values; tests pass their own.
	// Regional aggregates and availability are kept per version; nil keeps
	// nothing and computes them on each request.
	Version func(ctx context.Context) (int64, error)
}

// Service computes scorecards and explorations. It is safe for concurrent
// use.
type Service struct {
	db    *store.DB
	obs   *observations.Service
	fw    FrameworkSource
	ind   IndicatorSource
	com   CommitmentSource
	clock clock.Clock
	ver   func(ctx context.Context) (int64, error)

	mu      sync.Mutex
	version int64
	memo    map[string]any
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, obs: c.Observations, fw: c.Frameworks, ind: c.Indicators, com: c.Commitments,
		clock: c.Clock, ver: c.Version, memo: map[string]any{}}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// RecentYears is how many years, the current one included, count as
// recent for data availability (SDG 17.18.1 looks at the last five).
const RecentYears = 5

// since is the first period of the recent years.
func (s *Service) since() string { return yearText(s.now().Year() - RecentYears + 1) }

// remembered returns what compute gives for key, computing it at most once
// per version of the published data. Without a version source nothing is
// kept. Two requests may compute the same key at once; both results are
// equal and the last is kept.
func remembered[T any](ctx context.Context, s *Service, key string, compute func() (T, error)) (T, error) {
	if s.ver == nil {
		return compute()
	}
	v, err := s.ver(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	s.mu.Lock()
	if v != s.version {
		s.version, s.memo = v, map[string]any{}
	}
	got, ok := s.memo[key]
	s.mu.Unlock()
	if ok {
		return got.(T), nil
	}
	out, err := compute()
	if err != nil {
		return out, err
	}
	s.mu.Lock()
	if v == s.version {
		s.memo[key] = out
	}
	s.mu.Unlock()
	return out, nil
}
