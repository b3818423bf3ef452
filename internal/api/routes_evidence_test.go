// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/validation"
)

// evidenceWorld is the route-table fixture's validation rule and run,
// whose ids fill the {id} of the validation routes (API) and pages.
type evidenceWorld struct{ rule, run string }

// evidenceWorlds holds each route world's records, made on first use (by
// whichever subtest needs them first, so they outlive it).
var evidenceWorlds = map[*routeWorld]*evidenceWorld{}

func (w *routeWorld) evidenceFixture(t *testing.T) *evidenceWorld {
	t.Helper()
	if ev := evidenceWorlds[w]; ev != nil {
		return ev
	}
	ctx := context.Background()
	sys := access.Principal{UserID: w.target.ID, Role: access.RoleSysadmin, MFA: true}
	r, err := w.a.Validation.Create(ctx, sys, validation.Input{Code: "ROUTE.RULE", Names: map[string]string{"en": "Route rule"},
		Left: "#{SI_RMT_COST}", Operator: "<", Right: "50", Active: true})
	if err != nil {
		t.Fatal(err)
	}
	run, err := w.a.Validation.Run(ctx, sys, validation.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	ev := &evidenceWorld{rule: r.ID, run: run.ID}
	evidenceWorlds[w] = ev
	return ev
}

// evidenceRecordID fills the {id} after validation-rules and
// validation-runs (API), rules and runs (pages).
func (w *routeWorld) evidenceRecordID(t *testing.T, collection string) (string, bool) {
	switch collection {
	case "validation-rules", "rules":
		return w.evidenceFixture(t).rule, true
	case "validation-runs", "runs":
		return w.evidenceFixture(t).run, true
	}
	return "", false
}

// evidenceQuery is the query of the routes that name what they act on in
// it rather than in the path: the deletions of working values, each call
// given a value of its own, so that a success must be audited.
func (w *routeWorld) evidenceQuery(t *testing.T, pattern string) string {
	if pattern != "DELETE /api/v1/observations" && pattern != "DELETE /api/v1/observation-sets" {
		return ""
	}
	sys := access.Principal{UserID: w.target.ID, Role: access.RoleSysadmin, MFA: true}
	period := strconv.Itoa(1900 + w.change())
	if _, err := w.a.Observations.Put(context.Background(), sys, observations.KindForm, []observations.Observation{
		{Series: "SI_RMT_COST", Area: "724", Period: period, Value: 1}}); err != nil {
		t.Fatal(err)
	}
	return "?" + url.Values{"series": {"SI_RMT_COST"}, "area": {"724"}, "period": {period}}.Encode()
}

// evidenceBodies are the bodies of the observations and validation routes;
// each write changes something, so that a success must be audited.
func (w *routeWorld) evidenceBodies() map[string]func() any {
	set := func() any {
		return map[string]any{"sets": []map[string]string{{"series": "SI_RMT_COST", "area": "ESP", "period": "2020"}},
			"note": "Route test"}
	}
	return map[string]func() any{
		"POST /api/v1/observations": func() any {
			return map[string]any{"observations": []map[string]any{
				{"series": "SI_RMT_COST", "area": "ESP", "period": "2020", "value": float64(w.change() % 50)}}}
		},
		"POST /api/v1/observation-sets/submit":  set,
		"POST /api/v1/observation-sets/approve": set,
		"POST /api/v1/observation-sets/return":  set,
		"POST /api/v1/observation-sets/publish": set,
		"POST /api/v1/validation-rules": func() any {
			return map[string]any{"code": "R" + strings.ToUpper(ids.New()), "names": map[string]string{"en": "Route rule"},
				"left_expr": "#{SI_RMT_COST}", "operator": "<=", "right_expr": "100"}
		},
		"PATCH /api/v1/validation-rules/{id}": func() any {
			return map[string]any{"names": map[string]string{"en": fmt.Sprintf("Route rule %d", w.change())}}
		},
		"POST /api/v1/validation-runs": func() any { return map[string]any{"series": []string{"SI_RMT_COST"}} },
	}
}
