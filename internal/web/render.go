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
	"sync"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/i18n"
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

var allPages = slices.Concat([]page{pageLogin, pageLoginTOTP, pageEnrol, pageRecovery, pagePassword, pageHome,
	pageSessions, pageTokens, pageTokenCreated, pageError}, adminPages, commitmentPages, casePages, inboxPages,
	caseProtectionPages, []page{pageDetentionReference}, exportPages, caseListPages, caseImportPages, dashboardPages, exploitationPages,
	violationPages, statisticsPages, scorecardPages, observationPages, validationPages, indicatorPages, frameworkPages, obsImportPages, harvestPages)

// layoutFile is the page around every page's content; sharedFile defines
// the pieces pages share. Neither is a page.
const (
	layoutFile = "layout.html"
	sharedFile = "shared.html"
)

// funcsFor returns the template helpers bound to one language. They are
// the only way words reach a page: t and tn look a message up (tn by a
// count, for plurals), has tells whether a code has a message of its own,
// and num, pct, date and datetime write values in the language's way; lang
// and dir give the language's code and writing direction, for the layout.
func funcsFor(l *i18n.Locale) template.FuncMap {
	return template.FuncMap{
		"t":        l.T,
		"tn":       l.N,
		"has":      l.Has,
		"num":      l.Number,
		"pct":      l.Percent,
		"date":     l.Date,
		"datetime": l.DateTime,
		"lang":     l.Code,
		"dir":      l.Dir,
	}
}

func mustRead(name string) []byte {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("web: %s: %v", name, err))
	}
	return b
}

// pageSet holds every page's template. Each page is parsed once, with the
// layout and shared pieces, at start; its copy for a language, with the
// helpers bound to that language, is made the first time a page is shown
// in it. html/template's Clone copies every parse tree, and the shared
// pieces are large: cloning all pages for all six languages up front held
// about 100 MiB that a server whose users read two languages never uses,
// and left too little room under the 512 MiB that fifty parallel sign-ins
// must stay within (SECURITY-BAR 4).
type pageSet struct {
	cat   *i18n.Catalog
	pages map[page]*pageTemplate
}

type pageTemplate struct {
	base  *template.Template
	mu    sync.Mutex
	langs map[string]*template.Template
}

// mustParsePages parses each page with the layout and shared pieces,
// failing at start on a template that does not parse or lacks its title or
// content. Parsing needs the helpers' names only, so it uses English's.
func mustParsePages(cat *i18n.Catalog) *pageSet {
	parseFuncs := funcsFor(cat.Locale(i18n.Default))
	set := &pageSet{cat: cat, pages: make(map[page]*pageTemplate, len(allPages))}
	for _, p := range allPages {
		base := template.Must(template.New(layoutFile).Funcs(parseFuncs).ParseFS(files,
			"templates/"+layoutFile, "templates/"+sharedFile, "templates/"+string(p)+".html"))
		for _, name := range []string{"title", "content"} {
			if base.Lookup(name) == nil {
				panic(fmt.Sprintf("web: template %s.html does not define %q", p, name))
			}
		}
		set.pages[p] = &pageTemplate{base: base, langs: make(map[string]*template.Template, len(i18n.Languages))}
	}
	return set
}

// get returns page p's template in language lang (a code of
// i18n.Languages), cloning it from the parsed page on first use. The base
// is never executed, so cloning it cannot fail.
func (s *pageSet) get(p page, lang string) *template.Template {
	pt := s.pages[p]
	pt.mu.Lock()
	defer pt.mu.Unlock()
	t, ok := pt.langs[lang]
	if !ok {
		t = template.Must(pt.base.Clone()).Funcs(funcsFor(s.cat.Locale(lang)))
		pt.langs[lang] = t
	}
	return t
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
	// Langs are the language switcher's links, one per language; none on
	// a page that answers a form post (see langLinks).
	Langs []langLink
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
	// Path is the request's path, so that the link to the page being shown
	// is marked as the current one.
	Path string
	// Account is true when the request acts for someone who has finished
	// signing in: the links to their account pages are shown.
	Account bool
	// SignOut is true when the request carries a browser session, finished
	// or not: the sign-out button is shown, and with Account the links to
	// the sign-in settings (second factor, password), which need a session.
	SignOut bool
	// Admin is true when that someone may administer anything: the link to
	// the administration pages is shown.
	Admin bool
	// Cases is true when that someone may read cases: the link to the case
	// list is shown.
	Cases bool
	// Inbox is true when that someone has an inbox (inbox.go): the link to
	// it is shown, with InboxCount, the number of items waiting there.
	Inbox      bool
	InboxCount int
	// Dashboard is true when that someone may read their organisation's
	// dashboard: the link to it is shown.
	Dashboard bool
	// Observations is true when that someone may read the working values
	// of the evidence base: the links to data entry and approval are shown.
	Observations bool
}

