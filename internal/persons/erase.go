// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Erase crypto-shreds a person's identity (the right to erasure): the
// person's data key is destroyed, so the sealed identity and photo can
// never be opened again, in the database, its log or any backup; the
// sealed values, the photo and the search tokens are deleted too. The row
// stays as an anonymous shell for statistics, with its clear attributes,
// vulnerabilities and consent history, marked erased. Afterwards Get
// returns the shell with Erased set and no identity.
//
// It needs person.erase (ErrForbidden for someone who may read the person
// but not erase it, ErrNotFound otherwise) and audits person.erase naming
// what was destroyed, never any value. Erasing an erased person does
// nothing. After the commit it checkpoints the database so the key's bytes
// also leave SQLite's write-ahead log; an error from that step means the
// erasure is committed but the key's bytes may stay in the log until the
// next checkpoint.
func (s *Service) Erase(ctx context.Context, p access.Principal, id string) error {
	if !ids.Valid(id) {
		return ErrNotFound
	}
	erased := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(ctx, tx, p, id, permErase)
		if err != nil {
			return err
		}
		if r.erased() {
			return nil
		}
		now := micros(s.now())
		if _, err := tx.Exec(ctx, `UPDATE persons SET identity_enc = NULL, data_key_id = NULL, erased_at = ?,
			updated_at = ? WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM person_photos WHERE person_id = ?`,
			`DELETE FROM person_index WHERE person_id = ?`,
			// Violations documentation (migration 0012) must not keep
			// naming an erased person as a victim or a party to an event.
			`UPDATE violation_acts SET victim_person_id = NULL WHERE victim_person_id = ?`,
			`DELETE FROM violation_event_persons WHERE person_id = ?`,
		} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return err
			}
		}
		if r.keyID != "" {
			if err := s.vault.EraseKey(ctx, tx, r.keyID); err != nil {
				return err
			}
		}
		erased = true
		return s.log(ctx, tx, p, "person.erase", id, r.orgID, "identity", fieldPhoto, "search_index", "data_key")
	})
	if err != nil || !erased {
		return err
	}
	return s.vault.Checkpoint(ctx)
}
