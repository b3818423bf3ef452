// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

const notificationType = "consular_notification"

// notificationFields names the fields of a notification, for the audit
// log, in the order changedNotificationFields compares them.
var notificationFields = []string{"nationality", "consulate", "arrested_at", "told_at", "requested", "notified_at",
	"first_contact_at"}

const notificationColumns = `n.id, n.org_id, n.episode_id, n.nationality, n.consulate, n.arrested_at, n.told_at,
	n.requested, n.notified_at, n.first_contact_at, n.created_by, n.created_at, n.updated_by, n.updated_at`

func scanNotification(sc interface{ Scan(...any) error }) (Notification, error) {
	var n Notification
	var arrested, created, updated int64
	var told, notified, contact, requested sql.NullInt64
	err := sc.Scan(&n.ID, &n.OrgID, &n.EpisodeID, &n.Nationality, &n.Consulate, &arrested, &told, &requested,
		&notified, &contact, &n.CreatedBy, &created, &n.UpdatedBy, &updated)
	n.ArrestedAt = fromMicros(arrested)
	n.ToldAt, n.NotifiedAt, n.FirstContactAt = fromNullMicros(told), fromNullMicros(notified), fromNullMicros(contact)
	if requested.Valid {
		n.Requested = new(requested.Int64 == 1)
	}
	n.CreatedAt, n.UpdatedAt = fromMicros(created), fromMicros(updated)
	return n, err
}

func nullBool(b *bool) any {
	if b == nil {
		return nil
	}
	return boolInt(*b)
}

// AssessedNotification is a notification with its compliance at the time
// it was read.
type AssessedNotification struct {
	Notification
	Compliance Compliance
}

// CreateNotification records the consular notification of the person
// detained in episode episodeID of case caseID, for p (detention.write on
// the case). A second record for the same episode and nationality is a
// validation error on nationality (CodeDuplicate).
func (s *Service) CreateNotification(ctx context.Context, p access.Principal, rec access.Record, caseID, episodeID string, in NotificationInput) (AssessedNotification, error) {
	var out AssessedNotification
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermWrite); err != nil {
			return err
		}
		ep, err := s.loadEpisode(ctx, tx, rec.OrgID, caseID, episodeID)
		if err != nil {
			return err
		}
		now := s.now()
		norm, errs := NormalizeNotification(in, ep.FacilityCountry, now)
		if err := invalid(errs); err != nil {
			return err
		}
		n := Notification{ID: ids.New(), OrgID: ep.OrgID, EpisodeID: ep.ID, NotificationInput: norm,
			CreatedBy: p.UserID, CreatedAt: canonical(now), UpdatedBy: p.UserID, UpdatedAt: canonical(now)}
		_, err = tx.Exec(ctx, `INSERT INTO consular_notifications (id, org_id, episode_id, nationality, consulate,
			arrested_at, told_at, requested, notified_at, first_contact_at, created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.ID, n.OrgID, n.EpisodeID, n.Nationality, n.Consulate, micros(n.ArrestedAt), nullMicros(n.ToldAt),
			nullBool(n.Requested), nullMicros(n.NotifiedAt), nullMicros(n.FirstContactAt),
			n.CreatedBy, micros(n.CreatedAt), n.UpdatedBy, micros(n.UpdatedAt))
		if errors.Is(err, store.ErrConflict) {
			return &ValidationError{Errors: []FieldError{{Field: "nationality", Code: CodeDuplicate}}}
		}
		if err != nil {
			return err
		}
		if out, err = s.assess(ctx, tx, ep, n, now); err != nil {
			return err
		}
		return s.log(ctx, tx, p, n.OrgID, "consular.create", notificationType, n.ID,
			changedNotificationFields(NotificationInput{}, n.NotificationInput))
	})
	if err != nil {
		return AssessedNotification{}, err
	}
	return out, nil
}

// UpdateNotification replaces what is recorded of notification id of case
// caseID for p. The audit entry names the fields whose value changed.
func (s *Service) UpdateNotification(ctx context.Context, p access.Principal, rec access.Record, caseID, id string, in NotificationInput) (AssessedNotification, error) {
	var out AssessedNotification
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermWrite); err != nil {
			return err
		}
		old, err := s.loadNotification(ctx, tx, rec.OrgID, caseID, id)
		if err != nil {
			return err
		}
		ep, err := s.loadEpisode(ctx, tx, rec.OrgID, caseID, old.EpisodeID)
		if err != nil {
			return err
		}
		now := s.now()
		norm, errs := NormalizeNotification(in, ep.FacilityCountry, now)
		if err := invalid(errs); err != nil {
			return err
		}
		n := old
		n.NotificationInput = norm
		changed := changedNotificationFields(old.NotificationInput, norm)
		if len(changed) == 0 {
			out, err = s.assess(ctx, tx, ep, old, now)
			return err
		}
		n.UpdatedBy, n.UpdatedAt = p.UserID, canonical(now)
		_, err = tx.Exec(ctx, `UPDATE consular_notifications SET nationality = ?, consulate = ?, arrested_at = ?,
			told_at = ?, requested = ?, notified_at = ?, first_contact_at = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
			n.Nationality, n.Consulate, micros(n.ArrestedAt), nullMicros(n.ToldAt), nullBool(n.Requested),
			nullMicros(n.NotifiedAt), nullMicros(n.FirstContactAt), n.UpdatedBy, micros(n.UpdatedAt), n.ID)
		if errors.Is(err, store.ErrConflict) {
			return &ValidationError{Errors: []FieldError{{Field: "nationality", Code: CodeDuplicate}}}
		}
		if err != nil {
			return err
		}
		if out, err = s.assess(ctx, tx, ep, n, now); err != nil {
			return err
		}
		return s.log(ctx, tx, p, n.OrgID, "consular.update", notificationType, n.ID, changed)
	})
	if err != nil {
		return AssessedNotification{}, err
	}
	return out, nil
}

