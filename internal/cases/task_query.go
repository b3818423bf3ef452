// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"database/sql"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// Task is something to do on a case, by a user, by a date. The title may
// say something about the person, so it is sealed under the case's key.
type Task struct {
	ID         string
	CaseID     string
	Title      string // ErasedMarker once the case's key is destroyed
	AssigneeID string
	DueAt      time.Time
	// DoneAt is when the task was marked done, nil while it is open.
	DoneAt    *time.Time
	DoneBy    string
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// NewTask is what is needed to add a task.
type NewTask struct {
	Title string
	// AssigneeID "" means the case's owner.
	AssigneeID string
	DueAt      time.Time
}

// TaskChanges are the fields UpdateTask may change; nil leaves a field as
// it is.
type TaskChanges struct {
	Title      *string
	AssigneeID *string
	DueAt      *time.Time
}

func taskAD(id string) vault.AD { return vault.AD{Table: "case_tasks", Field: "title", RecordID: id} }

const taskColumns = `id, case_id, title_enc, assignee_id, due_at, done_at, COALESCE(done_by, ''), created_by,
	created_at, updated_at`

// taskRow is a task as stored, its title still sealed.
type taskRow struct {
	Task
	enc []byte
}

func scanTask(sc store.Scanner) (taskRow, error) {
	var r taskRow
	var due, created, updated int64
	var done sql.NullInt64
	err := sc.Scan(&r.ID, &r.CaseID, &r.enc, &r.AssigneeID, &due, &done, &r.DoneBy, &r.CreatedBy, &created, &updated)
	r.DueAt, r.CreatedAt, r.UpdatedAt = fromMicros(due), fromMicros(created), fromMicros(updated)
	r.DoneAt = fromNullMicros(done)
	return r, err
}

func (s *Service) openTask(ctx context.Context, q store.Queryer, keyID string, r taskRow) (Task, error) {
	t := r.Task
	var err error
	t.Title, err = s.open(ctx, q, keyID, taskAD(t.ID), r.enc)
	return t, err
}

// checkAssignee adds a problem to v unless userID is an active member of
// case c's organisation whose role lets them read c.
func checkAssignee(ctx context.Context, q store.Queryer, v *ValidationError, c Case, userID string) error {
	m, ok, err := memberOf(ctx, q, c.OrgID, userID)
	switch {
	case err != nil:
		return err
	case !ok:
		v.Add("assignee_id", CodeNotFound)
	case !m.principalOf(c.OrgID, userID).Allows(PermRead, c.record()):
		v.Add("assignee_id", CodeCannotAccess)
	}
	return nil
}

// AddTask adds a task to case caseID. The assignee must be able to read
// the case.
func (s *Service) AddTask(ctx context.Context, p access.Principal, caseID string, in NewTask) (Task, error) {
	v := &ValidationError{}
	title := checkText(v, "title", in.Title, MaxTaskTitleLength, false)
	if in.AssigneeID != "" && !ids.Valid(in.AssigneeID) {
		v.Add("assignee_id", CodeNotFound)
	}
	if in.DueAt.IsZero() {
		v.Add("due_at", CodeRequired)
	}
	if err := v.OrNil(); err != nil {
		return Task{}, err
	}
	var t Task
	err := s.change(ctx, p, caseID, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		assignee := in.AssigneeID
		if assignee == "" {
			assignee = c.OwnerID
		}
		if err := checkAssignee(ctx, tx, v, c, assignee); err != nil {
			return "", nil, err
		}
		if err := v.OrNil(); err != nil {
			return "", nil, err
		}
		now := s.now()
		t = Task{ID: ids.New(), CaseID: caseID, Title: title, AssigneeID: assignee, DueAt: in.DueAt.UTC(),
			CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
		enc, err := s.vault.SealString(ctx, tx, c.keyID, taskAD(t.ID), title)
		if err != nil {
			return "", nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO case_tasks (id, case_id, title_enc, assignee_id, due_at, created_by, created_at,
			updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, caseID, enc, assignee, micros(t.DueAt), p.UserID, micros(now), micros(now))
		if err != nil {
			return "", nil, err
		}
		t.DueAt = fromMicros(micros(t.DueAt))
		return "case.task_add", []string{"task", "task.title", "task.assignee_id", "task.due_at"}, nil
	})
	if err != nil {
		return Task{}, err
	}
	return t, nil
}

// caseOfTask returns the case a task belongs to, or ErrNotFound.
func caseOfTask(ctx context.Context, q store.Queryer, taskID string) (string, error) {
	if !ids.Valid(taskID) {
		return "", ErrNotFound
	}
	var caseID string
	err := store.ScanRow(q.QueryRow(ctx, `SELECT case_id FROM case_tasks WHERE id = ?`, taskID), &caseID)
	return caseID, notFound(err)
}

// UpdateTask changes a task's title, assignee or due date. The audit entry
// names the fields whose value changed.
func (s *Service) UpdateTask(ctx context.Context, p access.Principal, taskID string, ch TaskChanges) (Task, error) {
	v := &ValidationError{}
	var title string
	if ch.Title != nil {
		title = checkText(v, "title", *ch.Title, MaxTaskTitleLength, false)
	}
	if ch.AssigneeID != nil && !ids.Valid(*ch.AssigneeID) {
		v.Add("assignee_id", CodeNotFound)
	}
	if ch.DueAt != nil && ch.DueAt.IsZero() {
		v.Add("due_at", CodeRequired)
	}
	if err := v.OrNil(); err != nil {
		return Task{}, err
	}
	caseID, err := caseOfTask(ctx, s.db, taskID)
	if err != nil {
		return Task{}, err
	}
	var out Task
	err = s.change(ctx, p, caseID, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		r, err := scanTask(tx.QueryRow(ctx, `SELECT `+taskColumns+` FROM case_tasks WHERE id = ? AND case_id = ?`, taskID, caseID))
		if err != nil {
			return "", nil, notFound(err)
		}
		old, err := s.openTask(ctx, tx, c.keyID, r)
		if err != nil {
			return "", nil, err
		}
		var fields []string
		now := micros(s.now())
		if ch.Title != nil && title != old.Title {
			enc, err := s.vault.SealString(ctx, tx, c.keyID, taskAD(taskID), title)
			if err != nil {
				return "", nil, err
			}
			if _, err := tx.Exec(ctx, `UPDATE case_tasks SET title_enc = ?, updated_at = ? WHERE id = ?`, enc, now, taskID); err != nil {
				return "", nil, err
			}
			fields = append(fields, "task.title")
		}
		if ch.AssigneeID != nil && *ch.AssigneeID != old.AssigneeID {
			if err := checkAssignee(ctx, tx, v, c, *ch.AssigneeID); err != nil {
				return "", nil, err
			}
			if err := v.OrNil(); err != nil {
				return "", nil, err
			}
			if _, err := tx.Exec(ctx, `UPDATE case_tasks SET assignee_id = ?, updated_at = ? WHERE id = ?`, *ch.AssigneeID, now, taskID); err != nil {
				return "", nil, err
			}
			fields = append(fields, "task.assignee_id")
		}
		if ch.DueAt != nil && micros(*ch.DueAt) != micros(old.DueAt) {
			if _, err := tx.Exec(ctx, `UPDATE case_tasks SET due_at = ?, updated_at = ? WHERE id = ?`, micros(*ch.DueAt), now, taskID); err != nil {
				return "", nil, err
			}
			fields = append(fields, "task.due_at")
		}
		if out, err = s.taskIn(ctx, tx, c, taskID); err != nil {
			return "", nil, err
		}
		// The title was opened (to compare it, and to return the task):
		// a read, audited on its own beside the change.
		if err := s.log(ctx, tx, p, "case.read", caseID, c.OrgID, "task.title"); err != nil || len(fields) == 0 {
			return "", nil, err
		}
		return "case.task_update", fields, nil
	})
	if err != nil {
		return Task{}, err
	}
	return out, nil
}

// taskIn reads and opens task taskID of case c.
func (s *Service) taskIn(ctx context.Context, q store.Queryer, c Case, taskID string) (Task, error) {
	r, err := scanTask(q.QueryRow(ctx, `SELECT `+taskColumns+` FROM case_tasks WHERE id = ? AND case_id = ?`, taskID, c.ID))
	if err != nil {
		return Task{}, notFound(err)
	}
	return s.openTask(ctx, q, c.keyID, r)
}

// SetTaskDone marks a task done, or open again. Besides whoever may update
// the case, the task's assignee may do it when they can read the case.
func (s *Service) SetTaskDone(ctx context.Context, p access.Principal, taskID string, done bool) (Task, error) {
	caseID, err := caseOfTask(ctx, s.db, taskID)
	if err != nil {
		return Task{}, err
	}
	var out Task
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		r, err := scanTask(tx.QueryRow(ctx, `SELECT `+taskColumns+` FROM case_tasks WHERE id = ? AND case_id = ?`, taskID, caseID))
		if err != nil {
			return notFound(err)
		}
		rec := c.record()
		if !(p.Allows(PermUpdate, rec) || (r.AssigneeID == p.UserID && p.Allows(PermRead, rec))) {
			return allowed(p, c, PermUpdate)
		}
		if err := requireOpen(c); err != nil {
			return err
		}
		action := ""
		if (r.DoneAt != nil) != done {
			now := micros(s.now())
			if done {
				action = "case.task_done"
				_, err = tx.Exec(ctx, `UPDATE case_tasks SET done_at = ?, done_by = ?, updated_at = ? WHERE id = ?`, now, p.UserID, now, taskID)
			} else {
				action = "case.task_undone"
				_, err = tx.Exec(ctx, `UPDATE case_tasks SET done_at = NULL, done_by = NULL, updated_at = ? WHERE id = ?`, now, taskID)
			}
			if err != nil {
				return err
			}
			if err := s.touch(ctx, tx, caseID); err != nil {
				return err
			}
		}
		if out, err = s.taskIn(ctx, tx, c, taskID); err != nil {
			return err
		}
		if err := s.log(ctx, tx, p, "case.read", caseID, c.OrgID, "task.title"); err != nil || action == "" {
			return err
		}
		return s.log(ctx, tx, p, action, caseID, c.OrgID, "task.done")
	})
	if err != nil {
		return Task{}, err
	}
	return out, nil
}