// adminPerms are the permissions any of which makes the administration
// pages worth a link: managing organisations, creating users, reading the
// audit log.
var adminPerms = []access.Permission{"organisation.update", "user.create", "audit.read"}

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

// selectField is a labelled <select> with its error, for the "select-field"
// template. Its words are already in the page's language, so that the
// templates that make one name their messages with t.
type selectField struct {
	// Name is the field's name and its element's id.
	Name string
	// Label names the field; Empty is the first choice, of no value.
	Label, Empty string
	Options      []option
	// Value is the choice selected.
	Value    string
	Required bool
	// Error is the field's error, nil for none.
	Error *fieldError
	// TestID names the element for browser tests; "" for none.
	TestID string
}

// SelectField makes the select field name of v's form: its choices are
// options after the empty one, and the value and error are v's.
func (v view) SelectField(name, label, empty string, options []option) selectField {
	return selectField{Name: name, Label: label, Empty: empty, Options: options, Value: v.Val(name), Error: v.FieldError(name)}
}

// Require returns f with a choice required.
func (f selectField) Require() selectField {
	f.Required = true
	return f
}

// Test returns f with the name browser tests find it by.
func (f selectField) Test(id string) selectField {
	f.TestID = id
	return f
}

// textField is a labelled one-line text input with a hint and its error,
// for the "text-field" template: a required text in any script of at most
// MaxLength characters, such as a name. Its words are already in the page's
// language.
type textField struct {
	// Name is the field's name and its element's id.
	Name        string
	Label, Hint string
	MaxLength   int
	Value       string
	// Error is the field's error, nil for none.
	Error *fieldError
	// NotRequired is true for a field that may be left empty.
	NotRequired bool
}

// TextField makes the text field name of v's form, with v's value and
// error.
func (v view) TextField(name, label, hint string, maxLength int) textField {
	return textField{Name: name, Label: label, Hint: hint, MaxLength: maxLength, Value: v.Val(name), Error: v.FieldError(name)}
}

// Optional returns f with a value no longer required.
func (f textField) Optional() textField {
	f.NotRequired = true
	return f
}

// render answers with page p and status, in the language of the request.
// The page is executed into a buffer first, so a template failure becomes a
// clean 500 instead of half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, p page, v view) {
	loc := w.locale(r)
	v.Stylesheet = w.static.url
	v.Nav = navFor(r)
	v.Nav.Inbox, v.Nav.InboxCount = w.inboxBadge(r, v.Nav)
	v.Langs = langLinks(r, loc.Code())
	v.Status = status
	var buf bytes.Buffer
	if err := w.pages.get(p, loc.Code()).ExecuteTemplate(&buf, layoutFile, v); err != nil {
		w.logger.ErrorContext(r.Context(), "web template failed", "request_id", httpx.RequestIDFrom(r.Context()),
			"page", string(p), "lang", loc.Code(), "err", err)
		http.Error(rw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The words depend on these request headers (the cookie holds the
	// chosen language), so a cache must not hand one reader's page to
	// another.
	h.Add("Vary", "Accept-Language, Cookie")
	h.Del("Content-Length")
	rw.WriteHeader(status)
	_, _ = rw.Write(buf.Bytes()) // A failed write means the client left; there is no one to tell.
}

func navFor(r *http.Request) nav {
	p := authn.PrincipalFrom(r.Context())
	sess, _ := authn.SessionFrom(r.Context())
	// A request without a session but with a principal came with an API
	// token, which is complete by construction.
	complete := p.Authenticated() && (sess == nil || nextStep(sess) == pathHome)
	return nav{
		Path:    r.URL.Path,
		Account: complete,
		SignOut: sess != nil,
		Admin:   complete && slices.ContainsFunc(adminPerms, p.Can),
		Cases:   complete && p.Can(cases.PermRead),
		// The dashboard's own permission (dashboard.go).
		Dashboard:    complete && p.Can(dashboard.PermRead),
		Observations: complete && canObservations(p),
	}
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

// Error codes the handlers pass and the templates put into words, as the
// messages error.<code> and field.<code>: errBadRequest, errCredentials and
// errThrottled are about a whole form, the others about one field. The
// domain's own field codes (too_short, not_held, ...) are passed through as
// they are.
const (
	errBadRequest   = "bad_request"
	errCredentials  = "bad_credentials"
	errThrottled    = "throttled"
	errCode         = "wrong_code"
	errRecoveryCode = "wrong_recovery_code"
	errMismatch     = "mismatch"
	errOutOfRange   = "out_of_range"
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
