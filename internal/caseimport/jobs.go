// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
)

// Errors of background imports.
var (
	// ErrBusy means an import is already running in this process: one at
	// a time, since each holds the database's writer for its length.
	ErrBusy = errors.New("caseimport: another import is running")
	// ErrNoJob means no import of the principal's has that id (it may
	// have been forgotten: see jobKeep).
	ErrNoJob = errors.New("caseimport: no such import")
)

// jobKeep is how long a finished import's report stays for its page; the
// server forgets it afterwards (and on restart), the audit log does not.
const jobKeep = time.Hour

// Job is what a page shows of an import running in the background.
type Job struct {
	ID       string
	FileName string
	Started  time.Time
	Progress Progress
	// Done is set once the import has ended; Report and Err then say how
	// (Err is ErrInvalidFile when Report lists errors).
	Done   bool
	Report Report
	Err    error
}

// jobs are the background imports of one Service.
type jobs struct {
	mu      sync.Mutex
	byID    map[string]*jobEntry
	running bool
}

type jobEntry struct {
	Job
	userID   string
	finished time.Time
}

// Start checks the principal and the options as Import does and then runs
// the import of data in the background, detached from ctx's cancellation
// but keeping its values (the request id its audit entries name). It
// returns the job's id, for Job. It refuses with ErrBusy while another
// import runs.
func (s *Service) Start(ctx context.Context, p access.Principal, fileName string, data []byte, opt Options) (string, error) {
	if _, err := s.placement(ctx, p, &opt, s.db); err != nil {
		return "", err
	}
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	if s.jobs.running {
		return "", ErrBusy
	}
	now := s.clock.Now()
	for id, j := range s.jobs.byID {
		if j.Done && now.Sub(j.finished) > jobKeep {
			delete(s.jobs.byID, id)
		}
	}
	if s.jobs.byID == nil {
		s.jobs.byID = map[string]*jobEntry{}
	}
	j := &jobEntry{Job: Job{ID: ids.New(), FileName: fileName, Started: now}, userID: p.UserID}
	s.jobs.byID[j.ID], s.jobs.running = j, true
	opt.Progress = func(pr Progress) {
		s.jobs.mu.Lock()
		j.Progress = pr
		s.jobs.mu.Unlock()
	}
	go func() {
		rep, err := s.Import(context.WithoutCancel(ctx), p, bytes.NewReader(data), int64(len(data)), opt)
		s.jobs.mu.Lock()
		defer s.jobs.mu.Unlock()
		j.Done, j.Report, j.Err, j.finished = true, rep, err, s.clock.Now()
		s.jobs.running = false
	}()
	return j.ID, nil
}

// Job returns the state of background import id, which only the principal
// who started it may see; ErrNoJob otherwise.
func (s *Service) Job(p access.Principal, id string) (Job, error) {
	s.jobs.mu.Lock()
	defer s.jobs.mu.Unlock()
	j, ok := s.jobs.byID[id]
	if !ok || j.userID != p.UserID || !p.Can(PermImport) {
		return Job{}, ErrNoJob
	}
	return j.Job, nil
}
