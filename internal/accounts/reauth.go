// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/requestid"
)

// CodeIncorrect is the field error of a password that does not match.
const CodeIncorrect = "incorrect"

// Reauthenticate checks that pw is the password of the user p acts for,
// before an act that needs more than a live session or token (an export
// of personal data; SECURITY-BAR 13, step-up authentication). action names
// that act in the audit entry of a failure ("case.export").
//
// A wrong password is a ValidationError on field "password" (code
// CodeIncorrect) and is audited as auth.reauth_failed; failures count
// against the same per-account throttle as the second factor's, so that a
// stolen session cannot be used to guess the password at speed: past it,
// the answer is a *ThrottledError, without checking. Success is not
// audited here: the caller audits the act it allows.
func (s *Service) Reauthenticate(ctx context.Context, p access.Principal, pw, action string) error {
	if !p.Authenticated() || p.UserID == "" {
		return ErrUnauthorized
	}
	key := s.mfaKey(p.UserID)
	if wait, blocked := s.perAccount.Check(key); blocked {
		return &ThrottledError{wait}
	}
	var hash string
	var disabled *int64
	if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT password_hash, disabled_at FROM users WHERE id = ?`, p.UserID),
		&hash, &disabled); err != nil {
		return ErrUnauthorized
	}
	ok, err := s.hasher.Verify(ctx, pw, hash)
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil || !ok || disabled != nil {
		s.perAccount.Fail(key)
		if _, err := s.audit.Append(ctx, audit.Entry{ActorID: p.UserID, OrgID: p.OrgID, Action: "auth.reauth_failed",
			ObjectType: "user", ObjectID: p.UserID, Fields: []string{action}, Outcome: audit.OutcomeFailed,
			RequestID: requestid.From(ctx)}); err != nil {
			return err
		}
		return &ValidationError{Errors: []FieldError{{Field: "password", Code: CodeIncorrect}}}
	}
	s.perAccount.Succeed(key)
	return nil
}
