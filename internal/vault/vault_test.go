// SPDX-License-Identifier: AGPL-3.0-or-later

package vault_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/vault"
)

// fixture is a vault over a database with its key file, so a test can make
// a second vault with the same KEK and an empty cache, as another process
// would have.
type fixture struct {
	db      *store.DB
	keyPath string
	v       *vault.Vault
}

func newFixture(t testing.TB, db *store.DB) fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "amparo.keys")
	ring, err := vault.CreateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(db, ring)
	if err := v.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, keyPath: path, v: v}
}

// fresh returns another initialised vault with the fixture's key file.
func (f fixture) fresh(t testing.TB) *vault.Vault {
	t.Helper()
	ring, err := vault.LoadKeyFile(f.keyPath)
	if err != nil {
		t.Fatal(err)
	}
	v := vault.New(f.db, ring)
	if err := v.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	return v
}

func (f fixture) newKey(t testing.TB, q store.Queryer) string {
	t.Helper()
	id, err := f.v.NewDataKey(context.Background(), q, "person")
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSealOpenRoundTrip(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		keyID := f.newKey(t, db)
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		for _, tc := range []struct {
			name      string
			plaintext []byte
		}{
			{"empty", []byte{}},
			{"ascii", []byte("SNTL-name-0001")},
			{"unicode", []byte("أمينة Дарья 明")},
			{"binary", []byte{0, 1, 2, 0xff, 0xfe}},
			{"64 KiB", bytes.Repeat([]byte("x"), 64<<10)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				sealed, err := f.v.Seal(ctx, db, keyID, ad, tc.plaintext)
				if err != nil {
					t.Fatal(err)
				}
				if len(tc.plaintext) >= 8 && bytes.Contains(sealed, tc.plaintext) {
					t.Fatal("sealed value contains the plaintext")
				}
				if want := len(tc.plaintext) + 1 + 24 + 16; len(sealed) != want || sealed[0] != 0x01 {
					t.Fatalf("sealed is %d bytes starting %#x, want %d bytes starting 0x01", len(sealed), sealed[0], want)
				}
				again, err := f.v.Seal(ctx, db, keyID, ad, tc.plaintext)
				if err != nil {
					t.Fatal(err)
				}
				if bytes.Equal(sealed, again) {
					t.Fatal("sealing twice gave the same bytes; the nonce must be random")
				}
				got, err := f.v.Open(ctx, db, keyID, ad, sealed)
				if err != nil || !bytes.Equal(got, tc.plaintext) {
					t.Fatalf("Open = %d bytes, %v; want the plaintext", len(got), err)
				}
				// Another process (empty cache) reads the key from the
				// database and opens the same value.
				got, err = f.fresh(t).Open(ctx, db, keyID, ad, sealed)
				if err != nil || !bytes.Equal(got, tc.plaintext) {
					t.Fatalf("Open in a fresh vault = %d bytes, %v; want the plaintext", len(got), err)
				}
			})
		}
	})
}

func TestSealOpenInsideTransaction(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		var keyID string
		var sealed []byte
		// Every call takes the transaction: on SQLite, touching db here
		// would wait for the writer the transaction holds, and hang.
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			if keyID, err = f.v.NewDataKey(ctx, tx, "person"); err != nil {
				return err
			}
			if sealed, err = f.v.SealString(ctx, tx, keyID, ad, "Amina"); err != nil {
				return err
			}
			if got, err := f.v.OpenString(ctx, tx, keyID, ad, sealed); err != nil || got != "Amina" {
				return fmt.Errorf("Open inside the transaction = %q, %v", got, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.fresh(t).OpenString(ctx, db, keyID, ad, sealed); err != nil || got != "Amina" {
			t.Fatalf("Open after commit = %q, %v", got, err)
		}
	})
}

func TestKeyCreatedInRolledBackTransactionIsGone(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		var keyID string
		var sealed []byte
		rollback := errors.New("roll back")
		err := db.InTx(ctx, func(tx *store.Tx) error {
			var err error
			if keyID, err = f.v.NewDataKey(ctx, tx, "person"); err != nil {
				return err
			}
			if sealed, err = f.v.SealString(ctx, tx, keyID, ad, "Amina"); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		if _, err := f.fresh(t).Open(ctx, db, keyID, ad, sealed); !errors.Is(err, vault.ErrErased) {
			t.Fatalf("Open under a rolled-back key = %v, want ErrErased", err)
		}
	})
}

