// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
)

//go:embed templates/*.html static/app.css
var files embed.FS

// page names a page template, templates/<page>.html. Each defines "title"
// and "content", which layout.html places in the page.
type page string

// The pages. allPages lists every one, and New parses each of them, so a
// page named in a handler always exists; a test checks that the templates
// directory holds exactly these pages besides layoutFile and sharedFile.
const (
	pageLogin        page = "login"
	pageLoginTOTP    page = "login_totp"
	pageEnrol        page = "totp_enrol"
	pageRecovery     page = "totp_recovery_codes"
	pagePassword     page = "password"
	pageHome         page = "home"
	pageSessions     page = "sessions"
	pageTokens       page = "tokens"
	pageTokenCreated page = "token_created"
	pageError        page = "error"
)

var allPages = []page{pageLogin, pageLoginTOTP, pageEnrol, pageRecovery, pagePassword, pageHome,
	pageSessions, pageTokens, pageTokenCreated, pageError}

// layoutFile is the page around every page's content; sharedFile defines
// the pieces pages share. Neither is a page.
const (
	layoutFile = "layout.html"
	sharedFile = "shared.html"
)

// funcs are the template helpers. They format values but add no words, so
// the words stay in the templates.
var funcs = template.FuncMap{
	// datetime formats an instant in UTC, to the minute. Times are shown in
	// UTC because the server does not know the reader's zone.
	"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") },
}

func mustRead(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("web: %s: %v", name, err))
	}
	return b
}

// mustParsePages parses the layout and shared pieces once, and each page
// over a copy of them.
func mustParsePages() map[page]*template.Template {
	layout := template.Must(template.New(layoutFile).Funcs(funcs).ParseFS(files, "templates/"+layoutFile, "templates/"+sharedFile))
	out := make(map[page]*template.Template, len(allPages))
	for _, p := range allPages {
		t := template.Must(layout.Clone())
		template.Must(t.ParseFS(files, "templates/"+string(p)+".html"))
		for _, name := range []string{"title", "content"} {
			if t.Lookup(name) == nil {
				panic(fmt.Sprintf("web: template %s.html does not define %q", p, name))
			}
		}
		out[p] = t
	}
	return out
}

// templateFiles lists the page names found in the templates directory, for
// the test that no template file is left out of allPages.
func templateFiles() []string {
	entries, err := fs.ReadDir(files, "templates")
	if err != nil {
		panic(fmt.Sprintf("web: templates: %v", err))
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); n != layoutFile && n != sharedFile {
			names = append(names, n[:len(n)-len(path.Ext(n))])
		}
	}
	slices.Sort(names)
	return names
}

// view is what every page template receives. The zero view renders every
// page (a test checks it), so a template may not assume Data is set.
type view struct {
	// Stylesheet is the URL of the stylesheet, with its content hash.
	Stylesheet string
	Nav        nav
	// Error is the code of a message about the whole form or page ("" for
	// none); the template says it in words.
	Error string
	// Fields maps a form field to the reason code of its error.
	Fields map[string]string
	// Values holds form values to show again after a failed submission.
	// Passwords, codes and secrets are never put here.
	Values map[string]string
	// Status is the HTTP status of the response, for the error page.
	Status int
	// RequestID names the request on the error page, so that a person can
	// quote it to an administrator, who finds the logged cause by it.
	RequestID string
	// Data is the page's own data: a pointer to one of the *Data types.
	Data any
}

// nav says which parts of the header menu to show.
type nav struct {
	// Account is true when the request acts for someone who has finished
	// signing in: the links to their account pages are shown.
	Account bool
	// SignOut is true when the request carries a browser session, finished
	// or not: the sign-out button is shown.
	SignOut bool
}

// Err returns the error code of field, or "".
func (v view) Err(field string) string { return v.Fields[field] }

