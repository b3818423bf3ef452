// SPDX-License-Identifier: AGPL-3.0-or-later

package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/notify"
	"github.com/amparo-project/amparo/internal/scheduler"
)

// Intervals of the scheduler's jobs.
const (
	// AlertsEvery: a child recorded in immigration detention is mailed
	// about within this time.
	AlertsEvery = time.Minute
	// AlertsTimeout bounds one run of the alerts job, mail included.
	AlertsTimeout = 10 * time.Minute
	// DigestsEvery: how often the digests job looks for users due their
	// daily digest (inbox.DailyGap keeps it to one a day each), so that a
	// restart never skips or repeats a day.
	DigestsEvery = time.Hour
	// RetentionEvery: closed cases are shredded at most this long after
	// their period ends.
	RetentionEvery = 24 * time.Hour
)

// newMailer returns the digest mailer, or nil when no mail server is
// configured.
func newMailer(cfg notify.Config, opt Options) (*notify.Mailer, error) {
	if !cfg.Enabled() {
		return nil, nil
	}
	cat := i18n.MustLoad()
	return notify.New(cfg, func(lang string) notify.Texts { return cat.Locale(lang).T }, opt.Clock)
}

// newScheduler builds the scheduler with the server's jobs. Several
// servers on one database share the jobs through the lease, so each runs
// once per interval; the jobs are idempotent besides.
//
//   - alerts evaluates every organisation's alerts, records newly opened
//     alerts of a child in immigration detention and mails a digest about
//     them at once;
//   - digests sends the daily digests, only when e-mail is configured;
//   - retention shreds closed cases past their organisation's period.
func (a *App) newScheduler(mailer *notify.Mailer) (*scheduler.Scheduler, error) {
	lease, err := scheduler.NewLease(a.DB, scheduler.HolderName())
	if err != nil {
		return nil, err
	}
	s := scheduler.New(scheduler.Options{Clock: a.Clock, Logger: a.Logger, Lease: lease})
	// A nil *notify.Mailer must reach the inbox as a nil interface, which
	// it reads as "e-mail is off".
	var m inbox.Mailer
	if mailer != nil {
		m = mailer
	}
	jobs := []scheduler.Job{
		// A slow mail server may hold a run for longer than a minute; the
		// next run then waits for it rather than being cut off half-way.
		{Name: "alerts", Every: AlertsEvery, Timeout: AlertsTimeout, Run: func(ctx context.Context, now time.Time) error {
			n, err := a.Inbox.NoticeAlerts(ctx, m, now)
			a.logCount(ctx, "alerts", "digests_sent", n)
			return err
		}},
		{Name: "retention", Every: RetentionEvery, Run: func(ctx context.Context, now time.Time) error {
			res, err := a.Retention.Run(ctx, now)
			if res.Cases+res.Persons > 0 {
				a.Logger.LogAttrs(ctx, slog.LevelInfo, "scheduler: retention shredded closed cases",
					slog.Int("cases", res.Cases), slog.Int("persons", res.Persons))
			}
			return err
		}},
	}
	jobs = append(jobs, a.harvestJob())
	if m != nil {
		jobs = append(jobs, scheduler.Job{Name: "digests", Every: DigestsEvery, Run: func(ctx context.Context, now time.Time) error {
			n, err := a.Inbox.SendDaily(ctx, m, now)
			a.logCount(ctx, "digests", "digests_sent", n)
			return err
		}})
	}
	for _, j := range jobs {
		if err := s.Add(j); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// logCount logs a job's count when it is not zero.
func (a *App) logCount(ctx context.Context, job, what string, n int) {
	if n > 0 {
		a.Logger.LogAttrs(ctx, slog.LevelInfo, "scheduler: "+job, slog.Int(what, n))
	}
}

// StartScheduler runs the scheduler's jobs in the background until ctx ends
// or stop is called. stop waits for the jobs running then (up to the
// scheduler's grace period) and returns the scheduler's error, so that the
// caller closes the database only after the last job is done.
func (a *App) StartScheduler(ctx context.Context) (stop func() error) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- a.Scheduler.Run(ctx) }()
	return func() error {
		cancel()
		return <-done
	}
}
