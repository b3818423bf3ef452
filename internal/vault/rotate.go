// SPDX-License-Identifier: AGPL-3.0-or-later

package vault

import (
	"context"
	"fmt"

	"github.com/amparo-project/amparo/internal/store"
)

// rotateBatch is how many data_keys rows Rotate holds in memory at once.
const rotateBatch = 500

type wrappedKey struct {
	id      string
	version int
	wrapped []byte
}

// Rotate replaces the KEK in the key file at keyFilePath with a new random
// one, version N+1, and re-wraps every data key (the blind-index key
// included) under it, returning how many rows it re-wrapped. Sealed data is
// never read or rewritten: only the small wrapped keys change.
//
// Run it with every amparo process using the database stopped. A running
// server keeps the old keyring in memory: it could not unwrap re-wrapped keys
// it has not cached, and a key it created during the rotation would be
// wrapped with the old KEK. Rotate detects the second case after its
// transaction and then keeps the old KEKs in the file and returns an error,
// but it cannot stop a server that writes later.
//
// The order makes every crash safe: at each step the key file holds every KEK
// version the database needs.
//
//  1. Write the key file with the old versions and N+1 (temporary file,
//     fsync, rename, fsync of the directory). A crash before the rename
//     leaves the old file; after it, the file holds a superset. The database
//     still uses the old versions.
//  2. In one transaction, unwrap each row with its own version and wrap it
//     with N+1. A crash or error rolls the whole transaction back, so the
//     database uses only old versions, all still in the file; running
//     Rotate again then moves every row to N+2 and drops N+1 unused.
//  3. After the commit, check that no row has another version (written by a
//     server left running, see above); if one has, stop with the superset.
//  4. Write the key file with only N+1, the same atomic way. A crash before
//     the rename leaves the superset from step 1, which still opens
//     everything.
func Rotate(ctx context.Context, db *store.DB, keyFilePath string) (int, error) {
	old, err := LoadKeyFile(keyFilePath)
	if err != nil {
		return 0, err
	}
	next := old.CurrentVersion() + 1
	kek, err := randomKey()
	if err != nil {
		return 0, err
	}
	both := old.with(next, kek)
	if err := writeKeyFileAtomic(keyFilePath, both); err != nil {
		return 0, err
	}

	var rewrapped int
	err = db.InTx(ctx, func(tx *store.Tx) error {
		rewrapped = 0
		after := ""
		for {
			batch, err := readWrappedKeys(ctx, tx, after)
			if err != nil {
				return err
			}
			for _, k := range batch {
				dek, err := both.unwrap(k.id, k.version, k.wrapped)
				if err != nil {
					return fmt.Errorf("vault: rotate: data key %s: %w", k.id, err)
				}
				_, wrapped, err := both.wrapWith(next, k.id, dek)
				clear(dek)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE data_keys SET kek_version = ?, wrapped = ? WHERE id = ?`, next, wrapped, k.id); err != nil {
					return fmt.Errorf("vault: rotate: updating data key %s: %w", k.id, err)
				}
				rewrapped++
			}
			if len(batch) < rotateBatch {
				return nil
			}
			after = batch[len(batch)-1].id
		}
	})
	if err != nil {
		return 0, fmt.Errorf("%w (the key file keeps every KEK version, so nothing is lost; rotate again)", err)
	}

	var stale int
	if err := db.Scan(db.QueryRow(ctx, `SELECT COUNT(*) FROM data_keys WHERE kek_version <> ?`, next), &stale); err != nil {
		return rewrapped, fmt.Errorf("vault: rotate: checking the re-wrapped keys: %w (the key file keeps every KEK version)", err)
	}
	if stale != 0 {
		return rewrapped, fmt.Errorf("vault: rotate: %d data keys were written with an old KEK while rotating, so the key file keeps every KEK version; stop every amparo process and rotate again", stale)
	}
	if err := writeKeyFileAtomic(keyFilePath, both.only(next)); err != nil {
		return rewrapped, err
	}
	return rewrapped, nil
}

// readWrappedKeys returns up to rotateBatch rows with id greater than after,
// in id order. It reads the whole batch and closes the result set before the
// caller updates rows, since a transaction has one connection.
func readWrappedKeys(ctx context.Context, tx *store.Tx, after string) ([]wrappedKey, error) {
	rows, err := tx.Query(ctx, `SELECT id, kek_version, wrapped FROM data_keys WHERE id > ? ORDER BY id LIMIT ?`, after, rotateBatch)
	if err != nil {
		return nil, fmt.Errorf("vault: rotate: reading data keys: %w", err)
	}
	defer func() { _ = rows.Close() }()
	var out []wrappedKey
	for rows.Next() {
		var k wrappedKey
		if err := rows.Scan(&k.id, &k.version, &k.wrapped); err != nil {
			return nil, fmt.Errorf("vault: rotate: reading data keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("vault: rotate: reading data keys: %w", err)
	}
	return out, nil
}
