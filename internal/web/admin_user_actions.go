// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/ids"
)

// The destructive actions on a user, each confirmed on a page of its own
// before it is done. The codes name them to the confirmation template.
const (
	adminActDisable       = "disable"
	adminActResetPassword = "reset_password"
	adminActResetTOTP     = "reset_2fa"
	adminActErase         = "erase"
	adminActRevokeToken   = "revoke_token"
)

// adminActPaths are the paths, under the user's, that the actions post to.
var adminActPaths = map[string]string{
	adminActDisable:       "/disable",
	adminActResetPassword: "/reset-password",
	adminActResetTOTP:     "/reset-2fa",
	adminActErase:         "/erase",
}

// adminConfirmData is a confirmation page: what is about to be done, and
// to whom or to which token.
type adminConfirmData struct {
	Action string
	// Post is where the form posts; Back is where cancelling leads.
	Post, Back string
	// The user acted on.
	Name, Email string
	Erased      bool
	// The token acted on, and the id of its owner.
	TokenName, TokenOwner string
}

// adminConfirmed reports whether a post carries the confirmation page's
// confirm=yes, as opposed to a post from elsewhere, which adminToConfirm
// answers.
func adminConfirmed(r *http.Request) bool { return r.PostForm.Get("confirm") == "yes" }

// adminToConfirm sends a post that was not confirmed to the confirmation
// page, which is a GET of the same path: nothing is done without it. The
// path is the route's own with a valid id, so the redirect stays here.
func (w *Web) adminToConfirm(rw http.ResponseWriter, r *http.Request) {
	if !ids.Valid(r.PathValue("id")) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	http.Redirect(rw, r, r.URL.Path, http.StatusSeeOther)
}

// adminConfirmForm returns the handler of the confirmation page of act on
// the user of the path. It changes nothing. It reads the user's name and
// e-mail, so that the administrator sees whom they act on; the domain
// audits the read.
func (w *Web) adminConfirmForm(act string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		w.renderAdminUserConfirm(rw, r, http.StatusOK, act, view{})
	}
}