// FieldError returns field's error for the "field-error" template, or nil
// when the field has none.
func (v view) FieldError(field string) *fieldError {
	if code := v.Fields[field]; code != "" {
		return &fieldError{Field: field, Code: code}
	}
	return nil
}

// fieldError is one field's error: the field names the element (its id is
// Field + "-error", which the input's aria-describedby points to) and the
// code chooses the words.
type fieldError struct{ Field, Code string }

// Val returns the value to show again in field, or "".
func (v view) Val(field string) string { return v.Values[field] }

// render answers with page p and status. The page is executed into a buffer
// first, so a template failure becomes a clean 500 instead of half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, p page, v view) {
	v.Stylesheet = w.static.url
	v.Nav = navFor(r)
	v.Status = status
	var buf bytes.Buffer
	if err := w.pages[p].ExecuteTemplate(&buf, layoutFile, v); err != nil {
		w.logger.ErrorContext(r.Context(), "web template failed", "request_id", httpx.RequestIDFrom(r.Context()),
			"page", string(p), "err", err)
		http.Error(rw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Del("Content-Length")
	rw.WriteHeader(status)
	_, _ = rw.Write(buf.Bytes()) // A failed write means the client left; there is no one to tell.
}

func navFor(r *http.Request) nav {
	sess, _ := authn.SessionFrom(r.Context())
	// A request without a session but with a principal came with an API
	// token, which is complete by construction.
	complete := sess == nil || nextStep(sess) == pathHome
	return nav{Account: authn.PrincipalFrom(r.Context()).Authenticated() && complete, SignOut: sess != nil}
}

// errorPage answers with the error page for status.
func (w *Web) errorPage(rw http.ResponseWriter, r *http.Request, status int) {
	w.render(rw, r, status, pageError, view{RequestID: httpx.RequestIDFrom(r.Context())})
}

// fail answers for a domain error no handler expected: 404 and 403 pages for
// records out of reach, the sign-in form for a session that ended, and
// otherwise a 500 page, with the error logged under the request id. The
// error's text is logged but never shown: it may hold details of the data.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, accounts.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, accounts.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	case errors.Is(err, accounts.ErrUnauthorized):
		http.Redirect(rw, r, pathLogin, http.StatusSeeOther)
	default:
		w.logger.ErrorContext(r.Context(), "web request failed", "request_id", httpx.RequestIDFrom(r.Context()),
			"route", r.Pattern, "err", err)
		w.errorPage(rw, r, http.StatusInternalServerError)
	}
}

// Error codes the handlers pass and the templates put into words:
// errBadRequest, errCredentials and errThrottled are about a whole form,
// errCode and errRecoveryCode about one field. The domain's own field codes
// (too_short, not_held, ...) are passed through as they are.
const (
	errBadRequest   = "bad_request"
	errCredentials  = "bad_credentials"
	errCode         = "wrong_code"
	errRecoveryCode = "wrong_recovery_code"
	errThrottled    = "throttled"
)

// parseForm reads an HTML form post. Only application/x-www-form-urlencoded
// is accepted, the encoding of every form these pages send; the body is
// already capped by the server. It reports false for anything else, and the
// caller answers 400. Values are then read from r.PostForm only, never from
// the query string, so a password cannot arrive in a URL.
func parseForm(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return false
	}
	return r.ParseForm() == nil
}

// throttled sets Retry-After for te, in whole seconds rounded up.
func throttled(rw http.ResponseWriter, te *accounts.ThrottledError) {
	secs := max(1, int(math.Ceil(te.RetryAfter.Seconds())))
	rw.Header().Set("Retry-After", strconv.Itoa(secs))
}

// fieldErrors turns a validation error into a field → code map. A field
// with several errors shows the first.
func fieldErrors(ve *accounts.ValidationError) map[string]string {
	m := make(map[string]string, len(ve.Errors))
	for _, fe := range ve.Errors {
		if _, ok := m[fe.Field]; !ok {
			m[fe.Field] = fe.Code
		}
	}
	return m
}
