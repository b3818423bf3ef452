// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/detention"
)

// Categories of consular compliance: whether the detained person was told
// of their right to consular notification within the time limit, and
// whether their consulate was notified within it. They are the statuses of
// detention.Assess, the rules the case pages and alerts apply, merged
// where the difference is not a finding: an act not recorded is
// ToldUnknown whether or not its limit has passed, and a required
// notification not made is NotNotified.
const (
	ToldInTime  = "told_in_time"
	ToldLate    = "told_late"
	ToldUnknown = "told_unknown"

	NotifiedInTime           = "notified_in_time"
	NotifiedLate             = "notified_late"
	NotNotified              = "not_notified"
	NotificationNotRequired  = "notification_not_required"
	NotificationUndetermined = "notification_undetermined"
)

var (
	toldCategory     = map[detention.Status]string{detention.StatusInTime: ToldInTime, detention.StatusLate: ToldLate}
	notifiedCategory = map[detention.Status]string{
		detention.StatusInTime: NotifiedInTime, detention.StatusLate: NotifiedLate,
		detention.StatusOverdue: NotNotified, detention.StatusPending: NotNotified,
		detention.StatusNotRequired: NotificationNotRequired, detention.StatusUndetermined: NotificationUndetermined,
	}
)

// countConsular counts consular notifications by compliance, assessing
// each at now with detention.Assess under its organisation's time limit and
// the mandatory-notification agreements, as the case pages do. Each record
// is read, not grouped, since the rules are applied here; there is one per
// detained foreign national, far fewer than cases.
func (s *Service) countConsular(ctx context.Context, q Query, t *tally, now time.Time) error {
	from := "consular_notifications n JOIN detention_episodes e ON e.id = n.episode_id"
	var where []string
	var args []any
	if q.Filter.OrgID != "" {
		where = append(where, "n.org_id = ?")
		args = append(args, q.Filter.OrgID)
	}
	// The nationality of a notification is the one whose consulate it
	// concerns: the detained national's own, kept on the record.
	if q.Filter.Nationality != "" {
		where = append(where, "n.nationality = ?")
		args = append(args, q.Filter.Nationality)
	}
	byCase := q.Filter
	byCase.Nationality = ""
	if cw, ca := caseFilter(byCase, "c"); len(cw) > 0 {
		from += " JOIN cases c ON c.id = e.case_id"
		where, args = append(where, cw...), append(args, ca...)
	}
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	return s.assessConsular(ctx, from, args, now, func(c detention.Compliance) {
		told, ok := toldCategory[c.Told]
		if !ok {
			told = ToldUnknown
		}
		t.add(told, notifiedCategory[c.Notified], 1)
	})
}

// assessConsular assesses at now each consular notification that from (the
// FROM clause and any WHERE, with n the notifications and e their detention
// episodes) selects with args, under its organisation's time limit and the
// mandatory-notification agreements, as the case pages do, and hands each
// assessment to each.
func (s *Service) assessConsular(ctx context.Context, from string, args []any, now time.Time,
	each func(detention.Compliance)) error {
	mandatory, err := s.det.MandatoryCountries(ctx, "")
	if err != nil {
		return err
	}
	isMandatory := make(map[[2]string]bool, len(mandatory))
	for _, m := range mandatory {
		isMandatory[[2]string{m.DetainingCountry, m.Nationality}] = true
	}
	rows, err := s.db.Query(ctx, "SELECT n.org_id, e.facility_country, n.nationality, n.arrested_at, n.told_at, "+
		"n.requested, n.notified_at FROM "+from, args...)
	if err != nil {
		return err
	}
	type record struct {
		n       detention.Notification
		country string
	}
	var records []record
	for rows.Next() {
		var r record
		var arrested int64
		var told, notified sql.NullInt64
		var requested sql.NullBool
		if err := rows.Scan(&r.n.OrgID, &r.country, &r.n.Nationality, &arrested, &told, &requested, &notified); err != nil {
			_ = rows.Close()
			return err
		}
		r.n.ArrestedAt = time.UnixMicro(arrested).UTC()
		r.n.ToldAt, r.n.NotifiedAt = nullTime(told), nullTime(notified)
		if requested.Valid {
			r.n.Requested = &requested.Bool
		}
		records = append(records, r)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Each organisation's time limit, read once; the settings are not
	// personal data and the statistics act as the system to read them.
	configs := map[string]detention.Config{}
	for _, r := range records {
		cfg, ok := configs[r.n.OrgID]
		if !ok {
			if cfg, err = s.det.Settings(ctx, access.System, r.n.OrgID); err != nil {
				return err
			}
			configs[r.n.OrgID] = cfg
		}
		each(detention.Assess(r.n, isMandatory[[2]string{r.country, r.n.Nationality}], cfg, now))
	}
	return nil
}

func nullTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := time.UnixMicro(v.Int64).UTC()
	return &t
}
