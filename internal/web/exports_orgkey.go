// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
)

// adminExportKeyData is the export key section of an organisation's page:
// the age public key exports to the organisation are encrypted to.
type adminExportKeyData struct {
	// Key is the key in force, "" for none.
	Key string
	// CanEdit is true for whoever may change the organisation.
	CanEdit bool
}

// adminDoneExportKey is the notice after the key was saved.
const adminDoneExportKey = "export_key_updated"

// adminOrgExportKey reads organisation orgID's export key for its page
// and, unless the form is being shown again, puts it in values.
func (w *Web) adminOrgExportKey(r *http.Request, orgID string, values map[string]string) (*adminExportKeyData, error) {
	p := authn.PrincipalFrom(r.Context())
	key, err := w.exp.ExportKey(r.Context(), p, orgID)
	if err != nil {
		return nil, err
	}
	if _, shown := values["age_recipient"]; !shown {
		values["age_recipient"] = key
	}
	return &adminExportKeyData{Key: key, CanEdit: p.Allows(permOrgUpdate, access.Record{OrgID: orgID})}, nil
}

// permOrgUpdate is what changing an organisation needs.
const permOrgUpdate access.Permission = "organisation.update"

// adminExportKeyUpdate sets the organisation's export key, or removes it
// when the field is left empty.
func (w *Web) adminExportKeyUpdate(rw http.ResponseWriter, r *http.Request) {
	f := adminForm{show: func(status int, v view) { w.renderAdminOrg(rw, r, status, v) },
		fields: []string{"age_recipient"}}
	if !parseForm(r) {
		f.unreadable()
		return
	}
	key := r.PostForm.Get("age_recipient")
	f.values = map[string]string{"age_recipient": key}
	id := r.PathValue("id")
	_, err := w.exp.SetExportKey(r.Context(), authn.PrincipalFrom(r.Context()), id, key)
	if w.adminSaved(rw, r, f, err) {
		// The id was checked by the domain: an organisation the reader
		// may change.
		http.Redirect(rw, r, pathAdminOrgs+"/"+id+"?done="+adminDoneExportKey+"#export-key", http.StatusSeeOther)
	}
}
