// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// The indicator registry's pages. Reading them needs no account: an
// indicator is reference metadata, like a framework. Changing one needs
// indicator.write; a live value is previewed by those who may read working
// data (observation.read) and recorded as a draft observation by those who
// may write it (observation.write).
const (
	pageIndicators    page = "indicators"
	pageIndicator     page = "indicator"
	pageIndicatorForm page = "indicator_form"
)

// indicatorPages are the registry's templates.
var indicatorPages = []page{pageIndicators, pageIndicator, pageIndicatorForm}

func (w *Web) indicatorRoutes() []authn.Route {
	public, perm := authn.PublicRoute, authn.PermRoute
	return []authn.Route{
		public("GET /indicators", w.indicatorList),
		perm("GET /indicators/new", indicators.PermWrite, w.indicatorNewForm),
		perm("POST /indicators", indicators.PermWrite, w.indicatorCreate),
		public("GET /indicators/{code}", w.indicatorPage),
		perm("GET /indicators/{code}/edit", indicators.PermWrite, w.indicatorEditForm),
		perm("POST /indicators/{code}", indicators.PermWrite, w.indicatorUpdate),
		perm("POST /indicators/{code}/record-live", observations.PermWrite, w.indicatorRecordLive),
	}
}

// IndicatorsForNode is the framework node page's list of the indicators
// measuring a node, from the registry (package app sets it on the Web).
func IndicatorsForNode(s *indicators.Service) NodeIndicators {
	return func(ctx context.Context, nodeID, lang string) []NodeIndicator {
		list, err := s.ForNode(ctx, nodeID)
		if err != nil {
			return nil
		}
		out := make([]NodeIndicator, 0, len(list))
		for _, in := range list {
			out = append(out, NodeIndicator{Code: in.Code, Name: in.Name(lang), Kind: in.Kind, Href: "/indicators/" + in.Code})
		}
		return out
	}
}

// indicatorFail answers for an error of the registry.
func (w *Web) indicatorFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, indicators.ErrNotFound), errors.Is(err, indicators.ErrNotComputable):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, indicators.ErrForbidden), errors.Is(err, observations.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}

// indicatorRow is one line of the registry's table.
type indicatorRow struct {
	Code, Name, Kind, Computation, Unit, Polarity string
	Nodes                                         []string
}

type indicatorListData struct {
	Rows                []indicatorRow
	Query, Node         string
	Kind, Computation   string
	Sort                string
	Kinds, Computations []option
	Sorts               []option
	Downloads           downloads
	CanEdit             bool
	Total               int
}

// indicatorList shows the registry, searchable and filtered by kind,
// computation and framework node, sorted by code, name or kind;
// ?format= downloads the list shown.
func (w *Web) indicatorList(rw http.ResponseWriter, r *http.Request) {
	format, ok := exportFormat(r)
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	loc := w.locale(r)
	q := r.URL.Query()
	d := &indicatorListData{Query: clip(q.Get("q"), 100), Node: clip(q.Get("node"), 60), Kind: q.Get("kind"),
		Computation: q.Get("computation"), Sort: q.Get("sort"), CanEdit: authn.PrincipalFrom(r.Context()).Can(indicators.PermWrite)}
	if !slices.Contains(indicators.Kinds(), d.Kind) {
		d.Kind = ""
	}
	if !slices.Contains(indicators.Computations(), d.Computation) {
		d.Computation = ""
	}
	if !slices.Contains([]string{"code", "name", "kind"}, d.Sort) {
		d.Sort = "code"
	}
	for _, k := range indicators.Kinds() {
		d.Kinds = append(d.Kinds, option{Value: k, Label: loc.T("indicators.kind." + k)})
	}
	for _, c := range indicators.Computations() {
		d.Computations = append(d.Computations, option{Value: c, Label: loc.T("indicators.computation." + c)})
	}
	for _, s := range []string{"code", "name", "kind"} {
		d.Sorts = append(d.Sorts, option{Value: s, Label: loc.T("indicators.sort." + s)})
	}
	list, err := w.ind.List(r.Context(), indicators.Filter{Query: d.Query, Kind: d.Kind, Computation: d.Computation,
		Node: d.Node, Sort: d.Sort, Lang: loc.Code()})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, in := range list {
		d.Rows = append(d.Rows, indicatorRow{Code: in.Code, Name: in.Name(loc.Code()), Kind: in.Kind,
			Computation: in.Computation, Unit: in.Unit, Polarity: in.Polarity, Nodes: in.Nodes})
	}
	d.Total = len(d.Rows)
	if format != "" {
		w.download(rw, r, indicatorTable(loc, list), format)
		return
	}
	d.Downloads = downloadLinks("/indicators", q)
	w.render(rw, r, http.StatusOK, pageIndicators, view{Data: d})
}

