// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
)

// passwordData is the password page.
type passwordData struct {
	// Required is true when the password was set by an administrator and
	// must be replaced before anything else.
	Required bool
}

// passwordReady reports whether the session may change its password now.
// A session that still owes its second factor is sent to that step first,
// so that a password alone, stolen or one-time, cannot choose the next one.
func passwordReady(rw http.ResponseWriter, r *http.Request, sess *accounts.Session) bool {
	if sess.NeedsTOTP || sess.MustEnrolTOTP {
		http.Redirect(rw, r, nextStep(sess), http.StatusSeeOther)
		return false
	}
	return true
}

// passwordForm shows the form to change one's own password.
func (w *Web) passwordForm(rw http.ResponseWriter, r *http.Request) {
	sess, _ := authn.SessionFrom(r.Context())
	if !passwordReady(rw, r, sess) {
		return
	}
	w.render(rw, r, http.StatusOK, pagePassword, view{Data: &passwordData{Required: sess.MustChangePassword}})
}

// passwordChange changes one's own password. The domain ends every session
// of the account and starts a new one, whose cookie replaces this one.
// Field errors are answered 422 with the reason beside each field; no
// password is ever put back into the form.
func (w *Web) passwordChange(rw http.ResponseWriter, r *http.Request) {
	sess, _ := authn.SessionFrom(r.Context())
	if !passwordReady(rw, r, sess) {
		return
	}
	v := view{Data: &passwordData{Required: sess.MustChangePassword}}
	if !parseForm(r) {
		v.Error = errBadRequest
		w.render(rw, r, http.StatusBadRequest, pagePassword, v)
		return
	}
	next := r.PostForm.Get("new_password")
	if r.PostForm.Get("confirm") != next {
		// Checked before the domain is called, since the domain would
		// change the password.
		v.Fields = map[string]string{"confirm": errMismatch}
		w.render(rw, r, http.StatusUnprocessableEntity, pagePassword, v)
		return
	}
	token, err := w.acc.ChangeOwnPassword(r.Context(), *sess, r.PostForm.Get("current_password"), next)
	var ve *accounts.ValidationError
	var te *accounts.ThrottledError
	switch {
	case errors.As(err, &ve):
		v.Fields = fieldErrors(ve)
		w.render(rw, r, http.StatusUnprocessableEntity, pagePassword, v)
		return
	case errors.As(err, &te):
		throttled(rw, te)
		v.Error = errThrottled
		w.render(rw, r, http.StatusTooManyRequests, pagePassword, v)
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	authn.SetCookie(rw, token)
	http.Redirect(rw, r, pathHome, http.StatusSeeOther)
}
