// SPDX-License-Identifier: AGPL-3.0-or-later

package audit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
)

// start has sub-microsecond digits on purpose: the log must drop them.
var start = time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.UTC)

func newLog(t *testing.T, db *store.DB) (*Log, *clock.Fake) {
	t.Helper()
	c := clock.NewFake(start)
	return New(db, c), c
}

// auditRows counts the rows of audit_log.
func auditRows(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.Scan(db.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log`), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustHead(t *testing.T, l *Log) head {
	t.Helper()
	h, err := l.readHead(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func mustIntact(t *testing.T, l *Log, want int64) {
	t.Helper()
	n, brk, err := l.Verify(context.Background())
	if err != nil || brk != nil || n != want {
		t.Fatalf("Verify = %d, %+v, %v; want %d, nil, nil", n, brk, err, want)
	}
}

func TestAppendChainsEntries(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, c := newLog(t, db)
		first, err := l.Append(ctx, Entry{ActorID: "u1", OrgID: "org-a", Action: "user.read",
			ObjectType: "user", ObjectID: "obj-1", Fields: []string{"name", "date_of_birth"}, RequestID: "req-1"})
		if err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Second)
		second, err := l.Append(ctx, Entry{Action: "auth.login_failed", Outcome: OutcomeFailed})
		if err != nil {
			t.Fatal(err)
		}
		if first.Seq != 1 || first.PrevHash != GenesisHash {
			t.Errorf("first entry: seq %d prev %q; want 1 and the genesis hash", first.Seq, first.PrevHash)
		}
		if first.Outcome != OutcomeOK {
			t.Errorf("empty outcome stored as %q, want %q", first.Outcome, OutcomeOK)
		}
		if second.Seq != 2 || second.PrevHash != first.Hash {
			t.Errorf("second entry: seq %d prev %q; want 2 and %q", second.Seq, second.PrevHash, first.Hash)
		}
		for _, e := range []Entry{first, second} {
			if b, err := hex.DecodeString(e.Hash); err != nil || len(b) != sha256.Size || strings.ToLower(e.Hash) != e.Hash {
				t.Errorf("seq %d: hash %q is not lower-case hex SHA-256", e.Seq, e.Hash)
			}
			if e.Hash != entryHash(e) {
				t.Errorf("seq %d: returned hash does not match its content", e.Seq)
			}
		}
		h := mustHead(t, l)
		if h.seq != 2 || h.hash != second.Hash {
			t.Errorf("head = %+v, want seq 2 and the second entry's hash", h)
		}
		got, next, err := l.List(ctx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if want := []Entry{second, first}; !reflect.DeepEqual(got, want) || next != 0 {
			t.Errorf("List = %+v, next %d; want %+v, next 0", got, next, want)
		}
		mustIntact(t, l, 2)
	})
}

// zoneClock reports a fixed time in a zone other than UTC.
type zoneClock struct{ t time.Time }

func (z zoneClock) Now() time.Time { return z.t }

func TestAtIsUTCMicroseconds(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		local := start.In(time.FixedZone("UTC-5", -5*60*60))
		l := New(db, zoneClock{local})
		e, err := l.Append(ctx, Entry{Action: "user.read"})
		if err != nil {
			t.Fatal(err)
		}
		want := time.Date(2026, 5, 6, 7, 8, 9, 123456000, time.UTC)
		if !e.At.Equal(want) || e.At.Location() != time.UTC || e.At.Nanosecond() != 123456000 {
			t.Errorf("At = %v, want %v in UTC", e.At, want)
		}
		var stored int64
		if err := db.Scan(db.QueryRow(ctx, `SELECT at FROM audit_log WHERE seq = 1`), &stored); err != nil {
			t.Fatal(err)
		}
		if stored != want.UnixMicro() {
			t.Errorf("stored at = %d, want %d", stored, want.UnixMicro())
		}
		got, _, err := l.List(ctx, Filter{})
		if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0], e) {
			t.Fatalf("List = %+v, %v; want [%+v]", got, err, e)
		}
		mustIntact(t, l, 1)
	})
}

func TestInvalidEntriesAreRejected(t *testing.T) {
	valid := Entry{ActorID: "u1", OrgID: "org-a", Action: "user.read", ObjectType: "user", ObjectID: "obj-1",
		Fields: []string{"name"}, RequestID: "req-1"}
	tooMany := make([]string, maxFields+1)
	for i := range tooMany {
		tooMany[i] = "name"
	}
	tests := []struct {
		name   string
		edit   func(e *Entry)
		secret string // a rejected value that must not appear in the error
	}{
		{"empty action", func(e *Entry) { e.Action = "" }, ""},
		{"upper-case action", func(e *Entry) { e.Action = "User.Read" }, "User.Read"},
		{"action with a space", func(e *Entry) { e.Action = "user read" }, "user read"},
		{"action starting with a digit", func(e *Entry) { e.Action = "1user.read" }, "1user.read"},
		{"action too long", func(e *Entry) { e.Action = "a" + strings.Repeat("b", maxNameLen) }, strings.Repeat("b", maxNameLen)},
		{"value as field name", func(e *Entry) { e.Fields = []string{"name", "Maria Lopez"} }, "Maria Lopez"},
		{"assignment as field name", func(e *Entry) { e.Fields = []string{"email=maria@example.org"} }, "maria@example.org"},
		{"comma in field name", func(e *Entry) { e.Fields = []string{"name,passport_no"} }, "passport_no"},
		{"empty field name", func(e *Entry) { e.Fields = []string{"name", ""} }, ""},
		{"field name too long", func(e *Entry) { e.Fields = []string{"f" + strings.Repeat("x", maxNameLen)} }, strings.Repeat("x", maxNameLen)},
		{"too many field names", func(e *Entry) { e.Fields = tooMany }, ""},
		{"upper-case object type", func(e *Entry) { e.ObjectType = "User" }, "User"},
		{"actor id with a space", func(e *Entry) { e.ActorID = "maria lopez" }, "maria lopez"},
		{"actor id too long", func(e *Entry) { e.ActorID = strings.Repeat("a", maxIDLen+1) }, strings.Repeat("a", maxIDLen+1)},
		{"org id with a slash", func(e *Entry) { e.OrgID = "org/a" }, "org/a"},
		{"object id with an at sign", func(e *Entry) { e.ObjectID = "maria@example.org" }, "maria@example.org"},
		{"request id with a colon", func(e *Entry) { e.RequestID = "req:1" }, "req:1"},
		{"unknown outcome", func(e *Entry) { e.Outcome = "maybe" }, "maybe"},
		{"upper-case outcome", func(e *Entry) { e.Outcome = "OK" }, "\"OK\""},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e := valid
				tc.edit(&e)
				got, err := l.Append(ctx, e)
				if !errors.Is(err, ErrInvalid) {
					t.Fatalf("Append = %+v, %v; want ErrInvalid", got, err)
				}
				if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
					t.Errorf("error %q repeats the rejected value", err)
				}
				if n := auditRows(t, db); n != 0 {
					t.Errorf("%d rows written, want 0", n)
				}
				if h := mustHead(t, l); h.seq != 0 || h.hash != GenesisHash {
					t.Errorf("head moved to %+v", h)
				}
			})
		}
		mustIntact(t, l, 0)
	})
}

func TestValidEdgeEntriesAreAccepted(t *testing.T) {
	tests := []struct {
		name string
		e    Entry
	}{
		{"only an action", Entry{Action: "export"}},
		{"ids of the maximum length", Entry{Action: "user.read", ActorID: strings.Repeat("A", maxIDLen),
			OrgID: strings.Repeat("z", maxIDLen), ObjectID: strings.Repeat("-", maxIDLen), RequestID: strings.Repeat("_", maxIDLen)}},
		{"names of the maximum length", Entry{Action: "a" + strings.Repeat(".", maxNameLen-1),
			ObjectType: "t" + strings.Repeat("9", maxNameLen-1), Fields: []string{"f" + strings.Repeat("_", maxNameLen-1)}}},
		{"denied", Entry{Action: "user.read", Outcome: OutcomeDenied}},
		{"failed", Entry{Action: "auth.login_failed", Outcome: OutcomeFailed}},
	}
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		for i, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := l.Append(ctx, tc.e)
				if err != nil {
					t.Fatalf("Append: %v", err)
				}
				if got.Seq != int64(i+1) {
					t.Errorf("seq = %d, want %d", got.Seq, i+1)
				}
			})
		}
		mustIntact(t, l, int64(len(tests)))
	})
}

func TestAppendTxFollowsTheTransaction(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		fail      error // returned from the transaction
		wantOrgs  int
		wantSeq   int64 // of the next standalone append
		wantTotal int64 // entries after it
	}{
		{"commit keeps the write and its entry", nil, 1, 3, 3},
		{"rollback leaves no trace", boom, 0, 2, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			storetest.EachDB(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				l, _ := newLog(t, db)
				first, err := l.Append(ctx, Entry{Action: "auth.login"})
				if err != nil {
					t.Fatal(err)
				}
				err = db.InTx(ctx, func(tx *store.Tx) error {
					if _, err := tx.Exec(ctx, `INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, ?, 1, 1)`,
						"org-a", "Org A"); err != nil {
						return err
					}
					e, err := l.AppendTx(ctx, tx, Entry{Action: "org.create", ObjectType: "organisation", ObjectID: "org-a"})
					if err != nil {
						return err
					}
					if e.Seq != 2 || e.PrevHash != first.Hash {
						t.Errorf("in-transaction entry: seq %d prev %q; want 2 and %q", e.Seq, e.PrevHash, first.Hash)
					}
					return tc.fail
				})
				if !errors.Is(err, tc.fail) {
					t.Fatalf("InTx = %v, want %v", err, tc.fail)
				}
				var orgs int
				if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations`), &orgs); err != nil {
					t.Fatal(err)
				}
				if orgs != tc.wantOrgs {
					t.Errorf("organisations = %d, want %d", orgs, tc.wantOrgs)
				}
				if n := auditRows(t, db); int64(n) != tc.wantSeq-1 {
					t.Errorf("audit rows = %d, want %d", n, tc.wantSeq-1)
				}
				mustIntact(t, l, tc.wantSeq-1)
				next, err := l.Append(ctx, Entry{Action: "auth.logout"})
				if err != nil {
					t.Fatal(err)
				}
				if next.Seq != tc.wantSeq {
					t.Errorf("next seq = %d, want %d", next.Seq, tc.wantSeq)
				}
				mustIntact(t, l, tc.wantTotal)
			})
		})
	}
}

