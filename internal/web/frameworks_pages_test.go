// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestFrameworkPages browses the shipped frameworks without an account,
// then has an analyst add a national action plan with a node linked to
// agenda point 7 through the real router, and checks that a viewer may
// not and that shipped frameworks stay read-only.
func TestFrameworkPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("A")
		analyst := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		get, post := pageClient(t, a)

		// Public browsing.
		list := get("/frameworks", "", http.StatusOK, `data-testid="framework-A68190"`, `data-testid="framework-GCM"`,
			`data-testid="nav-frameworks"`)
		if strings.Contains(list, `data-testid="framework-new"`) {
			t.Error("an anonymous reader is offered the form")
		}
		get("/frameworks/A68190", "", http.StatusOK, `data-testid="node-A68190:7"`, `href="/frameworks/RESPM/9.d"`,
			"Strengthen the migration evidence base")
		get("/frameworks/RESPM?lang=ru", "", http.StatusOK, `lang="ru"`, "Консульское уведомление")
		get("/frameworks/A68190/7", "", http.StatusOK, `data-testid="node-summary"`, `href="/frameworks/GCM/1"`, "sect. V, point 7")
		get("/frameworks/SDG/10.c?lang=ar", "", http.StatusOK, `dir="rtl"`)
		get("/frameworks/NOPE", "", http.StatusNotFound)
		get("/frameworks/SDG/99", "", http.StatusNotFound)

		// A viewer may read but not change.
		get("/frameworks/new", viewer.Token, http.StatusForbidden)
		post("/frameworks", viewer.Token, url.Values{"code": {"NAP"}, "title.en": {"Plan"}}, http.StatusForbidden)

		// The analyst adds a plan: refused fields are marked beside them.
		get("/frameworks", analyst.Token, http.StatusOK, `data-testid="framework-new"`)
		get("/frameworks/new", analyst.Token, http.StatusOK, `name="title.zh"`, `name="summary.ar"`)
		_, body := post("/frameworks", analyst.Token, url.Values{"code": {"nap"}, "title.fr": {"Plan"}}, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="code-error"`) || !strings.Contains(body, `id="title.en-error"`) {
			t.Fatalf("refused fields not marked:\n%.2000s", body)
		}
		loc, _ := post("/frameworks", analyst.Token, url.Values{"code": {"NAP"}, "symbol": {"Decree 12/2026"},
			"title.en": {"National action plan on migration"}, "title.es": {"Plan nacional de acción sobre migración"}}, http.StatusSeeOther)
		if loc != "/frameworks/NAP" {
			t.Fatalf("created framework at %q", loc)
		}
		post("/frameworks", analyst.Token, url.Values{"code": {"NAP"}, "title.en": {"Again"}}, http.StatusConflict)
		get("/frameworks/NAP?lang=es", analyst.Token, http.StatusOK, "Plan nacional de acción sobre migración", `data-testid="node-new"`)
		get("/frameworks/NAP/nodes/new", analyst.Token, http.StatusOK, `data-testid="node-form"`)
		loc, _ = post("/frameworks/NAP/nodes", analyst.Token, url.Values{"code": {"1"}, "cites": {"art. 1"},
			"title.en": {"Collect data on migrants"}, "summary.en": {"Surveys and registers."}}, http.StatusSeeOther)
		if loc != "/frameworks/NAP/1" {
			t.Fatalf("created node at %q", loc)
		}
		post("/frameworks/NAP/nodes", analyst.Token, url.Values{"code": {"1.1"}, "parent": {"NAP:9"},
			"title.en": {"Child"}}, http.StatusUnprocessableEntity)
		post("/frameworks/NAP/1/links", analyst.Token, url.Values{"other": {"A68190:7"}}, http.StatusSeeOther)
		post("/frameworks/NAP/1/links", analyst.Token, url.Values{"other": {"A68190:7"}}, http.StatusConflict)
		get("/frameworks/NAP/1", analyst.Token, http.StatusOK, `href="/frameworks/A68190/7"`, `data-testid="link-delete-A68190:7"`)
		get("/frameworks/A68190/7", "", http.StatusOK, `href="/frameworks/NAP/1"`)
		if page := get("/frameworks/A68190/7", analyst.Token, http.StatusOK); strings.Contains(page, `data-testid="node-edit"`) ||
			strings.Contains(page, `data-testid="link-delete-GCM:1"`) {
			t.Error("a shipped node or link is offered for change")
		}
		get("/frameworks/SDG/edit", analyst.Token, http.StatusForbidden)
		get("/frameworks/SDG/10.7/edit", analyst.Token, http.StatusForbidden)

		// Removing a link, a node and the plan each asks first.
		get("/frameworks/NAP/1/links/delete?other=A68190:7", analyst.Token, http.StatusOK, `name="other" value="A68190:7"`)
		post("/frameworks/NAP/1/links/delete", analyst.Token, url.Values{"other": {"A68190:7"}}, http.StatusSeeOther)
		if strings.Contains(get("/frameworks/A68190/7", "", http.StatusOK), "NAP:1") {
			t.Error("the removed link is still shown")
		}
		get("/frameworks/NAP/1/edit", analyst.Token, http.StatusOK, `value="Collect data on migrants"`)
		post("/frameworks/NAP/1", analyst.Token, url.Values{"title.en": {"Collect better data"}}, http.StatusSeeOther)
		get("/frameworks/NAP/1/delete", analyst.Token, http.StatusOK, `data-testid="confirm-delete"`)
		post("/frameworks/NAP/1/delete", analyst.Token, url.Values{}, http.StatusSeeOther)
		get("/frameworks/NAP/1", "", http.StatusNotFound)
		get("/frameworks/NAP/delete", analyst.Token, http.StatusOK, "NAP")
		post("/frameworks/NAP/delete", analyst.Token, url.Values{}, http.StatusSeeOther)
		get("/frameworks/NAP", "", http.StatusNotFound)
	})
}
