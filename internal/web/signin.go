// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
)

// The sign-in step handlers (here, in totp_enrol.go and in password.go) run
// only behind authn's SignInStep guard, which lets a request through only
// with a browser session: authn.SessionFrom never returns nil in them.

// loginForm shows the sign-in form, or sends a visitor who already has a
// session on to the step it needs.
func (w *Web) loginForm(rw http.ResponseWriter, r *http.Request) {
	if sess, _ := authn.SessionFrom(r.Context()); sess != nil {
		http.Redirect(rw, r, nextStep(sess), http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, pageLogin, view{})
}

// login checks an e-mail and password. Every failure that could tell
// whether an account exists (unknown e-mail, wrong password, disabled
// account) gets the same page with the same status; only the e-mail the
// visitor typed is shown again. The password never is.
func (w *Web) login(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageLogin, view{Error: errBadRequest})
		return
	}
	email := r.PostForm.Get("email")
	v := view{Values: map[string]string{"email": email}}
	token, sess, err := w.acc.SignIn(r.Context(), email, r.PostForm.Get("password"), httpx.ClientIP(r))
	var te *accounts.ThrottledError
	switch {
	case errors.As(err, &te):
		throttled(rw, te)
		v.Error = errThrottled
		w.render(rw, r, http.StatusTooManyRequests, pageLogin, v)
		return
	case errors.Is(err, accounts.ErrUnauthorized):
		v.Error = errCredentials
		w.render(rw, r, http.StatusUnauthorized, pageLogin, v)
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	// A session this browser already had is ended, so that signing in
	// again does not leave a live session behind.
	if _, old := authn.SessionFrom(r.Context()); old != "" {
		if err := w.acc.SignOut(r.Context(), old); err != nil {
			w.logger.WarnContext(r.Context(), "web: ending the previous session failed",
				"request_id", httpx.RequestIDFrom(r.Context()), "err", err)
		}
	}
	authn.SetCookie(rw, token)
	http.Redirect(rw, r, nextStep(&sess), http.StatusSeeOther)
}

// totpForm shows the second-factor form: a code from the authenticator, or
// a recovery code.
func (w *Web) totpForm(rw http.ResponseWriter, r *http.Request) {
	sess, _ := authn.SessionFrom(r.Context())
	if !sess.NeedsTOTP {
		http.Redirect(rw, r, nextStep(sess), http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, pageLoginTOTP, view{})
}

// totpVerify completes sign-in with an authenticator code.
func (w *Web) totpVerify(rw http.ResponseWriter, r *http.Request) {
	w.secondFactor(rw, r, "code", errCode, w.acc.VerifyTOTP)
}

// recoveryVerify completes sign-in with a recovery code, which is spent.
func (w *Web) recoveryVerify(rw http.ResponseWriter, r *http.Request) {
	w.secondFactor(rw, r, "recovery_code", errRecoveryCode, w.acc.UseRecoveryCode)
}

// secondFactor checks the form field named field with check and, on
// success, replaces the session cookie by the token of the new session
// (the old one is revoked by the domain) and moves on. A wrong code is
// answered 401, like a wrong password, with wrongCode beside the field.
func (w *Web) secondFactor(rw http.ResponseWriter, r *http.Request, field, wrongCode string,
	check func(ctx context.Context, sess accounts.Session, code string) (string, error)) {
	sess, _ := authn.SessionFrom(r.Context())
	if !sess.NeedsTOTP {
		http.Redirect(rw, r, nextStep(sess), http.StatusSeeOther)
		return
	}
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageLoginTOTP, view{Error: errBadRequest})
		return
	}
	token, err := check(r.Context(), *sess, r.PostForm.Get(field))
	var te *accounts.ThrottledError
	switch {
	case errors.As(err, &te):
		throttled(rw, te)
		w.render(rw, r, http.StatusTooManyRequests, pageLoginTOTP, view{Error: errThrottled})
		return
	case errors.Is(err, accounts.ErrUnauthorized):
		w.render(rw, r, http.StatusUnauthorized, pageLoginTOTP, view{Fields: map[string]string{field: wrongCode}})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	authn.SetCookie(rw, token)
	http.Redirect(rw, r, afterSecondFactor(sess), http.StatusSeeOther)
}

// logout ends the session and removes its cookie.
func (w *Web) logout(rw http.ResponseWriter, r *http.Request) {
	_, token := authn.SessionFrom(r.Context())
	if err := w.acc.SignOut(r.Context(), token); err != nil {
		w.fail(rw, r, err)
		return
	}
	authn.ClearCookie(rw)
	http.Redirect(rw, r, pathLogin, http.StatusSeeOther)
}
