// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// TestLiveMeasures computes the indicators' live measures on the fixture:
// every figure resting on fewer than k records is withheld, and the others
// are what the records say.
func TestLiveMeasures(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		year := func(y int) (time.Time, time.Time) {
			return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		from, to := year(2026)
		measure := func(m, country string, from, to time.Time) MeasureResult {
			t.Helper()
			r, err := f.svc.Measure(ctx, f.viewerA, m, country, from, to)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		// Three children of Mexico's cases (born 2012) in immigration
		// detention: below k, withheld; none of the United States'.
		for _, c := range f.groups[1] {
			f.exec(`INSERT INTO detention_episodes (id, org_id, case_id, person_id, facility_type, facility_country,
				start_at, immigration_related, created_by, created_at, updated_by, updated_at)
				VALUES (?, ?, ?, ?, 'immigration_detention_centre', 'MEX', ?, 1, 'x', 1, 'x', 1)`,
				ids.New(), f.orgA, c.caseID, c.personID, day(2026, 6, 1).UnixMicro())
		}
		if r := measure(MeasureChildrenDetained, "MEX", from, to); !r.Withheld || r.Value != 0 || !r.Base.Suppressed || r.K != 11 {
			t.Errorf("3 children: %+v", r)
		}
		if r := measure(MeasureChildrenDetained, "USA", from, to); r.Withheld || r.Value != 0 {
			t.Errorf("no child: %+v", r)
		}
		// Ten ended episodes of 10 days, eight required notifications
		// made in time: withheld at k = 11.
		if r := measure(MeasureMedianDetentionDays, "USA", from, to); !r.Withheld || r.Value != 0 {
			t.Errorf("median at k 11: %+v", r)
		}
		if r := measure(MeasureConsularInTime, "USA", from, to); !r.Withheld {
			t.Errorf("consular at k 11: %+v", r)
		}
		if _, err := f.svc.SetK(ctx, f.sysadmin, 5); err != nil {
			t.Fatal(err)
		}
		if r := measure(MeasureMedianDetentionDays, "USA", from, to); r.Withheld || r.Value != 10 || r.Base.Value != 10 || r.K != 5 {
			t.Errorf("median at k 5: %+v", r)
		}
		if r := measure(MeasureConsularInTime, "USA", from, to); r.Withheld || r.Value != 100 {
			t.Errorf("consular at k 5: %+v", r)
		}
		if r := measure(MeasureMedianDetentionDays, "USA", from.AddDate(-1, 0, 0), from); !r.Withheld {
			t.Errorf("a year without episodes: %+v", r)
		}
		// Twelve referrals of trafficking victims (sent at the epoch in
		// the fixture), seven completed: 58 %.
		for _, c := range f.groups[0] {
			f.exec(`INSERT INTO person_vulnerabilities (person_id, code, recorded_by, recorded_at) VALUES (?, 'victim_of_trafficking', 'x', 1)`, c.personID)
		}
		if r := measure(MeasureTraffickingReferralsCompleted, "MEX", time.Unix(0, 0), time.Unix(86400, 0)); r.Withheld || r.Value != 58 {
			t.Errorf("trafficking referrals: %+v", r)
		}
		if _, err := f.svc.Measure(ctx, f.viewerA, "everything", "MEX", from, to); err == nil {
			t.Error("an unknown measure was computed")
		}
	})
}

func TestMedianAndShare(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want float64
	}{{nil, 0}, {[]int{5}, 5}, {[]int{3, 1, 2}, 2}, {[]int{4, 1, 3, 2}, 2.5}} {
		if got := median(c.in); got != c.want {
			t.Errorf("median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	if share(1, 3) != 33 || share(2, 3) != 67 || share(0, 0) != 0 {
		t.Error("share rounds wrongly")
	}
}
