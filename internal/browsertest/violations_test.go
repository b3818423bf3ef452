// SPDX-License-Identifier: AGPL-3.0-or-later

package browsertest

// Violations documentation and the statistics drawn from it, in a real
// browser, as the issue asks: record an event with acts against a case's
// person and see them counted, or suppressed, on the statistics page.
// Sixteen acts of torture are on record before the flow starts (published
// as 15: rounded to base 5). The flow adds two acts of torture (18,
// published as 20: one more would still round to 15) and one death in
// custody, which is under k and shows as withheld. Twelve acts of
// ill-treatment are on record too: the smallest other count, they are
// what complementary suppression withholds with the death in custody, so
// that the total does not give it away. It runs once per engine and skips
// without Chromium.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/amparo-project/amparo/internal/violations"
)

// Act types of the shipped vocabulary the flow records.
const (
	actTorture        = "20.10"
	actDeathInCustody = "10.20"
	actIllTreatment   = "20.20"
)

func TestViolationsFlowInChromium(t *testing.T) {
	d, chromium := startChromium(t)
	storetest.Each(t, func(t *testing.T, dbURL string) {
		start := time.Now()
		a := testutil.New(t, dbURL)
		fx := newCaseFixture(t, a)
		seedActs(t, fx, actTorture, 16)
		seedActs(t, fx, actIllTreatment, 12)
		b := newBrowser(t, d, chromium)
		violationsFlow(t, fx, b)
		t.Logf("violations flow took %s", time.Since(start).Round(time.Millisecond))
	})
}

// seedActs records n acts of actType in one event of the fixture's
// caseworker, through the domain.
func seedActs(t *testing.T, fx caseFixture, actType string, n int) {
	t.Helper()
	ctx := context.Background()
	day, err := violations.ParseDate(fx.a.Clock.Now().AddDate(0, -2, 0).Format("2006-01"), "")
	if err != nil {
		t.Fatal(err)
	}
	ev, err := fx.a.Violations.Create(ctx, fx.worker.Principal, violations.EventInput{
		Title: "Raids on a workers' hostel", Start: day, Country: "MEX"})
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		if _, err := fx.a.Violations.AddAct(ctx, fx.worker.Principal, ev.ID, violations.ActInput{ActType: actType}); err != nil {
			t.Fatal(err)
		}
	}
}

func violationsFlow(t *testing.T, fx caseFixture, b *browser) {
	b.signIn(fx)
	if got := b.publishedActs(fx, actTorture); got != "15" {
		t.Errorf("before the flow, acts of torture read %q, want 15 (16 rounded to base 5)", got)
	}

	// From the case's violations tab, a new event for the case.
	casePath := "/cases/" + fx.caseID
	b.open(fx.base + casePath + "/violations")
	b.waitPath(casePath + "/violations")
	b.find(ByCSS, "[data-testid=violation-case-none]")
	b.click(ByCSS, "[data-testid=violation-case-new]")
	b.find(ByCSS, "[data-testid=form-case]")
	b.fill("input[name=title]", "Beating at the border post")
	b.fill("input[name=start_date]", fx.a.Clock.Now().AddDate(0, 0, -5).Format("2006-01-02"))
	b.choose("country", "MEX")
	b.fill("textarea[name=description]", "Two officers beat the person during questioning.")
	b.click(ByCSS, "[data-testid=violation-form-submit]")
	b.find(ByCSS, "[data-testid=acts-none]")
	eventPath := b.path()

	// Two acts of torture and a death in custody, each against the case's
	// person.
	for _, actType := range []string{actTorture, actTorture, actDeathInCustody} {
		b.click(ByCSS, "[data-testid=act-new]")
		b.choose("act_type", actType)
		b.choose("victim_person_id", fx.personID)
		b.click(ByCSS, "[data-testid=violation-form-submit]")
		b.waitPath(eventPath)
	}
	if acts := b.findAll(ByCSS, "[data-testid=act]"); len(acts) != 3 {
		t.Errorf("the event shows %d acts, want 3", len(acts))
	}

	// The case's tab lists the event.
	b.open(fx.base + casePath + "/violations")
	b.find(ByCSS, "[data-testid=violation-case-list] [data-testid=violation-row]")

	// Counted: 18 acts of torture are published as 20.
	if got := b.publishedActs(fx, actTorture); got != "20" {
		t.Errorf("after the flow, acts of torture read %q, want 20 (18 rounded to base 5)", got)
	}
	// Suppressed: one death in custody is under k.
	if got := b.publishedActs(fx, actDeathInCustody); !strings.HasPrefix(got, "x") {
		t.Errorf("the single death in custody reads %q, want it withheld", got)
	}
	if got := b.publishedActs(fx, actIllTreatment); !strings.HasPrefix(got, "x") {
		t.Errorf("ill-treatment reads %q, want it withheld with the death in custody, which the total would give away", got)
	}
	b.checkConsole()
}

// publishedActs opens the statistics of acts by type, as published to
// every organisation, and returns the cell of actType's row: a number, or
// the mark of a withheld cell.
func (b *browser) publishedActs(fx caseFixture, actType string) string {
	b.t.Helper()
	b.open(fx.base + "/statistics?dimension=act_type")
	b.waitPath("/statistics")
	label := fx.a.Violations.Label("act_type", actType, "en")
	return b.text(ByXPath, fmt.Sprintf(`//table[@data-testid="statistics-table"]/tbody/tr[th[normalize-space()=%q]]/td[1]`, label))
}

// path is the path of the page the browser shows.
func (b *browser) path() string {
	b.t.Helper()
	cur, err := b.s.CurrentURL()
	if err != nil {
		b.t.Fatal(err)
	}
	u, err := url.Parse(cur)
	if err != nil {
		b.t.Fatal(err)
	}
	return u.Path
}
