// SPDX-License-Identifier: AGPL-3.0-or-later

package detention_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// TestCaseAlerts checks that a case's alerts are those OpenAlerts gives
// for its episodes only, and that reaching them takes detention.read on
// the case.
func TestCaseAlerts(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db) // the fixture's person was born in 2008: a possible child in 2026
		child, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		// Another case of the organisation: an adult in police custody,
		// unreviewed, not told of the right to consular contact.
		adultCase, adult := f.newCase(t, f.org, f.owner.UserID, f.team, 1980)
		custody, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, adultCase, adult, detention.EpisodeInput{
			FacilityType: detention.FacilityPoliceStation, FacilityCountry: "MEX", Start: t0.Add(-4 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateNotification(ctx, f.owner, f.rec, adultCase, custody.ID, detention.NotificationInput{
			Nationality: "HND", ArrestedAt: custody.Start}); err != nil {
			t.Fatal(err)
		}
		quietCase, _ := f.newCase(t, f.org, f.owner.UserID, f.team, 2008)
		strangerCase, strangerPerson := f.newCase(t, f.otherOrg, f.stranger.UserID, "", 2015)
		strangerRec := access.Record{OrgID: f.otherOrg, OwnerID: f.stranger.UserID}
		strangers, err := f.svc.CreateEpisode(ctx, f.stranger, strangerRec, strangerCase, strangerPerson, validEpisode())
		if err != nil {
			t.Fatal(err)
		}

		type key struct {
			kind    detention.AlertKind
			episode string
		}
		cases := []struct {
			name   string
			p      access.Principal
			rec    access.Record
			caseID string
			want   []key
			err    error
		}{
			{"the child's case", f.owner, f.rec, f.caseID, []key{{detention.AlertChildInImmigrationDetention, child.ID}}, nil},
			{"the supervisor sees the same", f.supervisor, f.rec, f.caseID,
				[]key{{detention.AlertChildInImmigrationDetention, child.ID}}, nil},
			{"the adult's case", f.owner, f.rec, adultCase, []key{
				{detention.AlertNoJudicialReview, custody.ID}, {detention.AlertConsularRightNotTold, custody.ID}}, nil},
			{"a case without detention", f.owner, f.rec, quietCase, nil, nil},
			{"another organisation's own case", f.stranger, strangerRec, strangerCase,
				[]key{{detention.AlertChildInImmigrationDetention, strangers.ID}}, nil},
			{"a caseworker not owning the case", f.colleague, f.rec, f.caseID, nil, detention.ErrNotFound},
			{"a viewer", f.viewer, f.rec, f.caseID, nil, detention.ErrNotFound},
			{"another organisation", f.stranger, f.rec, f.caseID, nil, detention.ErrNotFound},
			{"a record claiming another organisation", f.stranger, strangerRec, f.caseID, nil, detention.ErrNotFound},
			{"an unknown case", f.owner, f.rec, ids.New(), nil, detention.ErrNotFound},
			{"a malformed case id", f.owner, f.rec, "x", nil, detention.ErrNotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				alerts, err := f.svc.CaseAlerts(ctx, c.p, c.rec, c.caseID)
				if !errors.Is(err, c.err) {
					t.Fatalf("error %v, want %v", err, c.err)
				}
				var got []key
				for _, a := range alerts {
					if a.CaseID != c.caseID {
						t.Errorf("alert of another case: %+v", a)
					}
					got = append(got, key{a.Kind, a.EpisodeID})
				}
				if !reflect.DeepEqual(got, c.want) {
					t.Errorf("alerts %v, want %v", got, c.want)
				}
			})
		}

		// Released: the alert closes.
		ended := validEpisode()
		ended.End = new(t0.Add(-time.Hour))
		if _, err := f.svc.UpdateEpisode(ctx, f.owner, f.rec, f.caseID, child.ID, ended); err != nil {
			t.Fatal(err)
		}
		if alerts, err := f.svc.CaseAlerts(ctx, f.owner, f.rec, f.caseID); err != nil || len(alerts) != 0 {
			t.Errorf("after release: %+v, %v", alerts, err)
		}
	})
}

func TestChildrenAtStart(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		in := validEpisode() // began 2026-02-18
		episode := func(birthYear int) detention.Episode {
			caseID, personID := f.newCase(t, f.org, f.owner.UserID, f.team, birthYear)
			ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, caseID, personID, in)
			if err != nil {
				t.Fatal(err)
			}
			return ep
		}
		cases := []struct {
			name      string
			birthYear int
			want      detention.ChildStatus
		}{
			{"born 2015", 2015, detention.ChildYes},
			{"born 2008", 2008, detention.ChildPossible},
			{"born 1990", 1990, detention.ChildNo},
			{"year unknown", 0, detention.ChildUnknown},
		}
		var eps []detention.Episode
		for _, c := range cases {
			eps = append(eps, episode(c.birthYear))
		}
		got, err := f.svc.ChildrenAtStart(ctx, eps)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			if got[eps[i].ID] != c.want {
				t.Errorf("%s: %q, want %q", c.name, got[eps[i].ID], c.want)
			}
		}
		if got, err := f.svc.ChildrenAtStart(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no episodes: %v, %v", got, err)
		}
	})
}

func TestGetNotification(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ep, err := f.svc.CreateEpisode(ctx, f.owner, f.rec, f.caseID, f.personID, validEpisode())
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.svc.CreateNotification(ctx, f.owner, f.rec, f.caseID, ep.ID, detention.NotificationInput{
			Nationality: "HND", ArrestedAt: ep.Start, ToldAt: new(ep.Start.Add(time.Hour))})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.GetNotification(ctx, f.owner, f.rec, f.caseID, n.ID)
		if err != nil || got.ID != n.ID || got.Compliance.Told != detention.StatusInTime ||
			got.Compliance.Notified != detention.StatusUndetermined {
			t.Errorf("get: %+v, %v", got, err)
		}
		entries := f.auditEntries(t, n.ID)
		if last := entries[len(entries)-1]; last.Action != "consular.read" || last.ActorID != f.owner.UserID {
			t.Errorf("the read was not audited: %+v", last)
		}
		otherCase, _ := f.newCase(t, f.org, f.owner.UserID, f.team, 0)
		for name, c := range map[string]struct {
			p      access.Principal
			caseID string
			id     string
		}{
			"another organisation": {f.stranger, f.caseID, n.ID},
			"a viewer":             {f.viewer, f.caseID, n.ID},
			"under another case":   {f.owner, otherCase, n.ID},
			"an unknown id":        {f.owner, f.caseID, ids.New()},
			"a malformed id":       {f.owner, f.caseID, "x"},
		} {
			if _, err := f.svc.GetNotification(ctx, c.p, f.rec, c.caseID, c.id); !errors.Is(err, detention.ErrNotFound) {
				t.Errorf("%s: %v, want not found", name, err)
			}
		}
	})
}
