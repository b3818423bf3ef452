// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/expr"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/validation"
)

// The validation rules: a list for everyone who keeps the data, and the
// form that adds or changes a rule for those who keep the indicators
// (indicator.write). A rule is never deleted, only turned off, so that
// the runs that found its violations still name it.

const (
	pageValidationRules page = "validation_rules"
	pageValidationRule  page = "validation_rule"
	pageValidationRuns  page = "validation_runs"
	pageValidationRun   page = "validation_run"
)

var validationPages = []page{pageValidationRules, pageValidationRule, pageValidationRuns, pageValidationRun}

func (w *Web) validationRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /validation/rules", validation.PermRead, w.ruleList),
		perm("GET /validation/rules/new", validation.PermWrite, w.ruleNewForm),
		perm("POST /validation/rules", validation.PermWrite, w.ruleCreate),
		perm("GET /validation/rules/{id}", validation.PermWrite, w.ruleEditForm),
		perm("POST /validation/rules/{id}", validation.PermWrite, w.ruleUpdate),
		perm("POST /validation/rules/{id}/active", validation.PermWrite, w.ruleActive),
		perm("GET /validation/runs", validation.PermRead, w.runList),
		perm("POST /validation/runs", validation.PermRun, w.runStart),
		perm("GET /validation/runs/{id}", validation.PermRead, w.runReport),
		perm("GET /validation/runs/{id}/csv", validation.PermRead, w.runCSV),
	}
}

type rulesData struct {
	Rules []ruleRow
	Edit  bool
}

type ruleRow struct {
	ID, Code, Name, Left, Operator, Right, Missing, Importance string
	Active, Shipped                                            bool
}

func (w *Web) ruleList(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	rules, err := w.val.Rules(r.Context(), p, validation.Filter{})
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	lang := w.locale(r).Code()
	d := &rulesData{Edit: p.Can(validation.PermWrite)}
	for _, ru := range rules {
		d.Rules = append(d.Rules, ruleRow{ID: ru.ID, Code: ru.Code, Name: ru.Name(lang), Left: ru.Left, Operator: ru.Operator,
			Right: ru.Right, Missing: ru.Missing, Importance: ru.Importance, Active: ru.Active, Shipped: ru.Shipped})
	}
	w.render(rw, r, http.StatusOK, pageValidationRules, view{Data: d})
}

type ruleFormData struct {
	// ID is the rule changed, "" for a new one.
	ID, Code                        string
	Languages                       []labelInput
	Operators, Missing, Importances []option
	// LeftAt and RightAt give where an expression stopped making sense
	// (a character position, 0 for none), and why, in English: the
	// reasons are the parser's own, shown beside the translated message.
	LeftAt, RightAt         int
	LeftReason, RightReason string
}

var ruleFields = []string{"code", "left_expr", "operator", "right_expr", "missing", "importance", "active"}

func (w *Web) ruleNewForm(rw http.ResponseWriter, r *http.Request) {
	v := view{Values: map[string]string{"missing": validation.SkipIfAnyMissing, "importance": validation.Medium,
		"operator": "==", "active": "1"}}
	w.showRuleForm(rw, r, http.StatusOK, v, "")
}

func (w *Web) ruleEditForm(rw http.ResponseWriter, r *http.Request) {
	ru, err := w.val.Rule(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	values := map[string]string{"code": ru.Code, "left_expr": ru.Left, "operator": ru.Operator, "right_expr": ru.Right,
		"missing": ru.Missing, "importance": ru.Importance}
	if ru.Active {
		values["active"] = "1"
	}
	for lang, n := range ru.Names {
		values["name_"+lang] = n
	}
	w.showRuleForm(rw, r, http.StatusOK, view{Values: values}, ru.ID)
}

func (w *Web) showRuleForm(rw http.ResponseWriter, r *http.Request, status int, v view, id string) {
	loc := w.locale(r)
	d := &ruleFormData{ID: id, Code: v.Val("code"), Languages: languageNames()}
	for _, op := range validation.Operators {
		d.Operators = append(d.Operators, option{Value: op, Label: op})
	}
	for _, m := range validation.MissingStrategies() {
		d.Missing = append(d.Missing, option{Value: m, Label: loc.T("validation.missing." + m)})
	}
	for _, im := range validation.Importances() {
		d.Importances = append(d.Importances, option{Value: im, Label: loc.T("validation.importance." + im)})
	}
	d.LeftAt, d.LeftReason = syntaxAt(v, "left_expr")
	d.RightAt, d.RightReason = syntaxAt(v, "right_expr")
	v.Data = d
	w.render(rw, r, status, pageValidationRule, v)
}

// syntaxAt parses the expression of field again when it was refused as
// not understood, to say where.
func syntaxAt(v view, field string) (int, string) {
	if v.Err(field) != validation.CodeSyntax {
		return 0, ""
	}
	_, err := expr.Parse(v.Val(field))
	var se *expr.SyntaxError
	if errors.As(err, &se) {
		return se.Pos, se.Reason
	}
	return 0, ""
}

// ruleInput reads the rule form.
func ruleInput(r *http.Request) (validation.Input, map[string]string) {
	f := r.PostForm
	names := append([]string{}, ruleFields...)
	in := validation.Input{Code: f.Get("code"), Left: f.Get("left_expr"), Operator: f.Get("operator"), Right: f.Get("right_expr"),
		Missing: f.Get("missing"), Importance: f.Get("importance"), Active: f.Get("active") == "1", Names: map[string]string{}}
	for _, l := range i18n.Languages {
		names = append(names, "name_"+l.Code)
		if s := f.Get("name_" + l.Code); strings.TrimSpace(s) != "" {
			in.Names[l.Code] = s
		}
	}
	return in, formValues(f, names...)
}

func (w *Web) ruleCreate(rw http.ResponseWriter, r *http.Request) {
	w.ruleSave(rw, r, "")
}

func (w *Web) ruleUpdate(rw http.ResponseWriter, r *http.Request) {
	w.ruleSave(rw, r, r.PathValue("id"))
}

func (w *Web) ruleSave(rw http.ResponseWriter, r *http.Request, id string) {
	if !parseForm(r) {
		w.showRuleForm(rw, r, http.StatusBadRequest, view{Error: errBadRequest}, id)
		return
	}
	in, values := ruleInput(r)
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	var err error
	if id == "" {
		_, err = w.val.Create(ctx, p, in)
	} else {
		_, err = w.val.Update(ctx, p, id, in)
	}
	var fe *fielderr.Error
	if errors.As(err, &fe) {
		fields, above := formErrors(fe, func(e fielderr.FieldError) (string, string) {
			return strings.Replace(e.Field, "names.", "name_", 1), e.Code
		})
		w.showRuleForm(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: fields, Error: above}, id)
		return
	}
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/validation/rules", http.StatusSeeOther)
}

// ruleActive turns a rule on or off.
func (w *Web) ruleActive(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	_, err := w.val.SetActive(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), r.PostForm.Get("active") == "1")
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/validation/rules", http.StatusSeeOther)
}

// seriesList reads a list of series codes typed into one field, separated
// by commas or spaces.
func seriesList(s string) []string {
	return strings.FieldsFunc(strings.ToUpper(s), func(r rune) bool { return r == ',' || r == ' ' || r == ';' })
}

// areaLabel names an area for a report, or says it is every area.
func areaLabel(code, lang string) string {
	if code == "" {
		return ""
	}
	return observations.AreaName(code, lang)
}
