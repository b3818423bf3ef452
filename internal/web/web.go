// SPDX-License-Identifier: AGPL-3.0-or-later

// Package web serves Amparo's server-rendered pages: signing in (password,
// then the second factor), enrolling an authenticator, changing one's own
// password, and managing one's own sessions and API tokens.
//
// The pages are plain HTML forms with no JavaScript, so that they work under
// the Content-Security-Policy "default-src 'self'" and on any browser. No
// user-facing string is written in Go: handlers pass codes (an error code, a
// field's reason code, a role name) and the embedded templates turn them
// into words, which they take from the translation files of package i18n
// ({{t "login.title"}}, {{t (print "error." .Error)}}), so that a page is
// translated without touching a handler. Templates and the stylesheet are
// embedded and parsed by New, once per page and language, which panics on a
// broken template, so that a bad template stops the server at start rather
// than failing a request.
//
// Each response is in the language i18n.Negotiate chooses from the lang
// query parameter, the amparo_lang cookie and the Accept-Language header
// (see lang.go).
//
// No handler changes state on GET. (Remembering a language chosen with
// ?lang= in a cookie is a preference of the browser, not a change to
// anything the system holds, so it is done on GET.) Cross-site form posts
// are refused by the server's cross-origin check before they reach a
// handler, and the session cookie is SameSite=Strict.
package web

import (
	"log/slog"
	"net/http"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseexport"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/dashboard"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/obsimport"
	"github.com/amparo-project/amparo/internal/opendata"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/retention"
	"github.com/amparo-project/amparo/internal/scorecard"
	"github.com/amparo-project/amparo/internal/statistics"
	"github.com/amparo-project/amparo/internal/validation"
	"github.com/amparo-project/amparo/internal/violations"
)

// Web holds the collaborators of the page handlers and the parsed templates.
// It is safe for concurrent use: nothing in it changes after New.
type Web struct {
	acc    *accounts.Service
	com    *commitments.Service
	per    *persons.Service
	cas    *cases.Service
	det    *detention.Service
	ref    *referrals.Service
	exp    *caseexport.Service
	inbox  *inbox.Service
	ret    *retention.Service
	imp    *caseimport.Service
	stats  *statistics.Service
	xpl    *exploitation.Service
	dash   *dashboard.Service
	vio    *violations.Service
	obs    *observations.Service
	val    *validation.Service
	ind    *indicators.Service
	od     *opendata.Service
	oimp   *obsimport.Service
	audit  *audit.Log
	clock  clock.Clock
	logger *slog.Logger
	i18n   *i18n.Catalog
	// pages holds each page's templates, made per language on first use.
	pages  *pageSet
	static *asset

	// fw keeps the frameworks; nodeIndicators lists the indicators
	// measuring a node, nil until the indicator registry is wired.
	fw             *frameworks.Service
	nodeIndicators NodeIndicators

	// scorecards computes the scorecards and the explorer.
	scorecards *scorecard.Service
}

// New loads the translations, parses every template in every language and
// hashes the stylesheet. It panics when a translation file or a template
// does not parse, a programming error that must stop the start.
func New(c Config) *Web {
	cat := i18n.MustLoad()
	css := newAsset("app", ".css", "text/css; charset=utf-8", mustRead("static/app.css"))
	if c.Clock == nil {
		c.Clock = clock.System{}
	}
	return &Web{scorecards: c.Scorecards, stats: c.Statistics, acc: c.Accounts, com: c.Commitments, per: c.Persons, cas: c.Cases, det: c.Detention, ref: c.Referrals,
		exp: c.Exports, inbox: c.Inbox, ret: c.Retention, imp: c.CaseImport, xpl: c.Exploitation, dash: c.Dashboard, vio: c.Violations, obs: c.Observations, val: c.Validation, ind: c.Indicators, audit: c.Audit, clock: c.Clock, logger: c.Logger, i18n: cat, pages: mustParsePages(cat), static: css,
		fw: c.Frameworks, nodeIndicators: c.NodeIndicators, oimp: c.ObsImport, od: c.OpenData}
}

// Config holds the collaborators of the page handlers.
type Config struct {
	Accounts    *accounts.Service
	Commitments *commitments.Service
	Persons     *persons.Service
	Cases       *cases.Service
	Detention   *detention.Service
	Referrals   *referrals.Service
	Exports     *caseexport.Service
	Inbox       *inbox.Service
	Retention   *retention.Service
	CaseImport  *caseimport.Service
	Statistics  *statistics.Service
	Dashboard   *dashboard.Service
	Audit       *audit.Log
	// Clock tells the pages the time, such as how long a person has been
	// held; nil means the system clock.
	Clock  clock.Clock
	Logger *slog.Logger
	// Exploitation keeps the exploitation records of cases.
	Exploitation *exploitation.Service
	// Violations documents events, acts, victims and perpetrators.
	Violations *violations.Service
	// Frameworks keeps the frameworks the evidence base measures;
	// NodeIndicators, which may be nil, lists the indicators of a node.
	Frameworks     *frameworks.Service
	NodeIndicators NodeIndicators
	// Observations keeps the working values and their approval;
	// Validation checks them against the validation rules.
	Observations *observations.Service
	Validation   *validation.Service
	// Indicators is the registry of indicators and their series.
	Indicators *indicators.Service
	// Scorecards computes the country scorecards and the explorer.
	Scorecards *scorecard.Service
	// ObsImport imports files of observations.
	ObsImport *obsimport.Service
	// OpenData keeps the harvest sources (administration).
	OpenData *opendata.Service
}

// Deny answers a request the server refused for one of the pages: a
// visitor who is not signed in is sent to the sign-in form, a session that
// has not finished signing in is sent to the step it still needs, and a
// signed-in person without the route's permission gets a 403 page. A
// language chosen with ?lang= is remembered all the same, so that the page
// the visitor is sent to speaks it.
func (w *Web) Deny(rw http.ResponseWriter, r *http.Request, why authn.Refusal) {
	rememberLanguage(rw, r)
	switch why {
	case authn.NotSignedIn:
		http.Redirect(rw, r, pathLogin, http.StatusSeeOther)
	case authn.SignInIncomplete:
		sess, _ := authn.SessionFrom(r.Context())
		http.Redirect(rw, r, nextStep(sess), http.StatusSeeOther)
	default:
		w.errorPage(rw, r, http.StatusForbidden)
	}
}

// Paths the handlers redirect to.
const (
	pathHome     = "/"
	pathLogin    = "/login"
	pathTOTP     = "/login/totp"
	pathEnrol    = "/account/totp/enrol"
	pathPassword = "/account/password"
	pathSessions = "/account/sessions"
	pathTokens   = "/account/tokens"
)

// nextStep is where a session goes next: the sign-in step it still has to
// complete, or the home page once signing in is complete. A nil session
// (none, or an API token) goes to the sign-in form. The second factor comes
// before a forced password change, so that a stolen one-time password alone
// never gets as far as choosing the account's password.
func nextStep(sess *accounts.Session) string {
	switch {
	case sess == nil:
		return pathLogin
	case sess.NeedsTOTP:
		return pathTOTP
	case sess.MustEnrolTOTP:
		return pathEnrol
	case sess.MustChangePassword:
		return pathPassword
	default:
		return pathHome
	}
}

// afterSecondFactor is where a session goes once it has passed its second
// factor: the forced password change if one is pending, else home.
func afterSecondFactor(sess *accounts.Session) string {
	if sess.MustChangePassword {
		return pathPassword
	}
	return pathHome
}
