// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals

import (
	"context"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
)

// Received is a referral as the receiving organisation sees it: what the
// person's consent to referral covers, and nothing of the case. It never
// holds the case, its number, owner or notes, the person's id, identity or
// vulnerabilities, nor who in the sending organisation sent it.
type Received struct {
	ID          string
	FromOrgID   string
	ProviderID  string
	ServiceType string
	Status      Status
	DueAt       *time.Time
	// Basis tells the receiver whether the person consented (BasisConsent,
	// BasisInternal) or was referred without consent (BasisOverride, with
	// OverrideReason).
	Basis          ConsentBasis
	OverrideReason string
	Outcome        string
	SentAt         time.Time
	UpdatedAt      time.Time
	// Person is what the receiver may know of the person, filled by
	// GetReceived only, and only while the basis stands: nil once the
	// person withdraws the consent the referral was sent on.
	Person *SharedPerson
}

// SharedPerson is what a consent to referral lets Amparo tell the
// receiving organisation about the person: the non-identifying attributes
// a provider needs to prepare the service (sex, year of birth,
// nationality, where they are) and the languages to speak with them. The
// identity stays with the sending organisation: the consent statement
// names a recipient and a purpose, not a list of fields, so Amparo reads it
// as covering only what the service needs, and the person identifies
// themself to the provider with the referral's id. Country of birth and
// vulnerabilities are not shared either.
type SharedPerson struct {
	Sex            string
	BirthYear      int // 0 when unknown
	Nationality    string
	Languages      []string
	CurrentCountry string
	CurrentAdmin1  string
}

// sharedFields names SharedPerson's fields, for the audit log.
var sharedFields = []string{"person.sex", "person.birth_year", "person.nationality", "person.languages",
	"person.current_country", "person.current_admin1"}

func (r Referral) received() Received {
	return Received{ID: r.ID, FromOrgID: r.FromOrgID, ProviderID: r.ProviderID, ServiceType: r.ServiceType,
		Status: r.Status, DueAt: r.DueAt, Basis: r.Basis, OverrideReason: r.OverrideReason, Outcome: r.Outcome,
		SentAt: r.SentAt, UpdatedAt: r.UpdatedAt}
}

// canReceive reports whether p may see what is sent to organisation orgID.
func canReceive(p access.Principal, orgID string) bool {
	return orgID != "" && p.Allows(PermReceive, access.Record{OrgID: orgID})
}

// ReceivedFilter narrows the list of received referrals.
type ReceivedFilter struct {
	Status Status // "" for every status
}

// ListReceived lists the referrals sent to p's organisation, newest first,
// for p holding referral.receive there. Lists carry no person attributes
// and are not audited; GetReceived gives them.
func (s *Service) ListReceived(ctx context.Context, p access.Principal, f ReceivedFilter, pg Page) ([]Received, string, error) {
	if !canReceive(p, p.OrgID) {
		return nil, "", ErrNotFound
	}
	conds := []string{"to_org_id = ?"}
	args := []any{p.OrgID}
	if f.Status != "" {
		if !f.Status.Valid() {
			return nil, "", invalid("status", CodeUnknown)
		}
		conds = append(conds, "status = ?")
		args = append(args, string(f.Status))
	}
	if pg.Cursor != "" {
		var sent int64
		err := store.ScanRow(s.db.QueryRow(ctx, `SELECT sent_at FROM referrals WHERE id = ? AND to_org_id = ?`,
			pg.Cursor, p.OrgID), &sent)
		if !ids.Valid(pg.Cursor) || err != nil {
			return nil, "", invalid("cursor", CodeInvalid)
		}
		conds = append(conds, "(sent_at < ? OR (sent_at = ? AND id < ?))")
		args = append(args, sent, sent, pg.Cursor)
	}
	limit := pg.limit()
	args = append(args, limit+1)
	rs, err := store.QueryAll(ctx, s.db, scanReferral, `SELECT `+referralColumns+` FROM referrals WHERE `+
		strings.Join(conds, " AND ")+` ORDER BY sent_at DESC, id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rs) > limit {
		rs = rs[:limit]
		next = rs[limit-1].ID
	}
	out := make([]Received, len(rs))
	for i, r := range rs {
		out[i] = r.received()
	}
	return out, next, nil
}

// GetReceived returns referral id as the receiving organisation sees it,
// with the person's shared attributes while the referral's basis stands
// (for BasisConsent, the consent is read again now). It is for p holding
// referral.receive in the receiving organisation; anyone else gets
// ErrNotFound. Audited as referral.read_received, naming the person fields
// shown.
func (s *Service) GetReceived(ctx context.Context, p access.Principal, id string) (Received, error) {
	if !ids.Valid(id) {
		return Received{}, ErrNotFound
	}
	var out Received
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := loadReferral(ctx, tx, id)
		if err != nil {
			return err
		}
		if !canReceive(p, r.ToOrgID) {
			return ErrNotFound
		}
		out = r.received()
		share := r.Basis != BasisConsent
		if !share {
			if share, err = s.consent.HasConsentTx(ctx, tx, r.PersonID, persons.PurposeReferral, r.ToOrgID); err != nil {
				return err
			}
		}
		fields := []string{"service_type", "status", "due_at"}
		if share {
			var sp SharedPerson
			var birthYear *int64
			var langs string
			if err := store.ScanRow(tx.QueryRow(ctx, `SELECT sex, birth_year, nationality, languages, current_country,
				current_admin1 FROM persons WHERE id = ?`, r.PersonID), &sp.Sex, &birthYear, &sp.Nationality, &langs,
				&sp.CurrentCountry, &sp.CurrentAdmin1); err != nil {
				return notFound(err)
			}
			if birthYear != nil {
				sp.BirthYear = int(*birthYear)
			}
			sp.Languages = strings.Fields(langs)
			out.Person = &sp
			fields = append(fields, sharedFields...)
		}
		return s.log(ctx, tx, p, r.ToOrgID, "referral.read_received", objReferral, id, fields...)
	})
	if err != nil {
		return Received{}, err
	}
	return out, nil
}
