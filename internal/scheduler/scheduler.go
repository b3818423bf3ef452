// SPDX-License-Identifier: AGPL-3.0-or-later

// Package scheduler runs Amparo's periodic jobs (evaluating alerts, sending
// e-mail digests, shredding cases past their retention period) inside the
// server process.
//
// It lives inside the server on purpose: the people who deploy Amparo are
// often one person in a legal-aid clinic or a field office, and a cron entry
// or a second process to install, monitor and upgrade in step with the server
// is one more thing that silently stops working. A job that runs where the
// server runs stops and starts with it, uses its configuration and its
// database connections, and logs through the same logger.
//
// Each job runs at a fixed interval, one run at a time: when a run is still
// going at the job's next due time, no second run starts beside it; the job
// runs again at the first look after the run ends. Runs that were missed
// (the machine slept, a run overran) are not caught up one by one: the job
// runs once and its schedule moves to the next slot of its original grid,
// so the schedule never drifts. A panic in a job is
// recovered and logged with the job's name, and the job runs again at its
// next slot.
//
// The ticker loop (Run) only asks RunDue which jobs are due at the clock's
// current time. Tests call RunDue themselves with the times they choose, so
// that scheduling is exact and needs no sleeping.
//
// Several servers on one PostgreSQL database each run their own scheduler.
// Every job must therefore be idempotent: running it twice for the same
// interval, or on two servers at once, must give the same result as running
// it once (an alert already open is not opened again; a case already shredded
// is skipped). On top of that, a Leaser (Lease, backed by the
// scheduler_leases table) lets only one server run a given job in each
// interval, which saves the duplicated work and duplicated e-mails; it relies
// on the servers' clocks agreeing to within a small part of the interval.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

// Job is one periodic task.
type Job struct {
	// Name identifies the job in logs and in the lease table: lower-case
	// letters, digits, '.', '_' and '-', at most 64 characters.
	Name string
	// Every is the interval between the starts of two runs; at least one
	// second.
	Every time.Duration
	// Timeout bounds one run: its context is cancelled after it. Zero means
	// Every, so that a stuck run gives way before the next one is due.
	Timeout time.Duration
	// Run does the work. now is the time the run was due for (the time
	// RunDue was given), so that a job computes with the scheduler's clock.
	// Errors are logged at warn level with the job's name; like every
	// internal error in Amparo they must not carry personal data.
	Run func(ctx context.Context, now time.Time) error
}

// Leaser lets one server among several run a job in a given interval.
// Lease implements it on the database.
type Leaser interface {
	// Acquire takes or renews the lease on job until now+ttl, and reports
	// whether this server holds it.
	Acquire(ctx context.Context, job string, now time.Time, ttl time.Duration) (bool, error)
}

// Options configures a Scheduler. The zero value is usable.
type Options struct {
	// Clock tells the time the ticker loop passes to RunDue; nil means the
	// system clock.
	Clock clock.Clock
	// Logger receives start, finish and error records; nil discards them.
	Logger *slog.Logger
	// Tick is how often the loop looks for due jobs; zero means one second.
	// It bounds how late a job starts after its due time.
	Tick time.Duration
	// StopGrace is how long Run waits, once its context ends, for running
	// jobs to finish before cancelling their contexts and returning; zero
	// means 30 seconds.
	StopGrace time.Duration
	// Lease, when set, is asked before every run; a job whose lease is held
	// by another server is skipped for this interval.
	Lease Leaser
}

// Status is what the scheduler knows about one job, for a status page or a
// health check. Times are zero until the event first happens.
type Status struct {
	Name         string
	Every        time.Duration
	Running      bool
	Next         time.Time // zero: due at the next RunDue
	LastStart    time.Time
	LastDuration time.Duration
	LastOK       bool
	Runs         int // runs that ran (not skipped for the lease)
	Failures     int // runs that returned an error or panicked
	Panics       int
}

// Scheduler runs registered jobs. Its methods are safe for concurrent use.
type Scheduler struct {
	clock  clock.Clock
	logger *slog.Logger
	tick   time.Duration
	grace  time.Duration
	lease  Leaser

	// mu guards jobs, every field of every entry, inflight and idle.
	mu   sync.Mutex
	jobs []*entry
	// inflight counts runs in progress; idle, when not nil, is closed when
	// inflight falls to zero, for Run's wait at stop. (A WaitGroup would
	// forbid RunDue from starting a run while stop waits.)
	inflight int
	idle     chan struct{}
}

