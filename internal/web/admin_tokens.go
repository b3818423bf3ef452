// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
)

// adminTokensData is a page of the API tokens the reader may read: their
// organisation's, or every one for a system administrator.
type adminTokensData struct {
	Tokens      []adminTokenRow
	Next, First string
	// CanRevoke says whether to offer revoking; the domain decides all
	// the same.
	CanRevoke bool
	Done      string
}

// adminTokenRow is a token as the list shows it. Its owner is shown by id,
// linked to their page: showing names would read every owner's personal
// data to draw the list.
type adminTokenRow struct {
	ID, Name, OwnerID string
	Scopes            []string
	CreatedAt         time.Time
	ExpiresAt         time.Time
	LastUsedAt        *time.Time
	RevokedAt         *time.Time
}

// adminTokenList lists tokens, a page at a time, oldest id first as the
// domain orders them.
func (w *Web) adminTokenList(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	cursor, ok := adminCursor(r)
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	list, next, err := w.acc.ListTokens(r.Context(), p, accounts.Page{Cursor: cursor, Limit: adminPageSize})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &adminTokensData{CanRevoke: adminNeedTokenRevoke.held(p), Done: adminDone(r, adminDoneTokenRevoked)}
	for _, t := range list {
		row := adminTokenRow{ID: t.ID, Name: t.Name, OwnerID: t.UserID, CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt,
			LastUsedAt: t.LastUsedAt, RevokedAt: t.RevokedAt}
		for _, s := range t.Scopes {
			row.Scopes = append(row.Scopes, string(s))
		}
		d.Tokens = append(d.Tokens, row)
	}
	d.Next, d.First = adminPageLinks(pathAdminTokens, r.URL.Query(), cursor, next, "done", "")
	w.render(rw, r, http.StatusOK, pageAdminTokens, view{Data: d})
}

// adminTokenRevokeForm asks to confirm revoking a token. It changes
// nothing.
func (w *Web) adminTokenRevokeForm(rw http.ResponseWriter, r *http.Request) {
	w.renderAdminTokenConfirm(rw, r, http.StatusOK)
}

func (w *Web) renderAdminTokenConfirm(rw http.ResponseWriter, r *http.Request, status int) {
	t, err := w.acc.GetToken(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, pageAdminConfirm, view{Data: &adminConfirmData{Action: adminActRevokeToken,
		Post: pathAdminTokens + "/" + t.ID + "/revoke", Back: pathAdminTokens, TokenName: t.Name, TokenOwner: t.UserID}})
}

// adminTokenRevoke revokes a token once confirmed; the program using it is
// refused from its next request.
func (w *Web) adminTokenRevoke(rw http.ResponseWriter, r *http.Request) {
	if !w.adminConfirmedPost(rw, r, func() { w.errorPage(rw, r, http.StatusBadRequest) }) {
		return
	}
	if err := w.acc.RevokeToken(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminTokens+"?done="+adminDoneTokenRevoked, http.StatusSeeOther)
}