// Tasks returns the tasks of case caseID, by due date, and audits the read
// of their titles.
func (s *Service) Tasks(ctx context.Context, p access.Principal, caseID string) ([]Task, error) {
	var out []Task
	err := s.read(ctx, p, caseID, func(tx *store.Tx, c Case) ([]string, error) {
		rows, err := store.QueryAll(ctx, tx, scanTask, `SELECT `+taskColumns+` FROM case_tasks WHERE case_id = ?
			ORDER BY due_at, id`, caseID)
		if err != nil || len(rows) == 0 {
			return nil, err
		}
		for _, r := range rows {
			t, err := s.openTask(ctx, tx, c.keyID, r)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		return []string{"task.title"}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DueTask is an open task in a user's inbox, with the number of its case.
type DueTask struct {
	Task
	CaseNumber string
}

// Limits on DueTasks pages.
const (
	DefaultDueTasks = 50
	MaxDueTasks     = 500
)

// DueTasks returns p's own open tasks due before until (overdue ones
// included), soonest first, at most limit of them (DefaultDueTasks when
// limit <= 0, at most MaxDueTasks), on open cases of p's organisation that
// p may still read; a task on a case p can no longer read is left out. The
// read of the titles is audited once per case.
func (s *Service) DueTasks(ctx context.Context, p access.Principal, until time.Time, limit int) ([]DueTask, error) {
	switch {
	case limit <= 0:
		limit = DefaultDueTasks
	case limit > MaxDueTasks:
		limit = MaxDueTasks
	}
	if !p.Authenticated() || p.OrgID == "" || !p.Can(PermRead) {
		return nil, nil
	}
	var out []DueTask
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		type row struct {
			task taskRow
			c    Case
		}
		rows, err := store.QueryAll(ctx, tx, func(sc store.Scanner) (row, error) {
			var r row
			var due, created, updated int64
			var done sql.NullInt64
			err := sc.Scan(&r.task.ID, &r.task.CaseID, &r.task.enc, &r.task.AssigneeID, &due, &done, &r.task.DoneBy,
				&r.task.CreatedBy, &created, &updated, &r.c.OrgID, &r.c.Number, &r.c.OwnerID, &r.c.TeamID, &r.c.keyID)
			r.task.DueAt, r.task.CreatedAt, r.task.UpdatedAt = fromMicros(due), fromMicros(created), fromMicros(updated)
			r.task.DoneAt = fromNullMicros(done)
			r.c.ID = r.task.CaseID
			return r, err
		}, `SELECT t.id, t.case_id, t.title_enc, t.assignee_id, t.due_at, t.done_at, COALESCE(t.done_by, ''), t.created_by,
			t.created_at, t.updated_at, c.org_id, c.number, c.owner_id, COALESCE(c.team_id, ''), COALESCE(c.data_key_id, '')
			FROM case_tasks t JOIN cases c ON c.id = t.case_id
			WHERE t.assignee_id = ? AND t.done_at IS NULL AND t.due_at < ? AND c.org_id = ? AND c.status <> ?
			ORDER BY t.due_at, t.id LIMIT ?`, p.UserID, micros(until), p.OrgID, StatusClosed, limit)
		if err != nil {
			return err
		}
		var read []Case
		seen := map[string]bool{}
		for _, r := range rows {
			if !p.Allows(PermRead, r.c.record()) {
				continue
			}
			t, err := s.openTask(ctx, tx, r.c.keyID, r.task)
			if err != nil {
				return err
			}
			out = append(out, DueTask{Task: t, CaseNumber: r.c.Number})
			if !seen[r.c.ID] {
				seen[r.c.ID] = true
				read = append(read, r.c)
			}
		}
		for _, c := range read {
			if err := s.log(ctx, tx, p, "case.read", c.ID, c.OrgID, "task.title"); err != nil {
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
