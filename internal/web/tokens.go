// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
)

// defaultTokenDays is the expiry the issue form suggests, in days.
var defaultTokenDays = strconv.Itoa(int(accounts.DefaultTokenLifetime / (24 * time.Hour)))

// maxTokenDays is the longest expiry the form accepts, in days.
var maxTokenDays = int(accounts.MaxTokenLifetime / (24 * time.Hour))

// tokensData is one's own API tokens and the form to issue another.
type tokensData struct {
	Tokens []tokenRow
	// CanCreate is false for a request made with an API token: tokens
	// cannot issue tokens.
	CanCreate bool
	// Held lists the permissions the person holds, which are the scopes a
	// new token may have.
	Held    []access.Permission
	MaxDays int
}

type tokenRow struct {
	ID, Name   string
	Scopes     string
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// tokenCreatedData is the page showing a new token's secret, once.
type tokenCreatedData struct {
	Name, Scopes, Secret string
	ExpiresAt            time.Time
}

// ownTokens lists p's own tokens. The domain lists every token p may read,
// which for an administrator includes other people's; this page is about
// one's own account, so the rest are left out. All pages are read, as a
// person holds few tokens.
func (w *Web) ownTokens(ctx context.Context, p access.Principal) ([]tokenRow, error) {
	var out []tokenRow
	page := accounts.Page{Limit: 500}
	for {
		list, next, err := w.acc.ListTokens(ctx, p, page)
		if err != nil {
			return nil, err
		}
		for _, t := range list {
			if t.UserID != p.UserID {
				continue
			}
			out = append(out, tokenRow{ID: t.ID, Name: t.Name, Scopes: joinPerms(t.Scopes), ExpiresAt: t.ExpiresAt,
				LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt})
		}
		if next == "" {
			return out, nil
		}
		page.Cursor = next
	}
}

func joinPerms(perms []access.Permission) string {
	parts := make([]string, len(perms))
	for i, p := range perms {
		parts[i] = string(p)
	}
	return strings.Join(parts, " ")
}

// renderTokens renders the tokens page with v's form state.
func (w *Web) renderTokens(rw http.ResponseWriter, r *http.Request, status int, v view) {
	p := authn.PrincipalFrom(r.Context())
	rows, err := w.ownTokens(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &tokensData{Tokens: rows, CanCreate: p.Scopes == nil && p.Can("token.create"), MaxDays: maxTokenDays}
	for _, perm := range access.Permissions() {
		if p.Can(perm) {
			d.Held = append(d.Held, perm)
		}
	}
	if v.Values == nil {
		v.Values = map[string]string{"expires_in_days": defaultTokenDays}
	}
	v.Data = d
	w.render(rw, r, status, pageTokens, v)
}

// tokenList shows one's own tokens and the form to issue one.
func (w *Web) tokenList(rw http.ResponseWriter, r *http.Request) {
	w.renderTokens(rw, r, http.StatusOK, view{})
}

// tokenCreate issues a token and shows its secret once: only its hash is
// kept, so it can never be shown again.
func (w *Web) tokenCreate(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderTokens(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	f := r.PostForm
	v := view{Values: map[string]string{"name": f.Get("name"), "scopes": f.Get("scopes"), "expires_in_days": f.Get("expires_in_days")}}
	days, err := strconv.Atoi(strings.TrimSpace(f.Get("expires_in_days")))
	if err != nil || days < 1 || days > maxTokenDays {
		// Checked before the domain is called, since with valid other
		// fields the domain would issue the token.
		v.Fields = map[string]string{"expires_in_days": errOutOfRange}
		w.renderTokens(rw, r, http.StatusUnprocessableEntity, v)
		return
	}
	t, secret, err := w.acc.IssueToken(r.Context(), authn.PrincipalFrom(r.Context()), f.Get("name"), f.Get("scopes"),
		time.Duration(days)*24*time.Hour)
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		v.Fields = fieldErrors(ve)
		w.renderTokens(rw, r, http.StatusUnprocessableEntity, v)
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageTokenCreated, view{Data: &tokenCreatedData{
		Name: t.Name, Scopes: joinPerms(t.Scopes), Secret: secret, ExpiresAt: t.ExpiresAt,
	}})
}

// tokenRevoke revokes one of one's tokens.
func (w *Web) tokenRevoke(rw http.ResponseWriter, r *http.Request) {
	if err := w.acc.RevokeToken(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathTokens, http.StatusSeeOther)
}
