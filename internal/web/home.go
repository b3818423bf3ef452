// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
)

// homeData is the home page: who is signed in.
type homeData struct {
	Name, Email string
	// Role is the role code; the template names it.
	Role  string
	OrgID string
	// TOTPEnabled is false for someone whose role lets them sign in
	// without a second factor and who has not set one up.
	TOTPEnabled bool
}

// home shows who is signed in, in which organisation and role. Reading
// one's own name and e-mail is audited by the domain like any other read.
func (w *Web) home(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	u, err := w.acc.GetUser(r.Context(), p, p.UserID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageHome, view{Data: &homeData{
		Name: u.Name, Email: u.Email, Role: p.Role, OrgID: p.OrgID, TOTPEnabled: u.TOTPEnabled,
	}})
}