func TestOpenRejectsMovedCiphertext(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		keyID, otherKey := f.newKey(t, db), f.newKey(t, db)
		ad := vault.AD{Table: "people", Field: "a|b", RecordID: "c"}
		sealed, err := f.v.SealString(ctx, db, keyID, ad, "SNTL-name-0002")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			keyID string
			ad    vault.AD
		}{
			{"other record id", keyID, vault.AD{Table: "people", Field: "a|b", RecordID: "d"}},
			{"other field", keyID, vault.AD{Table: "people", Field: "a|c", RecordID: "c"}},
			{"other table", keyID, vault.AD{Table: "users", Field: "a|b", RecordID: "c"}},
			{"separator moved between field and id", keyID, vault.AD{Table: "people", Field: "a", RecordID: "b|c"}},
			{"separator moved between table and field", keyID, vault.AD{Table: "people|a", Field: "b", RecordID: "c"}},
			{"other data key", otherKey, ad},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := f.v.Open(ctx, db, tc.keyID, tc.ad, sealed); !errors.Is(err, vault.ErrTampered) {
					t.Fatalf("Open = %v, want ErrTampered", err)
				}
			})
		}
		if got, err := f.v.OpenString(ctx, db, keyID, ad, sealed); err != nil || got != "SNTL-name-0002" {
			t.Fatalf("Open in place = %q, %v; want the plaintext", got, err)
		}
	})
}

func TestOpenRejectsModifiedBytes(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		keyID := f.newKey(t, db)
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		sealed, err := f.v.SealString(ctx, db, keyID, ad, "SNTL-name-0003")
		if err != nil {
			t.Fatal(err)
		}
		flip := func(i int) []byte {
			b := bytes.Clone(sealed)
			b[i] ^= 0x01
			return b
		}
		for _, tc := range []struct {
			name   string
			sealed []byte
		}{
			{"version byte", flip(0)},
			{"nonce", flip(5)},
			{"ciphertext", flip(1 + 24 + 2)},
			{"tag", flip(len(sealed) - 1)},
			{"truncated", sealed[:len(sealed)-1]},
			{"too short for a tag", sealed[:1+24+15]},
			{"appended byte", append(bytes.Clone(sealed), 0)},
			{"empty", []byte{}},
			{"nil", nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := f.v.Open(ctx, db, keyID, ad, tc.sealed); !errors.Is(err, vault.ErrTampered) {
					t.Fatalf("Open = %v, want ErrTampered", err)
				}
			})
		}
	})
}

func TestOpenRejectsWrongKeyOrTamperedKeyRow(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		keyID, otherKey := f.newKey(t, db), f.newKey(t, db)
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		sealed, err := f.v.SealString(ctx, db, keyID, ad, "SNTL-name-0004")
		if err != nil {
			t.Fatal(err)
		}
		t.Run("another key file", func(t *testing.T) {
			ring, err := vault.CreateKeyFile(filepath.Join(t.TempDir(), "other.keys"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := vault.New(db, ring).Open(ctx, db, keyID, ad, sealed); !errors.Is(err, vault.ErrTampered) {
				t.Fatalf("Open under another KEK = %v, want ErrTampered", err)
			}
		})
		t.Run("another row's wrapped key", func(t *testing.T) {
			// The wrap is bound to its key id, so a copied wrapped key
			// must not unwrap, even though the KEK is right.
			if _, err := db.Exec(ctx, `UPDATE data_keys SET wrapped = (SELECT wrapped FROM data_keys WHERE id = ?) WHERE id = ?`, otherKey, keyID); err != nil {
				t.Fatal(err)
			}
			if _, err := f.fresh(t).Open(ctx, db, keyID, ad, sealed); !errors.Is(err, vault.ErrTampered) {
				t.Fatalf("Open = %v, want ErrTampered", err)
			}
		})
	})
}

