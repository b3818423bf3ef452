// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Ref is what the inbox needs of a case to place an alert: its number (a
// counter, no personal data), its status and where it sits for record
// scope.
type Ref struct {
	ID     string
	Number string
	Status Status
	rec    access.Record
}

// Record locates the case for access.Principal.Allows.
func (r Ref) Record() access.Record { return r.rec }

// Refs returns the cases of organisation orgID among caseIDs, by id; ids
// of other organisations or of no case are left out. It reads nothing
// sealed, so it writes no audit entry: callers decide with Record who may
// see each case before showing anything about it.
func (s *Service) Refs(ctx context.Context, orgID string, caseIDs []string) (map[string]Ref, error) {
	out := make(map[string]Ref, len(caseIDs))
	var valid []any
	for _, id := range caseIDs {
		if ids.Valid(id) {
			valid = append(valid, id)
		}
	}
	const chunk = 500
	for start := 0; start < len(valid); start += chunk {
		part := valid[start:min(start+chunk, len(valid))]
		refs, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (Ref, error) {
			var r Ref
			err := sc.Scan(&r.ID, &r.Number, &r.Status, &r.rec.OrgID, &r.rec.OwnerID, &r.rec.TeamID)
			return r, err
		}, `SELECT id, number, status, org_id, owner_id, COALESCE(team_id, '') FROM cases
			WHERE org_id = ? AND id IN (`+store.Placeholders(len(part))+`)`, append([]any{orgID}, part...)...)
		if err != nil {
			return nil, err
		}
		for _, r := range refs {
			out[r.ID] = r
		}
	}
	return out, nil
}

// TaskCounts is how many of a user's open tasks are past their due date and
// how many fall due soon.
type TaskCounts struct {
	Overdue int
	DueSoon int
}

// CountDueTasks counts p's own open tasks on open cases of p's organisation
// that p may still read, as DueTasks lists them: those due before now are
// overdue, those due from now until until are due soon. It opens no title,
// so it writes no audit entry; it is what a page header or an e-mail digest
// shows.
func (s *Service) CountDueTasks(ctx context.Context, p access.Principal, now, until time.Time) (TaskCounts, error) {
	var out TaskCounts
	if !p.Authenticated() || p.OrgID == "" || !p.Can(PermRead) {
		return out, nil
	}
	type row struct {
		due int64
		rec access.Record
	}
	rows, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.due, &r.rec.OrgID, &r.rec.OwnerID, &r.rec.TeamID)
		return r, err
	}, `SELECT t.due_at, c.org_id, c.owner_id, COALESCE(c.team_id, '')
		FROM case_tasks t JOIN cases c ON c.id = t.case_id
		WHERE t.assignee_id = ? AND t.done_at IS NULL AND t.due_at < ? AND c.org_id = ? AND c.status <> ?`,
		p.UserID, micros(until), p.OrgID, StatusClosed)
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		switch {
		case !p.Allows(PermRead, r.rec):
		case r.due < micros(now):
			out.Overdue++
		default:
			out.DueSoon++
		}
	}
	return out, nil
}
