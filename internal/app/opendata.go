// SPDX-License-Identifier: AGPL-3.0-or-later

package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/opendata"
	"github.com/amparo-project/amparo/internal/scheduler"
	"github.com/amparo-project/amparo/internal/validation"
)

// HarvestEvery is how often the harvest job looks for sources due a run;
// each source runs every interval_hours of its own.
const HarvestEvery = 15 * time.Minute

// HarvestTimeout bounds one run of the harvest job, every due source
// included.
const HarvestTimeout = time.Hour

// errValidation fails a harvested batch that breaks a high-importance
// validation rule, as a file import would fail.
var errValidation = errors.New("harvest: the data break a high-importance validation rule")

// buildOpenData makes the open-data service: public answers from the
// published values, and harvests from the hosts of the outbound allow-list
// only.
func (a *App) buildOpenData(log *audit.Log, opt Options) {
	a.OpenData = opendata.New(opendata.Config{DB: a.DB, Observations: a.Observations,
		Registry: opendata.FromIndicators(a.Indicators), Audit: log, Clock: opt.Clock, Logger: opt.Logger,
		Outbound: opendata.Outbound{AllowHosts: a.Config.Outbound}})
	a.OpenData.SetValidate(func(ctx context.Context, b *observations.Batch) error {
		found, err := a.Validation.RunOnBatch(ctx, b)
		if err != nil {
			return err
		}
		if validation.HasHigh(found) {
			return errValidation
		}
		return nil
	})
}

// harvestJob runs the harvest sources that are due.
func (a *App) harvestJob() scheduler.Job {
	return scheduler.Job{Name: "harvest", Every: HarvestEvery, Timeout: HarvestTimeout,
		Run: func(ctx context.Context, now time.Time) error {
			n, err := a.OpenData.RunDue(ctx, now)
			if n > 0 {
				a.Logger.LogAttrs(ctx, slog.LevelInfo, "scheduler: harvest", slog.Int("sources", n))
			}
			return err
		}}
}
