// SPDX-License-Identifier: AGPL-3.0-or-later

// Package vault encrypts personal data at rest with envelope encryption
// (SECURITY-BAR 9–11).
//
// Each protected record (a person, a case, a user) has its own random data key
// (DEK), stored in the data_keys table wrapped by a key-encryption key (KEK)
// that lives outside the database, in a 0600 key file or derived from a
// passphrase. Fields are sealed with XChaCha20-Poly1305 under the record's
// DEK, bound to the table, field, record id and key id, so a ciphertext
// copied to another row or field does not open. Deleting a record's DEK
// (EraseKey, then Checkpoint) makes every copy of its ciphertexts, backups
// included, unreadable: crypto-shredding. Rotate replaces the KEK by
// re-wrapping every DEK without touching the data.
//
// Searchable fields such as e-mail addresses also get a blind index: an HMAC
// under a key that is itself a data_keys row, so equality lookups work
// without storing the value in clear.
//
// Every method that touches the database takes the store.Queryer to use, so
// callers inside db.InTx pass their transaction (on SQLite, using the *DB
// there would wait for the writer the transaction holds).
package vault

import (
	"context"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// The blind-index key is the data_keys row with this fixed id and purpose,
// so every process sharing a database finds the same one.
const (
	blindIndexKeyID   = "blind-index-v1"
	purposeBlindIndex = "blind-index"
)

var (
	// ErrErased means the data key is gone (crypto-shredded): the data it
	// sealed can never be read again.
	ErrErased = errors.New("vault: data key erased")
	// ErrTampered means authentication failed: the ciphertext belongs to
	// another row, field or key, or its bytes were modified.
	ErrTampered = errors.New("vault: authentication failed (wrong record, field or key, or modified bytes)")

	errBlindIndexKey = errors.New("vault: the blind-index key cannot seal, open or be erased as a data key")
)

// AD is what a sealed value is bound to: the table and field that hold it and
// the id of the record (row) it belongs to. All three must be non-empty.
type AD struct{ Table, Field, RecordID string }

func (ad AD) check() error {
	if ad.Table == "" || ad.Field == "" || ad.RecordID == "" {
		return errors.New("vault: associated data needs a table, a field and a record id")
	}
	return nil
}

// Vault seals and opens fields under data keys. It is safe for concurrent
// use.
type Vault struct {
	db    *store.DB
	ring  *Keyring
	clock clock.Clock
	cache *dekCache
	// blindKey is the blind-index key, nil until Init succeeds.
	blindKey atomic.Pointer[[]byte]
}

// New returns a vault over db whose data keys are wrapped by ring, which must
// not be nil. Call Init before BlindIndex.
func New(db *store.DB, ring *Keyring) *Vault {
	return newVault(db, ring, clock.System{})
}

func newVault(db *store.DB, ring *Keyring, c clock.Clock) *Vault {
	return &Vault{db: db, ring: ring, clock: c, cache: newDEKCache(c)}
}

// Init makes sure the blind-index key exists and loads it. Call it once at
// start-up, after migrations. It is idempotent, and safe when two processes
// run it at once: the one whose insert loses the race reads the winner's key.
func (v *Vault) Init(ctx context.Context) error {
	key, err := v.loadBlindKey(ctx)
	if errors.Is(err, store.ErrNotFound) {
		key, err = v.createBlindKey(ctx)
		if errors.Is(err, store.ErrConflict) {
			key, err = v.loadBlindKey(ctx)
		}
	}
	if err != nil {
		return err
	}
	v.blindKey.Store(&key)
	return nil
}

func (v *Vault) loadBlindKey(ctx context.Context) ([]byte, error) {
	var (
		purpose string
		version int
		wrapped []byte
	)
	err := v.db.Scan(v.db.QueryRow(ctx, `SELECT purpose, kek_version, wrapped FROM data_keys WHERE id = ?`, blindIndexKeyID),
		&purpose, &version, &wrapped)
	if errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("vault: reading the blind-index key: %w", err)
	}
	if purpose != purposeBlindIndex {
		return nil, fmt.Errorf("vault: data key %s has purpose %q, want %q", blindIndexKeyID, purpose, purposeBlindIndex)
	}
	key, err := v.ring.unwrap(blindIndexKeyID, version, wrapped)
	if err != nil {
		return nil, fmt.Errorf("vault: unwrapping the blind-index key: %w", err)
	}
	return key, nil
}

