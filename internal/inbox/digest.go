// SPDX-License-Identifier: AGPL-3.0-or-later

package inbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/notify"
	"github.com/amparo-project/amparo/internal/store"
)

// Mailer sends one digest to one address; *notify.Mailer is one.
type Mailer interface {
	SendDigest(ctx context.Context, to string, d notify.Digest) error
}

// DailyGap is the least time between two daily digests to one user. It is
// an hour short of a day so that a job run every hour, or every day on a
// grid that jitters by a few seconds, still sends one a day.
const DailyGap = 23 * time.Hour

// DigestOf turns counts into the digest of an e-mail in language lang.
func DigestOf(c Counts, lang string) notify.Digest {
	d := notify.Digest{Lang: lang, Alerts: map[notify.Kind]int{}, TasksDue: c.Tasks.DueSoon, TasksOverdue: c.Tasks.Overdue}
	for k, n := range c.Alerts {
		d.Alerts[notify.KindFor(string(k))] += n
	}
	return d
}

// recipient is a user who asked for digests at their current address.
type recipient struct {
	userID, lang string
}

// recipients returns the users who get digests, narrowed by the SQL
// condition where (on digest_settings d and users u) and its arguments.
func (s *Service) recipients(ctx context.Context, where string, args ...any) ([]recipient, error) {
	return store.QueryAll(ctx, s.db, func(sc store.Scanner) (recipient, error) {
		var r recipient
		err := sc.Scan(&r.userID, &r.lang)
		return r, err
	}, `SELECT d.user_id, d.lang FROM digest_settings d JOIN users u ON u.id = d.user_id
		WHERE d.confirmed_at IS NOT NULL AND d.email_index = u.email_index AND u.disabled_at IS NULL AND `+where+`
		ORDER BY d.user_id`, args...)
}

// userCounts adds up what waits for userID in each organisation they are a
// member of, as they would see it signed in there.
func (s *Service) userCounts(ctx context.Context, userID string, now time.Time) (Counts, error) {
	orgs, err := store.QueryAll(ctx, s.db, scanString, `SELECT org_id FROM memberships WHERE user_id = ? ORDER BY org_id`, userID)
	if err != nil {
		return Counts{}, err
	}
	var total Counts
	for _, org := range orgs {
		p, err := s.accounts.OperatorPrincipal(ctx, userID, org)
		if err != nil {
			return Counts{}, err
		}
		c, err := s.Counts(ctx, p, now)
		if err != nil {
			return Counts{}, err
		}
		total.add(c)
	}
	return total, nil
}

func scanString(sc store.Scanner) (string, error) {
	var v string
	err := sc.Scan(&v)
	return v, err
}

// send mails r the digest of c. Reading the address is a read of the
// user's personal data, audited by the accounts domain as the system's.
func (s *Service) send(ctx context.Context, m Mailer, r recipient, c Counts) error {
	u, err := s.accounts.GetUser(ctx, access.System, r.userID)
	if err != nil {
		return err
	}
	return m.SendDigest(ctx, u.Email, DigestOf(c, r.lang))
}

// SendDaily sends every user who asked for digests, and got no daily one in
// the last DailyGap, the counts of their inbox, when anything waits there.
// Each user is claimed (their last_daily_at moved to now) before the
// message goes, so that two servers never both send it; a message that
// then fails is not retried before the next day. A failure for one user
// (counting their inbox or sending) does not stop the others; the error
// joins them, naming users by id, never by address. It returns how many
// messages went.
func (s *Service) SendDaily(ctx context.Context, m Mailer, now time.Time) (int, error) {
	rs, err := s.recipients(ctx, `(d.last_daily_at IS NULL OR d.last_daily_at <= ?)`, now.Add(-DailyGap).UnixMicro())
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, r := range rs {
		c, err := s.userCounts(ctx, r.userID, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("inbox: daily digest of user %s: %w", r.userID, err))
			continue
		}
		if c.Total() == 0 {
			continue
		}
		res, err := s.db.Exec(ctx, `UPDATE digest_settings SET last_daily_at = ?
			WHERE user_id = ? AND (last_daily_at IS NULL OR last_daily_at <= ?)`,
			now.UnixMicro(), r.userID, now.Add(-DailyGap).UnixMicro())
		if err != nil {
			return sent, err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			continue // another server claimed this user
		}
		if err := s.send(ctx, m, r, c); err != nil {
			errs = append(errs, fmt.Errorf("inbox: daily digest to user %s: %w", r.userID, err))
			continue
		}
		sent++
	}
	return sent, errors.Join(errs...)
}

// immediate are the alert kinds that send a digest at once instead of
// waiting for the daily one: a child in immigration detention must never
// wait a day.
var immediate = map[detention.AlertKind]bool{detention.AlertChildInImmigrationDetention: true}

