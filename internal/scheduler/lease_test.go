// SPDX-License-Identifier: AGPL-3.0-or-later

package scheduler

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

func newLease(t *testing.T, db *store.DB, holder string) *Lease {
	t.Helper()
	l, err := NewLease(db, holder)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestLease(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, b := newLease(t, db, "server-a"), newLease(t, db, "server-b")
		step := func(l *Lease, at time.Duration, want bool) {
			t.Helper()
			got, err := l.Acquire(ctx, "alerts", t0.Add(at), time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Fatalf("%s Acquire at t0+%v = %v, want %v", l.Holder(), at, got, want)
			}
		}
		step(a, 0, true)                // free: taken
		step(b, 10*time.Second, false)  // held by a
		step(a, 30*time.Second, true)   // renewed by its holder, now until t0+1m30s
		step(b, time.Minute, false)     // would have expired without the renewal
		step(b, 90*time.Second, true)   // expired: taken over
		step(a, 100*time.Second, false) // a lost it
		if got, err := b.Acquire(ctx, "digests", t0, time.Minute); err != nil || !got {
			t.Fatalf("another job's lease: %v, %v", got, err) // leases are per job
		}

		if err := a.Release(ctx, "alerts"); err != nil { // not a's: no effect
			t.Fatal(err)
		}
		step(a, 110*time.Second, false)
		if err := b.Release(ctx, "alerts"); err != nil {
			t.Fatal(err)
		}
		step(a, 111*time.Second, true) // released before its end

		var until int64
		var holder string
		if err := db.Scan(db.QueryRow(ctx, `SELECT holder, until FROM scheduler_leases WHERE job = ?`, "alerts"), &holder, &until); err != nil {
			t.Fatal(err)
		}
		if holder != "server-a" || until != t0.Add(111*time.Second+time.Minute).UnixMicro() {
			t.Fatalf("row holder=%q until=%d", holder, until)
		}
	})
}

func TestLeaseRaceHasOneWinner(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const servers = 8
		var wg sync.WaitGroup
		wins := make(chan string, servers)
		for i := range servers {
			l := newLease(t, db, "server-"+string(rune('a'+i)))
			wg.Go(func() {
				ok, err := l.Acquire(ctx, "alerts", t0, time.Minute)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins <- l.Holder()
				}
			})
		}
		wg.Wait()
		close(wins)
		var got []string
		for w := range wins {
			got = append(got, w)
		}
		if len(got) != 1 {
			t.Fatalf("winners %v, want exactly one", got)
		}
	})
}

// Two servers' schedulers on one database: the job runs on one of them per
// interval, and the other takes over when the first stops renewing.
func TestSchedulersShareJobsThroughTheLease(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		runs := map[string]int{}
		var mu sync.Mutex
		newServer := func(name string) *Scheduler {
			s := New(Options{Lease: newLease(t, db, name)})
			mustAdd(t, s, Job{Name: "alerts", Every: time.Minute, Run: func(context.Context, time.Time) error {
				mu.Lock()
				runs[name]++
				mu.Unlock()
				return nil
			}})
			return s
		}
		a, b := newServer("a"), newServer("b")
		for i := range 3 { // b's grid is 10 s behind a's
			a.RunDue(ctx, t0.Add(time.Duration(i)*time.Minute))
			b.RunDue(ctx, t0.Add(time.Duration(i)*time.Minute+10*time.Second))
		}
		if runs["a"] != 3 || runs["b"] != 0 {
			t.Fatalf("runs %v, want a:3 b:0", runs)
		}
		if st := b.Status()[0]; st.Runs != 0 || !st.Next.Equal(t0.Add(3*time.Minute+10*time.Second)) {
			t.Fatalf("b status %+v: a job skipped for the lease still moves on its grid", st)
		}
		// a stops; its last lease ends at t0+3m.
		b.RunDue(ctx, t0.Add(3*time.Minute+10*time.Second))
		if runs["b"] != 1 {
			t.Fatalf("runs %v, want b to take over", runs)
		}
	})
}

func TestNewLeaseRejectsEmptyHolder(t *testing.T) {
	if _, err := NewLease(nil, ""); err == nil {
		t.Fatal("accepted an empty holder")
	}
	a, b := HolderName(), HolderName()
	if a == b || len(a) > 200 {
		t.Fatalf("HolderName gave %q and %q", a, b)
	}
}
