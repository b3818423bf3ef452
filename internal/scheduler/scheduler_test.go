// SPDX-License-Identifier: AGPL-3.0-or-later

package scheduler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// logBuffer collects log output; slog handlers may write from job
// goroutines while the test reads.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

func mustAdd(t *testing.T, s *Scheduler, j Job) {
	t.Helper()
	if err := s.Add(j); err != nil {
		t.Fatal(err)
	}
}

func TestRunDueFollowsTheGrid(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	var got []time.Time
	mustAdd(t, s, Job{Name: "alerts", Every: time.Minute, Run: func(_ context.Context, now time.Time) error {
		got = append(got, now) // RunDue waits, so no lock is needed
		return nil
	}})
	ctx := context.Background()
	steps := []struct {
		at   time.Duration
		runs int
	}{
		{0, 1},                // due at once after Add
		{59 * time.Second, 0}, // not yet
		{time.Minute, 1},      // on the grid
		{time.Minute + 30*time.Second, 0},
		{6*time.Minute + 30*time.Second, 1}, // slept through 5 slots: one run, no burst
		{6*time.Minute + 59*time.Second, 0}, // next slot is 7:00, not 7:30
		{7 * time.Minute, 1},
	}
	var want []time.Time
	for _, st := range steps {
		now := t0.Add(st.at)
		if n := s.RunDue(ctx, now); n != st.runs {
			t.Fatalf("RunDue(t0+%v) started %d runs, want %d", st.at, n, st.runs)
		}
		if st.runs == 1 {
			want = append(want, now)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("job saw %v, want %v", got, want)
	}
	for i := range got {
		if !got[i].Equal(want[i]) {
			t.Fatalf("run %d got now=%v, want %v", i, got[i], want[i])
		}
	}
	st := s.Status()[0]
	if st.Runs != 4 || !st.LastOK || st.Failures != 0 || !st.Next.Equal(t0.Add(8*time.Minute)) || st.Running {
		t.Fatalf("status %+v", st)
	}
}

func TestNextSlot(t *testing.T) {
	t.Parallel()
	m := time.Minute
	for _, c := range []struct {
		name     string
		due, now time.Time
		want     time.Time
	}{
		{"first run", time.Time{}, t0.Add(7 * time.Second), t0.Add(7*time.Second + m)},
		{"on time", t0, t0, t0.Add(m)},
		{"a bit late", t0, t0.Add(2 * time.Second), t0.Add(m)},
		{"exactly one slot late", t0, t0.Add(m), t0.Add(2 * m)},
		{"many slots late", t0, t0.Add(90*m + time.Second), t0.Add(91 * m)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := nextSlot(c.due, m, c.now); !got.Equal(c.want) {
				t.Fatalf("nextSlot = %v, want %v", got, c.want)
			}
		})
	}
}

func TestJobNeverOverlapsItself(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	entered := make(chan struct{}, 4)
	release := make(chan struct{})
	var concurrent, maxConcurrent atomic.Int32
	mustAdd(t, s, Job{Name: "slow", Every: time.Minute, Run: func(context.Context, time.Time) error {
		n := concurrent.Add(1)
		defer concurrent.Add(-1)
		if n > maxConcurrent.Load() {
			maxConcurrent.Store(n)
		}
		entered <- struct{}{}
		<-release
		return nil
	}})
	ctx := context.Background()
	first := make(chan int)
	go func() { first <- s.RunDue(ctx, t0) }()
	<-entered
	// Added now, so that the first RunDue started the slow job alone.
	var quick atomic.Int32
	mustAdd(t, s, Job{Name: "quick", Every: time.Minute, Run: func(context.Context, time.Time) error {
		quick.Add(1)
		return nil
	}})

	// The slow job is still running at its next due time: only the quick
	// one starts, and RunDue does not wait for the slow one.
	if n := s.RunDue(ctx, t0.Add(time.Minute)); n != 1 {
		t.Fatalf("second RunDue started %d runs, want 1 (quick only)", n)
	}
	if !s.Status()[0].Running {
		t.Fatal("status does not show the slow job running")
	}
	close(release)
	if n := <-first; n != 1 {
		t.Fatalf("first RunDue started %d, want 1", n)
	}
	// The slow job stayed due and runs at the next look, on its grid.
	if n := s.RunDue(ctx, t0.Add(time.Minute+5*time.Second)); n != 1 {
		t.Fatalf("RunDue after the slow run ended started %d, want 1", n)
	}
	if maxConcurrent.Load() != 1 || quick.Load() != 1 {
		t.Fatalf("max concurrent runs %d, quick runs %d", maxConcurrent.Load(), quick.Load())
	}
	if next := s.Status()[0].Next; !next.Equal(t0.Add(2 * time.Minute)) {
		t.Fatalf("slow job next %v, want t0+2m", next)
	}
}

