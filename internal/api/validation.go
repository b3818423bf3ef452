// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/validation"
)

// Validation rules in the manner of DHIS2 and the on-demand runs that
// check the working values against them.

func (a *API) validationRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /api/v1/validation-rules", validation.PermRead, a.listValidationRules),
		perm("POST /api/v1/validation-rules", validation.PermWrite, a.createValidationRule),
		perm("GET /api/v1/validation-rules/{id}", validation.PermRead, a.getValidationRule),
		perm("PATCH /api/v1/validation-rules/{id}", validation.PermWrite, a.updateValidationRule),
		perm("GET /api/v1/validation-runs", validation.PermRead, a.listValidationRuns),
		perm("POST /api/v1/validation-runs", validation.PermRun, a.startValidationRun),
		perm("GET /api/v1/validation-runs/{id}", validation.PermRead, a.getValidationRun),
	}
}

type ruleJSON struct {
	ID         string            `json:"id"`
	Code       string            `json:"code"`
	Names      map[string]string `json:"names"`
	Left       string            `json:"left_expr"`
	Operator   string            `json:"operator"`
	Right      string            `json:"right_expr"`
	Missing    string            `json:"missing"`
	Importance string            `json:"importance"`
	Active     bool              `json:"active"`
	Shipped    bool              `json:"shipped"`
	CreatedAt  string            `json:"created_at"`
	UpdatedAt  string            `json:"updated_at"`
}

func toRule(r validation.Rule) ruleJSON {
	names := r.Names
	if names == nil {
		names = map[string]string{}
	}
	return ruleJSON{ID: r.ID, Code: r.Code, Names: names, Left: r.Left, Operator: r.Operator, Right: r.Right,
		Missing: r.Missing, Importance: r.Importance, Active: r.Active, Shipped: r.Shipped,
		CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.UpdatedAt)}
}

// ruleInputJSON is a rule's body; on PATCH, the fields left out keep their
// values.
type ruleInputJSON struct {
	Code       *string           `json:"code"`
	Names      map[string]string `json:"names"`
	Left       *string           `json:"left_expr"`
	Operator   *string           `json:"operator"`
	Right      *string           `json:"right_expr"`
	Missing    *string           `json:"missing"`
	Importance *string           `json:"importance"`
	Active     *bool             `json:"active"`
}

// apply lays the body's fields over in.
func (b ruleInputJSON) apply(in *validation.Input) {
	for _, f := range []struct {
		src *string
		dst *string
	}{{b.Code, &in.Code}, {b.Left, &in.Left}, {b.Operator, &in.Operator}, {b.Right, &in.Right},
		{b.Missing, &in.Missing}, {b.Importance, &in.Importance}} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if b.Names != nil {
		in.Names = b.Names
	}
	if b.Active != nil {
		in.Active = *b.Active
	}
}

func (a *API) listValidationRules(w http.ResponseWriter, r *http.Request) {
	f := validation.Filter{ActiveOnly: r.URL.Query().Get("active") == "true"}
	if s := r.URL.Query().Get("series"); s != "" {
		f.Series = []string{s}
	}
	rules, err := a.val.Rules(r.Context(), authn.PrincipalFrom(r.Context()), f)
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	writeList(a, w, r, rules, "", nil, toRule)
}

func (a *API) getValidationRule(w http.ResponseWriter, r *http.Request) {
	rule, err := a.val.Rule(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	a.ruleAnswer(w, r, http.StatusOK, rule, err)
}

func (a *API) createValidationRule(w http.ResponseWriter, r *http.Request) {
	var body ruleInputJSON
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	in := validation.Input{Active: true}
	body.apply(&in)
	rule, err := a.val.Create(r.Context(), authn.PrincipalFrom(r.Context()), in)
	a.ruleAnswer(w, r, http.StatusCreated, rule, err)
}

func (a *API) updateValidationRule(w http.ResponseWriter, r *http.Request) {
	var body ruleInputJSON
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	old, err := a.val.Rule(ctx, p, r.PathValue("id"))
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	in := validation.InputOf(old, old.Active)
	body.apply(&in)
	rule, err := a.val.Update(ctx, p, old.ID, in)
	a.ruleAnswer(w, r, http.StatusOK, rule, err)
}

func (a *API) ruleAnswer(w http.ResponseWriter, r *http.Request, status int, rule validation.Rule, err error) {
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, status, toRule(rule))
}

type violationJSON struct {
	RuleID     string   `json:"rule_id"`
	RuleCode   string   `json:"rule_code"`
	Importance string   `json:"importance"`
	Operator   string   `json:"operator"`
	Area       string   `json:"area"`
	Period     string   `json:"period"`
	Left       *float64 `json:"left"`
	Right      *float64 `json:"right"`
}

func toViolation(v validation.Violation) violationJSON {
	return violationJSON{RuleID: v.RuleID, RuleCode: v.RuleCode, Importance: v.Importance, Operator: v.Operator,
		Area: v.Area, Period: v.Period, Left: v.Left, Right: v.Right}
}

type scopeJSON struct {
	Series []string `json:"series"`
	Areas  []string `json:"areas"`
	From   string   `json:"from"`
	To     string   `json:"to"`
}

type runJSON struct {
	ID         string          `json:"id"`
	Scope      scopeJSON       `json:"scope"`
	Rules      int             `json:"rules"`
	Checked    int             `json:"checked"`
	Violations int             `json:"violations"`
	Stored     int             `json:"stored"`
	CreatedBy  string          `json:"created_by"`
	CreatedAt  string          `json:"created_at"`
	Items      []violationJSON `json:"items,omitempty"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

func toRun(rep validation.RunReport) runJSON {
	sc := scopeJSON{Series: rep.Scope.Series, Areas: rep.Scope.Areas, From: rep.Scope.From, To: rep.Scope.To}
	if sc.Series == nil {
		sc.Series = []string{}
	}
	if sc.Areas == nil {
		sc.Areas = []string{}
	}
	return runJSON{ID: rep.ID, Scope: sc, Rules: rep.Rules, Checked: rep.Checked, Violations: rep.Violations,
		Stored: rep.Stored, CreatedBy: rep.CreatedBy, CreatedAt: ts(rep.CreatedAt)}
}

func (a *API) listValidationRuns(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := offsetPage(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	runs, total, err := a.val.Runs(r.Context(), authn.PrincipalFrom(r.Context()), limit, offset)
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	next := ""
	if offset+len(runs) < total {
		next = strconv.Itoa(offset + len(runs))
	}
	writeList(a, w, r, runs, next, nil, toRun)
}

func (a *API) startValidationRun(w http.ResponseWriter, r *http.Request) {
	var body scopeJSON
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	rep, err := a.val.Run(r.Context(), authn.PrincipalFrom(r.Context()),
		validation.Scope{Series: body.Series, Areas: body.Areas, From: body.From, To: body.To})
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, toRun(rep))
}

// getValidationRun answers a run with a page of its violations.
func (a *API) getValidationRun(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := offsetPage(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	rep, err := a.val.RunByID(ctx, p, r.PathValue("id"))
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	out := toRun(rep)
	out.Items = []violationJSON{}
	err = a.val.EachViolation(ctx, p, rep.ID, limit, offset, func(v validation.Violation) error {
		out.Items = append(out.Items, toViolation(v))
		return nil
	})
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	if offset+len(out.Items) < rep.Stored {
		out.NextCursor = strconv.Itoa(offset + len(out.Items))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}
