// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/jobs"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/validation"
)

// Audit object type and actions of saved mappings (an import itself is
// audited by observations as one entry).
const (
	objMapping = "import_mapping"

	ActionMappingCreate = "import_mapping.create"
	ActionMappingUpdate = "import_mapping.update"
	ActionMappingDelete = "import_mapping.delete"
)

// Config wires a Service. Validate runs the validation rules on a batch
// before it commits (validation.Service.RunOnBatch); nil runs none.
// Series looks a series up (indicators.Service.SeriesInfo), only to name
// the column of a dimension a series does not allow; nil names the first
// dimension column instead. Clock nil means the system clock.
type Config struct {
	DB           *store.DB
	Audit        *audit.Log
	Clock        clock.Clock
	Observations *observations.Service
	Validate     func(ctx context.Context, b *observations.Batch) ([]validation.Violation, error)
	Series       func(ctx context.Context, code string) (observations.SeriesInfo, error)
}

// Service imports files of observations and keeps saved mappings.
type Service struct {
	db       *store.DB
	audit    *audit.Log
	clock    clock.Clock
	obs      *observations.Service
	validate func(ctx context.Context, b *observations.Batch) ([]validation.Violation, error)
	series   func(ctx context.Context, code string) (observations.SeriesInfo, error)
	jobs     jobs.Registry[Progress, Report]
}

// New returns a Service.
func New(c Config) *Service {
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Service{db: c.DB, audit: c.Audit, clock: c.Clock, obs: c.Observations, validate: c.Validate, series: c.Series}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, id string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, OrgID: p.OrgID, Action: action,
		ObjectType: objMapping, ObjectID: id, RequestID: requestid.From(ctx)})
	return err
}
