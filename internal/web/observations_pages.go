// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/validation"
)

// The pages of the working values of the evidence base: entering a few
// values by hand, and the approval queue that takes sets of values from
// draft to published. Both are for the people who keep the data
// (observation.read to look, observation.write to enter and submit,
// observation.approve to approve and publish); published values are shown
// to everyone by the public pages.

const (
	pageObservationEntry    page = "observation_entry"
	pageObservationApproval page = "observation_approval"
	pageObservationPublish  page = "observation_publish"
	pageObservationSet      page = "observation_set"
)

var observationPages = []page{pageObservationEntry, pageObservationApproval, pageObservationPublish, pageObservationSet,
	pageObservationDelete}

func (w *Web) observationRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /observations/entry", observations.PermWrite, w.entryForm),
		perm("POST /observations/entry", observations.PermWrite, w.entrySave),
		perm("GET /observations/approval", observations.PermRead, w.approvalQueue),
		perm("POST /observations/approval", observations.PermWrite, w.approvalAct),
		perm("GET /observations/set", observations.PermRead, w.observationSet),
		perm("GET "+pathDeleteValue, observations.PermWrite, w.deleteConfirm(false)),
		perm("POST "+pathDeleteValue, observations.PermWrite, w.deleteDo(false)),
		perm("GET "+pathDeleteSet, observations.PermWrite, w.deleteConfirm(true)),
		perm("POST "+pathDeleteSet, observations.PermWrite, w.deleteDo(true)),
	}
}

// canObservations tells the header whether to link the data pages.
func canObservations(p access.Principal) bool { return p.Can(observations.PermRead) }

// areaOptions are the areas a form offers: the world and the M49 regions
// first, then the countries, each by its name in lang.
func areaOptions(lang string) []option {
	var out []option
	for _, code := range observations.Regions() {
		out = append(out, option{Value: code, Label: observations.AreaName(code, lang)})
	}
	cs := countries.All()
	countries.SortByName(cs, lang)
	for _, c := range cs {
		out = append(out, option{Value: c.Numeric, Label: c.Name(lang)})
	}
	return out
}

// seriesOptions are the series of the registry, each as its code and name.
func (w *Web) seriesOptions(ctx context.Context, lang string) ([]option, error) {
	if w.ind == nil {
		return nil, nil
	}
	list, err := w.ind.List(ctx, indicators.Filter{})
	if err != nil {
		return nil, err
	}
	var out []option
	for _, in := range list {
		for _, code := range in.Series {
			out = append(out, option{Value: code, Label: code + " — " + in.Code + " " + in.Name(lang)})
		}
	}
	return out, nil
}

// ruleViolationRow is a violation of a validation rule, for a table.
type ruleViolationRow struct {
	Rule, RuleCode, Importance string
	Area, AreaName, Period     string
	Left, Right                *float64
	Operator                   string
}

// violationRows names the rules and areas of vs in lang.
func (w *Web) violationRows(ctx context.Context, p access.Principal, vs []validation.Violation, lang string) ([]ruleViolationRow, error) {
	if len(vs) == 0 {
		return nil, nil
	}
	names, err := w.ruleNames(ctx, p, lang)
	if err != nil {
		return nil, err
	}
	out := make([]ruleViolationRow, len(vs))
	for i, v := range vs {
		out[i] = ruleViolationRow{Rule: names[v.RuleID], RuleCode: v.RuleCode, Importance: v.Importance, Area: v.Area,
			AreaName: observations.AreaName(v.Area, lang), Period: v.Period, Left: v.Left, Right: v.Right, Operator: v.Operator}
	}
	return out, nil
}

// ruleNames maps every rule's id to its name in lang.
func (w *Web) ruleNames(ctx context.Context, p access.Principal, lang string) (map[string]string, error) {
	rules, err := w.val.Rules(ctx, p, validation.Filter{})
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rules))
	for _, r := range rules {
		m[r.ID] = r.Name(lang)
	}
	return m, nil
}

// observationFail answers the errors of the data pages no form expected.
func (w *Web) observationFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, observations.ErrNotFound), errors.Is(err, validation.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, observations.ErrForbidden), errors.Is(err, validation.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}

// setKeyValue and parseSetKey put a set's key into one form value.
func setKeyValue(k observations.SetKey) string { return k.Series + "|" + k.Area + "|" + k.Period }

func parseSetKey(s string) (observations.SetKey, bool) {
	parts := strings.Split(s, "|")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return observations.SetKey{}, false
	}
	return observations.SetKey{Series: parts[0], Area: parts[1], Period: parts[2]}, true
}

// languageNames are the languages of a rule's names, for its form.
func languageNames() []labelInput {
	var out []labelInput
	for _, l := range i18n.Languages {
		out = append(out, labelInput{Code: l.Code, Name: l.Name, Field: "name_" + l.Code})
	}
	return out
}