// createBlindKey inserts a new blind-index key; it returns an error wrapping
// store.ErrConflict when another process inserted one first.
func (v *Vault) createBlindKey(ctx context.Context) ([]byte, error) {
	key, err := randomKey()
	if err != nil {
		return nil, err
	}
	if err := v.insertKey(ctx, v.db, blindIndexKeyID, purposeBlindIndex, key); err != nil {
		return nil, err
	}
	return key, nil
}

func (v *Vault) insertKey(ctx context.Context, q store.Queryer, id, purpose string, key []byte) error {
	version, wrapped, err := v.ring.wrap(id, key)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, `INSERT INTO data_keys (id, purpose, kek_version, wrapped, created_at) VALUES (?, ?, ?, ?, ?)`,
		id, purpose, version, wrapped, v.clock.Now().UnixMicro())
	if err != nil {
		return fmt.Errorf("vault: storing a data key: %w", err)
	}
	return nil
}

// NewDataKey makes a random data key, wraps it with the current KEK and
// inserts it through q, returning its id. purpose labels what the key
// protects (for example "person" or "user"); it must not be empty or
// "blind-index", and must not hold personal data. The key exists only once
// q's transaction commits; if it rolls back, discard the id, since this
// process may still hold the key in its cache for up to cacheTTL.
func (v *Vault) NewDataKey(ctx context.Context, q store.Queryer, purpose string) (string, error) {
	if purpose == "" || purpose == purposeBlindIndex {
		return "", fmt.Errorf("vault: invalid data key purpose %q", purpose)
	}
	key, err := randomKey()
	if err != nil {
		return "", err
	}
	id := ids.New()
	if err := v.insertKey(ctx, q, id, purpose, key); err != nil {
		return "", err
	}
	return id, nil
}

// dataKey returns the cipher for data key keyID, from the cache or else read
// through q and unwrapped. A missing row, or an empty keyID (what a nullable
// data_key_id column holds once its key was erased), gives ErrErased.
func (v *Vault) dataKey(ctx context.Context, q store.Queryer, keyID string) (cipher.AEAD, error) {
	if keyID == "" {
		return nil, ErrErased
	}
	if keyID == blindIndexKeyID {
		return nil, errBlindIndexKey
	}
	if a, ok := v.cache.get(keyID); ok {
		return a, nil
	}
	var (
		version int
		wrapped []byte
	)
	err := store.ScanRow(q.QueryRow(ctx, `SELECT kek_version, wrapped FROM data_keys WHERE id = ?`, keyID), &version, &wrapped)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrErased
	}
	if err != nil {
		return nil, fmt.Errorf("vault: reading a data key: %w", err)
	}
	dek, err := v.ring.unwrap(keyID, version, wrapped)
	if err != nil {
		return nil, fmt.Errorf("vault: unwrapping a data key: %w", err)
	}
	a, err := newAEAD(dek)
	if err != nil {
		return nil, err
	}
	v.cache.put(keyID, a)
	return a, nil
}

// Seal encrypts plaintext under data key keyID, bound to ad, and returns
// version byte | nonce | ciphertext. It returns ErrErased if the key is gone.
func (v *Vault) Seal(ctx context.Context, q store.Queryer, keyID string, ad AD, plaintext []byte) ([]byte, error) {
	if err := ad.check(); err != nil {
		return nil, err
	}
	a, err := v.dataKey(ctx, q, keyID)
	if err != nil {
		return nil, err
	}
	return seal(a, plaintext, fieldAD(keyID, ad))
}

