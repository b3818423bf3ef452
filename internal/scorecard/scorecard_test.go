// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// line finds an indicator's first line on a scorecard.
func line(t *testing.T, sc *Scorecard, code string) Line {
	t.Helper()
	for _, p := range sc.Points {
		for _, l := range p.Lines {
			if l.Indicator.Code == code {
				return l
			}
		}
	}
	t.Fatalf("no line for %s", code)
	return Line{}
}

func TestCountryScorecard(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, nil)
		e.seed(t)
		ctx := context.Background()
		sc, err := e.sc.Scorecard(ctx, frameworks.AgendaCode, "BRA")
		if err != nil {
			t.Fatal(err)
		}
		if sc.Area != "076" || sc.IsRegion || sc.Since != "2022" || len(sc.Points) != 8 {
			t.Fatalf("scorecard %+v", sc)
		}
		if sc.Points[0].Node.ID != "A68190:1" || len(sc.Points[0].Lines) != 1 || len(sc.Points[6].Lines) != 1 {
			t.Errorf("points 1 and 7 should each list T.1: %+v", sc.Points)
		}
		l := line(t, sc, "T.1")
		if l.Latest == nil || l.Latest.Value != 70 || l.Latest.Period != "2025" {
			t.Fatalf("T.1 latest %+v (a draft value must not show)", l.Latest)
		}
		var trend []float64
		for _, o := range l.Trend {
			trend = append(trend, o.Value)
		}
		if !slices.Equal(trend, []float64{50, 60, 70}) {
			t.Errorf("trend %v", trend)
		}
		if l.Progress.Status != OnTrack || l.Progress.Distance != 10 || !l.Recent || !l.Migratory {
			t.Errorf("T.1 %+v", l)
		}
		if l2 := line(t, sc, "T.2"); l2.Progress.Status != OffTrack || l2.Progress.Distance != 10 || !l2.Recent || l2.Migratory {
			t.Errorf("T.2 %+v", l2)
		}
		if l3 := line(t, sc, "T.3"); l3.Latest != nil || l3.Progress.Status != NoTarget || l3.Recent {
			t.Errorf("T.3 %+v", l3)
		}
		// T.1 counts once although under two points; T.W is in no point.
		if sc.Availability != (Availability{Indicators: 3, Recent: 2, Migratory: 1}) {
			t.Errorf("availability %+v", sc.Availability)
		}
		if len(sc.Commitments.Instruments) == 0 ||
			sc.Commitments.Party+sc.Commitments.Signatory+sc.Commitments.NoRecord != len(sc.Commitments.Instruments) {
			t.Errorf("commitments %+v", sc.Commitments)
		}

		mex, err := e.sc.Scorecard(ctx, frameworks.AgendaCode, "484")
		if err != nil {
			t.Fatal(err)
		}
		// Mexico's only breakdown is by sex, and before the recent years.
		if mex.Availability != (Availability{Indicators: 3, Recent: 2, Migratory: 0}) {
			t.Errorf("Mexico availability %+v", mex.Availability)
		}
		if l := line(t, mex, "T.2"); l.Progress.Status != Met || len(l.Trend) != 2 {
			t.Errorf("Mexico T.2 %+v", l)
		}
		arg, err := e.sc.Scorecard(ctx, frameworks.AgendaCode, "032")
		if err != nil {
			t.Fatal(err)
		}
		if l := line(t, arg, "T.1"); l.Latest != nil || l.Recent || l.Progress.Status != NoData {
			t.Errorf("Argentina's draft shows: %+v", l)
		}

		for _, bad := range []struct{ fw, area string }{{"A68190", "XX"}, {"A68190", "MX-XXXX"}, {"NOPE", "076"}, {"A68190", "MX-CHP"}} {
			if _, err := e.sc.Scorecard(ctx, bad.fw, bad.area); !errors.Is(err, ErrNotFound) {
				t.Errorf("%s %s: %v", bad.fw, bad.area, err)
			}
		}
	})
}

