// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/testutil"
)

// TestViolationPages documents an event from a case's tab through the
// real router: the event, a perpetrator, an act against the case's person
// with the perpetrator's involvement, a source and an intervention; then
// finds it in the list and the tab, and deletes it after confirming.
// Another organisation gets 404 throughout.
func TestViolationPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org, other := a.Org("A"), a.Org("B")
		team, err := a.Accounts.CreateTeam(context.Background(), access.System, org.ID, "T")
		if err != nil {
			t.Fatal(err)
		}
		cw := a.NewUser(org.ID, access.RoleCaseworker, team.ID)
		sup := a.NewUser(org.ID, access.RoleSupervisor, team.ID)
		stranger := a.NewUser(other.ID, access.RoleSupervisor, "")
		person, kase := a.ProtectionCase(cw, 1994)
		get, post := pageClient(t, a)

		tab := "/cases/" + kase.ID + "/violations"
		get(tab, cw.Token, http.StatusOK, `data-testid="tab-violations" aria-current="page"`, `data-testid="violation-case-none"`)
		newPath := "/violations/new?case=" + kase.ID
		get(newPath, cw.Token, http.StatusOK, kase.Number, `name="start_precision"`)
		get(newPath, stranger.Token, http.StatusNotFound)

		// A refused form is shown again with what was typed, so the refused
		// posts carry no sentinel: the scan of error responses would find
		// it. The title, shown above every form of the event, is plain for
		// the same reason.
		title := "Raid on the shelter"
		event := url.Values{"title": {title}, "start_date": {"2026-13"}, "country": {"MEX"}, "admin1": {"MX-CHP"},
			"place": {"Tapachula"}}
		_, body := post(newPath, cw.Token, event, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="start_date-error"`) || strings.Count(body, "aria-invalid") != 1 {
			t.Fatal("the refused date is not marked beside its field")
		}
		event.Set("place", testutil.Sentinel("place"))
		event.Set("description", testutil.Sentinel("description"))
		event.Set("start_date", "2026-03")
		event.Set("start_precision", "month")
		loc, _ := post(newPath, cw.Token, event, http.StatusSeeOther)
		id := regexp.MustCompile(`^/violations/([0-9a-z]{26})$`).FindStringSubmatch(loc)
		if id == nil {
			t.Fatalf("created event redirects to %q", loc)
		}
		page := loc
		get(page, cw.Token, http.StatusOK, title, "MX-CHP, Mexico", kase.Number)
		get(page, sup.Token, http.StatusOK, title)
		get(page, stranger.Token, http.StatusNotFound)
		post(page+"/edit", stranger.Token, url.Values{"title": {"x"}}, http.StatusNotFound)

		// Refused first, while the event has no perpetrator whose identity
		// the form would show again.
		refused := url.Values{"act_type": {"70.10"}, "description": {"Beaten at the gate"}, "start_date": {"2026-03-02"},
			"end_date": {"2026-02"}}
		_, body = post(page+"/acts/new", cw.Token, refused, http.StatusUnprocessableEntity)
		if !strings.Contains(body, `id="end_date-error"`) {
			t.Fatal("an end before the start is not marked")
		}
		post(page+"/perpetrators/new", cw.Token, url.Values{"category": {"police"}, "identity": {testutil.Sentinel("identity")}},
			http.StatusSeeOther)
		form := get(page+"/acts/new", cw.Token, http.StatusOK, "Case "+kase.Number)
		perp := regexp.MustCompile(`name="(involvement_[0-9a-z]{26})"`).FindStringSubmatch(form)
		if perp == nil {
			t.Fatal("the act form offers no perpetrator")
		}
		act := url.Values{"act_type": {"70.10"}, "victim_person_id": {person.ID}, "consequences": {"physical_injury", "psychological_harm"},
			perp[1]: {"direct_perpetrator"}, "description": {testutil.Sentinel("act")}, "start_date": {"2026-03-02"}}
		post(page+"/acts/new", cw.Token, act, http.StatusSeeOther)
		post(page+"/sources/new", cw.Token, url.Values{"source_type": {"witness"}, "reliability": {"B"}, "credibility": {"2"},
			"obtained_on": {"2026-03-04"}, "details": {testutil.Sentinel("source")}}, http.StatusSeeOther)
		post(page+"/interventions/new", cw.Token, url.Values{"intervention_type": {"urgent_appeal"}, "status": {"submitted"},
			"started_on": {"2026-03-05"}}, http.StatusSeeOther)
		get(page, cw.Token, http.StatusOK, `data-testid="act-xenophobic"`, "Racist or xenophobic physical attack",
			"Police officer", "Direct perpetrator", "Physical injury", "B — Usually reliable", "Urgent appeal", "1994")
		get(page+"?lang=fr", cw.Token, http.StatusOK, "Agression physique raciste ou xénophobe", "mars 2026")
		get(page+"?lang=ar", cw.Token, http.StatusOK, `dir="rtl"`, "أفراد الشرطة")

		get(tab, cw.Token, http.StatusOK, title)
		get("/violations?act_type=70&country=MEX&from=2026", cw.Token, http.StatusOK, title)
		if body := get("/violations?act_type=40", cw.Token, http.StatusOK); strings.Contains(body, title) {
			t.Fatal("an act-type filter found the event")
		}
		get("/violations?from=soon", cw.Token, http.StatusUnprocessableEntity, `id="from-error"`)
		if body := get("/violations", stranger.Token, http.StatusOK); strings.Contains(body, title) {
			t.Fatal("organisation B lists A's event")
		}

		get(page+"/delete", cw.Token, http.StatusOK, `data-testid="confirm-submit"`)
		post(page+"/delete", stranger.Token, nil, http.StatusNotFound)
		post(page+"/delete", cw.Token, nil, http.StatusSeeOther)
		get(page, cw.Token, http.StatusNotFound)
	})
}

// TestVocabularyPages: a system administrator adds a term under a branch,
// retires it after confirming and restores it; others may not.
func TestVocabularyPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("A")
		admin := a.NewUser("", access.RoleSysadmin, "")
		sup := a.NewUser(org.ID, access.RoleSupervisor, "")
		if res := a.Do(nil, http.MethodGet, "/admin", admin.Token, nil); !strings.Contains(string(res.Body), `data-testid="admin-vocabularies"`) {
			t.Fatal("the administration index does not link the vocabularies")
		}
		for _, p := range []string{"/admin/vocabularies", "/admin/vocabularies/act_type"} {
			if res := a.Do(nil, http.MethodGet, p, admin.Token, nil); res.Status != http.StatusOK {
				t.Fatalf("GET %s: %d", p, res.Status)
			}
			if res := a.Do(nil, http.MethodGet, p, sup.Token, nil); res.Status != http.StatusForbidden {
				t.Fatalf("supervisor GET %s: %d", p, res.Status)
			}
		}
		if res := a.Do(nil, http.MethodGet, "/admin/vocabularies/colours", admin.Token, nil); res.Status != http.StatusNotFound {
			t.Fatalf("unknown vocabulary: %d", res.Status)
		}
		code, _, body := postFile(t, a, "/admin/vocabularies/act_type", admin.Token, url.Values{"parent": {"70"}, "label_fr": {"Harcèlement"}})
		if code != http.StatusUnprocessableEntity || !strings.Contains(string(body), `id="label_en-error"`) {
			t.Fatalf("a term without English: %d", code)
		}
		code, h, _ := postFile(t, a, "/admin/vocabularies/act_type", admin.Token, url.Values{"parent": {"70"},
			"label_en": {"Online harassment"}, "label_fr": {"Harcèlement en ligne"}})
		if code != http.StatusSeeOther || h.Get("Location") != "/admin/vocabularies/act_type" {
			t.Fatalf("add: %d %s", code, h.Get("Location"))
		}
		res := a.Do(nil, http.MethodGet, "/admin/vocabularies/act_type?lang=fr", admin.Token, nil)
		if !strings.Contains(string(res.Body), `data-testid="term-70.x1"`) || !strings.Contains(string(res.Body), "Harcèlement en ligne") {
			t.Fatal("the added term is not listed")
		}
		if res := a.Do(nil, http.MethodGet, "/admin/vocabularies/act_type/70.x1/retire", admin.Token, nil); res.Status != http.StatusOK {
			t.Fatalf("retire confirmation: %d", res.Status)
		}
		if code, _, _ := postFile(t, a, "/admin/vocabularies/act_type/70.x1/retire", admin.Token, nil); code != http.StatusSeeOther {
			t.Fatalf("retire: %d", code)
		}
		if code, _, _ := postFile(t, a, "/admin/vocabularies/source_reliability/A/retire", admin.Token, nil); code != http.StatusUnprocessableEntity {
			t.Fatalf("retire a fixed term: %d", code)
		}
		res = a.Do(nil, http.MethodGet, "/admin/vocabularies/act_type", admin.Token, nil)
		if !strings.Contains(string(res.Body), `data-testid="restore-70.x1"`) {
			t.Fatal("the retired term offers no restoring")
		}
		if code, _, _ := postFile(t, a, "/admin/vocabularies/act_type/70.x1/restore", admin.Token, nil); code != http.StatusSeeOther {
			t.Fatalf("restore: %d", code)
		}
	})
}
