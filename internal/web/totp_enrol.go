// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
)

// enrolData is the enrolment page. At most one of Enabled, Setup and Retry
// is set; with none the page explains the step and offers to start it.
type enrolData struct {
	// Required is true when the person's role needs two-factor sign-in
	// before anything else.
	Required bool
	// Enabled is true when an authenticator is already active.
	Enabled bool
	// Setup is the new secret to add to an authenticator app.
	Setup *totpSetup
	// Retry is true when the code form is shown again after a failure,
	// without the secret, which is not kept anywhere it could be shown
	// from again.
	Retry bool
}

// totpSetup is a new, not yet active secret.
type totpSetup struct {
	// Secret is the base32 secret in groups of four, for typing by hand.
	Secret string
	// URI is the otpauth:// URI the QR code holds.
	URI string
	QR  qrCode
}

// recoveryData is the page showing the new recovery codes, once.
type recoveryData struct {
	Codes []string
	// Next is where the person goes after writing the codes down.
	Next string
}

// enrolIntro explains the second factor and offers a button that starts
// enrolment. It changes nothing: starting stores a new pending secret, so
// it happens only on POST.
func (w *Web) enrolIntro(rw http.ResponseWriter, r *http.Request) {
	sess, _ := authn.SessionFrom(r.Context())
	if sess.NeedsTOTP {
		http.Redirect(rw, r, pathTOTP, http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, pageEnrol, view{Data: &enrolData{Required: sess.MustEnrolTOTP, Enabled: sess.MFA}})
}

// enrolBegin creates a new pending secret and shows it, as text and as a QR
// code, with the form to confirm it. Starting again replaces the pending
// secret, so only the last one shown can be confirmed.
func (w *Web) enrolBegin(rw http.ResponseWriter, r *http.Request) {
	sess, _ := authn.SessionFrom(r.Context())
	if sess.NeedsTOTP || sess.MFA {
		http.Redirect(rw, r, pathEnrol, http.StatusSeeOther)
		return
	}
	secret, uri, err := w.acc.BeginTOTPEnrolment(r.Context(), *sess)
	if errors.Is(err, accounts.ErrForbidden) {
		// A factor is already active; the enrolment page says so.
		http.Redirect(rw, r, pathEnrol, http.StatusSeeOther)
		return
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	code, err := newQRCode(uri)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	setup := &totpSetup{Secret: groupSecret(secret), URI: uri, QR: code}
	w.render(rw, r, http.StatusOK, pageEnrol, view{Data: &enrolData{Required: sess.MustEnrolTOTP, Setup: setup}})
}

// enrolConfirm activates the pending secret when the code matches it, then
// shows the recovery codes once. A wrong code is answered 422 with the code
// form again.
func (w *Web) enrolConfirm(rw http.ResponseWriter, r *http.Request) {
	sess, _ := authn.SessionFrom(r.Context())
	retry := view{Data: &enrolData{Required: sess.MustEnrolTOTP, Retry: true}}
	if !parseForm(r) {
		retry.Error = errBadRequest
		w.render(rw, r, http.StatusBadRequest, pageEnrol, retry)
		return
	}
	token, codes, err := w.acc.ConfirmTOTPEnrolment(r.Context(), *sess, r.PostForm.Get("code"))
	var te *accounts.ThrottledError
	switch {
	case errors.As(err, &te):
		throttled(rw, te)
		retry.Error = errThrottled
		w.render(rw, r, http.StatusTooManyRequests, pageEnrol, retry)
		return
	case errors.Is(err, accounts.ErrUnauthorized):
		retry.Fields = map[string]string{"code": errCode}
		w.render(rw, r, http.StatusUnprocessableEntity, pageEnrol, retry)
		return
	case errors.Is(err, accounts.ErrForbidden):
		// Nothing pending, or a factor already active: the enrolment page
		// shows which.
		http.Redirect(rw, r, pathEnrol, http.StatusSeeOther)
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	authn.SetCookie(rw, token)
	w.render(rw, r, http.StatusOK, pageRecovery, view{Data: &recoveryData{Codes: codes, Next: afterSecondFactor(sess)}})
}

// groupSecret writes a base32 secret in groups of four characters, which
// authenticator apps accept typed with or without the spaces.
func groupSecret(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}
