// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
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

// adminConfirmedPost reads a post from a confirmation page. It reports
// false, having answered, for a post that cannot be read, which unreadable
// answers, and for one without the page's confirm=yes, a post from
// elsewhere: that is sent to the confirmation page, which is a GET of the
// same path, so that nothing is done without it. The path is the route's
// own with a valid id, so the redirect stays here.
func (w *Web) adminConfirmedPost(rw http.ResponseWriter, r *http.Request, unreadable func()) bool {
	switch {
	case !parseForm(r):
		unreadable()
	case r.PostForm.Get("confirm") == "yes":
		return true
	case !ids.Valid(r.PathValue("id")):
		w.errorPage(rw, r, http.StatusNotFound)
	default:
		http.Redirect(rw, r, r.URL.Path, http.StatusSeeOther)
	}
	return false
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

// adminUserAction does act, once confirmed on its page, to the user of the
// path with do, then answers with done. A refusal the domain explains (such
// as disabling oneself) is shown on the confirmation page, as are the
// errors of its confirm_word field.
func (w *Web) adminUserAction(rw http.ResponseWriter, r *http.Request, act string, do func(id string) error, done func(id string)) {
	f := adminForm{show: func(status int, v view) { w.renderAdminUserConfirm(rw, r, status, act, v) }, fields: []string{"confirm_word"}}
	if !w.adminConfirmedPost(rw, r, f.unreadable) {
		return
	}
	if id := r.PathValue("id"); w.adminSaved(rw, r, f, do(id)) {
		done(id)
	}
}

// adminUserDisable disables an account, which ends its sessions at once.
func (w *Web) adminUserDisable(rw http.ResponseWriter, r *http.Request) {
	w.adminUserAction(rw, r, adminActDisable, func(id string) error {
		return w.acc.SetDisabled(r.Context(), authn.PrincipalFrom(r.Context()), id, true)
	}, func(id string) { adminToUser(rw, r, id, adminDoneDisabled) })
}

// adminUserResetTOTP removes an account's second factor and recovery
// codes; its owner sets up a new one at their next sign-in.
func (w *Web) adminUserResetTOTP(rw http.ResponseWriter, r *http.Request) {
	w.adminUserAction(rw, r, adminActResetTOTP, func(id string) error {
		return w.acc.ResetTOTP(r.Context(), authn.PrincipalFrom(r.Context()), id)
	}, func(id string) { adminToUser(rw, r, id, adminDoneTOTPReset) })
}

// adminUserEnable enables a disabled account again. It restores access
// rather than taking it away, so it needs no confirmation.
func (w *Web) adminUserEnable(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f := adminForm{show: func(status int, v view) { w.renderAdminUser(rw, r, status, id, v) }}
	if w.adminSaved(rw, r, f, w.acc.SetDisabled(r.Context(), authn.PrincipalFrom(r.Context()), id, false)) {
		adminToUser(rw, r, id, adminDoneEnabled)
	}
}

// adminUserResetPassword gives an account a new one-time password, shown
// once, and ends its sessions. Its owner must replace it when they next
// sign in.
func (w *Web) adminUserResetPassword(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	var pw string
	w.adminUserAction(rw, r, adminActResetPassword, func(id string) (err error) {
		pw, err = w.acc.ResetPassword(r.Context(), p, id, "")
		return err
	}, func(id string) {
		// The password is shown with whom it is for, so that it is handed
		// to the right person; the domain audits the read.
		u, err := w.acc.GetUser(r.Context(), p, id)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		w.renderAdminOneTime(rw, r, &adminOneTimeData{UserID: u.ID, Name: u.Name, Email: u.Email, Password: pw})
	})
}

// adminUserErase crypto-shreds an account: its name, e-mail and second
// factor can never be read again. Besides the confirmation, the form needs
// the word the page shows typed in, so that it is not done by a slip.
func (w *Web) adminUserErase(rw http.ResponseWriter, r *http.Request) {
	w.adminUserAction(rw, r, adminActErase, func(id string) error {
		// A word mistyped is an error of the form's field, like the
		// domain's.
		if !w.adminEraseWord(r.PostForm.Get("confirm_word")) {
			return &accounts.ValidationError{Errors: []accounts.FieldError{{Field: "confirm_word", Code: "wrong_word"}}}
		}
		return w.acc.EraseUser(r.Context(), authn.PrincipalFrom(r.Context()), id)
	}, func(string) {
		// The account has no memberships left, so its page is out of
		// reach below a system administrator: the list is where to go
		// next.
		http.Redirect(rw, r, pathAdminUsers+"?done="+adminDoneErased, http.StatusSeeOther)
	})
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
	f := adminForm{show: func(status int, v view) { w.renderAdminUser(rw, r, status, userID, v) },
		rename: map[string]string{"role": "role-" + mid, "team_id": "team-" + mid}, fields: []string{"role-" + mid, "team-" + mid}}
	m, err := w.acc.UpdateMembership(r.Context(), authn.PrincipalFrom(r.Context()), mid, &role, &team)
	if w.adminSaved(rw, r, f, err) {
		adminToUser(rw, r, m.UserID, adminDoneMemberUpdated)
	}
}
