// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/i18n"
)

// The language of a response is chosen per request by i18n.Negotiate: a
// valid ?lang= first (the reader just picked it in the switcher), then the
// language cookie (picked earlier), then the browser's Accept-Language, then
// English.

// langCookie remembers a language picked with ?lang=, so that the links
// of the pages need not carry it.
const langCookie = "amparo_lang"

// langCookieAge is how long the choice is remembered.
const langCookieAge = 365 * 24 * time.Hour

// locale returns the locale of the response to r. It has no side effect,
// so any handler may call it for text it writes outside a template, such
// as the header row of an export or the labels of a chart.
func (w *Web) locale(r *http.Request) *i18n.Locale {
	var cookie string
	if c, err := r.Cookie(langCookie); err == nil {
		cookie = c.Value
	}
	return w.i18n.Locale(i18n.Negotiate(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language")))
}

// rememberLanguage sets the language cookie when r picks a valid language
// with ?lang=; anything else in the parameter is ignored. It is done on GET,
// as the switcher's links are, because the cookie is the browser's
// preference and changes nothing the system holds. The cookie is Secure
// like the session cookie (Amparo is served over TLS, or on localhost,
// where browsers keep Secure cookies over plain http too), HttpOnly as no
// script reads it, and SameSite=Lax so that a link from another site still
// opens in the reader's language.
func rememberLanguage(rw http.ResponseWriter, r *http.Request) {
	code := r.URL.Query().Get("lang")
	if !i18n.Valid(code) {
		return
	}
	http.SetCookie(rw, &http.Cookie{
		Name: langCookie, Value: code, Path: "/", MaxAge: int(langCookieAge / time.Second),
		Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
}

// withLanguage remembers a language picked with ?lang= before h runs, so
// that it holds even when h redirects.
func withLanguage(h http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		rememberLanguage(rw, r)
		h(rw, r)
	}
}

// langLink is one entry of the language switcher.
type langLink struct {
	// Code, Name and Dir are the language's (see i18n.Language); the link
	// is marked with the language it leads to, in which its name is
	// written.
	Code, Name, Dir string
	// Href is the current page with lang=Code and its other query
	// parameters kept. It is a query alone ("?lang=fr"), which a browser
	// resolves against the page's own address, so that no path taken from
	// the request (such as "//elsewhere.example") can make it lead to
	// another site.
	Href string
	// Current marks the language of this page.
	Current bool
}

// langLinks returns the switcher's links for r, whose page is in the
// language current. A page that answers a form post gets none: following a
// link would repeat no post but fetch another page, and what such a page
// shows (a new token, recovery codes) is shown only once.
func langLinks(r *http.Request, current string) []langLink {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return nil
	}
	q := r.URL.Query()
	links := make([]langLink, len(i18n.Languages))
	for i, lang := range i18n.Languages {
		q.Set("lang", lang.Code)
		links[i] = langLink{Code: lang.Code, Name: lang.Name, Dir: lang.Dir, Href: "?" + q.Encode(), Current: lang.Code == current}
	}
	return links
}
