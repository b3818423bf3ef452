// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/indicators"
)

// indicatorFormData is the form that adds or changes an indicator.
type indicatorFormData struct {
	// Code is "" when adding.
	Code                                          string
	Kinds, Computations, Aggregations, Polarities []option
	Langs                                         []string
}

// indicatorTextFields are the form's single fields; the names,
// definitions and methods come per language as name_<lang>,
// definition_<lang> and method_<lang>.
var indicatorTextFields = []string{"code", "kind", "computation", "expression", "unit", "unit_mult", "polarity",
	"target_value", "target_year", "disaggregations", "custodian", "source", "aggregation", "weight_series", "nodes"}

func (w *Web) indicatorForm(r *http.Request, code string) *indicatorFormData {
	loc := w.locale(r)
	d := &indicatorFormData{Code: code, Langs: indicators.Languages}
	for _, k := range indicators.Kinds() {
		d.Kinds = append(d.Kinds, option{Value: k, Label: loc.T("indicators.kind." + k)})
	}
	for _, c := range indicators.Computations() {
		d.Computations = append(d.Computations, option{Value: c, Label: loc.T("indicators.computation." + c)})
	}
	for _, a := range indicators.Aggregations() {
		d.Aggregations = append(d.Aggregations, option{Value: a, Label: loc.T("indicators.aggregation." + a)})
	}
	for _, p := range indicators.Polarities() {
		d.Polarities = append(d.Polarities, option{Value: p, Label: loc.T("indicators.polarity." + p)})
	}
	return d
}

func (w *Web) indicatorNewForm(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, pageIndicatorForm, view{Data: w.indicatorForm(r, ""),
		Values: map[string]string{"aggregation": indicators.NoAggregate, "polarity": indicators.Neutral, "unit_mult": "0"}})
}

func (w *Web) indicatorEditForm(rw http.ResponseWriter, r *http.Request) {
	in, err := w.ind.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		w.indicatorFail(rw, r, err)
		return
	}
	values := map[string]string{"code": in.Code, "kind": in.Kind, "computation": in.Computation, "expression": in.Expression,
		"unit": in.Unit, "unit_mult": strconv.Itoa(in.UnitMult), "polarity": in.Polarity,
		"disaggregations": strings.Join(in.Disaggregations, ", "), "custodian": in.Custodian, "source": in.Source,
		"aggregation": in.Aggregation, "weight_series": in.WeightSeries, "nodes": strings.Join(in.Nodes, " ")}
	if in.TargetValue != nil {
		values["target_value"] = strconv.FormatFloat(*in.TargetValue, 'f', -1, 64)
	}
	if in.TargetYear != 0 {
		values["target_year"] = strconv.Itoa(in.TargetYear)
	}
	for _, lang := range indicators.Languages {
		values["name_"+lang], values["definition_"+lang], values["method_"+lang] =
			in.Names[lang], in.Definitions[lang], in.Methods[lang]
	}
	w.render(rw, r, http.StatusOK, pageIndicatorForm, view{Data: w.indicatorForm(r, in.Code), Values: values})
}

func (w *Web) indicatorCreate(rw http.ResponseWriter, r *http.Request) { w.saveIndicator(rw, r, "") }

func (w *Web) indicatorUpdate(rw http.ResponseWriter, r *http.Request) {
	w.saveIndicator(rw, r, r.PathValue("code"))
}

// saveIndicator reads the form into an indicator and stores it; numbers
// that do not read as numbers are field errors of their own.
func (w *Web) saveIndicator(rw http.ResponseWriter, r *http.Request, code string) {
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageIndicatorForm, view{Data: w.indicatorForm(r, code), Error: errBadRequest})
		return
	}
	values := map[string]string{}
	for _, f := range indicatorTextFields {
		values[f] = r.PostForm.Get(f)
	}
	in := indicators.Indicator{Code: values["code"], Kind: values["kind"], Computation: values["computation"],
		Expression: values["expression"], Unit: values["unit"], Polarity: values["polarity"], Custodian: values["custodian"],
		Source: values["source"], Aggregation: values["aggregation"], WeightSeries: values["weight_series"],
		Names: map[string]string{}, Definitions: map[string]string{}, Methods: map[string]string{},
		Disaggregations: splitList(values["disaggregations"]), Nodes: splitList(values["nodes"])}
	for _, lang := range indicators.Languages {
		for _, f := range []struct {
			name string
			to   map[string]string
		}{{"name_", in.Names}, {"definition_", in.Definitions}, {"method_", in.Methods}} {
			v := r.PostForm.Get(f.name + lang)
			values[f.name+lang] = v
			if v != "" {
				f.to[lang] = v
			}
		}
	}
	bad := map[string]string{}
	if s := strings.TrimSpace(values["unit_mult"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad["unit_mult"] = fielderr.CodeInvalid
		}
		in.UnitMult = n
	}
	if s := strings.TrimSpace(values["target_value"]); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			bad["target_value"] = fielderr.CodeInvalid
		}
		in.TargetValue = &v
	}
	if s := strings.TrimSpace(values["target_year"]); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			bad["target_year"] = fielderr.CodeInvalid
		}
		in.TargetYear = n
	}
	if len(bad) > 0 {
		w.render(rw, r, http.StatusUnprocessableEntity, pageIndicatorForm, view{Data: w.indicatorForm(r, code),
			Fields: bad, Values: values})
		return
	}
	p := authn.PrincipalFrom(r.Context())
	var saved indicators.Indicator
	var err error
	if code == "" {
		saved, err = w.ind.Create(r.Context(), p, in, nil)
	} else {
		saved, err = w.ind.Update(r.Context(), p, code, in, nil)
	}
	if errors.Is(err, indicators.ErrConflict) {
		// The code, or a series code it makes, is another indicator's.
		err = fielderr.One("code", "taken")
	}
	var fe *fielderr.Error
	if errors.As(err, &fe) {
		// Texts by language come back as names.en; the form's field is
		// name_en.
		fields, above := formErrors(fe, func(e fielderr.FieldError) (string, string) {
			return languageFieldNames.Replace(e.Field), e.Code
		})
		w.render(rw, r, http.StatusUnprocessableEntity, pageIndicatorForm, view{Data: w.indicatorForm(r, code), Error: above,
			Fields: fields, Values: values})
		return
	}
	if err != nil {
		w.indicatorFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/indicators/"+saved.Code, http.StatusSeeOther)
}

// languageFieldNames turns the registry's field names of texts by language
// into the form's.
var languageFieldNames = strings.NewReplacer("names.", "name_", "definitions.", "definition_", "methods.", "method_")

// splitList reads a list typed with commas or spaces.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}
