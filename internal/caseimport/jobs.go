// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"bytes"
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/jobs"
)

// Errors of background imports.
var (
	// ErrBusy means an import is already running in this process: one at
	// a time, since each holds the database's writer for its length.
	ErrBusy = errors.New("caseimport: another import is running")
	// ErrNoJob means no import of the principal's has that id (it may
	// have been forgotten: see jobs.Keep).
	ErrNoJob = errors.New("caseimport: no such import")
)

// Job is what a page shows of an import running in the background.
type Job = jobs.Job[Progress, Report]

// Start checks the principal and the options as Import does and then runs
// the import of data in the background, detached from ctx's cancellation
// but keeping its values (the request id its audit entries name). It
// returns the job's id, for Job. It refuses with ErrBusy while another
// import runs.
func (s *Service) Start(ctx context.Context, p access.Principal, fileName string, data []byte, opt Options) (string, error) {
	if _, err := s.placement(ctx, p, &opt, s.db); err != nil {
		return "", err
	}
	id, ok := s.jobs.Start(s.clock, p.UserID, fileName, func(progress func(Progress)) (Report, error) {
		opt.Progress = progress
		return s.Import(context.WithoutCancel(ctx), p, bytes.NewReader(data), int64(len(data)), opt)
	})
	if !ok {
		return "", ErrBusy
	}
	return id, nil
}

// Job returns the state of background import id, which only the principal
// who started it may see; ErrNoJob otherwise.
func (s *Service) Job(p access.Principal, id string) (Job, error) {
	j, ok := s.jobs.Get(p.UserID, id)
	if !ok || !p.Can(PermImport) {
		return Job{}, ErrNoJob
	}
	return j, nil
}
