// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
)

// NewReferral is a referral to send.
type NewReferral struct {
	// PersonID is the person referred, who must be linked to the case.
	PersonID    string
	ProviderID  string
	ServiceType string // one the provider offers
	// DueAt is when the service is needed by; nil for no date. It may not
	// be before today (UTC).
	DueAt *time.Time
	// OverrideReason, from OverrideReasons, sends the referral without
	// the person's consent. Only a user holding referral.override_consent
	// on the case may give one, and it is used only when consent is
	// missing.
	OverrideReason string
}

// Referral is a referral as the sending organisation sees it.
type Referral struct {
	ID         string
	CaseID     string
	PersonID   string
	FromOrgID  string
	ProviderID string
	// ToOrgID is the receiving Amparo organisation, "" for a provider
	// outside Amparo.
	ToOrgID        string
	ServiceType    string
	Status         Status
	DueAt          *time.Time
	Basis          ConsentBasis
	OverrideReason string // set when Basis is BasisOverride
	// Outcome is the code of the last move: why it was declined or
	// revoked, or what came of it.
	Outcome   string
	SentBy    string
	SentAt    time.Time
	UpdatedBy string
	UpdatedAt time.Time
}

const referralColumns = `id, case_id, person_id, from_org_id, provider_id, COALESCE(to_org_id, ''), service_type,
	status, due_at, consent_basis, override_reason, outcome, sent_by, sent_at, updated_by, updated_at`

func scanReferral(sc store.Scanner) (Referral, error) {
	var r Referral
	var due sql.NullInt64
	var sent, updated int64
	err := sc.Scan(&r.ID, &r.CaseID, &r.PersonID, &r.FromOrgID, &r.ProviderID, &r.ToOrgID, &r.ServiceType, &r.Status,
		&due, &r.Basis, &r.OverrideReason, &r.Outcome, &r.SentBy, &sent, &r.UpdatedBy, &updated)
	r.DueAt = fromNullMicros(due)
	r.SentAt, r.UpdatedAt = fromMicros(sent), fromMicros(updated)
	return r, err
}

func loadReferral(ctx context.Context, q store.Queryer, id string) (Referral, error) {
	r, err := scanReferral(q.QueryRow(ctx, `SELECT `+referralColumns+` FROM referrals WHERE id = ?`, id))
	return r, notFound(err)
}

// lockReferral reads referral id inside tx and holds its row until tx
// ends, so that two answers to one referral never interleave.
func lockReferral(ctx context.Context, tx *store.Tx, id string) (Referral, error) {
	r, err := scanReferral(tx.QueryRow(ctx, `UPDATE referrals SET updated_at = updated_at WHERE id = ? RETURNING `+
		referralColumns, id))
	return r, notFound(err)
}

// lockCase locks case caseID for the rest of tx and returns its
// organisation and status; ErrNotFound when it is gone.
func lockCase(ctx context.Context, tx *store.Tx, caseID string) (orgID, status string, err error) {
	err = store.ScanRow(tx.QueryRow(ctx, `UPDATE cases SET updated_at = updated_at WHERE id = ? RETURNING org_id, status`,
		caseID), &orgID, &status)
	return orgID, status, notFound(err)
}

