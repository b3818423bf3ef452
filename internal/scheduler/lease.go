// SPDX-License-Identifier: AGPL-3.0-or-later

package scheduler

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Lease is a Leaser on the scheduler_leases table: each job has at most one
// row, naming the server that holds it and until when. It works the same on
// SQLite (where one server is the usual case, and the lease costs one small
// write per run) and on PostgreSQL.
type Lease struct {
	db     *store.DB
	holder string
}

// NewLease returns a lease manager acting for holder, a name unique to this
// server process (for instance the host name and a random id made at
// start-up). It must not change while the process runs: a lease is renewed
// by the holder of the same name.
func NewLease(db *store.DB, holder string) (*Lease, error) {
	if holder == "" || len(holder) > 200 {
		return nil, errors.New("scheduler: lease holder must be 1–200 characters")
	}
	return &Lease{db: db, holder: holder}, nil
}

// Acquire takes the lease on job until now+ttl when it is free, expired or
// already ours, and reports whether we hold it. Two servers racing for a
// free lease cannot both win: the renewal is a conditional UPDATE, and the
// first take is an INSERT that the primary key lets only one server make.
func (l *Lease) Acquire(ctx context.Context, job string, now time.Time, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, errors.New("scheduler: lease ttl must be positive")
	}
	nowUS, untilUS := now.UnixMicro(), now.Add(ttl).UnixMicro()
	res, err := l.db.Exec(ctx, `UPDATE scheduler_leases SET holder = ?, until = ?
		WHERE job = ? AND (holder = ? OR until <= ?)`, l.holder, untilUS, job, l.holder, nowUS)
	if err != nil {
		return false, fmt.Errorf("scheduler: renewing lease: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("scheduler: renewing lease: %w", err)
	}
	if n == 1 {
		return true, nil
	}
	// Either no row exists yet, or another server holds a live lease: the
	// INSERT tells which.
	_, err = l.db.Exec(ctx, `INSERT INTO scheduler_leases (job, holder, until) VALUES (?, ?, ?)`, job, l.holder, untilUS)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, store.ErrConflict):
		return false, nil
	default:
		return false, fmt.Errorf("scheduler: taking lease: %w", err)
	}
}

// Release gives up the lease on job if we hold it, so that another server
// may run the job without waiting for the lease to expire. Releasing a
// lease held by another server, or no lease, does nothing.
func (l *Lease) Release(ctx context.Context, job string) error {
	if _, err := l.db.Exec(ctx, `DELETE FROM scheduler_leases WHERE job = ? AND holder = ?`, job, l.holder); err != nil {
		return fmt.Errorf("scheduler: releasing lease: %w", err)
	}
	return nil
}

// HolderName returns a holder name for this process: the host name, for
// the operator reading the table, and a random id, so that two processes on
// one host (or a restarted one) never share a lease.
func HolderName() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	if len(host) > 64 {
		host = host[:64]
	}
	return host + "/" + ids.New()
}

// Holder returns the name this Lease acts for.
func (l *Lease) Holder() string { return l.holder }
