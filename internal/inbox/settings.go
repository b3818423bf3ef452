// SPDX-License-Identifier: AGPL-3.0-or-later

package inbox

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// ErrForbidden answers a caller who is not a signed-in user.
var ErrForbidden = cases.ErrForbidden

// Settings is a user's choice of e-mail digests. Digests go only to users
// who asked for them, signed in, at the address their account has: that is
// what stands for a verified address here, since the address is the one
// they sign in with and they confirm it is theirs when they turn digests
// on.
type Settings struct {
	// On is true while digests go out: asked for, at the account's
	// current address.
	On bool
	// Stale is true when digests were asked for at an address the account
	// no longer has; nothing is sent until the user confirms again.
	Stale bool
	// Lang is the language of the messages (i18n.Default until chosen).
	Lang string
	// ConfirmedAt is when the user asked for digests, nil when they are
	// off.
	ConfirmedAt *time.Time
}

// Settings returns p's own digest settings.
func (s *Service) Settings(ctx context.Context, p access.Principal) (Settings, error) {
	if !p.Authenticated() {
		return Settings{}, ErrForbidden
	}
	return s.settings(ctx, s.db, p.UserID)
}

func (s *Service) settings(ctx context.Context, q store.Queryer, userID string) (Settings, error) {
	out := Settings{Lang: i18n.Default}
	var index, current string
	var confirmed sql.NullInt64
	err := store.ScanRow(q.QueryRow(ctx, `SELECT d.lang, d.email_index, d.confirmed_at, u.email_index
		FROM digest_settings d JOIN users u ON u.id = d.user_id WHERE d.user_id = ?`, userID),
		&out.Lang, &index, &confirmed, &current)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return out, nil
	case err != nil:
		return Settings{}, err
	}
	if confirmed.Valid {
		t := time.UnixMicro(confirmed.Int64).UTC()
		out.ConfirmedAt = &t
		out.On, out.Stale = index == current, index != current
	}
	return out, nil
}

// SetDigests turns p's digests on (confirming the account's current
// address) or off, in language lang, one of the interface's languages. A
// change is audited as user.digest naming the fields, never the address.
func (s *Service) SetDigests(ctx context.Context, p access.Principal, on bool, lang string) (Settings, error) {
	if !p.Authenticated() {
		return Settings{}, ErrForbidden
	}
	if !i18n.Valid(lang) {
		return Settings{}, fielderr.One("lang", fielderr.CodeInvalid)
	}
	var out Settings
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		old, err := s.settings(ctx, tx, p.UserID)
		if err != nil {
			return err
		}
		var index string
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT email_index FROM users WHERE id = ?`, p.UserID), &index); err != nil {
			if errors.Is(err, store.ErrNotFound) {
				return ErrForbidden
			}
			return err
		}
		var fields []string
		if old.On != on || old.Stale {
			fields = append(fields, "digest.enabled")
		}
		if old.Lang != lang {
			fields = append(fields, "digest.lang")
		}
		if len(fields) == 0 {
			out = old
			return nil
		}
		now := s.clock.Now().UTC().Truncate(time.Microsecond).UnixMicro()
		var confirmed any
		if on {
			confirmed = now
		}
		if _, err := tx.Exec(ctx, `INSERT INTO digest_settings (user_id, lang, email_index, confirmed_at, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang,
			email_index = excluded.email_index, confirmed_at = excluded.confirmed_at, updated_at = excluded.updated_at`,
			p.UserID, lang, index, confirmed, now); err != nil {
			return err
		}
		if out, err = s.settings(ctx, tx, p.UserID); err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, OrgID: p.OrgID, Action: "user.digest",
			ObjectType: "user", ObjectID: p.UserID, Fields: fields, RequestID: requestid.From(ctx)})
		return err
	})
	return out, err
}
