// SPDX-License-Identifier: AGPL-3.0-or-later

package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

const chainLen = 10

// seedChain appends chainLen entries and returns them in seq order.
func seedChain(t *testing.T, db *store.DB) (*Log, []Entry) {
	t.Helper()
	l, _ := newLog(t, db)
	var out []Entry
	for i := range chainLen {
		e, err := l.Append(context.Background(), Entry{ActorID: "u1", OrgID: "org-a", Action: "user.read",
			ObjectType: "user", ObjectID: fmt.Sprintf("obj-%d", i), Fields: []string{"name", "nationality"}, RequestID: "req-1"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return l, out
}

// mustExec runs tampering SQL through db.Exec, which rebinds '?' for
// PostgreSQL, bypassing the log as an attacker with database access would.
func mustExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// insertRow writes e to audit_log as it stands, head untouched.
func insertRow(t *testing.T, db *store.DB, e Entry) {
	t.Helper()
	mustExec(t, db, `INSERT INTO audit_log (`+entryColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At.UnixMicro(), e.ActorID, e.OrgID, e.Action, e.ObjectType, e.ObjectID,
		strings.Join(e.Fields, ","), e.Outcome, e.RequestID, e.PrevHash, e.Hash)
}

// rewriteFrom replaces entries from seq on with a consistently re-hashed
// copy whose object ids are forged, leaving the head as it was.
func rewriteFrom(t *testing.T, db *store.DB, chain []Entry, seq int64) {
	t.Helper()
	mustExec(t, db, `DELETE FROM audit_log WHERE seq >= ?`, seq)
	prev := chain[seq-2].Hash
	for _, e := range chain[seq-1:] {
		e.ObjectID = "forged"
		e.PrevHash = prev
		e.Hash = entryHash(e)
		prev = e.Hash
		insertRow(t, db, e)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	const mid = chainLen / 2
	type tamper func(t *testing.T, db *store.DB, chain []Entry)
	setColumn := func(column string, value any) tamper {
		return func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `UPDATE audit_log SET `+column+` = ? WHERE seq = ?`, value, mid)
		}
	}
	tests := []struct {
		name        string
		tamper      tamper
		want        *Break
		wantChecked int64
	}{
		{"untouched", func(*testing.T, *store.DB, []Entry) {}, nil, chainLen},
		{"at edited", setColumn("at", start.UnixMicro()+1), &Break{mid, "hash mismatch"}, mid - 1},
		{"actor_id edited", setColumn("actor_id", "u2"), &Break{mid, "hash mismatch"}, mid - 1},
		{"org_id edited", setColumn("org_id", "org-b"), &Break{mid, "hash mismatch"}, mid - 1},
		{"action edited", setColumn("action", "user.create"), &Break{mid, "hash mismatch"}, mid - 1},
		{"object_type edited", setColumn("object_type", "case"), &Break{mid, "hash mismatch"}, mid - 1},
		{"object_id edited", setColumn("object_id", "obj-99"), &Break{mid, "hash mismatch"}, mid - 1},
		{"fields edited", setColumn("fields", "name"), &Break{mid, "hash mismatch"}, mid - 1},
		{"outcome edited", setColumn("outcome", "denied"), &Break{mid, "hash mismatch"}, mid - 1},
		{"request_id edited", setColumn("request_id", "req-2"), &Break{mid, "hash mismatch"}, mid - 1},
		{"hash edited", setColumn("hash", strings.Repeat("f", 64)), &Break{mid, "hash mismatch"}, mid - 1},
		{"first prev_hash edited", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `UPDATE audit_log SET prev_hash = ? WHERE seq = 1`, strings.Repeat("1", 64))
		}, &Break{1, "prev_hash does not match seq 0"}, 0},
		{"middle row edited and re-hashed", func(t *testing.T, db *store.DB, chain []Entry) {
			e := chain[mid-1]
			e.ObjectID = "forged"
			mustExec(t, db, `UPDATE audit_log SET object_id = ?, hash = ? WHERE seq = ?`, e.ObjectID, entryHash(e), mid)
		}, &Break{mid + 1, fmt.Sprintf("prev_hash does not match seq %d", mid)}, mid},
		{"tail rewritten consistently", func(t *testing.T, db *store.DB, chain []Entry) {
			rewriteFrom(t, db, chain, mid)
		}, &Break{chainLen, "head does not match last entry"}, chainLen},
		{"middle row deleted", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = ?`, mid)
		}, &Break{mid + 1, fmt.Sprintf("gap before seq %d", mid+1)}, mid - 1},
		{"first row deleted", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = 1`)
		}, &Break{2, "gap before seq 2"}, 0},
		{"seq renumbered", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `UPDATE audit_log SET seq = ? WHERE seq = ?`, chainLen+5, mid)
		}, &Break{mid + 1, fmt.Sprintf("gap before seq %d", mid+1)}, mid - 1},
		{"last row deleted", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq = ?`, chainLen)
		}, &Break{chainLen, "head does not match last entry"}, chainLen - 1},
		{"newest rows deleted", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `DELETE FROM audit_log WHERE seq > 3`)
		}, &Break{4, "head does not match last entry"}, 3},
		{"every row deleted", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `DELETE FROM audit_log`)
		}, &Break{1, "head does not match last entry"}, 0},
		{"forged row appended behind the head", func(t *testing.T, db *store.DB, chain []Entry) {
			e := chain[chainLen-1]
			e.Seq, e.PrevHash, e.ObjectID = chainLen+1, e.Hash, "forged"
			e.Hash = entryHash(e)
			insertRow(t, db, e)
		}, &Break{chainLen + 1, "head does not match last entry"}, chainLen + 1},
		{"head hash edited", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `UPDATE audit_head SET hash = ? WHERE id = 1`, strings.Repeat("e", 64))
		}, &Break{chainLen, "head does not match last entry"}, chainLen},
		{"head moved back", func(t *testing.T, db *store.DB, chain []Entry) {
			mustExec(t, db, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, chainLen-1, chain[chainLen-2].Hash)
		}, &Break{chainLen, "head does not match last entry"}, chainLen},
		{"head moved forward", func(t *testing.T, db *store.DB, _ []Entry) {
			mustExec(t, db, `UPDATE audit_head SET seq = ? WHERE id = 1`, chainLen+1)
		}, &Break{chainLen + 1, "head does not match last entry"}, chainLen},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.EachDB(t, func(t *testing.T, db *store.DB) {
				l, chain := seedChain(t, db)
				tc.tamper(t, db, chain)
				checked, brk, err := l.Verify(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if (brk == nil) != (tc.want == nil) || (brk != nil && *brk != *tc.want) || checked != tc.wantChecked {
					t.Errorf("Verify = %d, %+v; want %d, %+v", checked, brk, tc.wantChecked, tc.want)
				}
			})
		})
	}
}

func TestVerifyEmptyLog(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		l, _ := newLog(t, db)
		mustIntact(t, l, 0)
	})
}

func TestVerifyReport(t *testing.T) {
	tests := []struct {
		name       string
		tamper     string
		wantOut    string
		wantBroken bool
	}{
		{"intact", "", "audit chain intact: 10 entries\n", false},
		{"broken", `UPDATE audit_log SET fields = 'name' WHERE seq = 3`, "audit chain BROKEN at seq 3: hash mismatch\n", true},
		{"truncated", `DELETE FROM audit_log WHERE seq = 10`, "audit chain BROKEN at seq 10: head does not match last entry\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.EachDB(t, func(t *testing.T, db *store.DB) {
				l, _ := seedChain(t, db)
				if tc.tamper != "" {
					// Literal SQL straight to the engine, as a tamperer would.
					if _, err := db.Raw().Exec(tc.tamper); err != nil {
						t.Fatal(err)
					}
				}
				want := tc.wantOut
				if !tc.wantBroken {
					seq, hash, err := l.Head(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					want += fmt.Sprintf("head: %d:%s\n", seq, hash)
				}
				var out bytes.Buffer
				err := VerifyReport(context.Background(), l, &out)
				if out.String() != want {
					t.Errorf("output %q, want %q", out.String(), want)
				}
				if errors.Is(err, ErrBroken) != tc.wantBroken || (!tc.wantBroken && err != nil) {
					t.Errorf("VerifyReport error = %v, want broken %v", err, tc.wantBroken)
				}
			})
		})
	}
}

// An anchor recorded from Head catches a rewrite of the chain that keeps
// it internally consistent.
func TestCheckAnchor(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := seedChain(t, db)
		seq, hash, err := l.Head(ctx)
		if err != nil || seq != 10 {
			t.Fatalf("Head = %d, %q, %v", seq, hash, err)
		}
		if err := l.CheckAnchor(ctx, seq, hash); err != nil {
			t.Fatalf("fresh anchor: %v", err)
		}
		if _, err := l.Append(ctx, Entry{Action: "later.entry"}); err != nil {
			t.Fatal(err)
		}
		if err := l.CheckAnchor(ctx, seq, hash); err != nil {
			t.Fatalf("anchor after a later append: %v", err)
		}
		if _, err := db.Raw().Exec(`UPDATE audit_log SET hash = 'x' WHERE seq = 10`); err != nil {
			t.Fatal(err)
		}
		if err := l.CheckAnchor(ctx, seq, hash); !errors.Is(err, ErrBroken) {
			t.Fatalf("rewritten anchored entry: %v, want ErrBroken", err)
		}
		if err := l.CheckAnchor(ctx, 99, hash); !errors.Is(err, ErrBroken) {
			t.Fatalf("missing anchored entry: %v, want ErrBroken", err)
		}
	})
}
