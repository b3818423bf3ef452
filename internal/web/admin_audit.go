// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/httpx"
)

// The audit log page filters with a GET form: a filter changes nothing,
// and holds no personal data (ids, action and type codes, dates), so it
// may be in the URL, where it can be bookmarked. Whatever it asks for, the
// entries are narrowed to what the reader may see (adminRestrictAudit).

// adminAuditActions are the actions Amparo writes to the log, which the filter
// offers. An action not listed (from a newer version) is still shown, by
// its code, and may still be filtered on by URL.
var adminAuditActions = []string{
	"audit.export",
	"auth.login", "auth.login_failed", "auth.logout", "auth.mfa", "auth.mfa_failed", "auth.reauth_failed",
	"backup.create",
	"case.attachment_add", "case.closure_approve", "case.closure_reject", "case.closure_request", "case.create",
	"case.exploitation_create", "case.exploitation_remove", "case.exploitation_update", "case.export", "case.import",
	"case.note_add", "case.perpetrator_add", "case.perpetrator_remove", "case.perpetrator_update", "case.person_link",
	"case.person_unlink", "case.read", "case.reopen", "case.search", "case.shred", "case.status", "case.task_add",
	"case.task_done", "case.task_undone", "case.task_update", "case.transfer_accept", "case.transfer_decline",
	"case.transfer_offer", "case.transfer_withdraw", "case.update",
	"consular.create", "consular.read", "consular.update",
	"consular_mandatory.create", "consular_mandatory.delete", "consular_mandatory.update",
	"dashboard.read",
	"detention.create", "detention.read", "detention.update",
	"detention_limit.create", "detention_limit.delete", "detention_limit.update", "detention_settings.update",
	"framework.create", "framework.delete", "framework.link_add", "framework.link_delete", "framework.node_add",
	"framework.node_delete", "framework.node_update", "framework.seed", "framework.update",
	"harvest.create", "harvest.delete", "harvest.run", "harvest.update",
	"import_mapping.create", "import_mapping.delete", "import_mapping.update",
	"indicator.create", "indicator.delete", "indicator.update",
	"key.rotate",
	"membership.create", "membership.delete", "membership.update",
	"observation.approve", "observation.delete", "observation.import", "observation.publish", "observation.return",
	"observation.submit",
	"organisation.create", "organisation.export_key", "organisation.retention", "organisation.update",
	"person.assign", "person.consent", "person.create", "person.erase", "person.export", "person.read",
	"person.rights_export", "person.search", "person.transfer", "person.update",
	"provider.create", "provider.delete", "provider.update",
	"ratification.create", "ratification.delete", "ratification.import", "ratification.update",
	"referral.accept", "referral.complete", "referral.consent_override", "referral.create", "referral.decline",
	"referral.read_received", "referral.revoke", "referral.send",
	"saved_search.create", "saved_search.delete",
	"session.revoke",
	"statistics_settings.update",
	"team.create",
	"token.create", "token.revoke",
	"user.create", "user.digest", "user.disable", "user.enable", "user.erase", "user.password_change", "user.password_reset",
	"user.read", "user.search", "user.totp_begin", "user.totp_enable", "user.totp_reset", "user.update",
	"validation_rule.create", "validation_rule.update", "validation_run.create",
	"violation.act_add", "violation.act_delete", "violation.act_update", "violation.case_link", "violation.case_unlink",
	"violation.create", "violation.delete", "violation.intervention_add", "violation.intervention_delete",
	"violation.intervention_update", "violation.perpetrator_add", "violation.perpetrator_delete",
	"violation.perpetrator_update", "violation.person_link", "violation.person_unlink", "violation.read",
	"violation.source_add", "violation.source_delete", "violation.source_update", "violation.update",
	"vocabulary.add", "vocabulary.restore", "vocabulary.retire",
}

// adminAuditObjectTypes are the types of object the log's entries are about.
var adminAuditObjectTypes = []string{"audit_log", "backup", "case", "case_import", "consular_mandatory_country",
	"consular_notification", "detention_episode", "detention_legal_limit", "export", "framework", "framework_link", "framework_node", "harvest_source", "import_mapping", "indicator", "kek", "membership", "observation_import", "observation_set", "organisation",
	"person", "ratification", "ratification_import", "referral", "saved_search", "service_provider", "session",
	"statistics_settings", "team", "token", "user", "validation_rule", "validation_run", "violation_event", "violation_vocabulary"}

// adminAuditExportAction is the action an export of the log is audited as.
const adminAuditExportAction = "audit.export"

// adminAuditColumns are the columns of an export, which its audit entry names.
var adminAuditColumns = []string{"seq", "at", "actor_id", "org_id", "action", "object_type", "object_id", "fields", "outcome"}

// The shapes of the filter's values, as package audit accepts them.
var (
	adminAuditIDRE   = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	adminAuditNameRE = regexp.MustCompile(`^[a-z][a-z0-9_.]{0,63}$`)
)

// adminAuditData is a page of the audit log and its filter.
type adminAuditData struct {
	Entries     []audit.Entry
	Actions     []string
	ObjectTypes []string
	// Own is true for a reader who sees only their own acts: the filter
	// has no actor. All is true for one who sees every organisation's: the
	// filter has an organisation.
	Own, All bool
	// Listed is false when the filter was not valid and nothing was read.
	Listed bool
	// Older leads to the next page of older entries; Newest back to the
	// first page. CSV and XLSX download the entries of this page onwards,
	// MaxExport of them at most.
	Older, Newest, CSV, XLSX string
	MaxExport                int
}

