// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"github.com/amparo-project/amparo/internal/authn"
)

// Routes lists every page with who may call it. Sign-in step routes take a
// session that has not finished signing in; record-level access is then
// decided by the accounts domain. "GET /{$}" is the home page only: a bare
// "GET /" would match every path no other route claims. Every page's
// handler is wrapped so that a language picked with ?lang= is remembered
// (lang.go); the assets are not, as a cacheable response must not set a
// cookie.
func (w *Web) Routes() []authn.Route {
	public, step, perm := authn.PublicRoute, authn.StepRoute, authn.PermRoute
	assets := []authn.Route{
		public("GET /static/{file}", w.serveStatic),
		public("GET /favicon.ico", noFavicon),
	}
	pages := []authn.Route{
		public("GET /login", w.loginForm),
		public("POST /login", w.login),
		step("GET /login/totp", w.totpForm),
		step("POST /login/totp", w.totpVerify),
		step("POST /login/recovery", w.recoveryVerify),
		step("POST /logout", w.logout),
		step("GET /account/totp/enrol", w.enrolIntro),
		step("POST /account/totp/enrol", w.enrolBegin),
		step("POST /account/totp/confirm", w.enrolConfirm),
		step("GET /account/password", w.passwordForm),
		step("POST /account/password", w.passwordChange),
		perm("GET /{$}", "user.read", w.home),
		perm("GET /account/sessions", "session.read", w.sessionList),
		perm("POST /account/sessions/{id}/revoke", "session.revoke", w.sessionRevoke),
		perm("GET /account/tokens", "token.read", w.tokenList),
		perm("POST /account/tokens", "token.create", w.tokenCreate),
		perm("POST /account/tokens/{id}/revoke", "token.revoke", w.tokenRevoke),
	}
	pages = append(pages, w.adminRoutes()...)
	pages = append(pages, w.commitmentRoutes()...)
	pages = append(pages, w.caseRoutes()...)
	pages = append(pages, w.detentionReferenceRoutes()...)
	pages = append(pages, w.inboxRoutes()...)
	pages = append(pages, w.caseProtectionRoutes()...)
	pages = append(pages, w.caseListRoutes()...)
	pages = append(pages, w.exportRoutes()...)
	pages = append(pages, w.caseImportRoutes()...)
	pages = append(pages, w.dashboardRoutes()...)
	pages = append(pages, w.exploitationRoutes()...)
	pages = append(pages, w.violationRoutes()...)
	pages = append(pages, w.statisticsRoutes()...)
	pages = append(pages, w.harvestRoutes()...)
	pages = append(pages, w.scorecardRoutes()...)
	pages = append(pages, w.frameworkRoutes()...)
	pages = append(pages, w.observationRoutes()...)
	pages = append(pages, w.validationRoutes()...)
	pages = append(pages, w.obsImportRoutes()...)
	pages = append(pages, w.indicatorRoutes()...)
	for i := range pages {
		pages[i].Handler = withLanguage(pages[i].Handler)
	}
	return append(assets, pages...)
}
