// SPDX-License-Identifier: AGPL-3.0-or-later

package vault

import (
	"crypto/cipher"
	"fmt"

	"github.com/amparo-project/amparo/internal/ids"
)

// KeyTable and KeyColumns are where a FreshKey's row goes: FreshKey.Row
// gives the values of KeyColumns, in order.
const KeyTable = "data_keys"

// KeyColumns are the columns of KeyTable that FreshKey.Row fills.
var KeyColumns = []string{"id", "purpose", "kek_version", "wrapped", "created_at"}

// FreshKey is a data key made in memory, for bulk writers (a case import
// creates two keys per row): instead of inserting each key with a
// statement of its own and reading it back to seal, as NewDataKey and Seal
// do, the writer seals with the key at once, from any goroutine, and
// inserts many keys' rows together. As with NewDataKey, the key exists
// only once the transaction inserting its row commits; if it rolls back,
// whatever was sealed under the key can never be opened.
type FreshKey struct {
	ID      string
	purpose string
	version int
	wrapped []byte
	created int64
	aead    cipher.AEAD
}

// FreshKey makes a random data key for purpose (as NewDataKey takes it)
// and wraps it with the current KEK, without touching the database. It is
// safe for concurrent use.
func (v *Vault) FreshKey(purpose string) (*FreshKey, error) {
	if purpose == "" || purpose == purposeBlindIndex {
		return nil, fmt.Errorf("vault: invalid data key purpose %q", purpose)
	}
	key, err := randomKey()
	if err != nil {
		return nil, err
	}
	k := &FreshKey{ID: ids.New(), purpose: purpose, created: v.clock.Now().UnixMicro()}
	if k.version, k.wrapped, err = v.ring.wrap(k.ID, key); err != nil {
		return nil, err
	}
	if k.aead, err = newAEAD(key); err != nil {
		return nil, err
	}
	return k, nil
}

// Seal encrypts plaintext under the key, bound to ad, exactly as
// Vault.Seal would once the key's row is stored.
func (k *FreshKey) Seal(ad AD, plaintext []byte) ([]byte, error) {
	if err := ad.check(); err != nil {
		return nil, err
	}
	return seal(k.aead, plaintext, fieldAD(k.ID, ad))
}

// Row returns the values of KeyColumns for the key's row.
func (k *FreshKey) Row() []any {
	return []any{k.ID, k.purpose, k.version, k.wrapped, k.created}
}