type entry struct {
	job     Job
	next    time.Time // zero until the first run: due at once
	running bool
	status  Status
}

// New returns a scheduler with no jobs.
func New(opt Options) *Scheduler {
	s := &Scheduler{clock: opt.Clock, logger: opt.Logger, tick: opt.Tick, grace: opt.StopGrace, lease: opt.Lease}
	if s.clock == nil {
		s.clock = clock.System{}
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.tick <= 0 {
		s.tick = time.Second
	}
	if s.grace <= 0 {
		s.grace = 30 * time.Second
	}
	return s
}

var jobName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Add registers j. The job is due at once: the first RunDue after Add runs
// it, so that alerts are evaluated when the server starts rather than a
// whole interval later. It fails on an invalid or duplicate name, an
// interval under a second, a negative timeout or a nil Run.
func (s *Scheduler) Add(j Job) error {
	switch {
	case !jobName.MatchString(j.Name):
		return fmt.Errorf("scheduler: job name %q must be 1–64 of a-z, 0-9, '.', '_', '-'", j.Name)
	case j.Every < time.Second:
		return fmt.Errorf("scheduler: job %s: interval %v is under one second", j.Name, j.Every)
	case j.Timeout < 0:
		return fmt.Errorf("scheduler: job %s: negative timeout", j.Name)
	case j.Run == nil:
		return fmt.Errorf("scheduler: job %s: no Run function", j.Name)
	}
	if j.Timeout == 0 {
		j.Timeout = j.Every
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.jobs {
		if e.job.Name == j.Name {
			return fmt.Errorf("scheduler: job %s added twice", j.Name)
		}
	}
	s.jobs = append(s.jobs, &entry{job: j, status: Status{Name: j.Name, Every: j.Every}})
	return nil
}

// RunDue starts every job that is due at now and not already running, each
// in its own goroutine with a context derived from ctx, waits for those runs
// to finish, and returns how many it started. A job still running from an
// earlier call is left alone and stays due, so the next call after that run
// ends starts it. Jobs start in the order they were added.
func (s *Scheduler) RunDue(ctx context.Context, now time.Time) int {
	done := s.start(ctx, now)
	for _, c := range done {
		<-c
	}
	return len(done)
}

// start marks the due jobs running, moves their schedules on and launches
// them; it returns one channel per launched run, closed when the run ends.
func (s *Scheduler) start(ctx context.Context, now time.Time) []chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []chan struct{}
	for _, e := range s.jobs {
		if e.running || (!e.next.IsZero() && now.Before(e.next)) {
			continue
		}
		e.next = nextSlot(e.next, e.job.Every, now)
		e.running = true
		e.status.Running = true
		e.status.Next = e.next
		done := make(chan struct{})
		out = append(out, done)
		s.inflight++
		go func() {
			defer close(done)
			s.runOne(ctx, e, now)
		}()
	}
	return out
}

// nextSlot returns the first slot of the grid due, due+every, due+2·every, …
// strictly after now; a zero due (a job's first run) starts the grid at now.
// Missed slots are skipped rather than run in a burst.
func nextSlot(due time.Time, every time.Duration, now time.Time) time.Time {
	if due.IsZero() || due.After(now) {
		return now.Add(every)
	}
	n := now.Sub(due)/every + 1
	return due.Add(n * every)
}

// runOne runs e once, if the lease allows, and records the outcome.
func (s *Scheduler) runOne(ctx context.Context, e *entry, now time.Time) {
	j := e.job
	ran, ok, panicked := false, false, false
	var took time.Duration
	defer func() {
		s.mu.Lock()
		e.running = false
		e.status.Running = false
		s.inflight--
		if s.inflight == 0 && s.idle != nil {
			close(s.idle)
			s.idle = nil
		}
		if ran {
			e.status.Runs++
			e.status.LastStart = now
			e.status.LastDuration = took
			e.status.LastOK = ok
			if !ok {
				e.status.Failures++
			}
			if panicked {
				e.status.Panics++
			}
		}
		s.mu.Unlock()
	}()

	ctx, cancel := context.WithTimeout(ctx, j.Timeout)
	defer cancel()
	if s.lease != nil {
		// The lease covers the whole interval, not just the run, so that
		// another server whose ticks fall later in the same interval does
		// not run the job again; the holder renews it at its next slot.
		held, err := s.lease.Acquire(ctx, j.Name, now, max(j.Every, j.Timeout))
		if err != nil {
			s.logger.LogAttrs(ctx, slog.LevelWarn, "scheduler: lease failed, job skipped",
				slog.String("job", j.Name), slog.String("error", err.Error()))
			return
		}
		if !held {
			s.logger.LogAttrs(ctx, slog.LevelDebug, "scheduler: job held by another server", slog.String("job", j.Name))
			return
		}
	}

	ran = true
	s.logger.LogAttrs(ctx, slog.LevelDebug, "scheduler: job started", slog.String("job", j.Name))
	start := time.Now()
	err := s.call(ctx, j, now, &panicked)
	took = time.Since(start)
	switch {
	case panicked:
		// call has logged it.
	case err != nil:
		s.logger.LogAttrs(ctx, slog.LevelWarn, "scheduler: job failed",
			slog.String("job", j.Name), slog.Duration("duration", took), slog.String("error", err.Error()))
	default:
		ok = true
		s.logger.LogAttrs(ctx, slog.LevelDebug, "scheduler: job finished",
			slog.String("job", j.Name), slog.Duration("duration", took))
	}
}

// call runs the job's function and turns a panic into an error. The panic
// value is not logged unless it is a runtime error (whose text is fixed by
// the runtime, "index out of range [3] with length 2"): a value passed to
// panic by our own code could be anything, including a person's data. The
// stack goes to the log only, for the operator; it holds function names and
// raw words, never string contents.
func (s *Scheduler) call(ctx context.Context, j Job, now time.Time, panicked *bool) (err error) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		*panicked = true
		what := fmt.Sprintf("%T", r)
		if re, isRuntime := r.(runtime.Error); isRuntime {
			what = re.Error()
		}
		s.logger.LogAttrs(ctx, slog.LevelError, "scheduler: job panicked",
			slog.String("job", j.Name), slog.String("panic", what), slog.String("stack", string(debug.Stack())))
		err = errPanic
	}()
	return j.Run(ctx, now)
}

