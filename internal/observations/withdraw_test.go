// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"context"
	"errors"
	"testing"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// publishAll takes sets through submission (by analyst A), approval and
// publication (by analyst B).
func publishAll(t *testing.T, s *Service, keys ...SetKey) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Submit(ctx, analystA, keys); err != nil {
		t.Fatalf("submit: %v", err)
	}
	if _, err := s.Approve(ctx, analystB, keys); err != nil {
		t.Fatalf("approve: %v", err)
	}
	if _, err := s.Publish(ctx, analystB, keys); err != nil {
		t.Fatalf("publish: %v", err)
	}
}

// Withdrawing values: deleting working values makes their set a draft and
// leaves the published copy alone; publishing the set again, approved by
// someone else, replaces the published copy, so that deleted values leave
// open data.
func TestWithdraw(t *testing.T) {
	cases := []struct {
		name, area string
		del        func(ctx context.Context, s *Service, k SetKey) (int, error)
		err        error
		deleted    int
	}{
		{name: "one value", area: "076", deleted: 1,
			del: func(ctx context.Context, s *Service, k SetKey) (int, error) {
				return 1, s.Delete(ctx, analystA, Key{k.Series, k.Area, "SEX=F", k.Period})
			}},
		{name: "every value of the set", area: "484", deleted: 3,
			del: func(ctx context.Context, s *Service, k SetKey) (int, error) { return s.DeleteSet(ctx, analystA, k) }},
		{name: "a value that does not exist", area: "032", err: ErrNotFound,
			del: func(ctx context.Context, s *Service, k SetKey) (int, error) {
				return 0, s.Delete(ctx, analystA, Key{k.Series, k.Area, "SEX=F;AGE=Y0T14", k.Period})
			}},
		{name: "a set without values", area: "152", err: ErrNotFound,
			del: func(ctx context.Context, s *Service, k SetKey) (int, error) {
				return s.DeleteSet(ctx, analystA, SetKey{k.Series, k.Area, "2019"})
			}},
		{name: "a set already emptied", area: "170", err: ErrNotFound,
			del: func(ctx context.Context, s *Service, k SetKey) (int, error) {
				if _, err := s.DeleteSet(ctx, analystA, k); err != nil {
					return 0, err
				}
				publishAll(t, s, k)
				return s.DeleteSet(ctx, analystA, k)
			}},
		{name: "a viewer", area: "604", err: ErrForbidden,
			del: func(ctx context.Context, s *Service, k SetKey) (int, error) { return s.DeleteSet(ctx, viewer, k) }},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		ctx := context.Background()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				set := SetKey{"SM_POP_TOT", c.area, "2020"}
				other := SetKey{"SM_POP_TOT", c.area, "2021"}
				if _, err := s.Put(ctx, analystA, KindForm, []Observation{
					obs(set.Series, c.area, "", "2020", 1000), obs(set.Series, c.area, "SEX=F", "2020", 480),
					obs(set.Series, c.area, "SEX=M", "2020", 520), obs(set.Series, c.area, "", "2021", 1010),
				}); err != nil {
					t.Fatal(err)
				}
				publishAll(t, s, set, other)
				published := func(k SetKey) int {
					t.Helper()
					n, err := s.Count(ctx, Query{Series: []string{k.Series}, Areas: []string{k.Area}, From: k.Period, To: k.Period})
					if err != nil {
						t.Fatal(err)
					}
					return n
				}
				state := func() Set {
					t.Helper()
					sets, _, err := s.Sets(ctx, analystA, SetFilter{Series: set.Series, Area: set.Area, Period: set.Period})
					if err != nil || len(sets) != 1 {
						t.Fatalf("the set: %v %v", sets, err)
					}
					return sets[0]
				}
				n, err := c.del(ctx, s, set)
				if !errors.Is(err, c.err) || n != c.deleted {
					t.Fatalf("deleted %d, %v; want %d, %v", n, err, c.deleted, c.err)
				}
				if c.err != nil {
					if got := state(); got.State != Published {
						t.Errorf("a refused deletion left the set %s", got.State)
					}
					return
				}
				if got := state(); got.State != Draft || got.Rows != 3-c.deleted || got.SubmittedBy != "" || got.ApprovedBy != "" {
					t.Errorf("after the deletion the set is %+v", got)
				}
				if n := published(set); n != 3 {
					t.Errorf("%d values published before republication, want the 3 of the old copy", n)
				}
				entries, _, err := audit.New(db, clock.System{}).List(ctx, audit.Filter{Action: ActionDelete, Limit: 1})
				if err != nil || len(entries) != 1 || entries[0].ActorID != analystA.UserID || entries[0].ObjectID != set.Series {
					t.Errorf("audit of the deletion: %+v %v", entries, err)
				}
				before, _ := s.PublishedVersion(ctx)
				publishAll(t, s, set)
				if n := published(set); n != 3-c.deleted {
					t.Errorf("%d values published after republication, want %d", n, 3-c.deleted)
				}
				if n := published(other); n != 1 {
					t.Errorf("the other set has %d published values, want 1", n)
				}
				if v, _ := s.PublishedVersion(ctx); v != before+1 {
					t.Errorf("version %d after the republication, want %d", v, before+1)
				}
			})
		}
	})
}

// The version of the published values moves once per publication, also
// when one only removes values, and for nothing else.
func TestPublishedVersion(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		s, _ := newService(t, db)
		ctx := context.Background()
		version := func() int64 {
			t.Helper()
			v, err := s.PublishedVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if v := version(); v != 0 {
			t.Fatalf("a new database is at version %d", v)
		}
		a, b := SetKey{"SI_RMT_COST", "484", "2023"}, SetKey{"SI_RMT_COST", "076", "2023"}
		if _, err := s.Put(ctx, analystA, KindForm, []Observation{obs(a.Series, a.Area, "", a.Period, 5),
			obs(b.Series, b.Area, "", b.Period, 6)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Submit(ctx, analystA, []SetKey{a, b}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Approve(ctx, analystB, []SetKey{a}); err != nil {
			t.Fatal(err)
		}
		if v := version(); v != 0 {
			t.Errorf("drafts, submissions and approvals moved the version to %d", v)
		}
		if _, err := s.Publish(ctx, analystB, []SetKey{a, b}); !errors.Is(err, ErrState) {
			t.Fatalf("publishing an unapproved set: %v", err)
		}
		if v := version(); v != 0 {
			t.Errorf("a refused publication moved the version to %d", v)
		}
		if _, err := s.Approve(ctx, analystB, []SetKey{b}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Publish(ctx, analystB, []SetKey{a, b}); err != nil {
			t.Fatal(err)
		}
		if v := version(); v != 1 {
			t.Errorf("one publication of two sets: version %d, want 1", v)
		}
		// A publication that only removes values.
		if _, err := s.DeleteSet(ctx, analystA, a); err != nil {
			t.Fatal(err)
		}
		if v := version(); v != 1 {
			t.Errorf("a deletion of working values moved the version to %d", v)
		}
		publishAll(t, s, a)
		if v := version(); v != 2 {
			t.Errorf("a publication that removes values: version %d, want 2", v)
		}
	})
}

// TestWithdrawalIsAWrite: whoever deleted a set's values is its last
// writer, so a colleague's submission does not let them approve it.
func TestWithdrawalIsAWrite(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		rows := []Observation{obs("SM_POP_TOT", "076", "", "2020", 1), obs("SM_POP_TOT", "076", "SEX=F", "2020", 1)}
		if _, err := s.Put(ctx, analystA, KindForm, rows); err != nil {
			t.Fatal(err)
		}
		key := SetKey{"SM_POP_TOT", "076", "2020"}
		if err := s.Delete(ctx, analystB, Key{"SM_POP_TOT", "076", "SEX=F", "2020"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Submit(ctx, analystA, []SetKey{key}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Approve(ctx, analystB, []SetKey{key}); !errors.Is(err, ErrOwnSubmission) {
			t.Fatalf("the author of the withdrawal approved it: %v", err)
		}
		sets, _, err := s.Sets(ctx, analystA, SetFilter{Series: "SM_POP_TOT"})
		if err != nil || len(sets) != 1 {
			t.Fatal(sets, err)
		}
		imp, err := s.ImportByID(ctx, sets[0].ImportID)
		if err != nil || imp.Kind != KindWithdrawal || imp.CreatedBy != analystB.UserID || imp.Rows != 0 {
			t.Errorf("the withdrawal's record %+v, %v", imp, err)
		}
	})
}