func TestPanicIsRecoveredAndLoggedWithoutItsValue(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	s := New(Options{Logger: logger})
	const sentinel = "SNTL-name-6f1c2a"
	calls := 0
	mustAdd(t, s, Job{Name: "shred", Every: time.Hour, Run: func(context.Context, time.Time) error {
		calls++
		switch calls {
		case 1:
			panic("cannot shred case of " + sentinel)
		case 2:
			var empty []string
			_ = empty[calls] + sentinel // a runtime error: its message is the runtime's own
		}
		return nil
	}})
	ctx := context.Background()
	for i := range 3 {
		if n := s.RunDue(ctx, t0.Add(time.Duration(i)*time.Hour)); n != 1 {
			t.Fatalf("run %d: started %d", i, n)
		}
	}
	out := logs.String()
	if strings.Contains(out, sentinel) {
		t.Fatalf("the panic value reached the log:\n%s", out)
	}
	for _, want := range []string{
		`level=ERROR msg="scheduler: job panicked" job=shred panic=string`,
		`panic="runtime error: index out of range [2] with length 0"`,
		"stack=",
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("log lacks %q:\n%s", want, out)
		}
	}
	st := s.Status()[0]
	if st.Runs != 3 || st.Panics != 2 || st.Failures != 2 || !st.LastOK {
		t.Fatalf("status %+v", st)
	}
}

func TestLogging(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	s := New(Options{Logger: logger})
	mustAdd(t, s, Job{Name: "ok-job", Every: time.Minute, Run: func(context.Context, time.Time) error { return nil }})
	mustAdd(t, s, Job{Name: "bad-job", Every: time.Minute, Run: func(context.Context, time.Time) error {
		return errors.New("database unreachable")
	}})
	s.RunDue(context.Background(), t0)
	out := logs.String()
	for _, want := range []string{
		`level=DEBUG msg="scheduler: job started" job=ok-job`,
		`level=DEBUG msg="scheduler: job finished" job=ok-job duration=`,
		`level=WARN msg="scheduler: job failed" job=bad-job duration=`,
		`error="database unreachable"`,
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("log lacks %q:\n%s", want, out)
		}
	}
	if st := s.Status()[1]; st.LastOK || st.Failures != 1 {
		t.Fatalf("bad-job status %+v", st)
	}
}

func TestTimeoutBoundsARun(t *testing.T) {
	t.Parallel()
	s := New(Options{})
	var deadline time.Time
	mustAdd(t, s, Job{Name: "j", Every: time.Hour, Timeout: 5 * time.Millisecond, Run: func(ctx context.Context, _ time.Time) error {
		deadline, _ = ctx.Deadline()
		<-ctx.Done()
		return ctx.Err()
	}})
	start := time.Now()
	s.RunDue(context.Background(), t0)
	if deadline.IsZero() || deadline.Sub(start) > time.Second {
		t.Fatalf("run deadline %v, started %v", deadline, start)
	}
	if s.Status()[0].LastOK {
		t.Fatal("a timed-out run counts as OK")
	}
}