func (w *Web) renderAdminUserConfirm(rw http.ResponseWriter, r *http.Request, status int, act string, v view) {
	u, err := w.acc.GetUser(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d := &adminConfirmData{Action: act, Post: pathAdminUsers + "/" + u.ID + adminActPaths[act], Back: pathAdminUsers + "/" + u.ID,
		Name: u.Name, Email: u.Email, Erased: u.Name == accounts.ErasedMarker}
	if d.Erased {
		d.Name, d.Email = "", ""
	}
	v.Data = d
	w.render(rw, r, status, pageAdminConfirm, v)
}

// adminUserAction runs a confirmed action on the user of the path and
// sends the browser back to the user's page with the notice done. A post
// without the confirmation is sent to the confirmation page; a refusal the
// domain explains (such as disabling oneself) is shown on it.
func (w *Web) adminUserAction(rw http.ResponseWriter, r *http.Request, act, done string, do func(id string) error) {
	if !parseForm(r) {
		w.renderAdminUserConfirm(rw, r, http.StatusBadRequest, act, view{Error: errBadRequest})
		return
	}
	if !adminConfirmed(r) {
		w.adminToConfirm(rw, r)
		return
	}
	id := r.PathValue("id")
	err := do(id)
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		_, code := adminInvalid(ve, nil)
		w.renderAdminUserConfirm(rw, r, http.StatusUnprocessableEntity, act, view{Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	// The domain accepted id, so it is a valid id.
	http.Redirect(rw, r, pathAdminUsers+"/"+id+"?done="+done, http.StatusSeeOther)
}

// adminUserDisable disables an account, which ends its sessions at once.
func (w *Web) adminUserDisable(rw http.ResponseWriter, r *http.Request) {
	w.adminUserAction(rw, r, adminActDisable, adminDoneDisabled, func(id string) error {
		return w.acc.SetDisabled(r.Context(), authn.PrincipalFrom(r.Context()), id, true)
	})
}

// adminUserResetTOTP removes an account's second factor and recovery
// codes; its owner sets up a new one at their next sign-in.
func (w *Web) adminUserResetTOTP(rw http.ResponseWriter, r *http.Request) {
	w.adminUserAction(rw, r, adminActResetTOTP, adminDoneTOTPReset, func(id string) error {
		return w.acc.ResetTOTP(r.Context(), authn.PrincipalFrom(r.Context()), id)
	})
}

// adminUserEnable enables a disabled account again. It restores access
// rather than taking it away, so it needs no confirmation.
func (w *Web) adminUserEnable(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := w.acc.SetDisabled(r.Context(), authn.PrincipalFrom(r.Context()), id, false)
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		_, code := adminInvalid(ve, nil)
		w.renderAdminUser(rw, r, http.StatusUnprocessableEntity, id, view{Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminUsers+"/"+id+"?done="+adminDoneEnabled, http.StatusSeeOther)
}

// adminUserResetPassword gives an account a new one-time password, shown
// once, and ends its sessions. Its owner must replace it when they next
// sign in.
func (w *Web) adminUserResetPassword(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderAdminUserConfirm(rw, r, http.StatusBadRequest, adminActResetPassword, view{Error: errBadRequest})
		return
	}
	if !adminConfirmed(r) {
		w.adminToConfirm(rw, r)
		return
	}
	p := authn.PrincipalFrom(r.Context())
	id := r.PathValue("id")
	pw, err := w.acc.ResetPassword(r.Context(), p, id, "")
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		_, code := adminInvalid(ve, nil)
		w.renderAdminUserConfirm(rw, r, http.StatusUnprocessableEntity, adminActResetPassword, view{Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	// The password is shown with whom it is for, so that it is handed to
	// the right person; the domain audits the read.
	u, err := w.acc.GetUser(r.Context(), p, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderAdminOneTime(rw, r, &adminOneTimeData{UserID: u.ID, Name: u.Name, Email: u.Email, Password: pw})
}

// adminUserErase crypto-shreds an account: its name, e-mail and second
// factor can never be read again. Besides the confirmation, the form needs
// the word the page shows typed in, so that it is not done by a slip.
func (w *Web) adminUserErase(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderAdminUserConfirm(rw, r, http.StatusBadRequest, adminActErase, view{Error: errBadRequest})
		return
	}
	if !adminConfirmed(r) {
		w.adminToConfirm(rw, r)
		return
	}
	if !w.adminEraseWord(r.PostForm.Get("confirm_word")) {
		w.renderAdminUserConfirm(rw, r, http.StatusUnprocessableEntity, adminActErase,
			view{Fields: map[string]string{"confirm_word": "wrong_word"}})
		return
	}
	err := w.acc.EraseUser(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		_, code := adminInvalid(ve, nil)
		w.renderAdminUserConfirm(rw, r, http.StatusUnprocessableEntity, adminActErase, view{Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	// The account has no memberships left, so its page is out of reach
	// below a system administrator: the list is where to go next.
	http.Redirect(rw, r, pathAdminUsers+"?done="+adminDoneErased, http.StatusSeeOther)
}

// adminEraseWord reports whether typed is the word the erase page asks for,
// in any of the languages, ignoring case and surrounding spaces: the
// language of the page that showed the word may not be the one of the
// post.
func (w *Web) adminEraseWord(typed string) bool {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return false
	}
	for _, l := range i18n.Languages {
		if strings.EqualFold(typed, w.i18n.Locale(l.Code).T("admin.erase.word")) {
			return true
		}
	}
	return false
}

// adminMembershipUpdate changes the role and team of a membership, as
// the API's PATCH /api/v1/memberships/{id} does. A change of role ends the
// member's sessions in that organisation, so that it applies at once (the
// domain does it). The form comes from the member's page, whose id it
// carries so that the page can be shown again with the form's errors.
func (w *Web) adminMembershipUpdate(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	mid, userID := r.PathValue("id"), r.PostForm.Get("user")
	role, team := r.PostForm.Get("role"), r.PostForm.Get("team_id")
	m, err := w.acc.UpdateMembership(r.Context(), authn.PrincipalFrom(r.Context()), mid, &role, &team)
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		fields, code := adminInvalid(ve, map[string]string{"role": "role-" + mid, "team_id": "team-" + mid},
			"role-"+mid, "team-"+mid)
		w.renderAdminUser(rw, r, http.StatusUnprocessableEntity, userID, view{Fields: fields, Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminUsers+"/"+m.UserID+"?done="+adminDoneMemberUpdated, http.StatusSeeOther)
}
