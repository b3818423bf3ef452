// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/store"
)

// overdueTasks counts the open tasks of organisation orgID's open cases
// that were due before now, per assignee, as the inbox counts a user's own
// (cases.Service.CountDueTasks). The read starts from the open tasks
// (the partial index case_tasks_open holds only those) and keeps those of
// the organisation's open cases by the case's key: open tasks are few
// beside cases, which an organisation may have by the million. The
// assignees are returned without names, unordered.
func (s *Service) overdueTasks(ctx context.Context, orgID string, now time.Time) (OverdueTasks, error) {
	var out OverdueTasks
	rows, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (WorkerCount, error) {
		var w WorkerCount
		return w, sc.Scan(&w.UserID, &w.Count)
	}, `SELECT t.assignee_id, COUNT(*)
		FROM case_tasks t CROSS JOIN cases c
		WHERE c.id = t.case_id AND t.done_at IS NULL AND t.due_at < ? AND c.org_id = ? AND c.status <> ?
		GROUP BY t.assignee_id`, micros(now), orgID, string(cases.StatusClosed))
	if err != nil {
		return out, err
	}
	for _, w := range rows {
		out.Total += w.Count
	}
	out.ByAssignee = rows
	return out, nil
}
