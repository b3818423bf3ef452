// SPDX-License-Identifier: AGPL-3.0-or-later

package app

import (
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/validation"
)

// buildEvidence makes the services of the evidence base. Observations
// check each value's series against the indicators registry, and the
// registry computes from observations, so each is given the other; the
// shipped indicators and validation rules are brought in step with the
// binary.
func (a *App) buildEvidence(ctx context.Context, db *store.DB, log *audit.Log, opt Options, com *commitments.Service) error {
	var ind *indicators.Service
	seriesInfo := func(ctx context.Context, code string) (observations.SeriesInfo, error) {
		return ind.SeriesInfo(ctx, code)
	}
	a.Observations = observations.New(observations.Config{DB: db, Audit: log, Clock: opt.Clock, Series: seriesInfo})
	// An indicator may link only to framework nodes that exist.
	nodeExists := func(ctx context.Context, id string) (bool, error) {
		_, err := a.Frameworks.Node(ctx, id)
		if errors.Is(err, frameworks.ErrNotFound) {
			return false, nil
		}
		return err == nil, err
	}
	ind = indicators.New(indicators.Config{DB: db, Audit: log, Clock: opt.Clock, Observations: a.Observations,
		Statistics: a.Statistics, Commitments: com, NodeExists: nodeExists})
	a.Indicators = ind
	if err := ind.EnsureShipped(ctx); err != nil {
		return err
	}
	a.Validation = validation.New(validation.Config{DB: db, Audit: log, Clock: opt.Clock, Series: seriesInfo,
		Observations: a.Observations})
	return a.Validation.EnsureShipped(ctx)
}
