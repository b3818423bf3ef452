// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/opendata"
)

// openDataRoutes are the open-data routes: published values only, for
// anyone, without an account.
func (a *API) openDataRoutes() []authn.Route {
	public := authn.PublicRoute
	return []authn.Route{
		public("GET /api/v1/opendata", a.openDataIndex),
		public("GET /api/v1/opendata/series", a.openDataSeriesList),
		public("GET /api/v1/opendata/series/{code}", a.openDataSeries),
		public("GET /api/v1/opendata/series/{code}/data", a.openDataSeriesData),
		public("GET /api/v1/opendata/data", a.openDataData),
	}
}

// openDataMaxAge is how long a shared cache may keep an answer without
// asking again; a publication shows after at most this long.
const openDataMaxAge = "public, max-age=300"

// openDataCache sets the caching headers of an answer whose version is
// etag, and answers 304 when the client holds it already. A request with
// credentials keeps the no-store of authenticated answers (SECURITY-BAR 8);
// open data is the same for everyone, so nothing is lost but the cache.
func openDataCache(w http.ResponseWriter, r *http.Request, etag string) bool {
	h := w.Header()
	h.Set("ETag", etag)
	h.Add("Vary", "Accept")
	if r.Header.Get("Authorization") == "" && r.Header.Get("Cookie") == "" {
		h.Set("Cache-Control", openDataMaxAge)
	}
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return true
	}
	return false
}

// etagMatches compares If-None-Match weakly (RFC 9110 13.1.2): a gzipped
// answer carries the weak form of the tag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}

