// SPDX-License-Identifier: AGPL-3.0-or-later

package browsertest

// The evidence base in a real browser, as the issue asks: an analyst
// imports an SDMX-CSV file of observations and submits its sets; a second
// analyst approves and publishes them (nobody approves their own
// submission); the value then appears on the country's public scorecard,
// which before publication showed nothing for it. It runs once per engine
// and skips without Chromium.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil"
)

// The series of indicator AP7.O1 (international migrant stock), which the
// scorecard lists under agenda point 7, and the file an analyst imports:
// one value for Mexico (M49 484) for 2024, in the SDMX-CSV 2.0 layout.
const (
	evidenceIndicator = "AP7.O1"
	evidenceCSV       = "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,SERIES,SEX,AGE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MULT\r\n" +
		"dataflow,AMPARO:DF_MIGRATION(1.0),I,A,484,AMP_AP7_O1,_T,_T,2024,4321,A,0\r\n"
)

func TestEvidenceFlowInChromium(t *testing.T) {
	d, chromium := startChromium(t)
	storetest.Each(t, func(t *testing.T, dbURL string) {
		start := time.Now()
		a := testutil.New(t, dbURL)
		base := serveLocal(t, a.Handler)
		org := a.Org("Instituto Nacional de Estadística")
		importer := a.NewUser(org.ID, access.RoleAnalyst, "")
		approver := a.NewUser(org.ID, access.RoleAnalyst, "")
		importerKey, approverKey := enrolTOTP(t, a, importer), enrolTOTP(t, a, approver)
		file := filepath.Join(t.TempDir(), "migrant-stock.csv")
		if err := os.WriteFile(file, []byte(evidenceCSV), 0o600); err != nil {
			t.Fatal(err)
		}

		// Before: the public scorecard has no value for the indicator.
		b := newBrowser(t, d, chromium)
		if got := b.scorecardValue(base, "484", evidenceIndicator); strings.Contains(got, "4,321") {
			t.Fatalf("before publication the scorecard shows %q", got)
		}

		// The first analyst imports the file and submits what it wrote.
		b.signInAs(a, base, importer, importerKey)
		b.open(base + "/observations/import")
		b.waitPath("/observations/import")
		if err := b.find(ByCSS, "[data-testid=obs-import-file]").SendKeys(file); err != nil {
			t.Fatal(err)
		}
		b.click(ByCSS, "[data-testid=obs-import-submit]")
		b.find(ByCSS, "[data-testid=obs-import-report]")
		b.click(ByCSS, "[data-testid=obs-import-queue]")
		b.waitPath("/observations/approval")
		b.click(ByCSS, "[data-testid=check-AMP_AP7_O1-484-2024]")
		b.click(ByCSS, "[data-testid=action-submit]")
		b.find(ByCSS, "[data-testid=approval-done]")
		// Approving one's own submission is refused.
		b.open(base + "/observations/approval?state=submitted")
		b.click(ByCSS, "[data-testid=check-AMP_AP7_O1-484-2024]")
		b.click(ByCSS, "[data-testid=action-approve]")
		// Wait for the answer, which says why, before going on: the next
		// page must not race the form's submission.
		if msg := b.text(ByCSS, "#form-error"); msg == "" {
			t.Fatal("a refused approval says nothing")
		}
		if got := b.scorecardValue(base, "484", evidenceIndicator); strings.Contains(got, "4,321") {
			t.Fatalf("a submitted value is on the public scorecard: %q", got)
		}

		// The second analyst approves and publishes, confirming first.
		b2 := newBrowser(t, d, chromium)
		b2.signInAs(a, base, approver, approverKey)
		b2.open(base + "/observations/approval?state=submitted")
		b2.click(ByCSS, "[data-testid=check-AMP_AP7_O1-484-2024]")
		b2.click(ByCSS, "[data-testid=action-approve]")
		b2.find(ByCSS, "[data-testid=approval-done]")
		b2.open(base + "/observations/approval?state=approved")
		b2.click(ByCSS, "[data-testid=check-AMP_AP7_O1-484-2024]")
		b2.click(ByCSS, "[data-testid=action-publish]")
		b2.find(ByCSS, "[data-testid=publish-confirm]")
		b2.click(ByCSS, "[data-testid=publish-submit]")
		b2.find(ByCSS, "[data-testid=approval-done]")

		// After: anyone sees it on Mexico's scorecard.
		b3 := newBrowser(t, d, chromium)
		if got := b3.scorecardValue(base, "484", evidenceIndicator); !strings.Contains(got, "4,321") || !strings.Contains(got, "2024") {
			t.Errorf("after publication the scorecard shows %q, want 4,321 for 2024", got)
		}
		// The refused approval answered 422, which the console reports.
		b.checkConsole("/observations/approval - Failed to load resource: the server responded with a status of 422")
		b2.checkConsole()
		t.Logf("evidence flow took %s", time.Since(start).Round(time.Millisecond))
	})
}

// scorecardValue opens an area's public scorecard and returns the text of
// an indicator's latest-value cell.
func (b *browser) scorecardValue(base, area, indicator string) string {
	b.t.Helper()
	b.open(base + "/scorecards/" + area)
	b.waitPath("/scorecards/" + area)
	return b.text(ByCSS, `[data-testid="value-`+indicator+`"]`)
}

// signInAs signs u in: password, then the code of the authenticator whose
// key is secret.
func (b *browser) signInAs(a *testutil.App, base string, u testutil.User, secret string) {
	b.t.Helper()
	b.signIn(caseFixture{a: a, base: base, worker: u, secret: secret})
}