// notice is an immediate alert the scheduler has recorded.
type notice struct {
	kind, episodeID, caseID string
}

// NoticeAlerts evaluates the alerts of every organisation at now and
// records those of the immediate kinds not seen before; for each new one,
// every user who asked for digests and may see its case gets a digest of
// their inbox at once, through m (nil when e-mail is not configured: the
// alerts are then only recorded). A recorded alert is claimed before any
// message goes, so it sends at most once however many servers run the
// job; records of alerts no longer open are dropped, so that a new
// detention of the same kind alerts again. It returns how many messages
// went; failures to send are joined into the error, after the others went.
func (s *Service) NoticeAlerts(ctx context.Context, m Mailer, now time.Time) (int, error) {
	orgs, err := store.QueryAll(ctx, s.db, scanString, `SELECT id FROM organisations ORDER BY id`)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, org := range orgs {
		n, err := s.noticeOrg(ctx, m, org, now)
		sent += n
		var se sendErrors
		switch {
		case errors.As(err, &se):
			errs = append(errs, err)
		case err != nil:
			return sent, fmt.Errorf("inbox: alerts of organisation %s: %w", org, err)
		}
	}
	return sent, errors.Join(errs...)
}

// sendErrors are the failures of some messages while others went.
type sendErrors []error

func (e sendErrors) Error() string { return errors.Join(e...).Error() }

func (s *Service) noticeOrg(ctx context.Context, m Mailer, orgID string, now time.Time) (int, error) {
	all, err := s.detention.OpenAlerts(ctx, orgID, now)
	if err != nil {
		return 0, err
	}
	open := map[[2]string]bool{}
	for _, a := range all {
		if !immediate[a.Kind] {
			continue
		}
		open[[2]string{string(a.Kind), a.EpisodeID}] = true
		if _, err := s.db.Exec(ctx, `INSERT INTO alert_notices (kind, episode_id, org_id, case_id, seen_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, episode_id) DO NOTHING`,
			string(a.Kind), a.EpisodeID, orgID, a.CaseID, now.UnixMicro()); err != nil {
			return 0, err
		}
	}
	known, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (notice, error) {
		var n notice
		err := sc.Scan(&n.kind, &n.episodeID, &n.caseID)
		return n, err
	}, `SELECT kind, episode_id, case_id FROM alert_notices WHERE org_id = ?`, orgID)
	if err != nil {
		return 0, err
	}
	for _, n := range known {
		if !open[[2]string{n.kind, n.episodeID}] {
			if _, err := s.db.Exec(ctx, `DELETE FROM alert_notices WHERE kind = ? AND episode_id = ?`, n.kind, n.episodeID); err != nil {
				return 0, err
			}
		}
	}
	// The claim writes, so it runs on the writer, in a transaction.
	var claimed []string
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		claimed, err = store.QueryAll(ctx, tx, scanString, `UPDATE alert_notices SET handled_at = ?
			WHERE org_id = ? AND handled_at IS NULL RETURNING case_id`, now.UnixMicro(), orgID)
		return err
	})
	if err != nil || len(claimed) == 0 || m == nil {
		return 0, err
	}
	return s.sendImmediate(ctx, m, orgID, claimed, now)
}

// sendImmediate sends a digest to every user of organisation orgID who
// asked for digests and may see one of caseIDs.
func (s *Service) sendImmediate(ctx context.Context, m Mailer, orgID string, caseIDs []string, now time.Time) (int, error) {
	refs, err := s.cases.Refs(ctx, orgID, caseIDs)
	if err != nil {
		return 0, err
	}
	rs, err := s.recipients(ctx, `EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = d.user_id AND m.org_id = ?)`, orgID)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs sendErrors
	for _, r := range rs {
		p, err := s.accounts.OperatorPrincipal(ctx, r.userID, orgID)
		if err != nil {
			errs = append(errs, fmt.Errorf("inbox: immediate digest of user %s: %w", r.userID, err))
			continue
		}
		if !seesAny(p, refs) {
			continue
		}
		c, err := s.userCounts(ctx, r.userID, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("inbox: immediate digest of user %s: %w", r.userID, err))
			continue
		}
		if err := s.send(ctx, m, r, c); err != nil {
			errs = append(errs, fmt.Errorf("inbox: immediate digest to user %s: %w", r.userID, err))
			continue
		}
		sent++
	}
	if len(errs) > 0 {
		return sent, errs
	}
	return sent, nil
}

// seesAny reports whether p may see the detention records of any of refs.
func seesAny(p access.Principal, refs map[string]cases.Ref) bool {
	for _, ref := range refs {
		if p.Allows(detention.PermRead, ref.Record()) {
			return true
		}
	}
	return false
}
