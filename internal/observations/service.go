// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"context"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Permissions, granted in internal/access/permissions.json. Published
// values need none.
const (
	PermRead    access.Permission = "observation.read"
	PermWrite   access.Permission = "observation.write"
	PermApprove access.Permission = "observation.approve"
)

// Observation status codes (SDMX OBS_STATUS).
const (
	StatusFinal       = "A"
	StatusProvisional = "P"
	StatusEstimated   = "E"
)

// Statuses lists the observation status codes in the order forms offer them.
func Statuses() []string { return []string{StatusFinal, StatusProvisional, StatusEstimated} }

// Batch kinds: where a batch's values came from.
const (
	KindFile    = "file"
	KindForm    = "form"
	KindLive    = "live"
	KindHarvest = "harvest"
	// KindWithdrawal records a deletion of working values: it writes no
	// row, but makes its author the set's last writer.
	KindWithdrawal = "withdrawal"
)

// Audit object types and actions.
const (
	objImport = "observation_import"
	objSet    = "observation_set"

	ActionImport  = "observation.import"
	ActionDelete  = "observation.delete"
	ActionSubmit  = "observation.submit"
	ActionApprove = "observation.approve"
	ActionReturn  = "observation.return"
	ActionPublish = "observation.publish"
)

var (
	ErrForbidden     = errors.New("observations: not permitted")
	ErrNotFound      = errors.New("observations: not found")
	ErrUnknownSeries = errors.New("observations: unknown series")
	// ErrOwnSubmission: an approver may not approve what they submitted or
	// wrote.
	ErrOwnSubmission = errors.New("observations: a set must be approved by someone other than who wrote or submitted it")
	// ErrState: a set is not in the state the change starts from.
	ErrState = errors.New("observations: set is not in the state this change needs")
)

// SeriesInfo is what this package needs to know of a series: that it
// exists, and which dimensions its observations may be broken down by.
type SeriesInfo struct {
	Code, Indicator string
	Dimensions      []string
	UnitMult        int
}

// Config wires a Service. Series looks a series up (the indicators
// registry); it answers ErrUnknownSeries for one that does not exist.
type Config struct {
	DB     *store.DB
	Audit  *audit.Log
	Clock  clock.Clock
	Series func(ctx context.Context, code string) (SeriesInfo, error)
}

// Service reads and writes observations and their approval.
type Service struct {
	db     *store.DB
	audit  *audit.Log
	clock  clock.Clock
	series func(ctx context.Context, code string) (SeriesInfo, error)
}

// New makes a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, series: c.Series}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

func (s *Service) entry(ctx context.Context, p access.Principal, action, objType, objID string, fields ...string) audit.Entry {
	return audit.Entry{
		ActorID: p.UserID, OrgID: p.OrgID, Action: action, ObjectType: objType, ObjectID: objID,
		Fields: fields, RequestID: requestid.From(ctx),
	}
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }
