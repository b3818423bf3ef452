// SPDX-License-Identifier: AGPL-3.0-or-later

package audit

import (
	"context"
	"fmt"
	"github.com/amparo-project/amparo/internal/access"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// seedVaried appends 24 entries, one a minute from start, whose attributes
// vary independently, and returns them in seq order.
func seedVaried(t *testing.T, db *store.DB) (*Log, []Entry) {
	t.Helper()
	ctx := context.Background()
	l, c := newLog(t, db)
	orgs := []string{"org-a", "org-b"}
	actors := []string{"u1", "u2", ""}
	actions := []string{"user.read", "user.create", "auth.login", "export"}
	types := []string{"user", "case", ""}
	var out []Entry
	for i := range 24 {
		e, err := l.Append(ctx, Entry{
			OrgID:      orgs[i%len(orgs)],
			ActorID:    actors[i%len(actors)],
			Action:     actions[i%len(actions)],
			ObjectType: types[i%len(types)],
			ObjectID:   fmt.Sprintf("obj-%d", i%5),
			Fields:     []string{"name"},
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
		c.Advance(time.Minute)
	}
	return l, out
}

// newestFirst returns the seqs of the entries that keep accepts, highest first.
func newestFirst(all []Entry, keep func(Entry) bool) []int64 {
	var seqs []int64
	for _, e := range all {
		if keep(e) {
			seqs = append(seqs, e.Seq)
		}
	}
	slices.Reverse(seqs)
	return seqs
}

func seqsOf(entries []Entry) []int64 {
	seqs := []int64{}
	for _, e := range entries {
		seqs = append(seqs, e.Seq)
	}
	return seqs
}

func TestListFilters(t *testing.T) {
	at := func(minute int) time.Time { return start.Add(time.Duration(minute) * time.Minute) }
	tests := []struct {
		name   string
		filter Filter
		keep   func(Entry) bool
	}{
		{"no filter", Filter{}, func(Entry) bool { return true }},
		{"org", Filter{OrgID: "org-b"}, func(e Entry) bool { return e.OrgID == "org-b" }},
		{"actor", Filter{ActorID: "u2"}, func(e Entry) bool { return e.ActorID == "u2" }},
		{"action", Filter{Action: "auth.login"}, func(e Entry) bool { return e.Action == "auth.login" }},
		{"object type", Filter{ObjectType: "case"}, func(e Entry) bool { return e.ObjectType == "case" }},
		{"object id", Filter{ObjectID: "obj-3"}, func(e Entry) bool { return e.ObjectID == "obj-3" }},
		{"since is inclusive", Filter{Since: at(20)}, func(e Entry) bool { return e.Seq >= 21 }},
		{"until is exclusive", Filter{Until: at(3)}, func(e Entry) bool { return e.Seq <= 3 }},
		{"since and until", Filter{Since: at(5), Until: at(9)}, func(e Entry) bool { return e.Seq >= 6 && e.Seq <= 9 }},
		{"before cursor", Filter{Before: 10}, func(e Entry) bool { return e.Seq < 10 }},
		{"org and action", Filter{OrgID: "org-a", Action: "user.create"},
			func(e Entry) bool { return e.OrgID == "org-a" && e.Action == "user.create" }},
		{"org and object id", Filter{OrgID: "org-a", ObjectID: "obj-2"},
			func(e Entry) bool { return e.OrgID == "org-a" && e.ObjectID == "obj-2" }},
		{"actor before cursor", Filter{ActorID: "u1", Before: 13}, func(e Entry) bool { return e.ActorID == "u1" && e.Seq < 13 }},
		{"no match", Filter{OrgID: "org-c"}, func(Entry) bool { return false }},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, all := seedVaried(t, db)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, next, err := l.List(ctx, tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				want := newestFirst(all, tc.keep)
				if want == nil {
					want = []int64{}
				}
				if !reflect.DeepEqual(seqsOf(got), want) || next != 0 {
					t.Errorf("List = %v, next %d; want %v, next 0", seqsOf(got), next, want)
				}
				for _, e := range got {
					if !reflect.DeepEqual(e, all[e.Seq-1]) {
						t.Errorf("listed %+v, appended %+v", e, all[e.Seq-1])
					}
				}
			})
		}
	})
}

func TestListPaginates(t *testing.T) {
	tests := []struct {
		name      string
		filter    Filter
		keep      func(Entry) bool
		wantPages int
	}{
		{"uneven pages", Filter{Limit: 5}, func(Entry) bool { return true }, 5},
		{"pages that divide exactly", Filter{Limit: 6}, func(Entry) bool { return true }, 4},
		{"one entry per page", Filter{Limit: 1, ActorID: "u1"}, func(e Entry) bool { return e.ActorID == "u1" }, 8},
		{"filtered", Filter{Limit: 3, OrgID: "org-a"}, func(e Entry) bool { return e.OrgID == "org-a" }, 4},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, all := seedVaried(t, db)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.filter
				var seqs []int64
				pages := 0
				for {
					page, next, err := l.List(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					pages++
					if len(page) > f.Limit {
						t.Fatalf("page of %d entries, limit %d", len(page), f.Limit)
					}
					seqs = append(seqs, seqsOf(page)...)
					if next == 0 {
						break
					}
					if next != page[len(page)-1].Seq {
						t.Fatalf("next = %d, want the last listed seq %d", next, page[len(page)-1].Seq)
					}
					if pages > len(all) {
						t.Fatal("pagination does not end")
					}
					f.Before = next
				}
				if want := newestFirst(all, tc.keep); !reflect.DeepEqual(seqs, want) || pages != tc.wantPages {
					t.Errorf("paged through %v in %d pages; want %v in %d", seqs, pages, want, tc.wantPages)
				}
			})
		}
	})
}

func TestListLimits(t *testing.T) {
	const total = MaxLimit + 10
	tests := []struct {
		name     string
		limit    int
		wantLen  int
		wantNext int64
	}{
		{"zero means the default", 0, DefaultLimit, total - DefaultLimit + 1},
		{"negative means the default", -1, DefaultLimit, total - DefaultLimit + 1},
		{"explicit limit", 7, 7, total - 7 + 1},
		{"maximum", MaxLimit, MaxLimit, total - MaxLimit + 1},
		{"above the maximum is capped", 10 * MaxLimit, MaxLimit, total - MaxLimit + 1},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		// One transaction keeps the set-up fast and exercises several
		// appends chained inside the same transaction.
		err := db.InTx(ctx, func(tx *store.Tx) error {
			for range total {
				if _, err := l.AppendTx(ctx, tx, Entry{Action: "user.read"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		mustIntact(t, l, total)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, next, err := l.List(ctx, Filter{Limit: tc.limit})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != tc.wantLen || next != tc.wantNext || got[0].Seq != total {
					t.Errorf("List returned %d entries from seq %d, next %d; want %d from %d, next %d",
						len(got), got[0].Seq, next, tc.wantLen, total, tc.wantNext)
				}
			})
		}
	})
}

func TestRestrictNeverWidens(t *testing.T) {
	cases := []struct {
		scope       access.Scope
		org, user   string
		wantOrg     string
		wantActor   string
		description string
	}{
		{access.ScopeAll, "", "", "", "", "all sees everything"},
		{access.ScopeOrg, "org1", "u1", "org1", "", "org sees its organisation"},
		{access.ScopeOrg, "", "u1", "", noEntry, "org without an organisation sees nothing"},
		{access.ScopeOwn, "org1", "u1", "", "u1", "own sees own acts"},
		{access.ScopeOwn, "org1", "", "", noEntry, "own without an id sees nothing"},
		{access.ScopeNone, "org1", "u1", "", "u1", "none is narrowed like own"},
	}
	for _, c := range cases {
		f := Filter{}
		f.Restrict(c.scope, c.org, c.user)
		if f.OrgID != c.wantOrg || f.ActorID != c.wantActor {
			t.Errorf("%s: filter %+v", c.description, f)
		}
	}
}
