// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
)

// nameWorkers gives the workers of d's caseload and overdue tasks their
// names, as far as p may read them, and orders both lists: most first,
// then by name, then by id.
func (s *Service) nameWorkers(ctx context.Context, p access.Principal, d *Dashboard) error {
	var userIDs []string
	for _, list := range [][]WorkerCount{d.Caseload, d.OverdueTasks.ByAssignee} {
		for _, w := range list {
			if !slices.Contains(userIDs, w.UserID) {
				userIDs = append(userIDs, w.UserID)
			}
		}
	}
	names := map[string]string{}
	if s.names != nil && len(userIDs) > 0 {
		var err error
		if names, err = s.names.WorkerNames(ctx, p, userIDs); err != nil {
			return err
		}
	}
	for _, list := range [][]WorkerCount{d.Caseload, d.OverdueTasks.ByAssignee} {
		for i := range list {
			list[i].Name = names[list[i].UserID]
		}
		slices.SortFunc(list, func(a, b WorkerCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name), cmp.Compare(a.UserID, b.UserID))
		})
	}
	return nil
}

// AccountNames reads workers' names from the accounts domain, under the
// viewer's own user.read scope (an organisation administrator reads every
// member's, a supervisor their team's), which audits each user read.
type AccountNames struct{ Accounts *accounts.Service }

// WorkerNames lists the users p may read, a page at a time, and keeps the
// names of userIDs. Someone without user.read gets no names.
func (a AccountNames) WorkerNames(ctx context.Context, p access.Principal, userIDs []string) (map[string]string, error) {
	wanted := make(map[string]bool, len(userIDs))
	for _, id := range userIDs {
		wanted[id] = true
	}
	out := map[string]string{}
	page := accounts.Page{Limit: 500}
	for {
		users, next, err := a.Accounts.ListUsers(ctx, p, accounts.UserFilter{}, page)
		if errors.Is(err, accounts.ErrForbidden) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if wanted[u.ID] {
				out[u.ID] = u.Name
			}
		}
		if next == "" {
			return out, nil
		}
		page.Cursor = next
	}
}