// indicatorTable is the registry's list as a download, in loc's language.
func indicatorTable(loc *i18n.Locale, list []indicators.Indicator) export.Table {
	t := export.Table{Name: "indicators", Header: []string{
		loc.T("indicators.col.code"), loc.T("indicators.col.name"), loc.T("indicators.col.kind"),
		loc.T("indicators.col.computation"), loc.T("indicators.col.unit"), loc.T("indicators.col.polarity"),
		loc.T("indicators.col.target"), loc.T("indicators.col.custodian"), loc.T("indicators.col.series"),
		loc.T("indicators.col.nodes")}}
	for _, in := range list {
		var target any
		if in.TargetValue != nil {
			target = *in.TargetValue
		}
		t.Rows = append(t.Rows, []any{in.Code, in.Name(loc.Code()), loc.T("indicators.kind." + in.Kind),
			loc.T("indicators.computation." + in.Computation), in.Unit, loc.T("indicators.polarity." + in.Polarity),
			target, in.Custodian, strings.Join(in.Series, " "), strings.Join(in.Nodes, " ")})
	}
	return t
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) > n {
		return ""
	}
	return s
}

// nodeLink is a framework node an indicator links to.
type nodeLink struct{ ID, Href string }

type indicatorPageData struct {
	indicators.Indicator
	Name, Definition, Method string
	Source                   []sourcePart
	Series                   []seriesView
	Nodes                    []nodeLink
	Target                   string
	CanEdit                  bool
	// Live preview, for those who may read working data.
	CanPreview, CanRecord bool
	Countries             []option
	Area, Period          string
	Preview               *indicators.LiveResult
	PreviewValue          string
	Recorded              bool
}

type seriesView struct{ Code, Name, Unit string }

// indicatorPage shows one indicator: its definition, method, unit,
// polarity, target, disaggregations, custodian, series and framework
// links; a live indicator gets a preview for a chosen country and period
// (?area=&period=) for those who may read working data.
func (w *Web) indicatorPage(rw http.ResponseWriter, r *http.Request) {
	in, err := w.ind.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		w.indicatorFail(rw, r, err)
		return
	}
	d, err := w.indicatorData(r, in)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	v := view{Data: d}
	if d.CanPreview && d.Area != "" && d.Period != "" {
		res, err := w.ind.LiveValue(r.Context(), authn.PrincipalFrom(r.Context()), in.Code, d.Area, d.Period)
		var fe *fielderr.Error
		switch {
		case err == nil:
			d.Preview = &res
			d.PreviewValue = w.locale(r).Number(res.Value)
		case errors.As(err, &fe):
			v.Error = "indicator_preview"
		default:
			w.indicatorFail(rw, r, err)
			return
		}
	}
	w.render(rw, r, http.StatusOK, pageIndicator, v)
}

func (w *Web) indicatorData(r *http.Request, in indicators.Indicator) (*indicatorPageData, error) {
	loc := w.locale(r)
	lang := loc.Code()
	p := authn.PrincipalFrom(r.Context())
	d := &indicatorPageData{Indicator: in, Name: in.Name(lang), Definition: in.Definition(lang), Method: in.Method(lang),
		Source: sourceParts(in.Source), CanEdit: p.Can(indicators.PermWrite)}
	if in.TargetValue != nil {
		d.Target = loc.Number(*in.TargetValue)
	}
	series, err := w.ind.SeriesOf(r.Context(), in.Code)
	if err != nil {
		return nil, err
	}
	for _, s := range series {
		d.Series = append(d.Series, seriesView{Code: s.Code, Name: s.Name(lang), Unit: s.Unit})
	}
	for _, n := range in.Nodes {
		fw, code, _ := strings.Cut(n, ":")
		d.Nodes = append(d.Nodes, nodeLink{ID: n, Href: "/frameworks/" + fw + "/" + code})
	}
	if in.Computation == indicators.Live && p.Can(indicators.PermObservationRead) {
		d.CanPreview = true
		d.CanRecord = p.Can(observations.PermWrite)
		q := r.URL.Query()
		d.Area, d.Period = clip(q.Get("area"), 10), clip(q.Get("period"), 10)
		all := countries.All()
		countries.SortByName(all, lang)
		for _, c := range all {
			if c.Numeric != "" {
				d.Countries = append(d.Countries, option{Value: c.Numeric, Label: c.Name(lang)})
			}
		}
	}
	return d, nil
}

// indicatorRecordLive records the live value for the form's country and
// period as a draft observation and shows the indicator again.
func (w *Web) indicatorRecordLive(rw http.ResponseWriter, r *http.Request) {
	in, err := w.ind.Get(r.Context(), r.PathValue("code"))
	if err != nil {
		w.indicatorFail(rw, r, err)
		return
	}
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	area, period := r.PostForm.Get("area"), r.PostForm.Get("period")
	_, err = w.ind.RecordLive(r.Context(), authn.PrincipalFrom(r.Context()), in.Code, area, period)
	if errors.Is(err, indicators.ErrForbidden) || errors.Is(err, observations.ErrForbidden) {
		w.errorPage(rw, r, http.StatusForbidden)
		return
	}
	d, derr := w.indicatorData(r, in)
	if derr != nil {
		w.fail(rw, r, derr)
		return
	}
	d.Area, d.Period = area, period
	v := view{Data: d}
	status := http.StatusOK
	switch {
	case err == nil:
		d.Recorded = true
	case errors.Is(err, indicators.ErrWithheld):
		v.Error, status = "indicator_withheld", http.StatusConflict
	default:
		var fe *fielderr.Error
		if !errors.As(err, &fe) {
			w.indicatorFail(rw, r, err)
			return
		}
		v.Error, status = "indicator_preview", http.StatusUnprocessableEntity
	}
	w.render(rw, r, status, pageIndicator, v)
}
