// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/observations"
)

// jobKeep is how long a finished import's report stays for its page; the
// server forgets it afterwards (and on restart); the import's record in
// observation_imports and the audit log stay.
const jobKeep = time.Hour

// Job is what a page shows of an import running in the background, as
// case imports do (internal/caseimport).
type Job struct {
	ID       string
	FileName string
	Started  time.Time
	Progress Progress
	// Done is set once the import has ended; Report and Err then say how
	// (Err is ErrInvalidFile when the report lists errors or violations).
	Done   bool
	Report Report
	Err    error
}

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

// Start checks the principal and the options and runs the import of data
// in the background, detached from ctx's cancellation but keeping its
// values (the request id its audit entry names). It answers the job's id,
// for Job, or ErrBusy while another import runs: one at a time, since
// each holds the database's writer for its length.
func (s *Service) Start(ctx context.Context, p access.Principal, data []byte, opt Options) (string, error) {
	if !p.Can(observations.PermWrite) {
		return "", ErrForbidden
	}
	if opt.Format == "" {
		opt.Format = Detect(data[:min(len(data), 4096)])
	}
	if !ValidFormat(opt.Format) {
		return "", fielderr.One("format", fielderr.CodeInvalid)
	}
	if _, err := parserFor(opt); err != nil {
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
	j := &jobEntry{Job: Job{ID: ids.New(), FileName: opt.FileName, Started: now}, userID: p.UserID}
	s.jobs.byID[j.ID], s.jobs.running = j, true
	opt.Size = int64(len(data))
	opt.Progress = func(pr Progress) {
		s.jobs.mu.Lock()
		j.Progress = pr
		s.jobs.mu.Unlock()
	}
	go func() {
		rep, err := s.Import(context.WithoutCancel(ctx), p, bytes.NewReader(data), opt)
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
	if !ok || j.userID != p.UserID || !p.Can(observations.PermWrite) {
		return Job{}, ErrNoJob
	}
	return j.Job, nil
}
