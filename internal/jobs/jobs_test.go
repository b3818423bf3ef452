// SPDX-License-Identifier: AGPL-3.0-or-later

package jobs

import (
	"errors"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
)

// TestRegistry: one job at a time, visible to whoever started it only,
// with its progress while it runs and its report when done, and forgotten
// Keep after it finished.
func TestRegistry(t *testing.T) {
	clk := clock.NewFake(time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC))
	var r Registry[int, string]
	release, reported := make(chan struct{}), make(chan struct{})
	id, ok := r.Start(clk, "u1", "a.csv", func(progress func(int)) (string, error) {
		progress(40)
		close(reported)
		<-release
		return "done", errors.New("invalid")
	})
	if !ok || id == "" {
		t.Fatal("the first job did not start")
	}
	<-reported
	if _, ok := r.Start(clk, "u1", "b.csv", func(func(int)) (string, error) { return "", nil }); ok {
		t.Error("a second job started while the first ran")
	}
	if j, ok := r.Get("u1", id); !ok || j.Done || j.Progress != 40 || j.FileName != "a.csv" {
		t.Errorf("running job %+v %v", j, ok)
	}
	if _, ok := r.Get("u2", id); ok {
		t.Error("another user sees the job")
	}
	close(release)
	deadline := time.Now().Add(5 * time.Second)
	for {
		j, _ := r.Get("u1", id)
		if j.Done {
			if j.Report != "done" || j.Err == nil {
				t.Errorf("finished job %+v", j)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the job never finished")
		}
		time.Sleep(time.Millisecond)
	}
	clk.Advance(Keep + time.Minute)
	if _, ok := r.Start(clk, "u1", "c.csv", func(func(int)) (string, error) { return "", nil }); !ok {
		t.Fatal("no job starts after the first finished")
	}
	if _, ok := r.Get("u1", id); ok {
		t.Error("a job finished more than Keep ago is still kept")
	}
}