// Open decrypts a value made by Seal with the same keyID and ad. It returns
// ErrErased if the key is gone and ErrTampered if the value was sealed for
// another record, field or key, or modified. Any byte string is safe to pass.
func (v *Vault) Open(ctx context.Context, q store.Queryer, keyID string, ad AD, sealed []byte) ([]byte, error) {
	if err := ad.check(); err != nil {
		return nil, err
	}
	a, err := v.dataKey(ctx, q, keyID)
	if err != nil {
		return nil, err
	}
	return open(a, sealed, fieldAD(keyID, ad))
}

// SealString is Seal for a string.
func (v *Vault) SealString(ctx context.Context, q store.Queryer, keyID string, ad AD, plaintext string) ([]byte, error) {
	return v.Seal(ctx, q, keyID, ad, []byte(plaintext))
}

// OpenString is Open returning a string.
func (v *Vault) OpenString(ctx context.Context, q store.Queryer, keyID string, ad AD, sealed []byte) (string, error) {
	b, err := v.Open(ctx, q, keyID, ad, sealed)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// BlindIndex returns the lower-case hex HMAC-SHA256 of value under the
// blind-index key, separated by domain (for example "users.email"), so the
// same value gives unrelated indexes in different domains. Callers normalise
// value first (for example trim and lower-case an e-mail address). The result
// is deterministic for the life of the database: rotation re-wraps the
// blind-index key but never changes it. It panics if Init has not succeeded,
// since any index it returned then would be wrong.
func (v *Vault) BlindIndex(domain, value string) string {
	key := v.blindKey.Load()
	if key == nil {
		panic("vault: BlindIndex called before Init")
	}
	m := hmac.New(sha256.New, *key)
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(domain))) // #nosec G115 -- domains are short names written in the code
	m.Write(n[:])
	m.Write([]byte(domain))
	m.Write([]byte(value))
	return hex.EncodeToString(m.Sum(nil))
}

// EraseKey deletes data key keyID through q and evicts it from this
// process's cache, so everything sealed under it becomes unreadable once q's
// transaction commits. Erasing a key that is already gone is not an error.
// After the commit, call Checkpoint so the deleted bytes also leave SQLite's
// write-ahead log. Other processes sharing the database may keep the key
// cached for up to five minutes (cacheTTL).
func (v *Vault) EraseKey(ctx context.Context, q store.Queryer, keyID string) error {
	if keyID == blindIndexKeyID {
		return errBlindIndexKey
	}
	// Evict first: the eviction also stops a read running now, which may
	// still see the row, from caching the key again after the delete.
	v.cache.evict(keyID)
	if _, err := q.Exec(ctx, `DELETE FROM data_keys WHERE id = ?`, keyID); err != nil {
		return fmt.Errorf("vault: erasing a data key: %w", err)
	}
	return nil
}

// Checkpoint makes committed erasures final on disk. Call it after the
// transaction that ran EraseKey commits.
//
// On SQLite, secure_delete (asserted by the store at start-up) overwrites a
// deleted row in the database file, but earlier copies of its page stay in
// the write-ahead log until a checkpoint; a TRUNCATE checkpoint copies the
// log into the database and empties it. It runs on the writer connection and
// returns an error wrapping store.ErrBusy if a reader kept it from finishing,
// in which case erased bytes may remain in the log until the next checkpoint.
//
// On PostgreSQL it does nothing: no SQL statement overwrites a deleted
// tuple. The row stays in its heap page until VACUUM (autovacuum) reclaims
// the space and it is reused, and in WAL segments until they are recycled
// after checkpoints. The erasure bound there is autovacuum and WAL recycling
// for the live cluster, and backup and WAL-archive retention (at most 30
// days, SECURITY-BAR 11) for copies; the KEK still protects the row until
// then.
func (v *Vault) Checkpoint(ctx context.Context) error {
	if err := v.db.Checkpoint(ctx); err != nil {
		return fmt.Errorf("vault: erased key bytes may remain in the log until the next checkpoint: %w", err)
	}
	return nil
}
