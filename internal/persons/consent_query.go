// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Consent is one recorded statement of a person giving or withdrawing
// consent. Statements are never changed or deleted: the history is the
// record of what the person said, and when.
type Consent struct {
	ID       string
	PersonID string
	Purpose  Purpose
	// RecipientOrgID is the organisation a referral consent is for; ""
	// for the other purposes.
	RecipientOrgID string
	Status         ConsentStatus
	// At is when the person gave or withdrew consent; RecordedAt is when
	// RecordedBy (a user id) recorded it.
	At         time.Time
	RecordedBy string
	RecordedAt time.Time
}

// ConsentInput is a consent statement to record.
type ConsentInput struct {
	Purpose        Purpose
	RecipientOrgID string // required for PurposeReferral, refused for the others
	Status         ConsentStatus
	// At is when the person made the statement: the zero time means now,
	// and a time in the future is refused.
	At time.Time
}

// RecordConsent appends a consent statement for a person p may write, and
// audits person.consent with the field "consents". The person's latest
// statement (by At, then by the order recorded) for a purpose and
// recipient is the one in force.
func (s *Service) RecordConsent(ctx context.Context, p access.Principal, personID string, in ConsentInput) (Consent, error) {
	now := s.now()
	v := &ValidationError{}
	if !slices.Contains(Purposes(), in.Purpose) {
		v.Add("purpose", CodeUnknownPurpose)
	}
	if in.Status != ConsentGiven && in.Status != ConsentWithdrawn {
		v.Add("status", CodeUnknownStatus)
	}
	switch {
	case in.Purpose == PurposeReferral && in.RecipientOrgID == "":
		v.Add("recipient_org_id", CodeRequired)
	case in.Purpose == PurposeReferral && !ids.Valid(in.RecipientOrgID):
		v.Add("recipient_org_id", CodeNotFound)
	case in.Purpose != PurposeReferral && in.RecipientOrgID != "":
		v.Add("recipient_org_id", CodeNotAllowed)
	}
	if in.At.IsZero() {
		in.At = now
	} else if in.At.After(now) {
		v.Add("at", CodeFutureDate)
	}
	if err := v.OrNil(); err != nil {
		return Consent{}, err
	}
	if !ids.Valid(personID) {
		return Consent{}, ErrNotFound
	}
	c := Consent{ID: ids.New(), PersonID: personID, Purpose: in.Purpose, RecipientOrgID: in.RecipientOrgID,
		Status: in.Status, At: fromMicros(micros(in.At)), RecordedBy: p.UserID, RecordedAt: fromMicros(micros(now))}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadForChange(ctx, tx, p, personID, permWrite)
		if err != nil {
			return err
		}
		if r.erased() {
			return ErrErased
		}
		if c.RecipientOrgID != "" {
			var n int
			if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE id = ?`, c.RecipientOrgID), &n); err != nil {
				return err
			}
			if n == 0 {
				return invalid("recipient_org_id", CodeNotFound)
			}
		}
		// The row lock taken by loadForChange serialises statements about
		// one person, so seq is never taken twice.
		var seq int64
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM person_consents WHERE person_id = ?`,
			personID), &seq); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO person_consents (id, person_id, seq, purpose, recipient_org_id, status,
			stated_at, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, personID, seq, string(c.Purpose), nullIfEmpty(c.RecipientOrgID), string(c.Status),
			micros(c.At), c.RecordedBy, micros(c.RecordedAt))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE persons SET updated_at = ? WHERE id = ?`, micros(now), personID); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "person.consent", personID, r.orgID, fieldConsents)
	})
	if err != nil {
		return Consent{}, err
	}
	return c, nil
}

// Consents returns the consent history of a person p may read, in the
// order the statements were recorded. It holds no identity and is not
// audited.
func (s *Service) Consents(ctx context.Context, p access.Principal, personID string) ([]Consent, error) {
	if !ids.Valid(personID) {
		return nil, ErrNotFound
	}
	r, err := loadRow(ctx, s.db, personID)
	if err != nil {
		return nil, err
	}
	if !p.Allows(permRead, r.record()) {
		return nil, ErrNotFound
	}
	return consentHistory(ctx, s.db, personID)
}

const consentColumns = `id, person_id, purpose, COALESCE(recipient_org_id, ''), status, stated_at, recorded_by, recorded_at`

func consentHistory(ctx context.Context, q store.Queryer, personID string) ([]Consent, error) {
	rows, err := q.Query(ctx, `SELECT `+consentColumns+` FROM person_consents WHERE person_id = ? ORDER BY seq`, personID)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []Consent
	for rows.Next() {
		var c Consent
		var at, recorded int64
		if err := rows.Scan(&c.ID, &c.PersonID, &c.Purpose, &c.RecipientOrgID, &c.Status, &at, &c.RecordedBy, &recorded); err != nil {
			return nil, err
		}
		c.At, c.RecordedAt = fromMicros(at), fromMicros(recorded)
		out = append(out, c)
	}
	return out, rows.Err()
}

// HasConsent reports whether the person's latest consent statement for
// purpose (and, for a referral, recipientOrgID; ignored for the other
// purposes) gives consent. No statement, a withdrawal, an unknown person
// and an erased person all answer false. It is a check for other domains
// (a referral is refused without consent), takes no principal and reveals
// no personal data, so it is not audited; callers audit what they do.
func (s *Service) HasConsent(ctx context.Context, personID string, purpose Purpose, recipientOrgID string) (bool, error) {
	return hasConsent(ctx, s.db, personID, purpose, recipientOrgID)
}

// HasConsentTx is HasConsent read inside tx, for a caller that acts on the
// answer in the same transaction (so that a withdrawal recorded meanwhile
// cannot slip between the check and the act).
func (s *Service) HasConsentTx(ctx context.Context, tx *store.Tx, personID string, purpose Purpose, recipientOrgID string) (bool, error) {
	return hasConsent(ctx, tx, personID, purpose, recipientOrgID)
}

func hasConsent(ctx context.Context, q store.Queryer, personID string, purpose Purpose, recipientOrgID string) (bool, error) {
	if purpose != PurposeReferral {
		recipientOrgID = ""
	} else if recipientOrgID == "" {
		return false, nil
	}
	var status string
	err := store.ScanRow(q.QueryRow(ctx, `SELECT c.status FROM person_consents c JOIN persons p ON p.id = c.person_id
		WHERE c.person_id = ? AND c.purpose = ? AND COALESCE(c.recipient_org_id, '') = ? AND p.erased_at IS NULL
		ORDER BY c.stated_at DESC, c.seq DESC LIMIT 1`, personID, string(purpose), recipientOrgID), &status)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return status == string(ConsentGiven), nil
}
