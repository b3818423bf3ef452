// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/testutil"
	"github.com/amparo-project/amparo/internal/validation"
)

type problemJSON struct {
	Code   string `json:"code"`
	Errors []struct {
		Field, Code string
		Row         int
	} `json:"errors"`
}

// One analyst writes values, a second approves and publishes them; the
// rules check every write; nobody approves their own submission; a
// viewer reads nothing.
func TestObservationsWriteApprovePublish(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Statistics office")
		entrant := a.NewUser(org.ID, access.RoleAnalyst, "")
		approver := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")

		rows := map[string]any{"observations": []map[string]any{
			{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022", "value": 100},
			{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022", "disagg": "SEX=F", "value": 60},
			{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022", "disagg": "SEX=M", "value": 41, "status": "P",
				"source": "National police", "footnote": "Provisional figures"},
		}}
		res := a.Do(nil, http.MethodPost, "/api/v1/observations", entrant.Token, rows)
		if res.Status != http.StatusCreated {
			t.Fatalf("write: %d %s", res.Status, res.Body)
		}
		var put struct {
			ImportID   string `json:"import_id"`
			Rows       int
			Violations []struct {
				RuleCode string `json:"rule_code"`
				Left     *float64
			}
		}
		res.JSON(t, &put)
		// 60 + 41 is not 100: the shipped rule of medium importance
		// warns without refusing.
		if put.Rows != 3 || len(put.Violations) != 1 || put.Violations[0].RuleCode != "VC_HTF_DETV.SEX_SUM" || *put.Violations[0].Left != 101 {
			t.Fatalf("write answered %+v", put)
		}

		// A high-importance rule refuses the batch; bad rows are named.
		var prob problemJSON
		res = a.Do(nil, http.MethodPost, "/api/v1/observations", entrant.Token, map[string]any{"observations": []map[string]any{
			{"series": "SI_RMT_COST", "area": "MEX", "period": "2022", "value": 120}}})
		res.JSON(t, &prob)
		if res.Status != http.StatusUnprocessableEntity || prob.Code != "observation.rules_failed" ||
			len(prob.Errors) != 1 || prob.Errors[0].Field != "rules.SI_RMT_COST.MAX.484.2022" {
			t.Fatalf("high violation: %d %s", res.Status, res.Body)
		}
		res = a.Do(nil, http.MethodPost, "/api/v1/observations", entrant.Token, map[string]any{"observations": []map[string]any{
			{"series": "SI_RMT_COST", "area": "MEX", "period": "2022", "value": 5},
			{"series": "SI_RMT_COST", "area": "Atlantis", "period": "2022", "value": 5}}})
		prob = problemJSON{}
		res.JSON(t, &prob)
		if res.Status != http.StatusUnprocessableEntity || len(prob.Errors) != 1 || prob.Errors[0].Row != 2 || prob.Errors[0].Field != "area" {
			t.Fatalf("bad row: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodPost, "/api/v1/observations", viewer.Token, rows); res.Status != http.StatusForbidden {
			t.Fatalf("viewer write: %d", res.Status)
		}

		var list struct {
			Items []struct {
				Disagg   string
				Value    float64
				ImportID string `json:"import_id"`
			}
			NextCursor string `json:"next_cursor"`
		}
		res = a.Do(nil, http.MethodGet, "/api/v1/observations?series=VC_HTF_DETV&area=MX&limit=2", entrant.Token, nil)
		res.JSON(t, &list)
		if res.Status != http.StatusOK || len(list.Items) != 2 || list.NextCursor != "2" || list.Items[0].ImportID != put.ImportID {
			t.Fatalf("list: %d %s", res.Status, res.Body)
		}
		res = a.Do(nil, http.MethodGet, "/api/v1/observations?series=VC_HTF_DETV&limit=2&cursor=2", entrant.Token, nil)
		list.Items, list.NextCursor = nil, ""
		res.JSON(t, &list)
		if len(list.Items) != 1 || list.NextCursor != "" || list.Items[0].Disagg != "SEX=M" {
			t.Fatalf("second page: %s", res.Body)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/observations?disagg=", entrant.Token, nil); res.Status != http.StatusOK {
			t.Fatalf("totals: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/observations?from=20x", entrant.Token, nil); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad period: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/observations", viewer.Token, nil); res.Status != http.StatusForbidden {
			t.Fatalf("viewer read: %d", res.Status)
		}

		set := map[string]any{"sets": []map[string]string{{"series": "VC_HTF_DETV", "area": "MEX", "period": "2022"}}}
		move := func(u testutil.User, action string, body any, want int, code string) {
			t.Helper()
			res := a.Do(nil, http.MethodPost, "/api/v1/observation-sets/"+action, u.Token, body)
			var p problemJSON
			if res.Status >= 400 {
				res.JSON(t, &p)
			}
			if res.Status != want || p.Code != code {
				t.Fatalf("%s: %d %s, want %d %s", action, res.Status, res.Body, want, code)
			}
		}
		move(entrant, "approve", set, http.StatusConflict, "observation.state")
		move(entrant, "submit", set, http.StatusOK, "")
		move(entrant, "approve", set, http.StatusConflict, "observation.own_submission")
		move(approver, "return", set, http.StatusUnprocessableEntity, "validation.failed")
		move(approver, "return", map[string]any{"sets": set["sets"], "note": "Check the split by sex"}, http.StatusOK, "")
		move(entrant, "submit", set, http.StatusOK, "")
		move(approver, "approve", set, http.StatusOK, "")
		move(viewer, "publish", set, http.StatusForbidden, "forbidden")
		move(approver, "publish", set, http.StatusOK, "")

		var sets struct {
			Items []struct {
				State string
				Rows  int
			}
			Total  int
			Counts map[string]int
		}
		res = a.Do(nil, http.MethodGet, "/api/v1/observation-sets?state=published&area=MEX", entrant.Token, nil)
		res.JSON(t, &sets)
		if res.Status != http.StatusOK || sets.Total != 1 || sets.Items[0].Rows != 3 || sets.Counts["published"] != 1 {
			t.Fatalf("sets: %d %s", res.Status, res.Body)
		}
		n, err := a.Observations.Count(context.Background(), observations.Query{Layer: observations.LayerPublished})
		if err != nil || n != 3 {
			t.Fatalf("published rows %d, %v", n, err)
		}
	})
}

// Rules are listed, added, changed and turned off through the API; runs
// keep their report.
func TestValidationRulesAndRuns(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Statistics office")
		analyst := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")

		// Every shipped rule names series of the shipped registry.
		rules, err := a.Validation.Rules(context.Background(), analyst.Principal, validation.Filter{})
		if err != nil || len(rules) == 0 {
			t.Fatalf("rules: %d %v", len(rules), err)
		}
		for _, r := range rules {
			for _, side := range []string{r.Left, r.Right} {
				for _, ref := range expr.MustParse(side).Refs() {
					if _, err := a.Indicators.SeriesInfo(context.Background(), ref.Series); err != nil {
						t.Errorf("rule %s names series %s: %v", r.Code, ref.Series, err)
					}
				}
			}
		}

		res := a.Do(nil, http.MethodPost, "/api/v1/validation-rules", analyst.Token, map[string]any{
			"code": "deaths.nonneg", "names": map[string]string{"en": "Deaths are not negative"},
			"left_expr": "#{SM_DTH_MIGR:SEX=F}", "operator": ">=", "right_expr": "0", "importance": "low"})
		var rule struct {
			ID, Code string
			Left     string `json:"left_expr"`
			Active   bool
		}
		res.JSON(t, &rule)
		if res.Status != http.StatusCreated || rule.Code != "DEATHS.NONNEG" || !rule.Active {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		var prob problemJSON
		res = a.Do(nil, http.MethodPost, "/api/v1/validation-rules", analyst.Token, map[string]any{
			"code": "BAD", "names": map[string]string{"en": "Bad"}, "left_expr": "#{NO_SUCH}", "operator": ">=", "right_expr": "1 +"})
		res.JSON(t, &prob)
		if res.Status != http.StatusUnprocessableEntity || len(prob.Errors) != 2 {
			t.Fatalf("bad rule: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodPost, "/api/v1/validation-rules", viewer.Token, map[string]any{"code": "X"}); res.Status != http.StatusForbidden {
			t.Fatalf("viewer create: %d", res.Status)
		}
		res = a.Do(nil, http.MethodPatch, "/api/v1/validation-rules/"+rule.ID, analyst.Token, map[string]any{"active": false})
		rule.Active = true
		res.JSON(t, &rule)
		if res.Status != http.StatusOK || rule.Active || rule.Left != "#{SM_DTH_MIGR:SEX=F}" {
			t.Fatalf("patch: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/validation-rules/"+rule.ID, viewer.Token, nil); res.Status != http.StatusForbidden {
			t.Fatalf("viewer read: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/validation-rules?active=true&series=SM_DTH_MIGR", analyst.Token, nil); res.Status != http.StatusOK {
			t.Fatalf("list: %d", res.Status)
		}

		if _, _, err := a.Validation.Put(context.Background(), analyst.Principal, "form", nil); err == nil {
			t.Fatal("an empty write was accepted")
		}
		if _, err := a.Observations.Put(context.Background(), analyst.Principal, "form", []observations.Observation{
			{Series: "SM_DTH_MIGR", Area: "ITA", Period: "2023", Value: 10},
			{Series: "SM_DTH_MIGR", Area: "ITA", Period: "2023", Disagg: "SEX=F", Value: 6},
			{Series: "SM_DTH_MIGR", Area: "ITA", Period: "2023", Disagg: "SEX=M", Value: 7},
		}); err != nil {
			t.Fatal(err)
		}
		res = a.Do(nil, http.MethodPost, "/api/v1/validation-runs", analyst.Token, map[string]any{"series": []string{"SM_DTH_MIGR"}, "areas": []string{"IT"}})
		var run struct {
			ID         string
			Violations int
			Items      []struct {
				RuleCode string `json:"rule_code"`
				Area     string
			}
		}
		res.JSON(t, &run)
		if res.Status != http.StatusCreated || run.Violations != 1 {
			t.Fatalf("run: %d %s", res.Status, res.Body)
		}
		res = a.Do(nil, http.MethodGet, "/api/v1/validation-runs/"+run.ID, analyst.Token, nil)
		res.JSON(t, &run)
		if res.Status != http.StatusOK || len(run.Items) != 1 || run.Items[0].RuleCode != "SM_DTH_MIGR.SEX_SUM" || run.Items[0].Area != "380" {
			t.Fatalf("report: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/validation-runs", analyst.Token, nil); res.Status != http.StatusOK {
			t.Fatalf("runs: %d", res.Status)
		}
		if res := a.Do(nil, http.MethodPost, "/api/v1/validation-runs", analyst.Token, map[string]any{"from": "soon"}); res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad scope: %d", res.Status)
		}
	})
}
