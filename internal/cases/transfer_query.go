// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Transfer is an offer of a case by one organisation to another. Until the
// receiving organisation accepts, it sees only the offer (the case's
// number there, who offered, when), never the case.
type Transfer struct {
	ID        string
	CaseID    string
	FromOrgID string
	ToOrgID   string
	// CaseNumber is the case's number in the offering organisation.
	CaseNumber string
	Status     TransferStatus
	OfferedBy  string
	OfferedAt  time.Time
	DecidedBy  string
	DecidedAt  *time.Time
}

const transferColumns = `id, case_id, from_org_id, to_org_id, case_number, status, offered_by, offered_at,
	COALESCE(decided_by, ''), decided_at`

func scanTransfer(sc store.Scanner) (Transfer, error) {
	var t Transfer
	var offered int64
	var decided sql.NullInt64
	err := sc.Scan(&t.ID, &t.CaseID, &t.FromOrgID, &t.ToOrgID, &t.CaseNumber, &t.Status, &t.OfferedBy, &offered,
		&t.DecidedBy, &decided)
	t.OfferedAt, t.DecidedAt = fromMicros(offered), fromNullMicros(decided)
	return t, err
}

// OfferTransfer offers case caseID to organisation toOrgID. The case stays
// where it is, unchanged, until the offer is accepted; a case has at most
// one offer pending, and a case that is closed or waiting for closure
// approval cannot be offered.
//
// The persons linked to the case go with it, so each must have consented
// to a referral to toOrgID (internal/persons; CodeConsentRequired) and
// none may be linked to another case, which would lose them
// (CodeSharedPerson). Both are checked again on acceptance.
func (s *Service) OfferTransfer(ctx context.Context, p access.Principal, caseID, toOrgID string) (Transfer, error) {
	if !ids.Valid(toOrgID) {
		return Transfer{}, invalid("to_org_id", CodeNotFound)
	}
	var t Transfer
	err := s.change(ctx, p, caseID, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		if c.ClosureRequest != nil {
			return "", nil, invalid("status", CodeClosurePending)
		}
		if toOrgID == c.OrgID {
			return "", nil, invalid("to_org_id", CodeSameOrganisation)
		}
		var n int
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE id = ?`, toOrgID), &n); err != nil {
			return "", nil, err
		}
		if n == 0 {
			return "", nil, invalid("to_org_id", CodeNotFound)
		}
		if _, err := s.movablePersons(ctx, tx, caseID, toOrgID); err != nil {
			return "", nil, err
		}
		t = Transfer{ID: ids.New(), CaseID: caseID, FromOrgID: c.OrgID, ToOrgID: toOrgID, CaseNumber: c.Number,
			Status: TransferPending, OfferedBy: p.UserID, OfferedAt: s.now()}
		_, err := tx.Exec(ctx, `INSERT INTO case_transfers (id, case_id, from_org_id, to_org_id, case_number, status,
			offered_by, offered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.CaseID, t.FromOrgID, t.ToOrgID, t.CaseNumber, t.Status, t.OfferedBy, micros(t.OfferedAt))
		if errors.Is(err, store.ErrConflict) {
			return "", nil, invalid("to_org_id", CodeTransferPending)
		}
		if err != nil {
			return "", nil, err
		}
		return "case.transfer_offer", []string{"transfer", "transfer.to_org_id"}, nil
	})
	if err != nil {
		return Transfer{}, err
	}
	return t, nil
}

// PendingTransfers lists the offers waiting for p's organisation, oldest
// first. Only principals who could accept one (case.create) see them.
func (s *Service) PendingTransfers(ctx context.Context, p access.Principal) ([]Transfer, error) {
	if p.OrgID == "" || !p.Can(PermCreate) {
		return nil, ErrForbidden
	}
	return store.QueryAll(ctx, s.db, scanTransfer, `SELECT `+transferColumns+` FROM case_transfers
		WHERE to_org_id = ? AND status = ? ORDER BY offered_at, id`, p.OrgID, TransferPending)
}

// lockOffer reads pending offer id inside tx and locks its case. The offer
// is read again once the case is held, since another transaction holding
// it may have just decided the offer: decisions on an offer lock its case
// first, so they take turns.
func lockOffer(ctx context.Context, tx *store.Tx, id string) (Transfer, Case, error) {
	t, err := pendingOffer(ctx, tx, id)
	if err != nil {
		return Transfer{}, Case{}, err
	}
	c, err := lockCase(ctx, tx, t.CaseID)
	if err != nil {
		return Transfer{}, Case{}, err
	}
	if t, err = pendingOffer(ctx, tx, id); err != nil {
		return Transfer{}, Case{}, err
	}
	return t, c, nil
}

// Assignment places an accepted case in the receiving organisation: its
// caseworker ("" means the principal accepting) and team ("" means the
// caseworker's own).
type Assignment struct {
	OwnerID string
	TeamID  string
}

// pendingOffer reads pending offer id inside tx; ErrNotFound when there is
// none.
func pendingOffer(ctx context.Context, tx *store.Tx, id string) (Transfer, error) {
	if !ids.Valid(id) {
		return Transfer{}, ErrNotFound
	}
	t, err := scanTransfer(tx.QueryRow(ctx, `SELECT `+transferColumns+` FROM case_transfers WHERE id = ? AND status = ?`,
		id, TransferPending))
	return t, notFound(err)
}