// Create sends a referral from case caseID, for p holding referral.write
// on the case. The consent gate: unless the provider is the case's own
// organisation, the person's consent to referral to the provider's
// organisation must be in force, read in this transaction; without it the
// referral is refused with a ValidationError on "consent"
// (CodeConsentRequired), unless p holds referral.override_consent on the
// case and gives an OverrideReason. A provider outside Amparo cannot be
// named in a consent statement, so it always needs the override. Audited
// as referral.create, and referral.consent_override when sent on an
// override.
func (s *Service) Create(ctx context.Context, p access.Principal, caseID string, in NewReferral) (Referral, error) {
	rec, err := s.reach(ctx, p, caseID, PermWrite)
	if err != nil {
		return Referral{}, err
	}
	now := s.now()
	v := &ValidationError{}
	switch {
	case in.PersonID == "":
		v.Add("person_id", CodeRequired)
	case !ids.Valid(in.PersonID):
		v.Add("person_id", CodeNotInCase)
	}
	switch {
	case in.ProviderID == "":
		v.Add("provider_id", CodeRequired)
	case !ids.Valid(in.ProviderID):
		v.Add("provider_id", CodeNotFound)
	}
	switch {
	case in.ServiceType == "":
		v.Add("service_type", CodeRequired)
	case !KnownServiceType(in.ServiceType):
		v.Add("service_type", CodeUnknown)
	}
	if in.DueAt != nil {
		due := in.DueAt.UTC().Truncate(time.Microsecond)
		in.DueAt = &due
		if due.Before(now.Truncate(24 * time.Hour)) {
			v.Add("due_at", CodePast)
		}
	}
	if in.OverrideReason != "" && !slices.Contains(overrideReasons, in.OverrideReason) {
		v.Add("override_reason", CodeUnknown)
	}
	if err := v.OrNil(); err != nil {
		return Referral{}, err
	}
	var r Referral
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		// The case may have moved or closed since Reach: check again under
		// its lock.
		orgID, status, err := lockCase(ctx, tx, caseID)
		if err != nil {
			return err
		}
		if orgID != rec.OrgID {
			return ErrNotFound
		}
		if status == "closed" {
			return invalid("case", CodeClosed)
		}
		var n int
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_persons WHERE case_id = ? AND person_id = ?`,
			caseID, in.PersonID), &n); err != nil {
			return err
		}
		if n == 0 {
			v.Add("person_id", CodeNotInCase)
		}
		pr, err := loadProvider(ctx, tx, in.ProviderID)
		switch {
		case errors.Is(err, ErrNotFound):
			v.Add("provider_id", CodeNotFound)
		case err != nil:
			return err
		case pr.ArchivedAt != nil:
			v.Add("provider_id", CodeArchived)
		case !slices.Contains(pr.ServiceTypes, in.ServiceType):
			v.Add("service_type", CodeNotOffered)
		}
		if err := v.OrNil(); err != nil {
			return err
		}
		r = Referral{ID: ids.New(), CaseID: caseID, PersonID: in.PersonID, FromOrgID: orgID, ProviderID: pr.ID,
			ToOrgID: pr.OrgID, ServiceType: in.ServiceType, Status: StatusSent, DueAt: in.DueAt,
			SentBy: p.UserID, SentAt: now, UpdatedBy: p.UserID, UpdatedAt: now}
		if r.Basis, err = s.basis(ctx, tx, p, rec, r.PersonID, r.ToOrgID, orgID, in.OverrideReason); err != nil {
			return err
		}
		if r.Basis == BasisOverride {
			r.OverrideReason = in.OverrideReason
		}
		if _, err := tx.Exec(ctx, `INSERT INTO referrals (id, case_id, person_id, from_org_id, provider_id,
			to_org_id, service_type, status, due_at, consent_basis, override_reason, outcome, sent_by, sent_at, updated_by,
			updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.CaseID, r.PersonID, r.FromOrgID, r.ProviderID, nullString(r.ToOrgID), r.ServiceType, string(r.Status),
			nullMicros(r.DueAt), string(r.Basis), r.OverrideReason, r.Outcome, r.SentBy, micros(r.SentAt),
			r.UpdatedBy, micros(r.UpdatedAt)); err != nil {
			return err
		}
		fields := []string{"case_id", "person_id", "provider_id", "service_type", "consent_basis"}
		if r.DueAt != nil {
			fields = append(fields, "due_at")
		}
		if err := s.log(ctx, tx, p, orgID, "referral.create", objReferral, r.ID, fields...); err != nil {
			return err
		}
		if r.Basis == BasisOverride {
			return s.log(ctx, tx, p, orgID, "referral.consent_override", objReferral, r.ID, "consent", "override_reason")
		}
		return nil
	})
	if err != nil {
		return Referral{}, err
	}
	return r, nil
}

// basis decides on what ground a referral of personID to toOrgID ("" for a
// provider outside Amparo) from fromOrgID may be sent, or refuses it.
func (s *Service) basis(ctx context.Context, tx *store.Tx, p access.Principal, caseRec access.Record, personID, toOrgID, fromOrgID, reason string) (ConsentBasis, error) {
	if toOrgID != "" && toOrgID == fromOrgID {
		return BasisInternal, nil
	}
	if toOrgID != "" {
		ok, err := s.consent.HasConsentTx(ctx, tx, personID, persons.PurposeReferral, toOrgID)
		if err != nil {
			return "", err
		}
		if ok {
			return BasisConsent, nil
		}
	}
	switch {
	case reason == "":
		return "", invalid("consent", CodeConsentRequired)
	case !p.Allows(PermOverrideConsent, caseRec):
		return "", &ValidationError{Errors: []FieldError{{Field: "consent", Code: CodeConsentRequired}, {Field: "override_reason", Code: CodeNotAllowed}}}
	}
	return BasisOverride, nil
}

// Get returns referral id as the sending side sees it, for p holding
// referral.read on its case.
func (s *Service) Get(ctx context.Context, p access.Principal, id string) (Referral, error) {
	if !ids.Valid(id) {
		return Referral{}, ErrNotFound
	}
	r, err := loadReferral(ctx, s.db, id)
	if err != nil {
		return Referral{}, err
	}
	if _, err := s.reach(ctx, p, r.CaseID, PermRead); err != nil {
		// Seeing the case but not its referrals is not seeing this one.
		return Referral{}, ErrNotFound
	}
	return r, nil
}

