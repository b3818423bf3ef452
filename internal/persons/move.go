// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
)

// TransferConsentMissingTx returns, in the order given, those of personIDs
// whose identity would reach organisation orgID without their consent: no
// referral consent for orgID is in force (a case moving to another
// organisation is the widest referral there is). Erased shells need none,
// since nothing identifying is left to move. It reads inside tx, so that
// a withdrawal cannot slip between the check and the move, and is not
// audited: it reveals no personal data, and the caller audits the move.
func (s *Service) TransferConsentMissingTx(ctx context.Context, tx *store.Tx, personIDs []string, orgID string) ([]string, error) {
	var missing []string
	for _, id := range personIDs {
		r, err := loadRow(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if r.erased() {
			continue
		}
		ok, err := hasConsent(ctx, tx, id, PurposeReferral, orgID)
		if err != nil {
			return nil, err
		}
		if !ok {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// MoveTx places personIDs in organisation to.OrgID, owned by to.OwnerID in
// team to.TeamID, inside tx, the transaction of a case transfer accepted
// by p. Search tokens are keyed with the organisation (writeIndex), so
// they are made again from the opened identity with the new
// organisation's key: afterwards the receiving organisation finds the
// person by name, document or phone, and the sending one no longer does.
// Each person's move is audited as person.transfer in the receiving
// organisation, naming the fields changed. The audit entries come after
// every change, so the caller may only append its own entry afterwards.
func (s *Service) MoveTx(ctx context.Context, tx *store.Tx, p access.Principal, personIDs []string, to access.Record) error {
	now := micros(s.now())
	moved := make([][]string, len(personIDs))
	for i, id := range personIDs {
		if err := lockRow(ctx, tx, id); err != nil {
			return err
		}
		r, err := loadRow(ctx, tx, id)
		if err != nil {
			return err
		}
		moved[i] = []string{"org_id", "owner_id", "team_id"}
		if !r.erased() {
			ident, err := s.openIdentity(ctx, tx, r)
			if err != nil {
				return err
			}
			if err := s.writeIndex(ctx, tx, id, to.OrgID, ident); err != nil {
				return err
			}
			moved[i] = append(moved[i], "search_index")
		}
		if _, err := tx.Exec(ctx, `UPDATE persons SET org_id = ?, owner_id = ?, team_id = ?, updated_at = ? WHERE id = ?`,
			to.OrgID, nullIfEmpty(to.OwnerID), nullIfEmpty(to.TeamID), now, id); err != nil {
			return err
		}
	}
	for i, id := range personIDs {
		if err := s.log(ctx, tx, p, "person.transfer", id, to.OrgID, moved[i]...); err != nil {
			return err
		}
	}
	return nil
}
