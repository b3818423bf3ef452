// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// MaxK is the largest threshold a system administrator may set: above it a
// slip of the keyboard would hide nearly every table.
const MaxK = 100

// Settings are the system's statistics settings.
type Settings struct {
	// K is the threshold of disclosure control: counts from 1 to K-1 are
	// never published. Between disclosure.MinK and MaxK.
	K int
	// UpdatedAt is when K was last set; zero for the shipped default.
	UpdatedAt time.Time
}

// Settings returns the settings, for anyone who may read statistics (k is
// shown beside every table).
func (s *Service) Settings(ctx context.Context, p access.Principal) (Settings, error) {
	if !p.Can(PermRead) {
		return Settings{}, ErrForbidden
	}
	return s.settings(ctx, s.db)
}

func (s *Service) settings(ctx context.Context, q store.Queryer) (Settings, error) {
	var st Settings
	var at int64
	if err := store.ScanRow(q.QueryRow(ctx, `SELECT k, updated_at FROM statistics_settings WHERE id = 1`), &st.K, &at); err != nil {
		return Settings{}, err
	}
	if at > 0 {
		st.UpdatedAt = time.UnixMicro(at).UTC()
	}
	// The floor holds whatever the row says.
	st.K = max(st.K, disclosure.MinK)
	return st, nil
}

// SetK sets the threshold, for system administrators only
// (statistics.configure at every scope). k below disclosure.MinK or above
// MaxK is refused with a field error on "k". Setting the value it has
// changes nothing; a change is audited as statistics_settings.update.
func (s *Service) SetK(ctx context.Context, p access.Principal, k int) (Settings, error) {
	if p.Scope(PermConfigure) < access.ScopeAll {
		return Settings{}, ErrForbidden
	}
	switch {
	case k < disclosure.MinK:
		return Settings{}, fielderr.One("k", "too_small")
	case k > MaxK:
		return Settings{}, fielderr.One("k", "too_large")
	}
	var out Settings
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		cur, err := s.settings(ctx, tx)
		if err != nil {
			return err
		}
		if out = cur; cur.K == k {
			return nil
		}
		now := s.now()
		if _, err := tx.Exec(ctx, `UPDATE statistics_settings SET k = ?, updated_by = ?, updated_at = ? WHERE id = 1`,
			k, p.UserID, micros(now)); err != nil {
			return err
		}
		out = Settings{K: k, UpdatedAt: now.Truncate(time.Microsecond)}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, Action: "statistics_settings.update",
			ObjectType: "statistics_settings", ObjectID: "k", Fields: []string{"k"}, RequestID: requestid.From(ctx)})
		return err
	})
	if err != nil {
		return Settings{}, err
	}
	return out, nil
}
