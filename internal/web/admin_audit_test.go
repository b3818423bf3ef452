// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/commitments"
)

var (
	adminAuditBodyRE  = regexp.MustCompile(`(?s)<tbody>.*</tbody>`)
	adminAuditOlderRE = regexp.MustCompile(`href="([^"]+)" rel="next" data-testid="audit-older"`)
)

// adminAuditRows returns the table of an audit page and its number of entries.
func adminAuditRows(t *testing.T, body string) (string, int) {
	t.Helper()
	table := adminAuditBodyRE.FindString(body)
	if table == "" {
		t.Fatalf("no table of entries:\n%s", body)
	}
	return table, strings.Count(table, `data-testid="audit-entry"`)
}

// TestAdminAudit filters the audit log as an organisation's administrator
// and as an analyst, who sees only the entries of their own acts, pages
// through it and downloads it.
func TestAdminAudit(t *testing.T) {
	t.Parallel()
	s := newStack(t)
	b, admin := s.adminSignedIn("olga@example.org", "Olga Admin", access.RoleOrgAdmin)
	an, analyst := s.adminSignedIn("ana@example.org", "Ana Analyst", access.RoleAnalyst)
	_, other, _ := s.adminOtherOrg()
	s.browser().login(other.Email, testPassword, "/account/totp/enrol")
	// The analyst's change to reference data belongs to no organisation.
	com := commitments.New(commitments.Config{DB: s.db, Audit: audit.New(s.db, s.clock), Clock: s.clock})
	rec, err := com.Create(context.Background(), access.Principal{UserID: analyst.ID, OrgID: s.org.ID, Role: access.RoleAnalyst, MFA: true},
		commitments.Input{Country: "MEX", Instrument: "C189", Action: "ratification", Date: "2020-07-03", Source: "https://normlex.ilo.org/x"})
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "create", b.post("/admin/users", url.Values{"org": {s.org.ID}, "email": {"nina@example.org"}, "name": {"Nina"},
		"role": {"viewer"}}), http.StatusOK, "")

	res := b.page("audit", "/admin/audit", `<label for="actor">`, `<label for="action">`, `<label for="object_type">`, `<label for="object_id">`,
		`<label for="from">`, `<label for="to">`, `<option value="user.create">Account created</option>`, "<caption>")
	table, n := adminAuditRows(t, res.body)
	if n == 0 {
		t.Fatal("no entries")
	}
	contains(t, "audit", table, admin.ID, analyst.ID, "Account created", "Sign-in with password")
	if strings.Contains(table, other.ID) || strings.Contains(table, rec.ID) {
		t.Error("an organisation's administrator sees entries of no or another organisation")
	}

	res = b.get("/admin/audit?action=user.create")
	table, n = adminAuditRows(t, res.body)
	if n == 0 || strings.Count(table, "<td>Account created</td>") != n {
		t.Errorf("filtered by action, %d entries:\n%s", n, table)
	}
	contains(t, "filtered", res.body, `<option value="user.create" selected>`)
	res = b.get("/admin/audit?action=user.create&from=2026-03-02&to=2026-03-02")
	if _, m := adminAuditRows(t, res.body); m != n {
		t.Errorf("within the day: %d entries, want %d", m, n)
	}
	for _, q := range []string{"from=2026-03-03", "to=2026-03-01", "actor=" + other.ID, "object_type=team", "object_id=" + admin.ID + "x"} {
		b.page(q, "/admin/audit?"+q, "No entries match.")
	}
	res = b.get("/admin/audit?actor=" + admin.ID + "&action=auth.login")
	if table, n := adminAuditRows(t, res.body); n != 1 || !strings.Contains(table, admin.ID) {
		t.Errorf("filtered by actor: %d entries:\n%s", n, table)
	}

	for q, field := range map[string]string{
		"from=2026-02-30":                      "from",
		"from=2026-03-05&to=2026-03-01":        "to",
		"actor=not+an+id":                      "actor",
		"action=USER.CREATE":                   "action",
		"object_id=" + strings.Repeat("a", 65): "object_id",
	} {
		res = b.get("/admin/audit?" + q)
		expect(t, q, res, http.StatusUnprocessableEntity, "")
		contains(t, q, res.body, `<p class="field-error" id="`+field+`-error">`, `aria-describedby="`+field+`-error" aria-invalid="true"`)
	}
	expect(t, "bad cursor", b.get("/admin/audit?before=x"), http.StatusBadRequest, "")

	// An analyst sees the entries of their own acts only, whatever they ask.
	res = an.page("analyst's index", "/admin", `href="/admin/audit"`)
	if strings.Contains(res.body, `href="/admin/users"`) {
		t.Error("the analyst is offered the users")
	}
	expect(t, "analyst's users", an.get("/admin/users"), http.StatusForbidden, "")
	for _, q := range []string{"", "?actor=" + admin.ID, "?action=user.create"} {
		res = an.page("analyst "+q, "/admin/audit"+q, "You see the entries of your own actions only.")
		if strings.Contains(res.body, `id="actor"`) {
			t.Error("the analyst is offered the actor filter")
		}
		table, n := adminAuditRows(t, res.body)
		if strings.Contains(table, admin.ID) || strings.Contains(table, other.ID) {
			t.Errorf("analyst %s: someone else's entries:\n%s", q, table)
		}
		if q == "" && (n == 0 || strings.Count(table, "<td><code>"+analyst.ID+"</code></td>") != n) {
			t.Errorf("analyst: %d entries, not all their own:\n%s", n, table)
		}
	}
	res = an.get("/admin/audit?object_type=ratification")
	table, n = adminAuditRows(t, res.body)
	if n != 1 {
		t.Errorf("the analyst's ratification entries: %d:\n%s", n, table)
	}
	contains(t, "analyst's ratification", table, "Ratification record added", "Ratification record", "<code>"+rec.ID+"</code>")

	// Pages of the log follow each other by cursor.
	log := audit.New(s.db, s.clock)
	for range adminPageSize + 5 {
		if _, err := log.Append(context.Background(), audit.Entry{ActorID: admin.ID, OrgID: s.org.ID, Action: "user.read",
			ObjectType: "user", ObjectID: analyst.ID, Fields: []string{"email", "name"}}); err != nil {
			t.Fatal(err)
		}
	}
	res = b.get("/admin/audit?action=user.read")
	if _, n := adminAuditRows(t, res.body); n != adminPageSize {
		t.Errorf("first page: %d entries, want %d", n, adminPageSize)
	}
	older := adminAuditOlderRE.FindStringSubmatch(res.body)
	if older == nil {
		t.Fatalf("no link to older entries:\n%s", res.body)
	}
	res = b.get(html.UnescapeString(older[1]))
	expect(t, "older", res, http.StatusOK, "")
	if _, n := adminAuditRows(t, res.body); n < 5 || n >= adminPageSize {
		t.Errorf("second page: %d entries", n)
	}
	contains(t, "older", res.body, `<option value="user.read" selected>`, `href="/admin/audit?action=user.read">Newest entries</a>`)

	// Downloads hold the same entries, and are themselves audited.
	res = b.get("/admin/audit/export?action=user.create&format=csv")
	expect(t, "CSV", res, http.StatusOK, "")
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("CSV Content-Type %q", ct)
	}
	contains(t, "CSV", res.body, "No.,Time,Done by,Organisation,Action,Object type,Object id,Fields,Outcome", ",user.create,user,")
	if strings.Contains(res.body, "auth.login") || strings.Contains(res.body, other.ID) {
		t.Error("the CSV holds entries the filter or the scope leaves out")
	}
	res = b.get("/admin/audit/export?format=xlsx")
	expect(t, "XLSX", res, http.StatusOK, "")
	if ct := res.header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
		t.Errorf("XLSX Content-Type %q", ct)
	}
	expect(t, "unknown format", b.get("/admin/audit/export?format=pdf"), http.StatusBadRequest, "")
	expect(t, "bad filter", b.get("/admin/audit/export?format=csv&from=yesterday"), http.StatusBadRequest, "")
	res = b.get("/admin/audit?action=audit.export")
	if table, n := adminAuditRows(t, res.body); n != 2 || !strings.Contains(table, "Audit log exported") {
		t.Errorf("exports audited: %d entries:\n%s", n, table)
	}
	res = an.page("analyst's CSV", "/admin/audit/export?format=csv&actor="+admin.ID, analyst.ID)
	if strings.Contains(res.body, admin.ID) {
		t.Error("the analyst's download holds someone else's entries")
	}
}
