// SPDX-License-Identifier: AGPL-3.0-or-later

package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/amparo-project/amparo/internal/validation"
)

// An analyst enters a small table; a second analyst approves and
// publishes it, after a confirmation; the values then appear in the
// published layer. The first analyst cannot approve their own submission;
// a viewer cannot reach the pages.
func TestDataEntryAndApproval(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Statistics office")
		entrant := a.NewUser(org.ID, access.RoleAnalyst, "")
		approver := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")

		page := a.Do(nil, http.MethodGet, "/observations/entry", entrant.Token, nil)
		body := string(page.Body)
		if page.Status != http.StatusOK {
			t.Fatalf("entry form: %d", page.Status)
		}
		for _, want := range []string{`data-testid="entry-form"`, `<option value="VC_HTF_DETV"`, `<option value="484"`,
			`data-testid="row-5-value"`, `data-testid="nav-observations"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the entry form lacks %q", want)
			}
		}
		for _, path := range []string{"/observations/entry", "/observations/approval", "/validation/rules", "/validation/runs"} {
			if res := a.Do(nil, http.MethodGet, path, viewer.Token, nil); res.Status != http.StatusForbidden {
				t.Errorf("viewer %s: %d", path, res.Status)
			}
		}

		form := url.Values{"rows": {"6"}, "series": {"VC_HTF_DETV"}, "area": {"484"}, "period": {"2022"},
			"rows.0.value": {"100"}, "rows.0.status": {"A"},
			"rows.1.disagg": {"SEX=F"}, "rows.1.value": {"sixty"}, "rows.1.status": {"A"},
			"rows.2.disagg": {"COLOUR=BLUE"}, "rows.2.value": {"40"}, "rows.2.status": {"A"}}
		status, _, html := postForm(t, a, "/observations/entry", entrant.Token, form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(html, `id="rows.1.value-error"`) {
			t.Fatalf("a bad value is not named: %d", status)
		}
		form.Set("rows.1.value", "60")
		status, _, html = postForm(t, a, "/observations/entry", entrant.Token, form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(html, `id="rows.2.disagg-error"`) {
			t.Fatalf("a bad disaggregation is not named: %d", status)
		}
		form.Set("rows.2.disagg", "SEX=M")
		form.Set("rows.2.value", "41")
		status, _, html = postForm(t, a, "/observations/entry", entrant.Token, form)
		if status != http.StatusOK || !strings.Contains(html, `data-testid="entry-saved"`) ||
			!strings.Contains(html, `data-testid="violation-VC_HTF_DETV.SEX_SUM-484-2022"`) {
			t.Fatalf("save: %d", status)
		}
		// A high-importance rule refuses the table and says so.
		status, _, html = postForm(t, a, "/observations/entry", entrant.Token, url.Values{"rows": {"6"}, "series": {"SI_RMT_COST"},
			"area": {"484"}, "period": {"2022"}, "rows.0.value": {"120"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(html, `data-testid="violation-SI_RMT_COST.MAX-484-2022"`) {
			t.Fatalf("high violation: %d", status)
		}

		key := "VC_HTF_DETV|484|2022"
		queue := string(a.Do(nil, http.MethodGet, "/observations/approval?state=draft", entrant.Token, nil).Body)
		if !strings.Contains(queue, `data-testid="set-VC_HTF_DETV-484-2022"`) || !strings.Contains(queue, `href="/observations/set?area=484&amp;period=2022&amp;series=VC_HTF_DETV"`) {
			t.Fatal("the draft set is not in the queue")
		}
		set := string(a.Do(nil, http.MethodGet, "/observations/set?series=VC_HTF_DETV&area=484&period=2022", approver.Token, nil).Body)
		if !strings.Contains(set, "SEX=M") || !strings.Contains(set, "41") {
			t.Fatal("the set's values are not shown")
		}
		act := func(u testutil.User, action string, extra url.Values) (int, string, string) {
			f := url.Values{"action": {action}, "set": {key}}
			for k, v := range extra {
				f[k] = v
			}
			return postForm(t, a, "/observations/approval", u.Token, f)
		}
		if status, loc, _ := act(entrant, "submit", nil); status != http.StatusSeeOther || !strings.Contains(loc, "done=submit") {
			t.Fatalf("submit: %d %s", status, loc)
		}
		if status, _, html := act(entrant, "approve", nil); status != http.StatusUnprocessableEntity || !strings.Contains(html, "someone else must approve") {
			t.Fatalf("own approval: %d", status)
		}
		if status, _, _ := act(approver, "approve", nil); status != http.StatusSeeOther {
			t.Fatalf("approve: %d", status)
		}
		status, _, html = act(approver, "publish", nil)
		if status != http.StatusOK || !strings.Contains(html, `data-testid="publish-confirm"`) {
			t.Fatalf("publish asks first: %d", status)
		}
		if n, _ := a.Observations.Count(context.Background(), observations.Query{Layer: observations.LayerPublished}); n != 0 {
			t.Fatal("published before the confirmation")
		}
		if status, _, _ := act(approver, "publish", url.Values{"confirm": {"yes"}}); status != http.StatusSeeOther {
			t.Fatalf("publish: %d", status)
		}
		if n, _ := a.Observations.Count(context.Background(), observations.Query{Layer: observations.LayerPublished}); n != 3 {
			t.Fatalf("%d published values, want 3", n)
		}
		done := string(a.Do(nil, http.MethodGet, "/observations/approval?done=publish&n=1", approver.Token, nil).Body)
		if !strings.Contains(done, "1 set published.") || !strings.Contains(done, `data-testid="count-published">Published: 1`) {
			t.Error("the queue does not say what was done")
		}
		if strings.Contains(strings.ToUpper(done+queue+set), "SNTL") {
			t.Error("a page shows a person's identity")
		}
	})
}

// Rules are added, refused with the place of a syntax error, changed and
// turned off; a run's report lists its violations and downloads as CSV.
func TestValidationPages(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Statistics office")
		analyst := a.NewUser(org.ID, access.RoleAnalyst, "")
		list := string(a.Do(nil, http.MethodGet, "/validation/rules", analyst.Token, nil).Body)
		if !strings.Contains(list, `data-testid="rule-SI_RMT_COST.MAX"`) || !strings.Contains(list, `data-testid="rule-new"`) {
			t.Fatal("the shipped rules are not listed")
		}
		form := url.Values{"code": {"DEATHS.F"}, "name_en": {"Deaths of women are not negative"}, "left_expr": {"#{SM_DTH_MIGR:SEX=F} +"},
			"operator": {">="}, "right_expr": {"0"}, "missing": {"skip_if_any_missing"}, "importance": {"low"}, "active": {"1"}}
		status, _, html := postForm(t, a, "/validation/rules", analyst.Token, form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(html, "Not understood at character 23.") {
			t.Fatalf("syntax error: %d", status)
		}
		form.Set("left_expr", "#{SM_DTH_MIGR:SEX=F}")
		if status, loc, _ := postForm(t, a, "/validation/rules", analyst.Token, form); status != http.StatusSeeOther || loc != "/validation/rules" {
			t.Fatalf("create: %d", status)
		}
		if _, err := a.Observations.Put(context.Background(), analyst.Principal, observations.KindForm, []observations.Observation{
			{Series: "SM_DTH_MIGR", Area: "ITA", Period: "2023", Disagg: "SEX=F", Value: -2}}); err != nil {
			t.Fatal(err)
		}
		status, loc, _ := postForm(t, a, "/validation/runs", analyst.Token, url.Values{"series": {"sm_dth_migr"}, "area": {"380"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/validation/runs/") {
			t.Fatalf("run: %d %s", status, loc)
		}
		report := string(a.Do(nil, http.MethodGet, loc, analyst.Token, nil).Body)
		if !strings.Contains(report, `data-testid="violation-DEATHS.F-380-2023"`) || !strings.Contains(report, "Italy") {
			t.Fatal("the report does not list the violation")
		}
		res := a.Do(nil, http.MethodGet, loc+"/csv", analyst.Token, nil)
		if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(string(res.Body), "DEATHS.F,Deaths of women are not negative,low,380,Italy,2023,-2,>=,0") {
			t.Fatalf("csv: %d %s", res.Status, res.Body)
		}
		if status, _, html := postForm(t, a, "/validation/runs", analyst.Token, url.Values{"from": {"later"}}); status != http.StatusUnprocessableEntity ||
			!strings.Contains(html, `id="from-error"`) {
			t.Fatalf("bad run: %d", status)
		}
		runs := string(a.Do(nil, http.MethodGet, "/validation/runs", analyst.Token, nil).Body)
		if !strings.Contains(runs, `href="`+loc+`"`) {
			t.Error("the run is not listed")
		}
		rules, err := a.Validation.Rules(context.Background(), analyst.Principal, validation.Filter{Series: []string{"SM_DTH_MIGR"}})
		if err != nil {
			t.Fatal(err)
		}
		var id string
		for _, r := range rules {
			if r.Code == "DEATHS.F" {
				id = r.ID
			}
		}
		edit := string(a.Do(nil, http.MethodGet, "/validation/rules/"+id, analyst.Token, nil).Body)
		if !strings.Contains(edit, `value="Deaths of women are not negative"`) || !strings.Contains(edit, "#{SM_DTH_MIGR:SEX=F}</textarea>") {
			t.Fatal("the edit form does not show the rule")
		}
		form.Set("importance", "high")
		if status, _, _ := postForm(t, a, "/validation/rules/"+id, analyst.Token, form); status != http.StatusSeeOther {
			t.Fatalf("update: %d", status)
		}
		if status, _, _ := postForm(t, a, "/validation/rules/"+id+"/active", analyst.Token, url.Values{"active": {"0"}}); status != http.StatusSeeOther {
			t.Fatalf("deactivate: %d", status)
		}
		if r, _ := a.Validation.Rule(context.Background(), analyst.Principal, id); r.Active || r.Importance != "high" {
			t.Fatalf("rule after edit and deactivation: %+v", r)
		}
		if res := a.Do(nil, http.MethodGet, "/validation/rules/nope", analyst.Token, nil); res.Status != http.StatusNotFound {
			t.Fatalf("unknown rule: %d", res.Status)
		}
	})
}
