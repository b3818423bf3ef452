// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/opendata"
	"github.com/amparo-project/amparo/internal/violations"
)

// adminIndexData says which sections of the administration the reader may
// use, by the same needs their routes check.
type adminIndexData struct {
	Orgs, OrgCreate, Users, UserCreate, Roles, Tokens, Audit bool
	// CaseImport and CaseExport link the case import and export, for
	// administrators who hold them without reading cases (and so without
	// the case list, which links them for the others).
	CaseImport, CaseExport bool
	// Vocabularies links the administration of the controlled
	// vocabularies of violations documentation.
	Vocabularies bool
	// Harvest links the sources of open data harvested from other
	// instances.
	Harvest bool
}

// adminIndex links the sections of the administration the reader may use.
// Someone the header shows no link to (see adminPerms) gets 403, as on
// every other page of the administration.
func (w *Web) adminIndex(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	if !adminAllowed(p) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	w.render(rw, r, http.StatusOK, pageAdmin, view{Data: &adminIndexData{
		Orgs:       adminNeedOrgs.held(p),
		OrgCreate:  adminNeedOrgCreate.held(p),
		Users:      adminNeedUsers.held(p),
		UserCreate: adminNeedUserCreate.held(p),
		Roles:      adminNeedRoles.held(p),
		Tokens:     adminNeedTokens.held(p),
		Audit:      adminNeedAudit.held(p),
		CaseImport: p.Can(caseimport.PermImport),
		CaseExport: p.Can(cases.PermExport),

		Vocabularies: p.Can(violations.PermVocabularyWrite),
		Harvest:      p.Can(opendata.PermConfigure),
	}})
}
