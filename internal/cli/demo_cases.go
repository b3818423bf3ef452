// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/amparo-project/amparo/internal/app"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/demo"
)

// demoCases opens n synthetic cases in the demo organisation (none when n
// is 0), showing progress on a terminal.
func demoCases(ctx context.Context, e env, a *app.App, n int) error {
	if n < 0 {
		return errors.New("--cases: want a number of cases, 0 or more")
	}
	if n == 0 {
		return nil
	}
	bar := newProgress(e.stderr)
	start := time.Now()
	rep, err := demo.Cases(ctx, a.DB, a.Accounts, a.CaseImport, n, a.Clock.Now(), func(p caseimport.Progress) {
		bar.show(fmt.Sprintf("%-8s %3d%% (%d/%d cases)", p.Phase, p.Rows*100/n, p.Rows, n))
	})
	bar.done()
	if err != nil {
		return reportCaseImport(e, "demo cases", rep, err)
	}
	fmt.Fprintf(e.stdout, "opened %d synthetic demo case(s) in %s in %.1f s (import %s)\n", rep.Created,
		demo.OrganisationName, time.Since(start).Seconds(), rep.ImportID)
	return nil
}

// writeDemoCSV writes n synthetic cases to file, as demo.WriteCases does,
// without touching any database.
func writeDemoCSV(file string, n int) error {
	if n < 1 {
		return errors.New("--write-csv needs --cases N (at least 1)")
	}
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- the operator names the file
	if err != nil {
		return err
	}
	if err := demo.WriteCases(f, 1, n, time.Now().UTC()); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
