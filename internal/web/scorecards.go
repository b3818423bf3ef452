// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/chart"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/frameworks"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/scorecard"
)

// The scorecards and the explorer show published data only, to anyone: no
// account is needed, as for the commitments pages. Every choice travels in
// the address (GET forms), so a page can be bookmarked and shared, and
// each table downloads exactly as shown with ?format=csv or xlsx.
const (
	pageScorecards    page = "scorecards"
	pageScorecard     page = "scorecard"
	pageExplorerIndex page = "explorer_index"
	pageExplorer      page = "explorer"
)

// scorecardPages are the scorecard and explorer templates.
var scorecardPages = []page{pageScorecards, pageScorecard, pageExplorerIndex, pageExplorer}

const (
	pathScorecards = "/scorecards"
	pathExplorer   = "/explorer"
)

// scorecardRoutes lists the scorecard and explorer pages.
func (w *Web) scorecardRoutes() []authn.Route {
	public := authn.PublicRoute
	return []authn.Route{
		public("GET "+pathScorecards, w.scorecardsPage),
		public("GET "+pathScorecards+"/{area}", w.scorecardPage),
		public("GET "+pathExplorer, w.explorerIndex),
		public("GET "+pathExplorer+"/{indicator}", w.explorerPage),
	}
}

// scorecardFail answers for an error of the scorecard domain.
func (w *Web) scorecardFail(rw http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, scorecard.ErrNotFound) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.fail(rw, r, err)
}

// frameworkParam is the framework a page asks for, A/68/190's eight points
// by default.
func frameworkParam(r *http.Request) string {
	if f := r.URL.Query().Get("framework"); f != "" {
		return f
	}
	return frameworks.AgendaCode
}

// scAreaOptions are the choices of a country or region: the world and the
// regions first, then the countries, by name.
func scAreaOptions(lang string) []option {
	var out []option
	for _, code := range observations.Regions() {
		out = append(out, option{Value: code, Label: observations.AreaName(code, lang)})
	}
	col := collatorFor(lang)
	slices.SortStableFunc(out[1:], func(a, b option) int { return col.CompareString(a.Label, b.Label) })
	cs := countries.All()
	countries.SortByName(cs, lang)
	for _, c := range cs {
		if observations.IsCountryArea(c.Numeric) {
			out = append(out, option{Value: c.Numeric, Label: c.Name(lang)})
		}
	}
	return out
}

// frameworkOptions are the frameworks to choose from.
func (w *Web) frameworkOptions(r *http.Request, lang string) ([]option, error) {
	list, err := w.fw.Frameworks(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]option, len(list))
	for i, f := range list {
		out[i] = option{Value: f.Code, Label: f.Title(lang)}
	}
	return out, nil
}

// sortParams reads ?sort= and ?dir= against the columns a table sorts by;
// the first is the default.
func sortParams(q url.Values, columns ...string) (string, bool) {
	by := q.Get("sort")
	if !slices.Contains(columns, by) {
		by = columns[0]
	}
	return by, q.Get("dir") == "desc"
}

// sortLink is a column head's link: the page's address sorting by col,
// the other way round when it already sorts by it ascending.
type sortLink struct {
	Href string
	// Sort is "ascending", "descending" or "" (not sorted by it), for
	// aria-sort.
	Sort string
}

func sortLinks(path string, q url.Values, by string, desc bool, columns ...string) map[string]sortLink {
	out := map[string]sortLink{}
	for _, c := range columns {
		v := url.Values{}
		for k, vs := range q {
			if k != "sort" && k != "dir" && k != "format" && k != "lang" && k != "table" {
				v[k] = vs
			}
		}
		v.Set("sort", c)
		l := sortLink{}
		if c == by {
			l.Sort = "ascending"
			if desc {
				l.Sort = "descending"
			} else {
				v.Set("dir", "desc")
			}
		}
		l.Href = path + "?" + v.Encode()
		out[c] = l
	}
	return out
}

// scValue writes a value in the reader's language.
func scValue(loc *i18n.Locale, v float64) string {
	return loc.Number(v)
}

// unitLabel names an indicator's unit and multiplier, such as "thousands
// of persons"; units without a message of their own show their code.
func unitLabel(loc *i18n.Locale, in indicators.Indicator) string {
	unit := in.Unit
	if key := "scorecard.unit." + in.Unit; loc.Has(key) {
		unit = loc.T(key)
	}
	if in.UnitMult != 0 {
		return loc.T("scorecard.unit_mult", "unit", unit, "mult", "10^"+strconv.Itoa(in.UnitMult))
	}
	return unit
}

// sparkline draws a line's trend.
func sparkline(loc *i18n.Locale, id, title string, trend []observations.Observation) template.HTML {
	if len(trend) < 2 {
		return ""
	}
	values := make([]float64, len(trend))
	for i, o := range trend {
		values[i] = o.Value
	}
	return chart.Sparkline(chart.Spec{ID: id, Title: title,
		Desc:   loc.T("scorecard.trend_desc", "from", trend[0].Period, "to", trend[len(trend)-1].Period),
		Format: func(v float64) string { return loc.Number(v) }, RTL: loc.Dir() == "rtl"}, values)
}

// scorecardFields turns a domain validation error into the page's fields.
func scorecardFields(err error) (map[string]string, bool) {
	var ve *fielderr.Error
	if !errors.As(err, &ve) {
		return nil, false
	}
	m := map[string]string{}
	for _, fe := range ve.Errors {
		if _, ok := m[fe.Field]; !ok {
			m[fe.Field] = fe.Code
		}
	}
	return m, true
}

// exportTable answers with t when the request asks for a download,
// reporting whether it did.
func (w *Web) exportTable(rw http.ResponseWriter, r *http.Request, t export.Table) bool {
	format := r.URL.Query().Get("format")
	if format == "" {
		return false
	}
	if !export.Valid(format) {
		w.errorPage(rw, r, http.StatusNotFound)
		return true
	}
	w.download(rw, r, t, format)
	return true
}

// collatorFor sorts names in lang's order. A Collator is not safe for
// concurrent use, so each request makes its own.
func collatorFor(lang string) *collate.Collator {
	return collate.New(language.Make(lang))
}
