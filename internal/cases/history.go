// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
)

// History returns every audit entry about case caseID, newest first: its
// changes (and those of its notes, tasks, attachments, links and
// transfers, named in the entries' fields) and the reads of its sealed
// content, by whichever organisation held the case at the time. p needs
// case.read on the case as it is now. Entries hold actors, times and field
// names, never values.
func (s *Service) History(ctx context.Context, p access.Principal, caseID string) ([]audit.Entry, error) {
	if _, err := s.Reach(ctx, p, caseID, PermRead); err != nil {
		return nil, err
	}
	var all []audit.Entry
	var before int64
	for {
		entries, next, err := s.audit.List(ctx, audit.Filter{ObjectType: objectType, ObjectID: caseID, Before: before,
			Limit: audit.MaxLimit})
		if err != nil {
			return nil, err
		}
		all = append(all, entries...)
		if next == 0 {
			return all, nil
		}
		before = next
	}
}

// HistoryPage is History one page at a time: entries with a sequence
// number below before (all when before is 0), at most limit of them
// (audit.DefaultLimit when limit <= 0), and the cursor of the next page,
// 0 after the last.
func (s *Service) HistoryPage(ctx context.Context, p access.Principal, caseID string, before int64, limit int) ([]audit.Entry, int64, error) {
	if _, err := s.Reach(ctx, p, caseID, PermRead); err != nil {
		return nil, 0, err
	}
	return s.audit.List(ctx, audit.Filter{ObjectType: objectType, ObjectID: caseID, Before: before, Limit: limit})
}
