// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Perpetrator is someone who took part in an event's acts, described by a
// category of the perpetrator_category vocabulary and, when known, an
// identity (a name, rank, unit or company), sealed.
type Perpetrator struct {
	ID, EventID, Category, Identity string
	CreatedBy                       string
	CreatedAt                       time.Time
	UpdatedBy                       string
	UpdatedAt                       time.Time
}

// PerpetratorInput is a perpetrator as recorded; an update replaces both
// fields.
type PerpetratorInput struct {
	Category, Identity string
}

const maxIdentityRunes = 2000

// perpetrators reads the perpetrators of event r, identities opened,
// oldest first.
func (s *Service) perpetrators(ctx context.Context, q store.Queryer, r eventRow) ([]Perpetrator, error) {
	type row struct {
		Perpetrator
		enc []byte
	}
	rows, err := store.QueryAll(ctx, q, func(sc store.Scanner) (row, error) {
		var x row
		var created, updated int64
		err := sc.Scan(&x.ID, &x.EventID, &x.Category, &x.enc, &x.CreatedBy, &created, &x.UpdatedBy, &updated)
		x.CreatedAt, x.UpdatedAt = fromMicros(created), fromMicros(updated)
		return x, err
	}, `SELECT id, event_id, category, identity_enc, created_by, created_at, updated_by, updated_at
		FROM violation_perpetrators WHERE event_id = ? ORDER BY created_at, id`, r.id)
	if err != nil {
		return nil, err
	}
	out := make([]Perpetrator, len(rows))
	for i, x := range rows {
		if x.enc != nil {
			if x.Identity, err = s.open(ctx, q, r.keyID, "violation_perpetrators", "identity", x.ID, x.enc); err != nil {
				return nil, err
			}
		}
		out[i] = x.Perpetrator
	}
	return out, nil
}

// checkPerpetrator validates a perpetrator; cur is the category held now.
func checkPerpetrator(ctx context.Context, tx *store.Tx, in PerpetratorInput, cur string) (PerpetratorInput, error) {
	v := &ValidationError{}
	var err error
	if in.Category, err = checkCode(ctx, tx, v, "category", VocabPerpetratorCategory, in.Category, cur, true); err != nil {
		return in, err
	}
	in.Identity = v.Text("identity", in.Identity, maxIdentityRunes, true)
	return in, v.OrNil()
}

// sealIdentity seals an identity, or gives NULL for none: that the
// identity is unknown is itself worth keeping apart from an empty one.
func (s *Service) sealIdentity(ctx context.Context, tx *store.Tx, keyID, id, identity string) (any, error) {
	if identity == "" {
		return nil, nil
	}
	return s.seal(ctx, tx, keyID, "violation_perpetrators", "identity", id, identity)
}

func perpetratorFields(in PerpetratorInput) []string {
	if in.Identity != "" {
		return []string{"perpetrator.category", "perpetrator.identity"}
	}
	return []string{"perpetrator.category"}
}

// AddPerpetrator records a perpetrator of event eventID. Audited as
// violation.perpetrator_add.
func (s *Service) AddPerpetrator(ctx context.Context, p access.Principal, eventID string, in PerpetratorInput) (Perpetrator, error) {
	var out Perpetrator
	err := s.change(ctx, p, eventID, "violation.perpetrator_add", func(tx *store.Tx, r eventRow) ([]string, error) {
		in, err := checkPerpetrator(ctx, tx, in, "")
		if err != nil {
			return nil, err
		}
		now := s.now()
		out = Perpetrator{ID: ids.New(), EventID: r.id, Category: in.Category, Identity: in.Identity,
			CreatedBy: p.UserID, CreatedAt: now, UpdatedBy: p.UserID, UpdatedAt: now}
		enc, err := s.sealIdentity(ctx, tx, r.keyID, out.ID, in.Identity)
		if err != nil {
			return nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO violation_perpetrators (id, org_id, event_id, category, identity_enc,
			created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			out.ID, r.orgID, r.id, in.Category, enc, p.UserID, micros(now), p.UserID, micros(now))
		return perpetratorFields(in), err
	})
	if err != nil {
		return Perpetrator{}, err
	}
	return out, nil
}

// UpdatePerpetrator replaces perpetrator perpID of event eventID. Audited
// as violation.perpetrator_update.
func (s *Service) UpdatePerpetrator(ctx context.Context, p access.Principal, eventID, perpID string, in PerpetratorInput) (Perpetrator, error) {
	var out Perpetrator
	err := s.change(ctx, p, eventID, "violation.perpetrator_update", func(tx *store.Tx, r eventRow) ([]string, error) {
		var cur Perpetrator
		var created int64
		err := store.ScanRow(tx.QueryRow(ctx, `SELECT category, created_by, created_at FROM violation_perpetrators
			WHERE id = ? AND event_id = ?`, perpID, r.id), &cur.Category, &cur.CreatedBy, &created)
		if err != nil {
			return nil, notFound(err)
		}
		if in, err = checkPerpetrator(ctx, tx, in, cur.Category); err != nil {
			return nil, err
		}
		enc, err := s.sealIdentity(ctx, tx, r.keyID, perpID, in.Identity)
		if err != nil {
			return nil, err
		}
		now := s.now()
		out = Perpetrator{ID: perpID, EventID: r.id, Category: in.Category, Identity: in.Identity,
			CreatedBy: cur.CreatedBy, CreatedAt: fromMicros(created), UpdatedBy: p.UserID, UpdatedAt: now}
		_, err = tx.Exec(ctx, `UPDATE violation_perpetrators SET category = ?, identity_enc = ?, updated_by = ?,
			updated_at = ? WHERE id = ?`, in.Category, enc, p.UserID, micros(now), perpID)
		return perpetratorFields(in), err
	})
	if err != nil {
		return Perpetrator{}, err
	}
	return out, nil
}

// DeletePerpetrator deletes perpetrator perpID of event eventID, and with
// it their part in the acts. Audited as violation.perpetrator_delete.
func (s *Service) DeletePerpetrator(ctx context.Context, p access.Principal, eventID, perpID string) error {
	return s.deletePart(ctx, p, eventID, perpID, `DELETE FROM violation_perpetrators WHERE id = ? AND event_id = ?`,
		"violation.perpetrator_delete", "perpetrator")
}