// ForCase returns the referrals made from case caseID, oldest first, for p
// holding referral.read on the case.
func (s *Service) ForCase(ctx context.Context, p access.Principal, caseID string) ([]Referral, error) {
	if _, err := s.reach(ctx, p, caseID, PermRead); err != nil {
		return nil, ErrNotFound
	}
	return store.QueryAll(ctx, s.db, scanReferral, `SELECT `+referralColumns+` FROM referrals WHERE case_id = ?
		ORDER BY sent_at, id`, caseID)
}

// Move changes the status of referral id to to, with the code OutcomeCodes
// asks for (none for accepted). Who may make which move is Transitions: the
// receiving side is a member of the receiving organisation holding
// referral.receive (for a provider outside Amparo, the sending side records
// the provider's answers); the sending side holds referral.write on the
// case. A referral p can reach from neither side answers ErrNotFound; a
// move the workflow does not allow, a ValidationError on "status"
// (CodeInvalidTransition); one allowed to the other side only,
// ErrForbidden. Audited as referral.<accept|decline|complete|revoke> in the
// organisation of the side that acted.
func (s *Service) Move(ctx context.Context, p access.Principal, id string, to Status, code string) (Referral, error) {
	if !ids.Valid(id) {
		return Referral{}, ErrNotFound
	}
	if !to.Valid() {
		return Referral{}, invalid("status", CodeUnknown)
	}
	// What side p is on is decided on the referral as it is now and
	// checked again under its lock; Reach reads outside the transaction.
	r, err := loadReferral(ctx, s.db, id)
	if err != nil {
		return Referral{}, err
	}
	sides, canSee, err := s.sides(ctx, p, r)
	if err != nil {
		return Referral{}, err
	}
	if !canSee {
		return Referral{}, ErrNotFound
	}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := lockReferral(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.CaseID != r.CaseID || cur.FromOrgID != r.FromOrgID || cur.ToOrgID != r.ToOrgID {
			return ErrNotFound // moved with its case meanwhile: ask again
		}
		if !movable(cur.Status, to) {
			return invalid("status", CodeInvalidTransition)
		}
		if !CanMove(cur.Status, to, sides...) {
			return ErrForbidden
		}
		if c := checkOutcome(to, code); c != "" {
			return invalid("outcome", c)
		}
		now := s.now()
		cur.Status, cur.Outcome, cur.UpdatedBy, cur.UpdatedAt = to, code, p.UserID, now
		if _, err := tx.Exec(ctx, `UPDATE referrals SET status = ?, outcome = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			string(to), code, p.UserID, micros(now), id); err != nil {
			return err
		}
		r = cur
		actOrg := r.FromOrgID
		if !slices.Contains(sides, SideSender) {
			actOrg = r.ToOrgID
		}
		fields := []string{"status"}
		if code != "" {
			fields = append(fields, "outcome")
		}
		return s.log(ctx, tx, p, actOrg, "referral."+moveAction[to], objReferral, id, fields...)
	})
	if err != nil {
		return Referral{}, err
	}
	return r, nil
}

// moveAction names the audit action of a move to each status.
var moveAction = map[Status]string{StatusAccepted: "accept", StatusDeclined: "decline", StatusCompleted: "complete",
	StatusRevoked: "revoke", StatusSent: "send"}

// sides returns the sides p acts on for referral r, and whether p may see
// it from either side at all. A sender who may read but not write the case
// sees it without a side.
func (s *Service) sides(ctx context.Context, p access.Principal, r Referral) (sides []Side, canSee bool, err error) {
	receiver := r.ToOrgID != "" && p.Allows(PermReceive, access.Record{OrgID: r.ToOrgID})
	if receiver {
		sides, canSee = append(sides, SideReceiver), true
	}
	_, err = s.reach(ctx, p, r.CaseID, PermWrite)
	switch {
	case err == nil:
		sides, canSee = append(sides, SideSender), true
		if r.ToOrgID == "" {
			sides = append(sides, SideReceiver)
		}
	case errors.Is(err, ErrForbidden):
		if _, err := s.reach(ctx, p, r.CaseID, PermRead); err == nil {
			canSee = true
		}
	case !errors.Is(err, ErrNotFound):
		return nil, false, err
	}
	return sides, canSee, nil
}

// MoveCaseTx moves the referrals of case caseID to organisation orgID,
// inside the transaction that transfers the case (the cases layer calls it
// when a transfer is accepted). Referrals already sent keep their receiver
// and consent basis.
func MoveCaseTx(ctx context.Context, tx *store.Tx, caseID, orgID string) error {
	_, err := tx.Exec(ctx, `UPDATE referrals SET from_org_id = ? WHERE case_id = ?`, orgID, caseID)
	return err
}
