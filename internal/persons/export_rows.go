// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// maxBatch bounds the ids of one IN list.
const maxBatch = 500

// AttributesOf returns the summaries (clear attributes, no identity) of
// those of personIDs that exist, by id, for a list of cases being
// exported (internal/caseexport). Attributes identify no one on their own
// and are kept in clear for statistics, so this takes no principal and is
// not audited: the caller decides who may export the list and audits it.
func (s *Service) AttributesOf(ctx context.Context, personIDs []string) (map[string]Summary, error) {
	out := make(map[string]Summary, len(personIDs))
	for chunk := range slices.Chunk(personIDs, maxBatch) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		list, err := querySummaries(ctx, s.db, `SELECT `+personColumns+` FROM persons p WHERE p.id IN (`+
			store.Placeholders(len(chunk))+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, sum := range list {
			out[sum.ID] = sum
		}
	}
	return out, nil
}

// IdentitiesFor opens the identities of those of personIDs that p may read
// and that are not erased, by id, for an export that p is allowed to give
// names in (internal/caseexport, with case.export_identity). Each
// identity opened is audited as person.read naming its fields, in one
// transaction with the reads; persons out of reach are left out silently,
// like rows of a list p cannot see.
func (s *Service) IdentitiesFor(ctx context.Context, p access.Principal, personIDs []string) (map[string]Identity, error) {
	out := make(map[string]Identity, len(personIDs))
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var read []personRow
		for _, id := range personIDs {
			r, err := loadRow(ctx, tx, id)
			if err != nil {
				return err
			}
			if r.erased() || !p.Allows(permRead, r.record()) {
				continue
			}
			ident, err := s.openIdentity(ctx, tx, r)
			if err != nil {
				return err
			}
			out[id] = ident
			read = append(read, r)
		}
		for _, r := range read {
			if err := s.log(ctx, tx, p, "person.read", r.id, r.orgID, identityFields...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Reach returns the summary of person id (no identity) when p may
// exercise perm on it: ErrNotFound when p may neither read the person nor
// exercise perm, ErrForbidden when p may read but not exercise perm. It
// reads no identity and is not audited, for a caller that checks access
// before asking for more: the export of everything held about a person
// checks it before the exporter's password, and the erasure page before
// offering to erase (an administrator may erase a person without reading
// them).
func (s *Service) Reach(ctx context.Context, p access.Principal, id string, perm access.Permission) (Summary, error) {
	if !ids.Valid(id) {
		return Summary{}, ErrNotFound
	}
	r, err := loadRow(ctx, s.db, id)
	if err != nil {
		return Summary{}, err
	}
	rec := r.record()
	switch {
	case p.Allows(perm, rec):
		return r.summary(), nil
	case p.Allows(permRead, rec):
		return Summary{}, ErrForbidden
	default:
		return Summary{}, ErrNotFound
	}
}
