// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/validation"
)

// The data entry form: one series, one area and one period, and a grid of
// rows, one per disaggregation, for the small tables a statistics office
// types in from a report. A save is one batch, all or nothing, checked by
// the validation rules as an import is.

// entryRows is how many rows the form shows; ?rows= asks for more, up to
// maxEntryRows.
const (
	entryRows    = 6
	maxEntryRows = 60
)

type entryData struct {
	Series, Areas, Statuses []option
	Rows                    []entryRow
	// Saved is the number of values just saved (0 before a save); Import
	// is their batch.
	Saved  int
	Import string
	// Violations are the rules the values break; on a refused save
	// (high importance) nothing was written.
	Violations []ruleViolationRow
	Refused    bool
	// More is the link to the form with more rows.
	More string
}

// entryRow names the fields of one row of the grid. N counts from 1 for
// people; Index is the row's index in the field names.
type entryRow struct {
	N, Index                                      int
	Disagg, Value, Status, Footnote, Source, Line string
}

func rowField(i int, name string) string { return fmt.Sprintf("rows.%d.%s", i, name) }

func entryGrid(n int) []entryRow {
	rows := make([]entryRow, n)
	for i := range rows {
		rows[i] = entryRow{N: i + 1, Index: i, Disagg: rowField(i, "disagg"), Value: rowField(i, "value"),
			Status: rowField(i, "status"), Footnote: rowField(i, "footnote"), Source: rowField(i, "source"),
			Line: rowField(i, "row")}
	}
	return rows
}

// rowCount reads how many rows the form has, from a query or a form.
func rowCount(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return entryRows
	}
	return min(n, maxEntryRows)
}

func (w *Web) entryForm(rw http.ResponseWriter, r *http.Request) {
	v := view{Values: map[string]string{"series": r.URL.Query().Get("series")}}
	w.showEntry(rw, r, http.StatusOK, v, rowCount(r.URL.Query().Get("rows")), &entryData{})
}

func (w *Web) showEntry(rw http.ResponseWriter, r *http.Request, status int, v view, n int, d *entryData) {
	lang := w.locale(r).Code()
	series, err := w.seriesOptions(r.Context(), lang)
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	d.Series, d.Areas, d.Rows = series, areaOptions(lang), entryGrid(n)
	for _, s := range observations.Statuses() {
		d.Statuses = append(d.Statuses, option{Value: s, Label: s})
	}
	if n < maxEntryRows {
		d.More = "/observations/entry?rows=" + strconv.Itoa(min(n+entryRows, maxEntryRows))
	}
	v.Data = d
	w.render(rw, r, status, pageObservationEntry, v)
}

// entrySave saves the rows of the form that hold anything.
func (w *Web) entrySave(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.showEntry(rw, r, http.StatusBadRequest, view{Error: errBadRequest}, entryRows, &entryData{})
		return
	}
	f := r.PostForm
	n := rowCount(f.Get("rows"))
	names := []string{"series", "area", "period"}
	var fe fielderr.Error
	var obs []observations.Observation
	var index []int // the form row of each observation
	for i := range n {
		for _, name := range []string{"disagg", "value", "status", "footnote", "source"} {
			names = append(names, rowField(i, name))
		}
		value := strings.TrimSpace(f.Get(rowField(i, "value")))
		if value == "" && strings.TrimSpace(f.Get(rowField(i, "disagg"))+f.Get(rowField(i, "footnote"))+f.Get(rowField(i, "source"))) == "" {
			continue
		}
		x, err := strconv.ParseFloat(value, 64)
		if err != nil {
			code := fielderr.CodeInvalid
			if value == "" {
				code = validation.CodeRequired
			}
			fe.Add(rowField(i, "value"), code)
			continue
		}
		obs = append(obs, observations.Observation{Series: f.Get("series"), Area: f.Get("area"), Period: f.Get("period"),
			Disagg: f.Get(rowField(i, "disagg")), Value: x, Status: f.Get(rowField(i, "status")),
			Footnote: f.Get(rowField(i, "footnote")), Source: f.Get(rowField(i, "source"))})
		index = append(index, i)
	}
	values := formValues(f, names...)
	values["rows"] = strconv.Itoa(n)
	for _, name := range []string{"series", "area", "period"} {
		if strings.TrimSpace(f.Get(name)) == "" {
			fe.Add(name, validation.CodeRequired)
		}
	}
	if len(obs) == 0 && len(fe.Errors) == 0 {
		fe.Add(rowField(0, "value"), validation.CodeRequired)
	}
	if len(fe.Errors) > 0 {
		w.entryErrors(rw, r, &fe, nil, values, n)
		return
	}
	p := authn.PrincipalFrom(r.Context())
	id, found, err := w.val.Put(r.Context(), p, observations.KindForm, obs)
	var bad *fielderr.Error
	var rules *validation.RulesError
	switch {
	case errors.As(err, &bad):
		w.entryErrors(rw, r, entryFieldErrors(bad, index), nil, values, n)
		return
	case errors.As(err, &rules):
		w.entryErrors(rw, r, nil, rules.Violations, values, n)
		return
	case err != nil:
		w.observationFail(rw, r, err)
		return
	}
	rows, err := w.violationRows(r.Context(), p, found, w.locale(r).Code())
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	// The grid starts empty again for the next table; the series, area
	// and period stay, as the next table is often the same one's next year.
	keep := map[string]string{"series": values["series"], "area": values["area"], "period": values["period"]}
	w.showEntry(rw, r, http.StatusOK, view{Values: keep}, n, &entryData{Saved: len(obs), Import: id, Violations: rows})
}

// entryFieldErrors moves the errors of the observations to the form's
// fields: a series, area or period error to that field, any other to its
// row's field (index maps an observation to its form row).
func entryFieldErrors(bad *fielderr.Error, index []int) *fielderr.Error {
	var out fielderr.Error
	seen := map[string]bool{}
	for _, e := range bad.Errors {
		rest, ok := strings.CutPrefix(e.Field, "rows.")
		if !ok {
			out.Add(e.Field, e.Code)
			continue
		}
		ns, field, _ := strings.Cut(rest, ".")
		i, err := strconv.Atoi(ns)
		if err != nil || i < 0 || i >= len(index) {
			out.Add("", e.Code)
			continue
		}
		name := rowField(index[i], field)
		switch field {
		case "series", "area", "period":
			name = field
		case "disagg", "value", "status", "footnote", "source", "row":
		default:
			name = rowField(index[i], "row")
		}
		if !seen[name] {
			seen[name] = true
			out.Add(name, e.Code)
		}
	}
	return &out
}

// entryErrors shows the form again with its values, its field errors or
// the rules it broke.
func (w *Web) entryErrors(rw http.ResponseWriter, r *http.Request, fe *fielderr.Error, broken []validation.Violation,
	values map[string]string, n int) {
	v := view{Values: values}
	d := &entryData{}
	if fe != nil {
		v.Fields, v.Error = formErrors(fe, func(e fielderr.FieldError) (string, string) { return e.Field, e.Code })
		if v.Error == "" {
			v.Error = "form_invalid"
		}
	}
	if broken != nil {
		rows, err := w.violationRows(r.Context(), authn.PrincipalFrom(r.Context()), broken, w.locale(r).Code())
		if err != nil {
			w.observationFail(rw, r, err)
			return
		}
		d.Violations, d.Refused, v.Error = rows, true, "rules_failed"
	}
	w.showEntry(rw, r, http.StatusUnprocessableEntity, v, n, d)
}