func TestRegionScorecard(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		version := int64(1)
		e := newEnv(t, db, func(context.Context) (int64, error) { return version, nil })
		e.seed(t)
		ctx := context.Background()
		sc, err := e.sc.Scorecard(ctx, frameworks.AgendaCode, "419") // Latin America and the Caribbean
		if err != nil {
			t.Fatal(err)
		}
		if !sc.IsRegion || !slices.Contains(sc.Members, "076") || !slices.Contains(sc.Members, "032") ||
			len(sc.MemberAvailability) != len(sc.Members) {
			t.Fatalf("region %+v", sc)
		}
		l := line(t, sc, "T.1")
		if l.Latest == nil || l.Latest.Value != 110 || l.Latest.Period != "2025" || l.Reporting != 2 || l.ReportingMigratory != 1 {
			t.Errorf("T.1 sum %+v (the draft 999 must not count)", l)
		}
		want, ok, err := e.ind.Aggregate(ctx, observations.LayerPublished, "T.1", "419", "2025")
		if err != nil || !ok || want.Value != l.Latest.Value || want.Footnote != l.Latest.Footnote || want.Status != l.Latest.Status {
			t.Errorf("indicators.Aggregate %+v %v %v, scorecard %+v", want, ok, err, l.Latest)
		}
		l2 := line(t, sc, "T.2")
		if l2.Latest == nil || math.Abs(l2.Latest.Value-15) > 1e-9 || l2.Progress.Status != OffTrack {
			t.Errorf("T.2 weighted mean %+v", l2.Latest)
		}
		want, ok, err = e.ind.Aggregate(ctx, observations.LayerPublished, "T.2", "419", "2025")
		if err != nil || !ok || math.Abs(want.Value-l2.Latest.Value) > 1e-9 || want.Footnote != l2.Latest.Footnote {
			t.Errorf("indicators.Aggregate %+v, scorecard %+v", want, l2.Latest)
		}
		var bra MemberAvailability
		for _, m := range sc.MemberAvailability {
			if m.Area == "076" {
				bra = m
			}
		}
		if bra.Availability != (Availability{Indicators: 3, Recent: 2, Migratory: 1}) {
			t.Errorf("Brazil as a member %+v", bra)
		}
		if sc.Availability.Indicators != 3*len(sc.Members) || sc.Availability.Recent != 4 || sc.Availability.Migratory != 1 {
			t.Errorf("region availability %+v", sc.Availability)
		}
		if sc.Commitments.Party+sc.Commitments.Signatory+sc.Commitments.NoRecord != len(sc.Members)*len(sc.Commitments.Instruments) {
			t.Errorf("commitments %+v", sc.Commitments)
		}

		world, err := e.sc.Scorecard(ctx, frameworks.AgendaCode, "001")
		if err != nil {
			t.Fatal(err)
		}
		// T.3 does not aggregate: the world shows the value published for it.
		if l := line(t, world, "T.3"); l.Latest == nil || l.Latest.Value != 7 {
			t.Errorf("world T.3 %+v", l.Latest)
		}
		// A value published for a region itself is its figure for that
		// period; other periods show the members' aggregate.
		e.publish(t, o("AMP_T_1", "419", "", "2024", 1000))
		version++
		sc, _ = e.sc.Scorecard(ctx, frameworks.AgendaCode, "419")
		var trend []float64
		for _, o := range line(t, sc, "T.1").Trend {
			trend = append(trend, o.Value)
		}
		if !slices.Equal(trend, []float64{50, 60, 1000, 110}) {
			t.Errorf("region trend %v, want the members' sums with the region's own 2024 value", trend)
		}
		// Kept per version: a publication shows once the version moves.
		e.publish(t, o("AMP_T_1", "032", "", "2025", 5))
		if sc, _ = e.sc.Scorecard(ctx, frameworks.AgendaCode, "419"); line(t, sc, "T.1").Latest.Value != 110 {
			t.Errorf("the same version should give the kept aggregate")
		}
		version++
		if sc, _ = e.sc.Scorecard(ctx, frameworks.AgendaCode, "419"); line(t, sc, "T.1").Latest.Value != 115 {
			t.Errorf("a new version should give the new aggregate, got %v", line(t, sc, "T.1").Latest.Value)
		}
	})
}