func TestConcurrentAppendsStayLinear(t *testing.T) {
	const writers, perWriter = 8, 40
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, c := newLog(t, db)
		var wg sync.WaitGroup
		errs := make(chan error, writers*perWriter+1)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perWriter {
					c.Advance(time.Millisecond)
					if _, err := l.Append(ctx, Entry{Action: "user.read", ActorID: "writer-" + string(rune('a'+w)),
						ObjectID: "obj-" + string(rune('a'+i%26))}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		// Verify runs alongside the writers and must never see a break.
		done := make(chan struct{})
		verified := make(chan struct{})
		go func() {
			defer close(verified)
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, brk, err := l.Verify(ctx); err != nil || brk != nil {
					errs <- errors.New("concurrent Verify: " + breakString(brk, err))
					return
				}
			}
		}()
		wg.Wait()
		close(done)
		<-verified
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, next, err := l.List(ctx, Filter{Limit: MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != writers*perWriter || next != 0 {
			t.Fatalf("List returned %d entries, next %d; want %d, 0", len(got), next, writers*perWriter)
		}
		for i, e := range got {
			if want := int64(writers*perWriter - i); e.Seq != want {
				t.Fatalf("entry %d has seq %d, want %d", i, e.Seq, want)
			}
		}
		mustIntact(t, l, writers*perWriter)
	})
}

func breakString(brk *Break, err error) string {
	if err != nil {
		return err.Error()
	}
	return brk.Reason
}

// TestEntryHashEncoding pins the canonical encoding: a change to entryHash
// would make every stored chain fail Verify.
func TestEntryHashEncoding(t *testing.T) {
	e := Entry{Seq: 7, At: time.UnixMicro(1_700_000_000_123_456).UTC(), ActorID: "u1", OrgID: "org-a",
		Action: "user.read", ObjectType: "user", ObjectID: "obj-1", Fields: []string{"name", "dob"},
		Outcome: "ok", RequestID: "req-1", PrevHash: strings.Repeat("ab", 32)}
	var msg bytes.Buffer
	putInt := func(v int64) { _ = binary.Write(&msg, binary.BigEndian, v) }
	putStr := func(s string) { putInt(int64(len(s))); msg.WriteString(s) }
	putStr("amparo.audit.v1")
	putStr(e.PrevHash)
	putInt(7)
	putInt(1_700_000_000_123_456)
	for _, s := range []string{"u1", "org-a", "user.read", "user", "obj-1", "name,dob", "ok", "req-1"} {
		putStr(s)
	}
	sum := sha256.Sum256(msg.Bytes())
	if got, want := entryHash(e), hex.EncodeToString(sum[:]); got != want {
		t.Fatalf("entryHash = %s, want %s", got, want)
	}
}

func TestEntryHashIsUnambiguous(t *testing.T) {
	base := Entry{Seq: 1, At: start, Action: "user.read", Outcome: "ok", PrevHash: GenesisHash}
	tests := []struct {
		name string
		a, b func(e *Entry)
	}{
		{"text moved between ids", func(e *Entry) { e.ActorID, e.OrgID = "ab", "" }, func(e *Entry) { e.ActorID, e.OrgID = "a", "b" }},
		{"text moved between type and id", func(e *Entry) { e.ObjectType, e.ObjectID = "user", "x" }, func(e *Entry) { e.ObjectType, e.ObjectID = "use", "rx" }},
		{"field split differently", func(e *Entry) { e.Fields = []string{"a", "b"} }, func(e *Entry) { e.Fields = []string{"a.b"} }},
		{"seq differs", func(e *Entry) { e.Seq = 1 }, func(e *Entry) { e.Seq = 2 }},
		{"time differs by a microsecond", func(e *Entry) {}, func(e *Entry) { e.At = e.At.Add(time.Microsecond) }},
		{"previous hash differs", func(e *Entry) {}, func(e *Entry) { e.PrevHash = strings.Repeat("1", 64) }},
		{"outcome differs", func(e *Entry) {}, func(e *Entry) { e.Outcome = OutcomeDenied }},
		{"request id differs", func(e *Entry) {}, func(e *Entry) { e.RequestID = "r" }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, b := base, base
			tc.a(&a)
			tc.b(&b)
			if entryHash(a) == entryHash(b) {
				t.Fatal("different entries hash alike")
			}
		})
	}
}