func TestRefusesBadArguments(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		keyID := f.newKey(t, db)
		good := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		for _, tc := range []struct {
			name string
			run  func() error
		}{
			{"purpose empty", func() error { _, err := f.v.NewDataKey(ctx, db, ""); return err }},
			{"purpose blind-index", func() error { _, err := f.v.NewDataKey(ctx, db, "blind-index"); return err }},
			{"AD without table", func() error {
				_, err := f.v.Seal(ctx, db, keyID, vault.AD{Field: "f", RecordID: "r"}, nil)
				return err
			}},
			{"AD without field", func() error {
				_, err := f.v.Seal(ctx, db, keyID, vault.AD{Table: "t", RecordID: "r"}, nil)
				return err
			}},
			{"AD without record id", func() error {
				_, err := f.v.Seal(ctx, db, keyID, vault.AD{Table: "t", Field: "f"}, nil)
				return err
			}},
			{"seal under the blind-index key", func() error {
				_, err := f.v.Seal(ctx, db, "blind-index-v1", good, nil)
				return err
			}},
			{"erase the blind-index key", func() error { return f.v.EraseKey(ctx, db, "blind-index-v1") }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if err := tc.run(); err == nil {
					t.Fatal("accepted")
				}
			})
		}
		var n int
		if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM data_keys WHERE id = 'blind-index-v1'`), &n); err != nil || n != 1 {
			t.Fatalf("blind-index key rows = %d, %v; want 1", n, err)
		}
	})
}

func TestEraseKey(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		keyID, keptID := f.newKey(t, db), f.newKey(t, db)
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		sealed, err := f.v.SealString(ctx, db, keyID, ad, "SNTL-name-0005")
		if err != nil {
			t.Fatal(err)
		}
		kept, err := f.v.SealString(ctx, db, keptID, ad, "SNTL-name-0006")
		if err != nil {
			t.Fatal(err)
		}
		// The key is cached now; erasure must evict it.
		if _, err := f.v.Open(ctx, db, keyID, ad, sealed); err != nil {
			t.Fatal(err)
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error { return f.v.EraseKey(ctx, tx, keyID) }); err != nil {
			t.Fatal(err)
		}
		if err := f.v.Checkpoint(ctx); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			v    *vault.Vault
		}{
			{"same vault", f.v},
			{"fresh vault", f.fresh(t)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if _, err := tc.v.Open(ctx, db, keyID, ad, sealed); !errors.Is(err, vault.ErrErased) {
					t.Errorf("Open = %v, want ErrErased", err)
				}
				if _, err := tc.v.Seal(ctx, db, keyID, ad, []byte("x")); !errors.Is(err, vault.ErrErased) {
					t.Errorf("Seal = %v, want ErrErased", err)
				}
				if got, err := tc.v.OpenString(ctx, db, keptID, ad, kept); err != nil || got != "SNTL-name-0006" {
					t.Errorf("Open under another key = %q, %v; want the plaintext", got, err)
				}
			})
		}
		if err := f.v.EraseKey(ctx, db, keyID); err != nil {
			t.Errorf("erasing again = %v, want nil", err)
		}
		if _, err := f.v.Open(ctx, db, "", ad, sealed); !errors.Is(err, vault.ErrErased) {
			t.Errorf("Open with no key id = %v, want ErrErased", err)
		}
	})
}

func TestEraseKeyRolledBackKeepsKey(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		keyID := f.newKey(t, db)
		ad := vault.AD{Table: "people", Field: "name_enc", RecordID: "p1"}
		sealed, err := f.v.SealString(ctx, db, keyID, ad, "Amina")
		if err != nil {
			t.Fatal(err)
		}
		rollback := errors.New("roll back")
		err = db.InTx(ctx, func(tx *store.Tx) error {
			if err := f.v.EraseKey(ctx, tx, keyID); err != nil {
				return err
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatal(err)
		}
		for range 2 {
			if got, err := f.v.OpenString(ctx, db, keyID, ad, sealed); err != nil || got != "Amina" {
				t.Fatalf("Open after a rolled-back erasure = %q, %v; want the plaintext", got, err)
			}
		}
	})
}

// TestErasedKeyLeavesSQLiteFiles checks SECURITY-BAR 11 on disk: after the
// erasing transaction and Checkpoint, the wrapped key's bytes are in neither
// the database file, the write-ahead log nor the shared-memory index.
func TestErasedKeyLeavesSQLiteFiles(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "amparo.db")
	db := storetest.Open(t, path)
	f := newFixture(t, db)
	keyID, keptID := f.newKey(t, db), f.newKey(t, db)
	wrappedOf := func(id string) []byte {
		var w []byte
		if err := db.Scan(db.QueryRow(ctx, `SELECT wrapped FROM data_keys WHERE id = ?`, id), &w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	wrapped, keptWrapped := wrappedOf(keyID), wrappedOf(keptID)
	files := func() map[string][]byte {
		out := map[string][]byte{}
		for _, name := range []string{path, path + "-wal", path + "-shm"} {
			b, err := os.ReadFile(name)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			out[name] = b
		}
		return out
	}
	found := func(needle []byte) []string {
		var where []string
		for name, b := range files() {
			if bytes.Contains(b, needle) {
				where = append(where, filepath.Base(name))
			}
		}
		return where
	}
	// The search must be able to find a key that is there.
	if where := found(wrapped); len(where) == 0 {
		t.Fatal("the wrapped key is not found on disk before erasure; the search is broken")
	}
	if err := db.InTx(ctx, func(tx *store.Tx) error { return f.v.EraseKey(ctx, tx, keyID) }); err != nil {
		t.Fatal(err)
	}
	if err := f.v.Checkpoint(ctx); err != nil {
		t.Fatal(err)
	}
	if where := found(wrapped); len(where) != 0 {
		t.Fatalf("erased wrapped key still in %v after Checkpoint", where)
	}
	if where := found(keptWrapped); len(where) == 0 {
		t.Fatal("the key that was not erased is gone from disk too")
	}
}

func TestBlindIndex(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		idx := f.v.BlindIndex("users.email", "amina@example.org")
		if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(idx) {
			t.Fatalf("BlindIndex = %q, want 64 lower-case hex digits", idx)
		}
		if strings.Contains(idx, "amina") {
			t.Fatal("index contains the value")
		}
		for _, tc := range []struct {
			name          string
			domain, value string
			same          bool
		}{
			{"same domain and value", "users.email", "amina@example.org", true},
			{"other value", "users.email", "amina@example.com", false},
			{"other domain", "people.email", "amina@example.org", false},
			{"boundary moved into the domain", "users.emaila", "mina@example.org", false},
			{"boundary moved into the value", "users.emai", "lamina@example.org", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := f.v.BlindIndex(tc.domain, tc.value); (got == idx) != tc.same {
					t.Fatalf("BlindIndex(%q, %q) == first index: %v, want %v", tc.domain, tc.value, got == idx, tc.same)
				}
			})
		}
		t.Run("another process sees the same key", func(t *testing.T) {
			if got := f.fresh(t).BlindIndex("users.email", "amina@example.org"); got != idx {
				t.Fatal("a second vault on the same database computes another index")
			}
		})
		t.Run("another database has another key", func(t *testing.T) {
			other := newFixture(t, storetest.Open(t, filepath.Join(t.TempDir(), "other.db")))
			if other.v.BlindIndex("users.email", "amina@example.org") == idx {
				t.Fatal("two databases share a blind-index key")
			}
		})
		t.Run("before Init", func(t *testing.T) {
			ring, err := vault.LoadKeyFile(f.keyPath)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if recover() == nil {
					t.Fatal("BlindIndex before Init did not panic")
				}
			}()
			vault.New(db, ring).BlindIndex("users.email", "amina@example.org")
		})
	})
}

// TestInitRace starts several processes' vaults at once on one fresh
// database; exactly one blind-index key must result, shared by all.
func TestInitRace(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "amparo.keys")
		if _, err := vault.CreateKeyFile(path); err != nil {
			t.Fatal(err)
		}
		ring, err := vault.LoadKeyFile(path)
		if err != nil {
			t.Fatal(err)
		}
		const procs = 4
		dbs := make([]*store.DB, procs)
		for i := range dbs {
			dbs[i] = storetest.Open(t, url)
		}
		vaults := make([]*vault.Vault, procs)
		errs := make([]error, procs)
		var wg sync.WaitGroup
		for i := range procs {
			vaults[i] = vault.New(dbs[i], ring)
			wg.Go(func() { errs[i] = vaults[i].Init(ctx) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("Init in process %d: %v", i, err)
			}
		}
		want := vaults[0].BlindIndex("users.email", "x")
		for i, v := range vaults {
			if v.BlindIndex("users.email", "x") != want {
				t.Fatalf("process %d has another blind-index key", i)
			}
		}
		if err := vaults[0].Init(ctx); err != nil {
			t.Fatalf("second Init: %v", err)
		}
		if vaults[0].BlindIndex("users.email", "x") != want {
			t.Fatal("a second Init changed the blind-index key")
		}
	})
}

// TestConcurrentUse runs Seal, Open and EraseKey from many goroutines on
// shared keys (run with -race). Every Open must give the plaintext or, for a
// key erased meanwhile, ErrErased; once the erasers finish, no erased key may
// still open from the cache.
func TestConcurrentUse(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		const keys, workers, rounds = 8, 8, 40
		type record struct {
			keyID  string
			ad     vault.AD
			sealed []byte
			plain  string
		}
		records := make([]record, keys)
		for i := range records {
			r := record{keyID: f.newKey(t, db), ad: vault.AD{Table: "people", Field: "name_enc", RecordID: fmt.Sprint("p", i)}, plain: fmt.Sprint("SNTL-name-", i)}
			var err error
			if r.sealed, err = f.v.SealString(ctx, db, r.keyID, r.ad, r.plain); err != nil {
				t.Fatal(err)
			}
			records[i] = r
		}
		erasable := func(i int) bool { return i%2 == 0 }
		var wg sync.WaitGroup
		errs := make(chan error, workers*rounds+keys)
		for w := range workers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(w), 1))
				for range rounds {
					i := rng.IntN(keys)
					r := records[i]
					got, err := f.v.OpenString(ctx, db, r.keyID, r.ad, r.sealed)
					switch {
					case err == nil && got != r.plain:
						errs <- fmt.Errorf("key %d opened to the wrong plaintext", i)
					case errors.Is(err, vault.ErrErased) && erasable(i):
					case err != nil:
						errs <- fmt.Errorf("Open key %d: %w", i, err)
					}
					if _, err := f.v.SealString(ctx, db, r.keyID, r.ad, r.plain); err != nil && !(errors.Is(err, vault.ErrErased) && erasable(i)) {
						errs <- fmt.Errorf("Seal key %d: %w", i, err)
					}
				}
			})
		}
		for i := range records {
			if erasable(i) {
				wg.Go(func() {
					if err := db.InTx(ctx, func(tx *store.Tx) error { return f.v.EraseKey(ctx, tx, records[i].keyID) }); err != nil {
						errs <- fmt.Errorf("EraseKey %d: %w", i, err)
					}
				})
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		for i, r := range records {
			_, err := f.v.Open(ctx, db, r.keyID, r.ad, r.sealed)
			if erasable(i) && !errors.Is(err, vault.ErrErased) {
				t.Errorf("erased key %d: Open = %v, want ErrErased", i, err)
			}
			if !erasable(i) && err != nil {
				t.Errorf("kept key %d: Open = %v", i, err)
			}
		}
	})
}

// TestFreshKey seals with a key made in memory, stores the key's row with
// the bulk path, and opens the value with the vault as any reader would.
func TestFreshKey(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		if _, err := f.v.FreshKey("blind-index"); err == nil {
			t.Fatal("FreshKey accepted the blind-index purpose")
		}
		k, err := f.v.FreshKey("person")
		if err != nil {
			t.Fatal(err)
		}
		ad := vault.AD{Table: "persons", Field: "identity", RecordID: "p1"}
		sealed, err := k.Seal(ad, []byte("Amina"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := k.Seal(vault.AD{Table: "persons"}, []byte("x")); err == nil {
			t.Fatal("Seal accepted an incomplete AD")
		}
		if err := db.InTx(ctx, func(tx *store.Tx) error {
			return tx.InsertRows(ctx, vault.KeyTable, vault.KeyColumns, [][]any{k.Row()})
		}); err != nil {
			t.Fatal(err)
		}
		got, err := f.fresh(t).OpenString(ctx, db, k.ID, ad, sealed)
		if err != nil || got != "Amina" {
			t.Fatalf("Open = %q, %v", got, err)
		}
		if _, err := f.v.Open(ctx, db, k.ID, vault.AD{Table: "persons", Field: "identity", RecordID: "p2"}, sealed); !errors.Is(err, vault.ErrTampered) {
			t.Fatalf("Open for another record: err = %v, want ErrTampered", err)
		}
	})
}
