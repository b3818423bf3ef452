// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// ChangeStatus moves case id to status to, as the workflow (Transitions)
// allows: advancing, stepping back, or reopening a closed case into
// assessment. Closing is refused with CodeApprovalRequired: it goes
// through RequestClosure and ApproveClosure. A case whose closure is
// waiting for approval does not move until the request is decided.
func (s *Service) ChangeStatus(ctx context.Context, p access.Principal, id string, to Status) (Case, error) {
	if !to.Valid() {
		return Case{}, invalid("status", CodeUnknown)
	}
	return s.write(ctx, p, id, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		move, ok := TransitionOf(c.Status, to)
		switch {
		case !ok:
			return "", nil, invalid("status", CodeInvalidTransition)
		case move == MoveClose:
			return "", nil, invalid("status", CodeApprovalRequired)
		case c.ClosureRequest != nil:
			return "", nil, invalid("status", CodeClosurePending)
		}
		if move == MoveReopen {
			_, err := tx.Exec(ctx, `UPDATE cases SET status = ?, closure_requested_by = NULL, closure_requested_at = NULL,
				closure_reason = '', closed_by = NULL, closed_at = NULL WHERE id = ?`, to, id)
			return "case.reopen", []string{"status", "closure"}, err
		}
		_, err := tx.Exec(ctx, `UPDATE cases SET status = ? WHERE id = ?`, to, id)
		return "case.status", []string{"status"}, err
	})
}

// RequestClosure asks for case id to be closed, for reason. The case stays
// in its status until someone else with case.approve_closure approves.
func (s *Service) RequestClosure(ctx context.Context, p access.Principal, id string, reason ClosureReason) (Case, error) {
	switch {
	case reason == "":
		return Case{}, invalid("reason", CodeRequired)
	case !reason.Valid():
		return Case{}, invalid("reason", CodeUnknown)
	}
	return s.write(ctx, p, id, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		if c.ClosureRequest != nil {
			return "", nil, invalid("status", CodeClosurePending)
		}
		if _, ok := TransitionOf(c.Status, StatusClosed); !ok {
			return "", nil, invalid("status", CodeInvalidTransition)
		}
		if pending, err := hasPendingTransfer(ctx, tx, id); err != nil || pending {
			if err == nil {
				err = invalid("status", CodeTransferPending)
			}
			return "", nil, err
		}
		_, err := tx.Exec(ctx, `UPDATE cases SET closure_requested_by = ?, closure_requested_at = ?, closure_reason = ?
			WHERE id = ?`, p.UserID, micros(s.now()), reason, id)
		return "case.closure_request", []string{"closure.reason"}, err
	})
}

// ApproveClosure closes case id as its pending request asks. The approver
// needs case.approve_closure on the case and must not be the one who asked:
// closing a person's case takes two people.
func (s *Service) ApproveClosure(ctx context.Context, p access.Principal, id string) (Case, error) {
	return s.write(ctx, p, id, PermApproveClosure, func(tx *store.Tx, c Case) (string, []string, error) {
		if c.ClosureRequest == nil {
			return "", nil, invalid("status", CodeNoClosureRequest)
		}
		if c.ClosureRequest.RequestedBy == p.UserID {
			return "", nil, invalid("approved_by", CodeOwnRequest)
		}
		_, err := tx.Exec(ctx, `UPDATE cases SET status = ?, closed_by = ?, closed_at = ? WHERE id = ?`,
			StatusClosed, p.UserID, micros(s.now()), id)
		return "case.closure_approve", []string{"status", "closure"}, err
	})
}

// RejectClosure turns down the pending closure request of case id; the
// case carries on in its status.
func (s *Service) RejectClosure(ctx context.Context, p access.Principal, id string) (Case, error) {
	return s.write(ctx, p, id, PermApproveClosure, func(tx *store.Tx, c Case) (string, []string, error) {
		if c.ClosureRequest == nil {
			return "", nil, invalid("status", CodeNoClosureRequest)
		}
		_, err := tx.Exec(ctx, `UPDATE cases SET closure_requested_by = NULL, closure_requested_at = NULL,
			closure_reason = '' WHERE id = ?`, id)
		return "case.closure_reject", []string{"closure"}, err
	})
}

// write runs one change to case id for p (see change) and returns the
// case as it is afterwards.
func (s *Service) write(ctx context.Context, p access.Principal, id string, perm access.Permission,
	fn func(tx *store.Tx, c Case) (action string, fields []string, err error)) (Case, error) {
	if err := s.change(ctx, p, id, perm, fn); err != nil {
		return Case{}, err
	}
	return s.full(ctx, s.db, id)
}

// change runs one change to case id for p, who needs perm on it, in a
// transaction that holds the case's row: fn checks the case and changes
// it, returning the audit action and field names (action "" when it
// changed nothing). A change marks the case changed (touch) and is audited
// last in the transaction.
func (s *Service) change(ctx context.Context, p access.Principal, id string, perm access.Permission,
	fn func(tx *store.Tx, c Case) (action string, fields []string, err error)) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := reachForWrite(ctx, tx, p, id, perm)
		if err != nil {
			return err
		}
		action, fields, err := fn(tx, c)
		if err != nil || action == "" {
			return err
		}
		if err := s.touch(ctx, tx, id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, action, id, c.OrgID, fields...)
	})
}

// read runs fn on case id for p, who needs case.read on it, in a
// transaction; fn returns the names of the sealed fields it opened, and
// when there are any the read is audited in the same transaction.
func (s *Service) read(ctx context.Context, p access.Principal, id string, fn func(tx *store.Tx, c Case) (fields []string, err error)) error {
	if !ids.Valid(id) {
		return ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		c, err := loadCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if !p.Allows(PermRead, c.record()) {
			return ErrNotFound
		}
		fields, err := fn(tx, c)
		if err != nil || len(fields) == 0 {
			return err
		}
		return s.log(ctx, tx, p, "case.read", id, c.OrgID, fields...)
	})
}

func hasPendingTransfer(ctx context.Context, q store.Queryer, caseID string) (bool, error) {
	var n int
	err := store.ScanRow(q.QueryRow(ctx, `SELECT COUNT(*) FROM case_transfers WHERE case_id = ? AND status = ?`,
		caseID, TransferPending), &n)
	return n > 0, err
}