func changedNotificationFields(a, b NotificationInput) []string {
	timeEq := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	boolEq := (a.Requested == nil) == (b.Requested == nil) && (a.Requested == nil || *a.Requested == *b.Requested)
	same := []bool{a.Nationality == b.Nationality, a.Consulate == b.Consulate, a.ArrestedAt.Equal(b.ArrestedAt),
		timeEq(a.ToldAt, b.ToldAt), boolEq, timeEq(a.NotifiedAt, b.NotifiedAt), timeEq(a.FirstContactAt, b.FirstContactAt)}
	var out []string
	for i, eq := range same {
		if !eq {
			out = append(out, notificationFields[i])
		}
	}
	return out
}

// assess computes n's compliance with the settings of its organisation and
// the mandatory-notification list.
func (s *Service) assess(ctx context.Context, q store.Queryer, ep Episode, n Notification, now time.Time) (AssessedNotification, error) {
	cfg, err := s.settings(ctx, q, n.OrgID)
	if err != nil {
		return AssessedNotification{}, err
	}
	mandatory, err := isMandatory(ctx, q, ep.FacilityCountry, n.Nationality)
	if err != nil {
		return AssessedNotification{}, err
	}
	return AssessedNotification{Notification: n, Compliance: Assess(n, mandatory, cfg, now)}, nil
}

// loadNotification reads notification id of an episode of case caseID in
// organisation orgID.
func (s *Service) loadNotification(ctx context.Context, q store.Queryer, orgID, caseID, id string) (Notification, error) {
	if !ids.Valid(id) {
		return Notification{}, ErrNotFound
	}
	n, err := scanNotification(q.QueryRow(ctx, `SELECT `+notificationColumns+` FROM consular_notifications n
		JOIN detention_episodes e ON e.id = n.episode_id
		WHERE n.id = ? AND n.org_id = ? AND e.case_id = ?`, id, orgID, caseID))
	if errors.Is(err, sql.ErrNoRows) {
		return Notification{}, ErrNotFound
	}
	return n, err
}

// GetNotification returns notification id of an episode of case caseID
// for p (detention.read on the case), assessed at the current time,
// auditing the read.
func (s *Service) GetNotification(ctx context.Context, p access.Principal, rec access.Record, caseID, id string) (AssessedNotification, error) {
	var out AssessedNotification
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermRead); err != nil {
			return err
		}
		n, err := s.loadNotification(ctx, tx, rec.OrgID, caseID, id)
		if err != nil {
			return err
		}
		ep, err := s.loadEpisode(ctx, tx, rec.OrgID, caseID, n.EpisodeID)
		if err != nil {
			return err
		}
		if out, err = s.assess(ctx, tx, ep, n, s.now()); err != nil {
			return err
		}
		return s.log(ctx, tx, p, n.OrgID, "consular.read", notificationType, n.ID, notificationFields)
	})
	if err != nil {
		return AssessedNotification{}, err
	}
	return out, nil
}

// ListNotifications returns the consular notifications of the episodes of
// case caseID for p, earliest arrest first, each assessed at the current
// time, auditing the read of each.
func (s *Service) ListNotifications(ctx context.Context, p access.Principal, rec access.Record, caseID string) ([]AssessedNotification, error) {
	var out []AssessedNotification
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.reachCase(ctx, tx, p, rec, caseID, PermRead); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT `+notificationColumns+`, e.facility_country FROM consular_notifications n
			JOIN detention_episodes e ON e.id = n.episode_id
			WHERE e.case_id = ? AND n.org_id = ? ORDER BY n.arrested_at, n.id`, caseID, rec.OrgID)
		if err != nil {
			return err
		}
		var ns []Notification
		var detaining []string
		for rows.Next() {
			var country string
			n, err := scanNotification(scanPlus{rows, []any{&country}})
			if err != nil {
				_ = rows.Close()
				return err
			}
			ns, detaining = append(ns, n), append(detaining, country)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		cfg, err := s.settings(ctx, tx, rec.OrgID)
		if err != nil {
			return err
		}
		now := s.now()
		for i, n := range ns {
			mandatory, err := isMandatory(ctx, tx, detaining[i], n.Nationality)
			if err != nil {
				return err
			}
			out = append(out, AssessedNotification{Notification: n, Compliance: Assess(n, mandatory, cfg, now)})
		}
		for _, n := range ns {
			if err := s.log(ctx, tx, p, n.OrgID, "consular.read", notificationType, n.ID, notificationFields); err != nil {
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

// scanPlus scans a row into a scanner's destinations followed by extra ones.
type scanPlus struct {
	rows  *sql.Rows
	extra []any
}

func (s scanPlus) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }
