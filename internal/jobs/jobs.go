// SPDX-License-Identifier: AGPL-3.0-or-later

// Package jobs keeps the imports a server runs in the background for the
// pages that follow them: case imports (internal/caseimport) and
// observation imports (internal/obsimport) alike. It holds them in memory
// only; each importer keeps its own lasting record.
package jobs

import (
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
)

// Keep is how long a finished job's report stays for its page; the server
// forgets it afterwards (and on restart), the audit log does not.
const Keep = time.Hour

// Job is what a page shows of an import running in the background, with
// its progress P and, once it ends, its report R.
type Job[P, R any] struct {
	ID       string
	FileName string
	Started  time.Time
	Progress P
	// Done is set once the import has ended; Report and Err then say how
	// (Err is the importer's ErrInvalidFile when Report lists errors).
	Done   bool
	Report R
	Err    error
}

// Registry is the background jobs of one importer. Its zero value is
// ready to use.
type Registry[P, R any] struct {
	mu      sync.Mutex
	byID    map[string]*entry[P, R]
	running bool
}

type entry[P, R any] struct {
	Job[P, R]
	userID   string
	finished time.Time
}

// Start runs run in the background as a job of userID's on fileName and
// returns its id, for Get; run reports progress through the function it is
// given. It starts nothing and answers false while another job runs: one
// at a time, since each import holds the database's writer for its length.
// Jobs finished more than Keep ago by clk are forgotten.
func (r *Registry[P, R]) Start(clk clock.Clock, userID, fileName string, run func(progress func(P)) (R, error)) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running {
		return "", false
	}
	now := clk.Now()
	for id, j := range r.byID {
		if j.Done && now.Sub(j.finished) > Keep {
			delete(r.byID, id)
		}
	}
	if r.byID == nil {
		r.byID = map[string]*entry[P, R]{}
	}
	j := &entry[P, R]{Job: Job[P, R]{ID: ids.New(), FileName: fileName, Started: now}, userID: userID}
	r.byID[j.ID], r.running = j, true
	progress := func(p P) {
		r.mu.Lock()
		j.Progress = p
		r.mu.Unlock()
	}
	go func() {
		rep, err := run(progress)
		r.mu.Lock()
		defer r.mu.Unlock()
		j.Done, j.Report, j.Err, j.finished = true, rep, err, clk.Now()
		r.running = false
	}()
	return j.ID, true
}

// Get returns the state of job id when userID started it; false otherwise,
// as for a job forgotten.
func (r *Registry[P, R]) Get(userID, id string) (Job[P, R], bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j, ok := r.byID[id]
	if !ok || j.userID != userID {
		return Job[P, R]{}, false
	}
	return j.Job, true
}