// adminAuditQuery reads the filter of the audit page from the query string:
// the values to show again in the form, and the reason code of each value
// that is not valid. ok is false when the cursor is not valid, which no
// form sends.
func adminAuditQuery(q url.Values, all bool) (f audit.Filter, values, fields map[string]string, ok bool) {
	values, fields = map[string]string{}, map[string]string{}
	text := func(name string, re *regexp.Regexp) string {
		v := strings.TrimSpace(q.Get(name))
		values[name] = v
		if v != "" && !re.MatchString(v) {
			fields[name] = "invalid"
		}
		return v
	}
	f.ActorID = text("actor", adminAuditIDRE)
	f.Action = text("action", adminAuditNameRE)
	f.ObjectType = text("object_type", adminAuditNameRE)
	f.ObjectID = text("object_id", adminAuditIDRE)
	if all {
		f.OrgID = text("org", adminAuditIDRE)
	}
	date := func(name string) time.Time {
		v := strings.TrimSpace(q.Get(name))
		values[name] = v
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			fields[name] = "invalid_date"
		}
		return t
	}
	from, to := date("from"), date("to")
	f.Since = from
	if !to.IsZero() {
		// The end date is included: entries up to its last instant.
		f.Until = to.AddDate(0, 0, 1)
		if !from.IsZero() && to.Before(from) {
			fields["to"] = "date_order"
		}
	}
	if s := q.Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			return f, values, fields, false
		}
		f.Before = n
	}
	return f, values, fields, true
}

// adminRestrictAudit narrows f to what p may read, whatever f asks for. ok is
// false when the narrowing would not hold: an organisation's scope
// without an organisation would list every organisation's entries.
func adminRestrictAudit(p access.Principal, f *audit.Filter) bool {
	scope := p.Scope("audit.read")
	f.Restrict(scope, p.OrgID, p.UserID)
	switch {
	case scope >= access.ScopeAll:
		return true
	case scope >= access.ScopeOrg:
		return f.OrgID != ""
	case scope > access.ScopeNone:
		return f.ActorID != ""
	default:
		return false
	}
}

// adminAudit shows the audit log, newest first, a page at a time.
func (w *Web) adminAudit(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	scope := p.Scope("audit.read")
	q := r.URL.Query()
	f, values, fields, ok := adminAuditQuery(q, scope >= access.ScopeAll)
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	d := &adminAuditData{Actions: adminAuditActions, ObjectTypes: adminAuditObjectTypes,
		Own: scope < access.ScopeOrg, All: scope >= access.ScopeAll, MaxExport: audit.MaxLimit}
	// A value from a link or a newer version is kept as a choice, so that
	// the form shows the filter in force.
	if a := values["action"]; a != "" && fields["action"] == "" && !slices.Contains(d.Actions, a) {
		d.Actions = append(slices.Clone(d.Actions), a)
	}
	if t := values["object_type"]; t != "" && fields["object_type"] == "" && !slices.Contains(d.ObjectTypes, t) {
		d.ObjectTypes = append(slices.Clone(d.ObjectTypes), t)
	}
	v := view{Values: values, Data: d}
	if len(fields) > 0 {
		v.Fields = fields
		w.render(rw, r, http.StatusUnprocessableEntity, pageAdminAudit, v)
		return
	}
	if !adminRestrictAudit(p, &f) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	f.Limit = adminPageSize
	entries, next, err := w.audit.List(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.Entries, d.Listed = entries, true
	if next > 0 {
		d.Older = adminHref(pathAdminAudit, q, "before", strconv.FormatInt(next, 10))
	}
	if f.Before > 0 {
		d.Newest = adminHref(pathAdminAudit, q, "before", "")
	}
	if len(entries) > 0 {
		d.CSV = adminHref(pathAdminAudit+"/export", q, "format", export.CSV)
		d.XLSX = adminHref(pathAdminAudit+"/export", q, "format", export.XLSX)
	}
	w.render(rw, r, http.StatusOK, pageAdminAudit, v)
}

// adminAuditExport downloads the entries the audit page shows, from the
// page's position onwards and up to audit.MaxLimit of them, as CSV or
// XLSX. It applies the same narrowing as the page, and the export is
// itself audited, before anything is sent: a download that cannot be
// audited is not made.
func (w *Web) adminAuditExport(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	q := r.URL.Query()
	format := q.Get("format")
	f, _, fields, ok := adminAuditQuery(q, p.Scope("audit.read") >= access.ScopeAll)
	if !ok || len(fields) > 0 || !export.Valid(format) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	if !adminRestrictAudit(p, &f) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	f.Limit = audit.MaxLimit
	entries, _, err := w.audit.List(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if _, err := w.audit.Append(r.Context(), audit.Entry{ActorID: p.UserID, OrgID: p.OrgID, Action: adminAuditExportAction,
		ObjectType: "audit_log", Fields: adminAuditColumns, RequestID: httpx.RequestIDFrom(r.Context())}); err != nil {
		w.fail(rw, r, err)
		return
	}
	loc := w.locale(r)
	t := export.Table{Name: "audit-log"}
	for _, c := range adminAuditColumns {
		t.Header = append(t.Header, loc.T("admin.audit.col."+c))
	}
	for _, e := range entries {
		t.Rows = append(t.Rows, []any{int(e.Seq), e.At.UTC().Format(time.RFC3339), e.ActorID, e.OrgID, e.Action,
			e.ObjectType, e.ObjectID, strings.Join(e.Fields, " "), e.Outcome})
	}
	if err := export.Serve(rw, t, format); err != nil {
		w.fail(rw, r, err)
	}
}
