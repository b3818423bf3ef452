// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/ratelimit"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/totp"
)

// ThrottledError carries how long a throttled client must wait.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string { return ErrThrottled.Error() }

// Unwrap lets errors.Is(err, ErrThrottled) match.
func (e *ThrottledError) Unwrap() error { return ErrThrottled }

// SignIn checks an e-mail and password and starts a session. Unknown
// accounts, wrong passwords and disabled accounts get the same error after
// the same work, so answers do not reveal which accounts exist. Failures are
// throttled per account and per client address. The session still has to
// complete two-factor sign-in (Session.NeedsTOTP / MustEnrolTOTP) before it
// acts for anyone.
func (s *Service) SignIn(ctx context.Context, email, pw, clientAddr string) (string, Session, error) {
	email = normaliseEmail(email)
	accountKey := "acct:" + s.vault.BlindIndex("users.email", email)
	addrKey := "addr:" + ratelimit.AddressKey(clientAddr)
	if wait, blocked := s.perAccount.Check(accountKey); blocked {
		return "", Session{}, &ThrottledError{wait}
	}
	if wait, blocked := s.perAddress.Check(addrKey); blocked {
		return "", Session{}, &ThrottledError{wait}
	}
	fail := func(userID string) (string, Session, error) {
		s.perAccount.Fail(accountKey)
		s.perAddress.Fail(addrKey)
		_, _ = s.audit.Append(ctx, audit.Entry{ActorID: userID, Action: "auth.login_failed", ObjectType: "user", ObjectID: userID,
			Outcome: "failed", RequestID: requestid.From(ctx)})
		return "", Session{}, ErrUnauthorized
	}
	var userID, hash string
	var disabled *int64
	err := s.db.Scan(s.db.QueryRow(ctx, `SELECT id, password_hash, disabled_at FROM users WHERE email_index = ?`,
		s.vault.BlindIndex("users.email", email)), &userID, &hash, &disabled)
	if err != nil {
		s.hasher.VerifyDummy(ctx, pw)
		return fail("")
	}
	ok, err := s.hasher.Verify(ctx, pw, hash)
	if err != nil || !ok || disabled != nil {
		return fail(userID)
	}
	s.perAccount.Succeed(accountKey)
	var token string
	var sess Session
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		orgID := ""
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT org_id FROM memberships WHERE user_id = ? ORDER BY created_at, id LIMIT 1`, userID), &orgID); err != nil && err != store.ErrNotFound {
			return err
		}
		var err error
		var id string
		if token, id, err = s.newSession(ctx, tx, userID, orgID, false); err != nil {
			return err
		}
		sess = Session{ID: id, UserID: userID, OrgID: orgID}
		return s.log(ctx, tx, access.Principal{UserID: userID}, "auth.login", "session", id, orgID)
	})
	if err != nil {
		return "", Session{}, err
	}
	_, sess, err = s.Authenticate(ctx, token)
	return token, sess, err
}

// completeMFA replaces a session that has just passed its second factor by
// a fresh one with a new token (the privilege changed, so the token does
// too) and returns the new token.
func (s *Service) completeMFA(ctx context.Context, tx *store.Tx, sess Session, how string) (string, error) {
	if _, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = ? WHERE id = ?`, micros(s.now()), sess.ID); err != nil {
		return "", err
	}
	token, id, err := s.newSession(ctx, tx, sess.UserID, sess.OrgID, true)
	if err != nil {
		return "", err
	}
	return token, s.log(ctx, tx, access.Principal{UserID: sess.UserID}, "auth.mfa", "session", id, sess.OrgID, how)
}

func (s *Service) mfaKey(userID string) string { return "mfa:" + userID }

// checkCode checks a TOTP code against the user's secret, active (at
// sign-in) or pending (at enrolment), and spends its time step. A missing
// secret in the wanted state is ErrUnauthorized at sign-in and ErrForbidden
// at enrolment.
func (s *Service) checkCode(ctx context.Context, tx *store.Tx, userID, code string, active bool) error {
	r, err := scanUserRow(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
	if err != nil || (r.totpEnabled != nil) != active || r.totpSecretEnc == nil {
		if active {
			return ErrUnauthorized
		}
		return ErrForbidden
	}
	secret, err := s.vault.OpenString(ctx, tx, r.keyID, userAD(r.id, "totp_secret"), r.totpSecretEnc)
	if err != nil {
		return err
	}
	step, ok := totp.Check(secret, code, s.now(), r.totpLastStep)
	if !ok {
		return ErrUnauthorized
	}
	return s.spendStep(ctx, tx, userID, step)
}

// spendStep records that the TOTP time step has been used. The update is
// conditional so that two requests racing with the same code cannot both
// pass: only one of them moves totp_last_step forward.
func (s *Service) spendStep(ctx context.Context, tx *store.Tx, userID string, step int64) error {
	res, err := tx.Exec(ctx, `UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?`, step, userID, step)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrUnauthorized
	}
	return nil
}

// VerifyTOTP completes sign-in with a code from the user's authenticator.
// Each code works once. Failures are throttled per account.
func (s *Service) VerifyTOTP(ctx context.Context, sess Session, code string) (string, error) {
	if wait, blocked := s.perAccount.Check(s.mfaKey(sess.UserID)); blocked {
		return "", &ThrottledError{wait}
	}
	var token string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.checkCode(ctx, tx, sess.UserID, code, true); err != nil {
			return err
		}
		var err error
		token, err = s.completeMFA(ctx, tx, sess, "totp")
		return err
	})
	return token, s.mfaOutcome(ctx, sess, err)
}

