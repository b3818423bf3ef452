// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"
	"errors"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// ErasedMarker stands in for a personal field whose data key was destroyed.
const ErasedMarker = "[erased]"

// EraseUser crypto-shreds an account: its data key is destroyed, so its
// name, e-mail and TOTP secret can never be opened again, in the database,
// its log or any backup. The row stays, disabled and without memberships,
// so that audit entries and records naming the id still resolve. The write-
// ahead log is checkpointed afterwards so the key's bytes leave it too.
func (s *Service) EraseUser(ctx context.Context, p access.Principal, id string) error {
	if id == p.UserID {
		return &ValidationError{Errors: []FieldError{{Field: "id", Code: "cannot_erase_self"}}}
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		rec, err := s.requireUserAdmin(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !p.Allows("user.erase", rec) {
			return ErrForbidden
		}
		var keyID string
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COALESCE(data_key_id, '') FROM users WHERE id = ?`, id), &keyID); err != nil {
			return notFound(err)
		}
		now := micros(s.now())
		// The blind index is replaced too: it is a keyed hash of the e-mail,
		// and would otherwise still confirm a guessed address.
		if _, err := tx.Exec(ctx, `UPDATE users SET email_index = ?, totp_secret_enc = NULL, totp_enabled_at = NULL,
			disabled_at = COALESCE(disabled_at, ?), updated_at = ? WHERE id = ?`, "erased:"+id, now, now, id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM memberships WHERE user_id = ?`,
			`DELETE FROM recovery_codes WHERE user_id = ?`,
			`DELETE FROM sessions WHERE user_id = ?`,
			`UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE user_id = ?`,
		} {
			args := []any{id}
			if q[0] == 'U' {
				args = []any{now, id}
			}
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return err
			}
		}
		if keyID != "" {
			if err := s.vault.EraseKey(ctx, tx, keyID); err != nil {
				return err
			}
		}
		return s.log(ctx, tx, p, "user.erase", "user", id, rec.OrgID, "email", "name", "totp_secret", "data_key")
	})
	if err != nil {
		return err
	}
	return s.vault.Checkpoint(ctx)
}

// openOrErased opens a sealed field, answering ErasedMarker for a record
// whose data key was destroyed.
func (s *Service) openOrErased(ctx context.Context, q store.Queryer, keyID string, ad vault.AD, sealed []byte) (string, error) {
	v, err := s.vault.OpenString(ctx, q, keyID, ad, sealed)
	if errors.Is(err, vault.ErrErased) {
		return ErasedMarker, nil
	}
	return v, err
}