// TestAppendBatchChains appends a batch between single appends and checks
// the chain verifies, the seqs run on, and an invalid entry leaves nothing.
func TestAppendBatchChains(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		l, _ := newLog(t, db)
		if _, err := l.Append(ctx, Entry{Action: "before"}); err != nil {
			t.Fatal(err)
		}
		const n = batchRows + 10
		err := db.InTx(ctx, func(tx *store.Tx) error {
			return l.AppendBatchTx(ctx, tx, n, func(i int) Entry {
				return Entry{ActorID: "u1", OrgID: "o1", Action: "case.create", ObjectType: "case",
					ObjectID: "c" + strings.Repeat("x", i%5), Fields: []string{"number", "status"}}
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if e, err := l.Append(ctx, Entry{Action: "after"}); err != nil || e.Seq != n+2 {
			t.Fatalf("after the batch: seq %d, %v; want %d", e.Seq, err, n+2)
		}
		mustIntact(t, l, n+2)
		err = db.InTx(ctx, func(tx *store.Tx) error {
			return l.AppendBatchTx(ctx, tx, 3, func(i int) Entry {
				if i == 2 {
					return Entry{Action: "Has Value"}
				}
				return Entry{Action: "ok"}
			})
		})
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("invalid entry: err = %v, want ErrInvalid", err)
		}
		if got := auditRows(t, db); got != n+2 {
			t.Fatalf("rows = %d after the failed batch, want %d", got, n+2)
		}
		mustIntact(t, l, n+2)
	})
}
