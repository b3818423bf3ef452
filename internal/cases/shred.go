// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Shredding is how a retention period ends a closed case (internal/
// retention runs it from the scheduler): the case's data key is destroyed,
// so its notes, task titles and attachments can never be opened again, in
// the database, its log or any backup. The case row stays, with its
// number, status, concerns and dates in clear, for statistics; reading its
// content gives ErasedMarker.

// ExpiredClosed returns up to limit ids of the closed cases of organisation
// orgID closed before closedBefore whose data key still exists, the longest
// closed first.
func (s *Service) ExpiredClosed(ctx context.Context, orgID string, closedBefore time.Time, limit int) ([]string, error) {
	return store.QueryAll(ctx, s.db, scanID, `SELECT id FROM cases
		WHERE org_id = ? AND status = ? AND data_key_id IS NOT NULL AND closed_at < ?
		ORDER BY closed_at, id LIMIT ?`, orgID, StatusClosed, micros(closedBefore), limit)
}

func scanID(sc store.Scanner) (string, error) {
	var id string
	err := sc.Scan(&id)
	return id, err
}

// Shred destroys the data key of case id if, checked again under the case's
// lock, it is still closed, closed before closedBefore and not yet
// shredded; it reports whether it did. The entry case.shred, by actor,
// names what became unreadable, never any value. Shredding a case that was
// reopened meanwhile, or already shredded, does nothing, so the job that
// calls it may run twice or on two servers at once.
//
// It checks no permission: it is the retention job's step, acting on the
// period the organisation's administrator set, not a user's action.
func (s *Service) Shred(ctx context.Context, actor access.Principal, id string, closedBefore time.Time) (bool, error) {
	if !ids.Valid(id) {
		return false, ErrNotFound
	}
	shredded := false
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := lockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if c.Status != StatusClosed || c.Closure == nil || !c.Closure.ClosedAt.Before(closedBefore) || c.keyID == "" {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET data_key_id = NULL WHERE id = ?`, id); err != nil {
			return err
		}
		if err := s.vault.EraseKey(ctx, tx, c.keyID); err != nil {
			return err
		}
		shredded = true
		return s.log(ctx, tx, actor, "case.shred", id, c.OrgID, "data_key", "note", "task.title", "attachment")
	})
	if err != nil || !shredded {
		return false, err
	}
	return true, s.vault.Checkpoint(ctx)
}

// PersonsOnlyInShredded returns the persons of organisation orgID, not yet
// erased, who are linked to at least one shredded case and to no case whose
// data key still exists: once their last case is shredded, nothing needs
// their identity any more.
func (s *Service) PersonsOnlyInShredded(ctx context.Context, orgID string) ([]string, error) {
	return store.QueryAll(ctx, s.db, scanID, `SELECT DISTINCT cp.person_id FROM case_persons cp
		JOIN cases c ON c.id = cp.case_id
		JOIN persons p ON p.id = cp.person_id
		WHERE c.org_id = ? AND c.status = ? AND c.data_key_id IS NULL AND p.erased_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM case_persons cp2 JOIN cases c2 ON c2.id = cp2.case_id
			WHERE cp2.person_id = cp.person_id AND c2.data_key_id IS NOT NULL)
		ORDER BY cp.person_id`, orgID, StatusClosed)
}
