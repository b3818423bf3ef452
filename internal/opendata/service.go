// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

// PermConfigure guards the harvest sources (sysadmin).
const PermConfigure access.Permission = "harvest.configure"

// Audit actions and object type.
const (
	ActionCreate = "harvest.create"
	ActionUpdate = "harvest.update"
	ActionDelete = "harvest.delete"
	ActionRun    = "harvest.run"

	objSource = "harvest_source"
)

var (
	ErrNotFound  = errors.New("opendata: not found")
	ErrForbidden = errors.New("opendata: not permitted")
	// ErrHostNotAllowed: a source's host is not on the outbound allow-list.
	ErrHostNotAllowed = errors.New("opendata: the source's host is not on the outbound allow-list (--outbound-hosts)")
)

// SeriesMeta is what open data says of a series besides its values.
type SeriesMeta struct {
	Code, Indicator string
	Names           map[string]string
	// IndicatorNames name the indicator the series measures.
	IndicatorNames map[string]string
	Unit           string
	UnitMult       int
}

// Name is the series' name in lang, else in English, else its code.
func (m SeriesMeta) Name(lang string) string { return pick(m.Names, lang, m.Code) }

// IndicatorName is the indicator's name in lang, else in English.
func (m SeriesMeta) IndicatorName(lang string) string {
	return pick(m.IndicatorNames, lang, m.Indicator)
}

func pick(names map[string]string, lang, fallback string) string {
	if s := names[lang]; s != "" {
		return s
	}
	if s := names["en"]; s != "" {
		return s
	}
	return fallback
}

// Registry is the series registry (internal/indicators, see
// FromIndicators). Series answers ErrNotFound for an unknown code.
type Registry interface {
	AllSeries(ctx context.Context) ([]SeriesMeta, error)
	Series(ctx context.Context, code string) (SeriesMeta, error)
}

// Outbound limits the harvest's connections.
type Outbound struct {
	// AllowHosts are the host names (or host:port) a source may be on;
	// none means no harvest can run.
	AllowHosts []string
	// Transport, when set, replaces the default transport (tests trust
	// their server's certificate through it).
	Transport http.RoundTripper
	// Timeout bounds one whole fetch; MaxBytes one response body.
	Timeout  time.Duration
	MaxBytes int64
}

// Config wires a Service.
type Config struct {
	DB           *store.DB
	Observations *observations.Service
	Registry     Registry
	Audit        *audit.Log
	Clock        clock.Clock
	Logger       *slog.Logger
	Outbound     Outbound
}

// Service answers open data and runs harvests.
type Service struct {
	db       *store.DB
	obs      *observations.Service
	reg      Registry
	audit    *audit.Log
	clock    clock.Clock
	logger   *slog.Logger
	outbound Outbound
	client   *http.Client
	// validateBatch checks a harvested batch before it is committed.
	validateBatch ValidateFunc

	// catalog caches the series list until a publication changes it.
	mu      sync.Mutex
	catalog *catalog
}

// Default outbound limits.
const (
	DefaultFetchTimeout = 10 * time.Minute
	DefaultMaxBytes     = 1 << 30
)

// New makes a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Outbound.Timeout <= 0 {
		c.Outbound.Timeout = DefaultFetchTimeout
	}
	if c.Outbound.MaxBytes <= 0 {
		c.Outbound.MaxBytes = DefaultMaxBytes
	}
	s := &Service{db: c.DB, obs: c.Observations, reg: c.Registry, audit: c.Audit, clock: c.Clock,
		logger: c.Logger, outbound: c.Outbound}
	s.client = s.newClient()
	return s
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }
