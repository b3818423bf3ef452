// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/commitments"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/inbox"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/retention"
)

// Routes lists every API endpoint with the permission that guards it.
// Record-level scope (own, team, organisation, all) is then decided by the
// domain for each record. Later capabilities keep their routes beside
// their handlers and are appended here, each in one line.
func (a *API) Routes() []authn.Route {
	perm, public := authn.PermRoute, authn.PublicRoute
	routes := []authn.Route{
		public("GET /api/v1/openapi.json", a.openAPI),
		perm("GET /api/v1/me", "user.read", a.me),
		perm("GET /api/v1/organisations", "organisation.read", a.listOrganisations),
		perm("POST /api/v1/organisations", "organisation.create", a.createOrganisation),
		perm("GET /api/v1/organisations/{id}", "organisation.read", a.getOrganisation),
		perm("PATCH /api/v1/organisations/{id}", "organisation.update", a.updateOrganisation),
		perm("GET /api/v1/organisations/{id}/export-key", "organisation.read", a.getExportKey),
		perm("PUT /api/v1/organisations/{id}/export-key", "organisation.update", a.putExportKey),
		perm("GET /api/v1/organisations/{id}/retention", retention.PermRead, a.getRetention),
		perm("PUT /api/v1/organisations/{id}/retention", retention.PermUpdate, a.putRetention),
		perm("GET /api/v1/organisations/{id}/memberships", "membership.read", a.listMemberships),
		perm("POST /api/v1/organisations/{id}/memberships", "membership.write", a.createMembership),
		perm("GET /api/v1/organisations/{id}/teams", "organisation.read", a.listTeams),
		perm("POST /api/v1/organisations/{id}/teams", "membership.write", a.createTeam),
		perm("PATCH /api/v1/memberships/{id}", "membership.write", a.updateMembership),
		perm("DELETE /api/v1/memberships/{id}", "membership.write", a.deleteMembership),
		perm("GET /api/v1/users", "user.read", a.listUsers),
		perm("POST /api/v1/users", "user.create", a.createUser),
		perm("POST /api/v1/users/search", "user.read", a.searchUsers),
		perm("GET /api/v1/users/{id}", "user.read", a.getUser),
		perm("PATCH /api/v1/users/{id}", "user.update", a.updateUser),
		perm("DELETE /api/v1/users/{id}", "user.erase", a.eraseUser),
		perm("POST /api/v1/users/{id}/disable", "user.update", a.disableUser),
		perm("POST /api/v1/users/{id}/enable", "user.update", a.enableUser),
		perm("POST /api/v1/users/{id}/reset-password", "user.update", a.resetPassword),
		perm("POST /api/v1/users/{id}/reset-2fa", "user.update", a.resetTOTP),
		perm("GET /api/v1/tokens", "token.read", a.listTokens),
		perm("POST /api/v1/tokens", "token.create", a.createToken),
		perm("GET /api/v1/tokens/{id}", "token.read", a.getToken),
		perm("DELETE /api/v1/tokens/{id}", "token.revoke", a.revokeToken),
		perm("GET /api/v1/sessions", "session.read", a.listSessions),
		perm("DELETE /api/v1/sessions/{id}", "session.revoke", a.revokeSession),
		perm("GET /api/v1/audit", "audit.read", a.listAudit),
		// Countries, instruments and ratifications are public facts: anyone
		// may read them; only their keepers may change them.
		public("GET /api/v1/countries", a.listCountries),
		public("GET /api/v1/countries/{code}", a.getCountry),
		public("GET /api/v1/instruments", a.listInstruments),
		public("GET /api/v1/instruments/{code}", a.getInstrument),
		public("GET /api/v1/ratifications", a.listRatifications),
		perm("POST /api/v1/ratifications", "ratification.write", a.createRatification),
		perm("POST /api/v1/ratifications/import", "ratification.write", a.importRatifications).
			WithMaxBody(commitments.MaxFileBytes),
		public("GET /api/v1/ratifications/{id}", a.getRatification),
		perm("PUT /api/v1/ratifications/{id}", "ratification.write", a.updateRatification),
		perm("DELETE /api/v1/ratifications/{id}", "ratification.write", a.deleteRatification),
		// Persons. Identity travels in bodies only: searching by name,
		// document or phone is a POST, never a query string.
		perm("POST /api/v1/persons", "person.write", a.createPerson),
		perm("GET /api/v1/persons", "person.read", a.listPersons),
		perm("POST /api/v1/persons/search", "person.read", a.searchPersons),
		perm("GET /api/v1/persons/{id}", "person.read", a.getPerson),
		perm("PATCH /api/v1/persons/{id}", "person.write", a.updatePerson),
		perm("DELETE /api/v1/persons/{id}", "person.erase", a.erasePerson),
		perm("PUT /api/v1/persons/{id}/vulnerabilities/{code}", "person.write", a.addVulnerability),
		perm("DELETE /api/v1/persons/{id}/vulnerabilities/{code}", "person.write", a.removeVulnerability),
		perm("POST /api/v1/persons/{id}/consents", "person.write", a.recordConsent),
		perm("GET /api/v1/persons/{id}/consents", "person.read", a.listConsents),
		// Everything held about a person, age-encrypted (the right of
		// access); the exporter's password is entered again in the body.
		perm("POST /api/v1/persons/{id}/export", "person.read", a.exportPerson),
		// Cases.
		perm("POST /api/v1/cases", "case.create", a.createCase),
		perm("POST /api/v1/cases/import", caseimport.PermImport, a.importCases).WithMaxBody(caseimport.MaxUploadBytes + 1<<20),
		perm("GET /api/v1/cases", "case.read", a.listCases),
		// Identity criteria are personal data: a search by them is a POST.
		perm("POST /api/v1/cases/search", "case.read", a.searchCases),
		perm("GET /api/v1/saved-searches", "case.read", a.listSavedSearches),
		perm("POST /api/v1/saved-searches", "case.read", a.createSavedSearch),
		perm("DELETE /api/v1/saved-searches/{id}", "case.read", a.deleteSavedSearch),
		perm("GET /api/v1/cases/{id}", "case.read", a.getCase),
		perm("PATCH /api/v1/cases/{id}", "case.update", a.updateCase),
		perm("POST /api/v1/cases/{id}/status", "case.update", a.changeCaseStatus),
		perm("POST /api/v1/cases/{id}/persons", "case.update", a.linkPerson),
		perm("DELETE /api/v1/cases/{id}/persons/{person_id}", "case.update", a.unlinkPerson),
		perm("POST /api/v1/cases/{id}/notes", "case.update", a.addNote),
		perm("GET /api/v1/cases/{id}/notes", "case.read", a.listNotes),
		perm("POST /api/v1/cases/{id}/tasks", "case.update", a.addTask),
		perm("GET /api/v1/cases/{id}/tasks", "case.read", a.listTasks),
		perm("PATCH /api/v1/tasks/{id}", "case.update", a.updateTask),
		perm("GET /api/v1/cases/{id}/history", "case.read", a.caseHistory),
		perm("POST /api/v1/cases/{id}/attachments", "case.update", a.addAttachment).WithMaxBody(MaxUploadBytes),
		perm("GET /api/v1/cases/{id}/attachments", "case.read", a.listAttachments),
		perm("GET /api/v1/attachments/{id}", "case.read", a.downloadAttachment),
		// Case lists leave only as age-encrypted files, after the
		// exporter's password is entered again.
		perm("POST /api/v1/cases/export", cases.PermExport, a.exportCases),
		// Transfers: offered by the owning organisation, answered by the
		// receiving one.
		perm("POST /api/v1/cases/{id}/transfer", "case.update", a.offerTransfer),
		perm("GET /api/v1/transfers", "case.create", a.listTransfers),
		perm("POST /api/v1/transfers/{id}/accept", "case.create", a.acceptTransfer),
		perm("POST /api/v1/transfers/{id}/decline", "case.create", a.declineTransfer),
		perm("POST /api/v1/transfers/{id}/withdraw", "case.update", a.withdrawTransfer),
		// Detention, reached through the case it belongs to.
		perm("POST /api/v1/cases/{id}/detention", detention.PermWrite, a.createEpisode),
		perm("GET /api/v1/cases/{id}/detention", detention.PermRead, a.listEpisodes),
		perm("GET /api/v1/cases/{id}/detention/{episode_id}", detention.PermRead, a.getEpisode),
		perm("PUT /api/v1/cases/{id}/detention/{episode_id}", detention.PermWrite, a.updateEpisode),
		perm("POST /api/v1/cases/{id}/detention/{episode_id}/consular", detention.PermWrite, a.createNotification),
		perm("GET /api/v1/cases/{id}/consular", detention.PermRead, a.listNotifications),
		perm("PUT /api/v1/cases/{id}/consular/{notification_id}", detention.PermWrite, a.updateNotification),
		perm("GET /api/v1/cases/{id}/alerts", detention.PermRead, a.caseAlerts),
		// The caller's inbox: alerts of the cases they may see and their
		// own due tasks; and their choice of e-mail digests.
		perm("GET /api/v1/inbox", inbox.PermRead, a.getInbox),
		perm("GET /api/v1/inbox/digest", inbox.PermRead, a.getDigest),
		perm("PUT /api/v1/inbox/digest", inbox.PermRead, a.putDigest),
		// Referrals. The providers directory is shared by every
		// organisation; referrals are reached through their case, or by the
		// receiving organisation under /referrals/received (the literal
		// segment takes precedence over {id}).
		perm("GET /api/v1/providers", "organisation.read", a.listProviders),
		perm("POST /api/v1/providers", referrals.PermProviderWrite, a.createProvider),
		perm("GET /api/v1/providers/{id}", "organisation.read", a.getProvider),
		perm("PUT /api/v1/providers/{id}", referrals.PermProviderWrite, a.updateProvider),
		perm("DELETE /api/v1/providers/{id}", referrals.PermProviderWrite, a.deleteProvider),
		perm("POST /api/v1/cases/{id}/referrals", referrals.PermWrite, a.createReferral),
		perm("GET /api/v1/cases/{id}/referrals", referrals.PermRead, a.listReferrals),
		perm("GET /api/v1/referrals/received", referrals.PermReceive, a.listReceived),
		perm("GET /api/v1/referrals/received/{id}", referrals.PermReceive, a.getReceived),
		perm("GET /api/v1/referrals/{id}", referrals.PermRead, a.getReferral),
		perm("POST /api/v1/referrals/{id}/status", referrals.PermWrite, a.moveReferral),
		// Legal maxima of immigration detention are published law: anyone
		// may read them; organisation administrators keep them.
		public("GET /api/v1/detention/legal-limits", a.listLegalLimits),
		perm("PUT /api/v1/detention/legal-limits/{country}", "organisation.update", a.putLegalLimit),
		perm("DELETE /api/v1/detention/legal-limits/{country}", "organisation.update", a.deleteLegalLimit),
		// So are the bilateral agreements that make consular notification
		// mandatory whatever the detained person's wish.
		public("GET /api/v1/detention/mandatory-notification", a.listMandatory),
		perm("PUT /api/v1/detention/mandatory-notification/{country}/{nationality}", "organisation.update", a.putMandatory),
		perm("DELETE /api/v1/detention/mandatory-notification/{country}/{nationality}", "organisation.update", a.deleteMandatory),
		// The caller's organisation's alert settings, and its compliance
		// with consular notification over the cases in the caller's reach.
		perm("GET /api/v1/detention/settings", detention.PermRead, a.detentionSettings),
		perm("PUT /api/v1/detention/settings", "organisation.update", a.putDetentionSettings),
		perm("GET /api/v1/detention/compliance", detention.PermRead, a.detentionCompliance),
		// Closure last: it ends the case's workflow.
		perm("POST /api/v1/cases/{id}/closure", "case.update", a.requestClosure),
		perm("POST /api/v1/cases/{id}/closure/approve", "case.approve_closure", a.approveClosure),
		perm("POST /api/v1/cases/{id}/closure/reject", "case.approve_closure", a.rejectClosure),
	}
	routes = append(routes, a.dashboardRoutes()...)
	routes = append(routes, a.exploitationRoutes()...)
	routes = append(routes, a.violationRoutes()...)
	routes = append(routes, a.statisticsRoutes()...)
	routes = append(routes, a.frameworkRoutes()...)
	routes = append(routes, a.observationRoutes()...)
	routes = append(routes, a.validationRoutes()...)
	routes = append(routes, a.obsImportRoutes()...)
	routes = append(routes, a.indicatorRoutes()...)
	routes = append(routes, a.scorecardRoutes()...)
	routes = append(routes, a.openDataRoutes()...)
	return routes
}