func TestAddRejects(t *testing.T) {
	t.Parallel()
	run := func(context.Context, time.Time) error { return nil }
	s := New(Options{})
	mustAdd(t, s, Job{Name: "taken", Every: time.Minute, Run: run})
	for _, c := range []struct {
		name string
		job  Job
	}{
		{"empty name", Job{Every: time.Minute, Run: run}},
		{"upper case", Job{Name: "Alerts", Every: time.Minute, Run: run}},
		{"space", Job{Name: "a b", Every: time.Minute, Run: run}},
		{"too long", Job{Name: strings.Repeat("a", 65), Every: time.Minute, Run: run}},
		{"duplicate", Job{Name: "taken", Every: time.Minute, Run: run}},
		{"zero interval", Job{Name: "z", Run: run}},
		{"sub-second interval", Job{Name: "z", Every: time.Millisecond, Run: run}},
		{"negative timeout", Job{Name: "z", Every: time.Minute, Timeout: -1, Run: run}},
		{"no function", Job{Name: "z", Every: time.Minute}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := s.Add(c.job); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if len(s.Status()) != 1 {
		t.Fatal("a rejected job was registered")
	}
}

func TestRunUsesTheClockAndStopsAfterTheRunningJob(t *testing.T) {
	t.Parallel()
	fake := clock.NewFake(t0)
	s := New(Options{Clock: fake, Tick: time.Millisecond})
	runs := make(chan time.Time, 8)
	release := make(chan struct{})
	var jobCtxErr atomic.Value
	mustAdd(t, s, Job{Name: "alerts", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
		runs <- now
		if now.Equal(t0.Add(time.Minute)) {
			<-release
			if err := ctx.Err(); err != nil {
				jobCtxErr.Store(err)
			}
		}
		return nil
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	if got := receive(t, runs); !got.Equal(t0) {
		t.Fatalf("first run at %v, want t0 (at start-up)", got)
	}
	fake.Advance(time.Minute)
	if got := receive(t, runs); !got.Equal(t0.Add(time.Minute)) {
		t.Fatalf("second run at %v, want t0+1m", got)
	}
	// Stop while the second run is in progress: Run waits for it.
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned %v while a job was running", err)
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	if err := receiveErr(t, done); err != nil {
		t.Fatalf("Run after a clean stop: %v", err)
	}
	if err := jobCtxErr.Load(); err != nil {
		t.Fatalf("the running job's context was cancelled within the grace period: %v", err)
	}
	if len(runs) != 0 {
		t.Fatalf("%d more runs without the clock moving", len(runs))
	}
}

func TestRunStopIsBounded(t *testing.T) {
	t.Parallel()
	logger, logs := newLogger()
	s := New(Options{Clock: clock.NewFake(t0), Tick: time.Millisecond, StopGrace: 10 * time.Millisecond, Logger: logger})
	entered := make(chan struct{})
	left := make(chan struct{})
	mustAdd(t, s, Job{Name: "stubborn", Every: time.Minute, Run: func(ctx context.Context, _ time.Time) error {
		close(entered)
		<-ctx.Done() // gives way only when cancelled
		close(left)
		return ctx.Err()
	}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	<-entered
	start := time.Now()
	cancel()
	err := receiveErr(t, done)
	if err == nil || !strings.Contains(err.Error(), "stubborn") {
		t.Fatalf("Run = %v, want an error naming the job", err)
	}
	if took := time.Since(start); took < 10*time.Millisecond {
		t.Fatalf("Run returned after %v, before the grace period", took)
	}
	select {
	case <-left:
	case <-time.After(2 * time.Second):
		t.Fatal("the job's context was not cancelled after the grace period")
	}
	if !strings.Contains(logs.String(), `level=WARN msg="scheduler: stopped with jobs still running" jobs=[stubborn]`) {
		t.Fatalf("log:\n%s", logs.String())
	}
}

func TestRunWithNoJobsStops(t *testing.T) {
	t.Parallel()
	s := New(Options{Tick: time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Run(ctx); err != nil {
		t.Fatal(err)
	}
}

func receive(t *testing.T, c <-chan time.Time) time.Time {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for a run")
		return time.Time{}
	}
}

func receiveErr(t *testing.T, c <-chan error) error {
	t.Helper()
	select {
	case v := <-c:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for Run to return")
		return nil
	}
}