// openDataFail answers the open-data errors: 400 naming the parameter,
// 404 for an unknown series, 406 for a format not offered.
func (a *API) openDataFail(w http.ResponseWriter, r *http.Request, err error) {
	var pe *opendata.ParamError
	switch {
	case errors.As(err, &pe):
		httpx.WriteProblem(w, r, http.StatusBadRequest, "opendata.bad_parameter", "A query parameter is not valid.",
			httpx.FieldError{Field: pe.Param, Code: pe.Code})
	case errors.As(err, new(opendata.ErrFormat)):
		httpx.WriteProblem(w, r, http.StatusNotAcceptable, "opendata.not_acceptable",
			"The format asked for is not offered: json, csv, sdmx-csv, sdmx-json or hxl.")
	case errors.Is(err, opendata.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
	default:
		a.fail(w, r, err)
	}
}

// openDataLang reads ?lang=, refusing an unknown language as a bad
// parameter like the other filters.
func openDataLang(r *http.Request) (string, error) {
	l, err := lang(r)
	if err != nil {
		return "", &opendata.ParamError{Param: "lang", Code: "unknown_language"}
	}
	return l, nil
}

type openDataFormatJSON struct {
	Format    string `json:"format"`
	MediaType string `json:"media_type"`
}

type openDataIndexJSON struct {
	Links         map[string]string    `json:"links"`
	Formats       []openDataFormatJSON `json:"formats"`
	StructureID   string               `json:"structure_id"`
	Dimensions    []string             `json:"dimensions"`
	Attributes    []string             `json:"attributes"`
	Series        int                  `json:"series"`
	LastPublished *string              `json:"last_published"`
}

// openDataIndex says where everything is and in which formats.
func (a *API) openDataIndex(w http.ResponseWriter, r *http.Request) {
	v, all, err := a.od.Catalog(r.Context())
	if err != nil {
		a.openDataFail(w, r, err)
		return
	}
	if openDataCache(w, r, `"`+v+`"`) {
		return
	}
	out := openDataIndexJSON{
		Links: map[string]string{"self": "/api/v1/opendata", "series": "/api/v1/opendata/series",
			"data": "/api/v1/opendata/data", "frameworks": "/api/v1/frameworks", "openapi": "/api/v1/openapi.json"},
		StructureID: opendata.StructureID, Dimensions: opendata.Dimensions(), Attributes: opendata.Attributes(),
	}
	for _, f := range opendata.Formats() {
		out.Formats = append(out.Formats, openDataFormatJSON{string(f), f.ContentType()})
	}
	var last time.Time
	for _, s := range opendata.Published(all) {
		out.Series++
		if s.LastPublished.After(last) {
			last = s.LastPublished
		}
	}
	if !last.IsZero() {
		out.LastPublished = timePtr(&last)
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

type openDataSeriesJSON struct {
	Code          string            `json:"code"`
	Name          string            `json:"name"`
	Indicator     string            `json:"indicator"`
	IndicatorName string            `json:"indicator_name"`
	Unit          string            `json:"unit"`
	UnitMult      int               `json:"unit_mult"`
	Observations  int               `json:"observations"`
	FirstPeriod   *string           `json:"first_period"`
	LastPeriod    *string           `json:"last_period"`
	LastPublished *string           `json:"last_published"`
	Links         map[string]string `json:"links"`
}

func toOpenDataSeries(s opendata.SeriesSummary, lang string) openDataSeriesJSON {
	out := openDataSeriesJSON{Code: s.Code, Name: s.Name(lang), Indicator: s.Indicator,
		IndicatorName: s.IndicatorName(lang), Unit: s.Unit, UnitMult: s.UnitMult, Observations: s.Observations,
		Links: map[string]string{"self": "/api/v1/opendata/series/" + s.Code,
			"data": "/api/v1/opendata/series/" + s.Code + "/data"}}
	if s.Observations > 0 {
		out.FirstPeriod, out.LastPeriod = &s.FirstPeriod, &s.LastPeriod
		out.LastPublished = timePtr(&s.LastPublished)
	}
	return out
}

// openDataSeriesList lists every series with published values.
func (a *API) openDataSeriesList(w http.ResponseWriter, r *http.Request) {
	l, err := openDataLang(r)
	if err != nil {
		a.openDataFail(w, r, err)
		return
	}
	v, all, err := a.od.Catalog(r.Context())
	if err != nil {
		a.openDataFail(w, r, err)
		return
	}
	if openDataCache(w, r, `"`+v+"-"+l+`"`) {
		return
	}
	out := list[openDataSeriesJSON]{Items: []openDataSeriesJSON{}}
	for _, s := range opendata.Published(all) {
		out.Items = append(out.Items, toOpenDataSeries(s, l))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// openDataSeries describes one series, with or without published values.
func (a *API) openDataSeries(w http.ResponseWriter, r *http.Request) {
	l, err := openDataLang(r)
	if err != nil {
		a.openDataFail(w, r, err)
		return
	}
	v, s, err := a.od.SeriesSummary(r.Context(), strings.ToUpper(r.PathValue("code")))
	if err != nil {
		a.openDataFail(w, r, err)
		return
	}
	if openDataCache(w, r, `"`+v+"-"+l+`"`) {
		return
	}
	httpx.WriteJSON(w, http.StatusOK, toOpenDataSeries(s, l))
}

func (a *API) openDataSeriesData(w http.ResponseWriter, r *http.Request) {
	a.openDataValues(w, r, r.PathValue("code"))
}

func (a *API) openDataData(w http.ResponseWriter, r *http.Request) {
	a.openDataValues(w, r, "")
}

// openDataValues streams the published values a query selects in the
// format asked for (?format= or Accept).
func (a *API) openDataValues(w http.ResponseWriter, r *http.Request, series string) {
	q, err := opendata.ParseDataQuery(r.URL.Query(), series)
	if err == nil {
		q.Lang, err = openDataLang(r)
	}
	if err == nil {
		q.Format, err = opendata.Negotiate(r.URL.Query().Get("format"), r.Header.Get("Accept"))
	}
	if err != nil {
		a.openDataFail(w, r, err)
		return
	}
	p, err := a.od.Prepare(r.Context(), q)
	if err != nil {
		a.openDataFail(w, r, err)
		return
	}
	if openDataCache(w, r, p.ETag()) {
		return
	}
	name := "amparo-opendata" + p.Format.Extension()
	if err := httpx.DownloadStream(w, p.Format.ContentType(), name, func(out io.Writer) error {
		return a.od.Write(r.Context(), out, p)
	}); err != nil && r.Context().Err() == nil {
		a.logger.ErrorContext(r.Context(), "open data answer cut short", "request_id", httpx.RequestIDFrom(r.Context()), "err", err)
	}
}
