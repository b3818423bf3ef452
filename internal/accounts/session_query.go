// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Session is a signed-in browser. Its token is never stored: only its
// SHA-256, so a copy of the database cannot be used to sign in.
type Session struct {
	ID         string
	UserID     string
	OrgID      string
	CreatedAt  time.Time
	LastSeenAt time.Time
	MFA        bool
	// MustChangePassword and MustEnrolTOTP say which step of sign-in the
	// session still has to complete before it can do anything else.
	MustChangePassword bool
	MustEnrolTOTP      bool
	NeedsTOTP          bool
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// newSession creates a session for userID in tx and returns its token.
func (s *Service) newSession(ctx context.Context, tx *store.Tx, userID, orgID string, mfa bool) (string, string, error) {
	token := ids.Token(32)
	id := ids.New()
	now := micros(s.now())
	var mfaAt any
	if mfa {
		mfaAt = now
	}
	_, err := tx.Exec(ctx, `INSERT INTO sessions (id, token_hash, user_id, org_id, created_at, last_seen_at, mfa_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, hashToken(token), userID, nullString(orgID), now, now, mfaAt)
	return token, id, err
}

// revokeUserSessions ends every live session of userID (in orgID only,
// when given).
func (s *Service) revokeUserSessions(ctx context.Context, tx *store.Tx, userID, orgID string) error {
	q := `UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`
	args := []any{micros(s.now()), userID}
	if orgID != "" {
		q += ` AND org_id = ?`
		args = append(args, orgID)
	}
	_, err := tx.Exec(ctx, q, args...)
	return err
}

// principalFor builds the principal of userID acting in orgID from the
// current database state, so role changes and disabling take effect at once.
func (s *Service) principalFor(ctx context.Context, q store.Queryer, userID, orgID string, mfa bool) (access.Principal, userRow, error) {
	r, err := scanUserRow(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
	if err != nil {
		return access.Principal{}, r, notFound(err)
	}
	if r.disabled != nil {
		return access.Principal{}, r, ErrUnauthorized
	}
	p := access.Principal{UserID: userID, OrgID: orgID, MFA: mfa}
	if orgID != "" {
		var team *string
		err := store.ScanRow(q.QueryRow(ctx, `SELECT role, team_id FROM memberships WHERE user_id = ? AND org_id = ?`, userID, orgID), &p.Role, &team)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return p, r, err
		}
		if team != nil {
			p.TeamID = *team
		}
	}
	if r.sysadmin == 1 {
		p.Role = access.RoleSysadmin
	}
	return p, r, nil
}

// mustUseMFA reports whether the account holds any role that requires
// two-factor sign-in.
func (s *Service) mustUseMFA(ctx context.Context, q store.Queryer, userID string, sysadmin bool) (bool, error) {
	if sysadmin {
		return true, nil
	}
	rows, err := q.Query(ctx, `SELECT role FROM memberships WHERE user_id = ?`, userID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		var role string
		if err := rows.Scan(&role); err != nil {
			return false, err
		}
		if access.RequiresMFA(role) {
			return true, nil
		}
	}
	return false, rows.Err()
}

// Authenticate checks a session token. It ends sessions idle for more than
// SessionIdle or older than SessionAbsolute, and records activity.
func (s *Service) Authenticate(ctx context.Context, token string) (access.Principal, Session, error) {
	if token == "" || len(token) > 100 {
		return access.Principal{}, Session{}, ErrUnauthorized
	}
	var sess Session
	var orgID *string
	var created, lastSeen int64
	var mfaAt, revoked *int64
	err := s.db.Scan(s.db.QueryRow(ctx, `SELECT id, user_id, org_id, created_at, last_seen_at, mfa_at, revoked_at FROM sessions WHERE token_hash = ?`,
		hashToken(token)), &sess.ID, &sess.UserID, &orgID, &created, &lastSeen, &mfaAt, &revoked)
	if errors.Is(err, store.ErrNotFound) {
		return access.Principal{}, Session{}, ErrUnauthorized
	}
	if err != nil {
		// The database did not answer: not a reason to sign the person out.
		return access.Principal{}, Session{}, err
	}
	now := s.now()
	sess.CreatedAt, sess.LastSeenAt, sess.MFA = fromMicros(created), fromMicros(lastSeen), mfaAt != nil
	if orgID != nil {
		sess.OrgID = *orgID
	}
	if revoked != nil {
		return access.Principal{}, Session{}, ErrUnauthorized
	}
	if now.Sub(sess.LastSeenAt) > SessionIdle || now.Sub(sess.CreatedAt) > SessionAbsolute {
		_, _ = s.db.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, micros(now), sess.ID)
		return access.Principal{}, Session{}, ErrUnauthorized
	}
	p, r, err := s.principalFor(ctx, s.db, sess.UserID, sess.OrgID, sess.MFA)
	if errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnauthorized) {
		return access.Principal{}, Session{}, ErrUnauthorized
	}
	if err != nil {
		return access.Principal{}, Session{}, err
	}
	sess.MustChangePassword = r.mustChange == 1
	if !sess.MFA {
		if r.totpEnabled != nil {
			sess.NeedsTOTP = true
		} else if must, err := s.mustUseMFA(ctx, s.db, sess.UserID, r.sysadmin == 1); err != nil {
			return access.Principal{}, Session{}, err
		} else {
			sess.MustEnrolTOTP = must
		}
	}
	if now.Sub(sess.LastSeenAt) >= sessionTouchEvery {
		if _, err := s.db.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ?`, micros(now), sess.ID); err != nil {
			return access.Principal{}, Session{}, err
		}
		sess.LastSeenAt = now
	}
	if sess.MustChangePassword || sess.NeedsTOTP || sess.MustEnrolTOTP {
		// Until sign-in is complete the session acts as nobody; only the
		// sign-in steps themselves accept it.
		p.MFA = false
		p.Role = ""
	}
	return p, sess, nil
}