func TestExplore(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, nil)
		e.seed(t)
		ctx := context.Background()
		ex, err := e.sc.Explore(ctx, ExploreQuery{Indicator: "T.1", Areas: []string{"BRA", "484", "419"}, Sort: SortValue, Desc: true, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ex.Query.Areas, []string{"076", "484", "419"}) || ex.Query.Period != "2025" {
			t.Errorf("query %+v", ex.Query)
		}
		if !slices.Equal(ex.Disaggs, []string{"", "MIGRATORY_STATUS=MS_MIGRANT", "SEX=F"}) || !slices.Equal(ex.Periods, []string{"2019", "2022", "2025"}) {
			t.Errorf("disaggs %q periods %q", ex.Disaggs, ex.Periods)
		}
		if !slices.Equal(ex.Categories, []string{"2019", "2022", "2025"}) || len(ex.Lines) != 3 ||
			ex.Lines[2].Value("2025") != 110 || !math.IsNaN(ex.Lines[1].Value("2019")) {
			t.Errorf("chart %q %+v", ex.Categories, ex.Lines)
		}
		var rows []string
		for _, r := range ex.Rows {
			rows = append(rows, r.Area)
		}
		if !slices.Equal(rows, []string{"076", "484"}) {
			t.Errorf("table %v", rows)
		}

		ex, err = e.sc.Explore(ctx, ExploreQuery{Indicator: "T.1", Disagg: "MIGRATORY_STATUS=MS_MIGRANT", Sort: SortArea, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ex.Query.Areas, []string{"001"}) || len(ex.Rows) != 1 || ex.Rows[0].Value != 30 || ex.Lines[0].Value("2025") != 30 {
			t.Errorf("by migratory status: %+v", ex)
		}
		ex, err = e.sc.Explore(ctx, ExploreQuery{Indicator: "T.1", Period: "2019", From: "2020", Areas: []string{"076"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Rows) != 1 || ex.Rows[0].Value != 50 || !slices.Equal(ex.Categories, []string{"2022", "2025"}) {
			t.Errorf("period 2019 from 2020: %+v", ex)
		}

		if _, err := e.sc.Explore(ctx, ExploreQuery{Indicator: "NOPE"}); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown indicator: %v", err)
		}
		for _, q := range []ExploreQuery{
			{Indicator: "T.1", Areas: []string{"ZZZ"}}, {Indicator: "T.1", Disagg: "COLOUR=RED"},
			{Indicator: "T.1", Period: "20x0"}, {Indicator: "T.1", Sort: "name"},
			{Indicator: "T.1", Areas: []string{"004", "008", "012", "016", "020", "024", "028", "032", "036"}},
		} {
			if _, err := e.sc.Explore(ctx, q); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("%+v: %v", q, err)
			}
		}
	})
}

// TestRecordedLiveValues: a live indicator's count reaches the public
// scorecard and explorer once it has been recorded as an observation and
// published, and not before.
func TestRecordedLiveValues(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, nil)
		ctx := context.Background()
		if err := e.ind.EnsureShipped(ctx); err != nil {
			t.Fatal(err)
		}
		recorded := o("AMP_AP1_O1", "484", "", "2026-Q1", 15)
		e.draft(t, recorded)
		sc, err := e.sc.Scorecard(ctx, frameworks.AgendaCode, "484")
		if err != nil {
			t.Fatal(err)
		}
		if l := line(t, sc, "AP1.O1"); l.Latest != nil {
			t.Fatalf("an unpublished live count shows: %+v", l.Latest)
		}
		e.publish(t, recorded)
		e.obsClockAdvance()
		sc, err = e.sc.Scorecard(ctx, frameworks.AgendaCode, "484")
		if err != nil {
			t.Fatal(err)
		}
		if l := line(t, sc, "AP1.O1"); l.Latest == nil || l.Latest.Value != 15 || l.Latest.Period != "2026-Q1" {
			t.Fatalf("the published live count does not show: %+v", l.Latest)
		}
		ex, err := e.sc.Explore(ctx, ExploreQuery{Indicator: "AP1.O1", Areas: []string{"484"}, Lang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		if len(ex.Rows) != 1 || ex.Rows[0].Value != 15 {
			t.Errorf("explorer rows %+v", ex.Rows)
		}
	})
}