func (s *Service) mfaOutcome(ctx context.Context, sess Session, err error) error {
	if err == ErrUnauthorized {
		s.perAccount.Fail(s.mfaKey(sess.UserID))
		_, _ = s.audit.Append(ctx, audit.Entry{ActorID: sess.UserID, OrgID: sess.OrgID, Action: "auth.mfa_failed",
			ObjectType: "session", ObjectID: sess.ID, Outcome: "failed", RequestID: requestid.From(ctx)})
		return err
	}
	if err == nil {
		s.perAccount.Succeed(s.mfaKey(sess.UserID))
	}
	return err
}

// UseRecoveryCode completes sign-in with one of the user's recovery codes,
// which is then spent.
func (s *Service) UseRecoveryCode(ctx context.Context, sess Session, code string) (string, error) {
	if wait, blocked := s.perAccount.Check(s.mfaKey(sess.UserID)); blocked {
		return "", &ThrottledError{wait}
	}
	var token string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
			micros(s.now()), sess.UserID, totp.HashRecoveryCode(code))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrUnauthorized
		}
		token, err = s.completeMFA(ctx, tx, sess, "recovery_code")
		return err
	})
	return token, s.mfaOutcome(ctx, sess, err)
}

// BeginTOTPEnrolment gives the session's user a new, not yet active TOTP
// secret and returns it with its otpauth:// URI. It refuses when a factor
// is already active (an administrator resets it first).
func (s *Service) BeginTOTPEnrolment(ctx context.Context, sess Session) (secret, uri string, err error) {
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		r, err := scanUserRow(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, sess.UserID))
		if err != nil {
			return notFound(err)
		}
		if r.totpEnabled != nil {
			return ErrForbidden
		}
		u, err := s.decrypt(ctx, tx, r)
		if err != nil {
			return err
		}
		if secret, uri, err = totp.NewSecret(s.issuer, u.Email); err != nil {
			return err
		}
		enc, err := s.vault.SealString(ctx, tx, r.keyID, userAD(r.id, "totp_secret"), secret)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET totp_secret_enc = ?, updated_at = ? WHERE id = ?`, enc, micros(s.now()), r.id); err != nil {
			return err
		}
		return s.log(ctx, tx, access.Principal{UserID: sess.UserID}, "user.totp_begin", "user", r.id, sess.OrgID, "totp_secret")
	})
	return secret, uri, err
}

// ConfirmTOTPEnrolment activates the pending secret when code matches it,
// completes the session's sign-in, and returns the new session token and
// ten recovery codes, shown to the user once.
func (s *Service) ConfirmTOTPEnrolment(ctx context.Context, sess Session, code string) (string, []string, error) {
	var token string
	var codes []string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if err := s.checkCode(ctx, tx, sess.UserID, code, false); err != nil {
			return err
		}
		now := micros(s.now())
		if _, err := tx.Exec(ctx, `UPDATE users SET totp_enabled_at = ?, updated_at = ? WHERE id = ?`, now, now, sess.UserID); err != nil {
			return err
		}
		plain, hashes, err := totp.NewRecoveryCodes(10)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, sess.UserID); err != nil {
			return err
		}
		for _, h := range hashes {
			if _, err := tx.Exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, sess.UserID, h); err != nil {
				return err
			}
		}
		codes = plain
		if err := s.log(ctx, tx, access.Principal{UserID: sess.UserID}, "user.totp_enable", "user", sess.UserID, sess.OrgID, "totp_enabled_at", "recovery_codes"); err != nil {
			return err
		}
		token, err = s.completeMFA(ctx, tx, sess, "totp")
		return err
	})
	return token, codes, s.mfaOutcome(ctx, sess, err)
}

// ChangeOwnPassword changes the session user's password after checking the
// current one, ends every other session of theirs, and returns a fresh
// session token to replace the current one.
func (s *Service) ChangeOwnPassword(ctx context.Context, sess Session, current, next string) (string, error) {
	v := &ValidationError{}
	validatePassword(v, "new_password", next)
	if current == next {
		v.Add("new_password", "same_as_current")
	}
	if err := v.OrNil(); err != nil {
		return "", err
	}
	var hash string
	if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = ?`, sess.UserID), &hash); err != nil {
		return "", ErrUnauthorized
	}
	if wait, blocked := s.perAccount.Check(s.mfaKey(sess.UserID)); blocked {
		return "", &ThrottledError{wait}
	}
	if ok, err := s.hasher.Verify(ctx, current, hash); err != nil || !ok {
		s.perAccount.Fail(s.mfaKey(sess.UserID))
		return "", &ValidationError{Errors: []FieldError{{Field: "current_password", Code: "incorrect"}}}
	}
	newHash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return "", err
	}
	var token string
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, must_change_password = 0, updated_at = ? WHERE id = ?`,
			newHash, micros(s.now()), sess.UserID); err != nil {
			return err
		}
		if err := s.revokeUserSessions(ctx, tx, sess.UserID, ""); err != nil {
			return err
		}
		var err error
		if token, _, err = s.newSession(ctx, tx, sess.UserID, sess.OrgID, sess.MFA); err != nil {
			return err
		}
		return s.log(ctx, tx, access.Principal{UserID: sess.UserID}, "user.password_change", "user", sess.UserID, sess.OrgID, "password")
	})
	return token, err
}