// SignOut revokes the session with the given token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var id, userID string
		var orgID *string
		err := store.ScanRow(tx.QueryRow(ctx, `SELECT id, user_id, org_id FROM sessions WHERE token_hash = ? AND revoked_at IS NULL`, hashToken(token)), &id, &userID, &orgID)
		if err != nil {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, micros(s.now()), id); err != nil {
			return err
		}
		org := ""
		if orgID != nil {
			org = *orgID
		}
		return s.log(ctx, tx, access.Principal{UserID: userID}, "auth.logout", "session", id, org)
	})
}

// ListSessions lists p's own live sessions, newest first.
func (s *Service) ListSessions(ctx context.Context, p access.Principal, currentID string) ([]Session, error) {
	if p.Scope("session.read") == access.ScopeNone {
		return nil, ErrForbidden
	}
	now := s.now()
	rows, err := s.db.Query(ctx, `SELECT id, user_id, COALESCE(org_id, ''), created_at, last_seen_at, mfa_at FROM sessions
		WHERE user_id = ? AND revoked_at IS NULL AND last_seen_at > ? AND created_at > ? ORDER BY created_at DESC, id`,
		p.UserID, micros(now.Add(-SessionIdle)), micros(now.Add(-SessionAbsolute)))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Session
	for rows.Next() {
		var sess Session
		var created, lastSeen int64
		var mfaAt *int64
		if err := rows.Scan(&sess.ID, &sess.UserID, &sess.OrgID, &created, &lastSeen, &mfaAt); err != nil {
			return nil, err
		}
		sess.CreatedAt, sess.LastSeenAt, sess.MFA = fromMicros(created), fromMicros(lastSeen), mfaAt != nil
		out = append(out, sess)
	}
	return out, rows.Err()
}

// RevokeSession ends one of p's own sessions.
func (s *Service) RevokeSession(ctx context.Context, p access.Principal, id string) error {
	if !ids.Valid(id) || p.Scope("session.revoke") == access.ScopeNone {
		return ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL`, micros(s.now()), id, p.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.log(ctx, tx, p, "session.revoke", "session", id, p.OrgID)
	})
}

// OperatorPrincipal returns the principal of userID acting in orgID (their
// first organisation when orgID is empty) as the command line's operator
// sees them: with two-factor sign-in deemed done, because whoever runs the
// command already holds the data directory and its key. It is for issuing
// tokens to service accounts and benchmarks from the command line.
func (s *Service) OperatorPrincipal(ctx context.Context, userID, orgID string) (access.Principal, error) {
	if orgID == "" {
		if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT org_id FROM memberships WHERE user_id = ? ORDER BY created_at, id LIMIT 1`, userID), &orgID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return access.Principal{}, err
		}
	}
	p, _, err := s.principalFor(ctx, s.db, userID, orgID, true)
	if err != nil {
		return p, err
	}
	if p.Role == "" {
		return p, &ValidationError{Errors: []FieldError{{Field: "org", Code: "not_a_member"}}}
	}
	return p, nil
}
