// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport_test

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/demo"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestJobs runs an import in the background: one at a time, seen only by
// who started it, and its report kept once it ends.
func TestJobs(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		ctx := context.Background()
		var file bytes.Buffer
		if err := demo.WriteCases(&file, 1, 2000, a.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		p := f.supervisor.Principal
		if _, err := a.CaseImport.Start(ctx, p, "x.csv", file.Bytes(), caseimport.Options{OwnerID: f.other.ID}); err == nil {
			t.Fatal("started for an owner of another organisation")
		}
		id, err := a.CaseImport.Start(ctx, p, "demo.csv", file.Bytes(), caseimport.Options{OwnerID: f.worker.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.CaseImport.Start(ctx, p, "again.csv", file.Bytes(), caseimport.Options{}); err != nil &&
			!errors.Is(err, caseimport.ErrBusy) {
			t.Fatalf("a second import: %v, want ErrBusy (or a start once the first ended)", err)
		}
		if _, err := a.CaseImport.Job(f.admin.Principal, id); !errors.Is(err, caseimport.ErrNoJob) {
			t.Errorf("another user sees the import: %v", err)
		}
		var job caseimport.Job
		for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if job, err = a.CaseImport.Job(p, id); err != nil || job.Done {
				break
			}
		}
		if err != nil || !job.Done || job.Err != nil || job.Report.Created != 2000 || job.FileName != "demo.csv" {
			t.Fatalf("job = %+v, %v", job, err)
		}
	})
}

// TestImportCancelled stops an import half-way: it ends with the
// context's error, every goroutine stops, and nothing is kept.
func TestImportCancelled(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a)
		var file bytes.Buffer
		if err := demo.WriteCases(&file, 1, 20000, a.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		before := f.counts(t)
		for i := range 3 {
			ctx, cancel := context.WithCancel(context.Background())
			_, err := a.CaseImport.Import(ctx, f.supervisor.Principal, bytes.NewReader(file.Bytes()), int64(file.Len()),
				caseimport.Options{OwnerID: f.worker.ID, Progress: func(p caseimport.Progress) {
					if p.Rows >= 1024*(i+1) {
						cancel()
					}
				}})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled import %d: %v, want context.Canceled", i, err)
			}
		}
		if after := f.counts(t); !reflect.DeepEqual(after, before) {
			t.Errorf("rows changed: %v -> %v", before, after)
		}
	})
}
