// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"bytes"
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/jobs"
	"github.com/amparo-project/amparo/internal/observations"
)

// Job is what a page shows of an import running in the background, as
// case imports do (internal/caseimport); its Err is ErrInvalidFile when the
// report lists errors or broken rules. Once the server forgets it (see
// jobs.Keep), the import's record in observation_imports and the audit log
// stay.
type Job = jobs.Job[Progress, Report]

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
	opt.Size = int64(len(data))
	id, ok := s.jobs.Start(s.clock, p.UserID, opt.FileName, func(progress func(Progress)) (Report, error) {
		opt.Progress = progress
		return s.Import(context.WithoutCancel(ctx), p, bytes.NewReader(data), opt)
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
	if !ok || !p.Can(observations.PermWrite) {
		return Job{}, ErrNoJob
	}
	return j, nil
}
