// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/retention"
)

// adminRetentionData is the retention section of an organisation's page.
type adminRetentionData struct {
	// Days is the period in force, 0 while closed cases are kept.
	Days      int
	UpdatedAt time.Time
	// CanEdit is true for whoever may change the organisation.
	CanEdit  bool
	Min, Max int
}

// adminDoneRetention is the notice after the period was saved.
const adminDoneRetention = "retention_updated"

// adminOrgRetention reads organisation orgID's period for its page and,
// unless the form is being shown again, puts it in values.
func (w *Web) adminOrgRetention(r *http.Request, orgID string, values map[string]string) (*adminRetentionData, error) {
	p := authn.PrincipalFrom(r.Context())
	pol, err := w.ret.Get(r.Context(), p, orgID)
	if err != nil {
		return nil, err
	}
	if _, shown := values["closed_case_days"]; !shown {
		values["closed_case_days"] = ""
		if !pol.Keeps() {
			values["closed_case_days"] = strconv.Itoa(pol.Days)
		}
	}
	return &adminRetentionData{Days: pol.Days, UpdatedAt: pol.UpdatedAt, Min: retention.MinDays, Max: retention.MaxDays,
		CanEdit: p.Allows(retention.PermUpdate, access.Record{OrgID: orgID})}, nil
}

// adminRetentionUpdate sets the organisation's retention period. An empty
// field keeps closed cases. A new period needs the box ticked that says
// closed cases older than it will be destroyed: it cannot be undone.
func (w *Web) adminRetentionUpdate(rw http.ResponseWriter, r *http.Request) {
	f := adminForm{show: func(status int, v view) { w.renderAdminOrg(rw, r, status, v) },
		fields: []string{"closed_case_days", "confirm"}}
	if !parseForm(r) {
		f.unreadable()
		return
	}
	raw := strings.TrimSpace(r.PostForm.Get("closed_case_days"))
	f.values = map[string]string{"closed_case_days": raw}
	days := 0
	if raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			f.invalid(map[string]string{"closed_case_days": errOutOfRange})
			return
		}
		days = n
	}
	if err := retention.Validate(days); err != nil {
		f.invalid(map[string]string{"closed_case_days": errOutOfRange})
		return
	}
	if days > 0 && r.PostForm.Get("confirm") != "yes" {
		f.invalid(map[string]string{"confirm": "required"})
		return
	}
	id := r.PathValue("id")
	_, err := w.ret.Set(r.Context(), authn.PrincipalFrom(r.Context()), id, days)
	if w.adminSaved(rw, r, f, err) {
		// The id was checked by the domain: an organisation the reader
		// may change.
		http.Redirect(rw, r, pathAdminOrgs+"/"+id+"?done="+adminDoneRetention+"#retention", http.StatusSeeOther)
	}
}