var errPanic = errors.New("scheduler: job panicked")

// Status returns the state of every job, in the order they were added.
func (s *Scheduler) Status() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, len(s.jobs))
	for i, e := range s.jobs {
		out[i] = e.status
	}
	return out
}

// Run looks for due jobs at once and then every Tick until ctx ends, starting
// them without waiting, so that a long job does not delay the others. When
// ctx ends it waits up to StopGrace for running jobs to finish: they keep
// their contexts until then, because a job interrupted half-way only has to
// redo its work at the next start. Past the grace their contexts are
// cancelled and Run returns an error naming the jobs still running; it
// returns nil after a clean stop.
func (s *Scheduler) Run(ctx context.Context) error {
	// Jobs outlive ctx by up to the grace period, so their context is
	// detached from it and cancelled by hand.
	jobCtx, cancelJobs := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelJobs()

	if ctx.Err() != nil {
		return nil
	}
	ticker := time.NewTicker(s.tick)
	defer ticker.Stop()
	s.start(jobCtx, s.clock.Now())
	for {
		select {
		case <-ctx.Done():
			return s.stop(cancelJobs)
		case <-ticker.C:
			s.start(jobCtx, s.clock.Now())
		}
	}
}

// stop waits for running jobs, at most the grace period.
func (s *Scheduler) stop(cancelJobs context.CancelFunc) error {
	s.mu.Lock()
	if s.inflight == 0 {
		s.mu.Unlock()
		return nil
	}
	if s.idle == nil {
		s.idle = make(chan struct{})
	}
	idle := s.idle
	s.mu.Unlock()
	timer := time.NewTimer(s.grace)
	defer timer.Stop()
	select {
	case <-idle:
		return nil
	case <-timer.C:
	}
	// Named before the cancellation, which lets them end.
	var still []string
	for _, st := range s.Status() {
		if st.Running {
			still = append(still, st.Name)
		}
	}
	cancelJobs()
	if len(still) == 0 { // the last one ended as the grace ran out
		return nil
	}
	s.logger.LogAttrs(context.Background(), slog.LevelWarn, "scheduler: stopped with jobs still running",
		slog.Any("jobs", still))
	return fmt.Errorf("scheduler: jobs still running after %v: %v", s.grace, still)
}
