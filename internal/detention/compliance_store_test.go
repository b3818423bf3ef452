// SPDX-License-Identifier: AGPL-3.0-or-later

package detention_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// Compliance counts the notifications in reach by nationality and by
// authority.
func TestCompliance(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		arrest := ep.Start
		record := func(nationality string, told time.Duration) {
			t.Helper()
			if _, err := f.svc.CreateNotification(ctx, f.owner, f.rec, f.caseID, ep.ID, detention.NotificationInput{
				Nationality: nationality, ArrestedAt: arrest, ToldAt: new(arrest.Add(told)), Requested: new(false)}); err != nil {
				t.Fatal(err)
			}
		}
		record("GT", 2*time.Hour)   // within the default 72 hours
		record("HN", 200*time.Hour) // late
		rates, err := f.svc.Compliance(ctx, f.supervisor, f.org, detention.ByNationality, t0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]int{}
		for _, r := range rates {
			got[r.Key] = [2]int{r.ToldInTime, r.ToldLate}
		}
		if got["GTM"] != [2]int{1, 0} || got["HND"] != [2]int{0, 1} || len(got) != 2 {
			t.Errorf("by nationality = %v", got)
		}
		byAuth, err := f.svc.Compliance(ctx, f.owner, f.org, detention.ByAuthority, t0)
		if err != nil || len(byAuth) != 1 || byAuth[0].Key != "INM" || byAuth[0].Records != 2 {
			t.Errorf("by authority = %+v, %v", byAuth, err)
		}
		// A colleague outside the team reads no case of it: no records.
		if none, err := f.svc.Compliance(ctx, f.colleague, f.org, detention.ByAuthority, t0); err != nil || len(none) != 0 {
			t.Errorf("colleague: %+v, %v", none, err)
		}
		for name, p := range map[string]access.Principal{"viewer": f.viewer, "other organisation": f.stranger} {
			if _, err := f.svc.Compliance(ctx, p, f.org, detention.ByNationality, t0); !errors.Is(err, detention.ErrNotFound) {
				t.Errorf("%s: err = %v, want ErrNotFound", name, err)
			}
		}
	})
}
