// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// TokenPrefix starts every API token, so secret scanners can find leaked ones.
const TokenPrefix = "amp_"

// Token is an API token. Its secret is shown once, at issue; only its
// SHA-256 is stored.
type Token struct {
	ID         string
	UserID     string
	OrgID      string
	Name       string
	Scopes     []access.Permission
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// IssueToken creates a token for p, limited to scopes (each of which p must
// hold) and expiring after ttl (DefaultTokenLifetime when zero). Tokens
// cannot issue tokens: only a signed-in person can.
func (s *Service) IssueToken(ctx context.Context, p access.Principal, name, scopes string, ttl time.Duration) (Token, string, error) {
	if !p.Can("token.create") || p.Scopes != nil {
		return Token{}, "", ErrForbidden
	}
	v := &ValidationError{}
	name = strings.TrimSpace(name)
	if name == "" {
		v.Add("name", "required")
	} else if utf8.RuneCountInString(name) > 100 {
		v.Add("name", "too_long")
	}
	perms, bad := access.ParseScopes(scopes)
	switch {
	case bad != "":
		v.Add("scopes", "unknown_scope")
	case len(perms) == 0:
		v.Add("scopes", "required")
	default:
		for _, perm := range perms {
			if !strings.HasSuffix(string(perm), ".*") && !p.Can(perm) {
				v.Add("scopes", "not_held")
				break
			}
		}
	}
	if ttl == 0 {
		ttl = DefaultTokenLifetime
	}
	if ttl < time.Minute || ttl > MaxTokenLifetime {
		v.Add("expires_in_days", "out_of_range")
	}
	if err := v.OrNil(); err != nil {
		return Token{}, "", err
	}
	now := s.now()
	t := Token{ID: ids.New(), UserID: p.UserID, OrgID: p.OrgID, Name: name, Scopes: perms, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	secret := TokenPrefix + ids.Token(32)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO api_tokens (id, token_hash, user_id, org_id, name, scopes, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, hashToken(secret), t.UserID, nullString(t.OrgID), t.Name, joinScopes(perms), micros(now), micros(t.ExpiresAt)); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "token.create", "token", t.ID, p.OrgID, "name", "scopes", "expires_at")
	})
	if err != nil {
		return Token{}, "", err
	}
	return t, secret, nil
}

func joinScopes(perms []access.Permission) string {
	parts := make([]string, len(perms))
	for i, p := range perms {
		parts[i] = string(p)
	}
	return strings.Join(parts, " ")
}

// #nosec G101 -- a column list; token secrets are never stored.
const tokenColumns = `id, user_id, COALESCE(org_id, ''), name, scopes, created_at, expires_at, last_used_at, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var scopes string
	var created, expires int64
	var used, revoked *int64
	if err := sc.Scan(&t.ID, &t.UserID, &t.OrgID, &t.Name, &scopes, &created, &expires, &used, &revoked); err != nil {
		return t, err
	}
	t.Scopes, _ = access.ParseScopes(scopes)
	t.CreatedAt, t.ExpiresAt = fromMicros(created), fromMicros(expires)
	t.LastUsedAt, t.RevokedAt = fromNullMicros(used), fromNullMicros(revoked)
	return t, nil
}

func (t Token) record() access.Record { return access.Record{OrgID: t.OrgID, OwnerID: t.UserID} }

// ListTokens lists the tokens p may read, newest first by id order.
func (s *Service) ListTokens(ctx context.Context, p access.Principal, page Page) ([]Token, string, error) {
	where, args := []string{"1 = 1"}, []any{}
	switch p.Scope("token.read") {
	case access.ScopeNone:
		return nil, "", ErrForbidden
	case access.ScopeAll:
	case access.ScopeOrg:
		where, args = append(where, "org_id = ?"), append(args, p.OrgID)
	default:
		where, args = append(where, "user_id = ?"), append(args, p.UserID)
	}
	if page.Cursor != "" {
		where, args = append(where, "id > ?"), append(args, page.Cursor)
	}
	args = append(args, page.limit()+1)
	out, err := queryAll(ctx, s.db, scanToken, `SELECT `+tokenColumns+` FROM api_tokens WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, page.limit(), func(t Token) string { return t.ID })
	return out, next, nil
}

// GetToken returns a token p may read.
func (s *Service) GetToken(ctx context.Context, p access.Principal, id string) (Token, error) {
	if !ids.Valid(id) {
		return Token{}, ErrNotFound
	}
	t, err := scanToken(s.db.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = ?`, id))
	if err != nil {
		return t, notFound(err)
	}
	if !p.Allows("token.read", t.record()) {
		return Token{}, ErrNotFound
	}
	return t, nil
}

// RevokeToken revokes a token p may revoke.
func (s *Service) RevokeToken(ctx context.Context, p access.Principal, id string) error {
	if !ids.Valid(id) {
		return ErrNotFound
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		t, err := scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = ?`, id))
		if err != nil {
			return notFound(err)
		}
		if !p.Allows("token.read", t.record()) && !p.Allows("token.revoke", t.record()) {
			return ErrNotFound
		}
		if !p.Allows("token.revoke", t.record()) {
			return ErrForbidden
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, micros(s.now()), id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "token.revoke", "token", id, t.OrgID, "revoked_at")
	})
}

// AuthenticateToken checks an API token and returns its principal: the
// owner's current role in the token's organisation, narrowed to the
// token's scopes.
func (s *Service) AuthenticateToken(ctx context.Context, secret string) (access.Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 100 {
		return access.Principal{}, ErrUnauthorized
	}
	var id, userID, orgID, scopes, role, team string
	var expires int64
	var used, revoked, disabled *int64
	var sysadmin int
	err := s.db.Scan(s.db.QueryRow(ctx, `SELECT t.id, t.user_id, COALESCE(t.org_id, ''), t.scopes, t.expires_at, t.last_used_at, t.revoked_at,
			u.is_sysadmin, u.disabled_at, COALESCE(m.role, ''), COALESCE(m.team_id, '')
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		LEFT JOIN memberships m ON m.user_id = t.user_id AND m.org_id = t.org_id
		WHERE t.token_hash = ?`, hashToken(secret)),
		&id, &userID, &orgID, &scopes, &expires, &used, &revoked, &sysadmin, &disabled, &role, &team)
	if errors.Is(err, store.ErrNotFound) {
		return access.Principal{}, ErrUnauthorized
	}
	if err != nil {
		// Not the caller's fault: the database did not answer. Callers
		// answer 503, not 401.
		return access.Principal{}, err
	}
	now := s.now()
	if revoked != nil || disabled != nil || !now.Before(fromMicros(expires)) {
		return access.Principal{}, ErrUnauthorized
	}
	perms, _ := access.ParseScopes(scopes)
	if perms == nil {
		perms = []access.Permission{}
	}
	p := access.Principal{UserID: userID, OrgID: orgID, TeamID: team, Role: role, Scopes: perms, MFA: true}
	if sysadmin == 1 {
		p.Role = access.RoleSysadmin
	}
	if used == nil || now.Sub(fromMicros(*used)) >= tokenTouchEvery {
		// Conditional, so that of the requests in flight when the minute
		// turns only one writes.
		if _, err := s.db.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`,
			micros(now), id, micros(now.Add(-tokenTouchEvery))); err != nil {
			return access.Principal{}, err
		}
	}
	return p, nil
}