// AcceptTransfer accepts offer transferID for p's organisation: the case
// moves there, with a new number from the receiving organisation's
// counter, the caseworker and team of to, and its open tasks assigned to
// people who no longer work on it handed to the new caseworker. p needs
// case.create for the case as placed; the offer of another organisation
// answers ErrNotFound.
//
// Everything goes in the one transaction: the case's notes, tasks,
// attachments and history; its persons, placed with the new caseworker and
// team and findable by the receiving organisation's search tokens only
// (PersonMover); and its detention episodes, consular notifications and
// referrals (the PartMovers). The persons are checked as OfferTransfer
// checks them, since a consent may have been withdrawn meanwhile.
func (s *Service) AcceptTransfer(ctx context.Context, p access.Principal, transferID string, to Assignment) (Case, error) {
	if to.OwnerID == "" {
		to.OwnerID = p.UserID
	}
	v := &ValidationError{}
	if !ids.Valid(to.OwnerID) {
		v.Add("owner_id", CodeNotFound)
	}
	if to.TeamID != "" && !ids.Valid(to.TeamID) {
		v.Add("team_id", CodeNotFound)
	}
	if err := v.OrNil(); err != nil {
		return Case{}, err
	}
	var out Case
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		t, c, err := lockOffer(ctx, tx, transferID)
		if err != nil {
			return err
		}
		if t.ToOrgID != p.OrgID || !p.Can(PermCreate) {
			return ErrNotFound
		}
		rec, err := s.placement(ctx, tx, v, t.ToOrgID, to.OwnerID, to.TeamID, to.TeamID == "")
		if err != nil {
			return err
		}
		if err := v.OrNil(); err != nil {
			return err
		}
		if !p.Allows(PermCreate, rec) {
			return ErrForbidden
		}
		personIDs, err := s.movablePersons(ctx, tx, c.ID, t.ToOrgID)
		if err != nil {
			return err
		}
		now := s.now()
		number, err := nextNumber(ctx, tx, t.ToOrgID, now.Year())
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET org_id = ?, number = ?, owner_id = ?, team_id = ?, updated_at = ? WHERE id = ?`,
			t.ToOrgID, number, rec.OwnerID, nullString(rec.TeamID), micros(now), c.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE case_concerns SET case_org_id = ?, case_updated_at = ? WHERE case_id = ?`,
			t.ToOrgID, micros(now), c.ID); err != nil {
			return err
		}
		fields := []string{"org_id", "number", "owner_id", "team_id"}
		res, err := tx.Exec(ctx, `UPDATE case_tasks SET assignee_id = ?, updated_at = ? WHERE case_id = ? AND done_at IS NULL
			AND assignee_id NOT IN (SELECT user_id FROM memberships WHERE org_id = ?)`, rec.OwnerID, micros(now), c.ID, t.ToOrgID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n > 0 {
			fields = append(fields, "task.assignee_id")
		}
		if _, err := tx.Exec(ctx, `UPDATE case_transfers SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
			TransferAccepted, p.UserID, micros(now), t.ID); err != nil {
			return err
		}
		if err := s.moveParts(ctx, tx, c.ID, t.ToOrgID); err != nil {
			return err
		}
		if out, err = s.full(ctx, tx, c.ID); err != nil {
			return err
		}
		fields = append(fields, "transfer")
		if len(personIDs) > 0 {
			// Audits each person, so it comes just before the case's entry.
			if err := s.persons.MoveTx(ctx, tx, p, personIDs, rec); err != nil {
				return err
			}
			fields = append(fields, "persons")
		}
		return s.log(ctx, tx, p, "case.transfer_accept", c.ID, t.ToOrgID, fields...)
	})
	if err != nil {
		return Case{}, err
	}
	return out, nil
}

// DeclineTransfer declines offer transferID for p's organisation; the case
// stays with the organisation that offered it.
func (s *Service) DeclineTransfer(ctx context.Context, p access.Principal, transferID string) (Transfer, error) {
	return s.decide(ctx, p, transferID, TransferDeclined, func(t Transfer) error {
		if t.ToOrgID != p.OrgID || !p.Allows(PermCreate, access.Record{OrgID: p.OrgID, OwnerID: p.UserID, TeamID: p.TeamID}) {
			return ErrNotFound
		}
		return nil
	})
}

// WithdrawTransfer withdraws offer transferID; p needs case.update on the
// case offered.
func (s *Service) WithdrawTransfer(ctx context.Context, p access.Principal, transferID string) (Transfer, error) {
	return s.decide(ctx, p, transferID, TransferWithdrawn, nil)
}

// decide ends pending offer transferID with status. check decides whether
// p may (nil means p needs case.update on the case, for a withdrawal).
func (s *Service) decide(ctx context.Context, p access.Principal, transferID string, status TransferStatus, check func(Transfer) error) (Transfer, error) {
	var out Transfer
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		t, c, err := lockOffer(ctx, tx, transferID)
		if err != nil {
			return err
		}
		orgID := c.OrgID
		if check != nil {
			if err := check(t); err != nil {
				return err
			}
			orgID = t.ToOrgID
		} else if err := allowed(p, c, PermUpdate); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `UPDATE case_transfers SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?`,
			status, p.UserID, micros(now), t.ID); err != nil {
			return err
		}
		t.Status, t.DecidedBy, t.DecidedAt = status, p.UserID, &now
		out = t
		action := "case.transfer_decline"
		if status == TransferWithdrawn {
			action = "case.transfer_withdraw"
		}
		return s.log(ctx, tx, p, action, c.ID, orgID, "transfer")
	})
	if err != nil {
		return Transfer{}, err
	}
	return out, nil
}
