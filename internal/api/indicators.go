// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/indicators"
	"github.com/amparo-project/amparo/internal/observations"
)

// The indicator registry: public to read (like the commitments), written
// by those with indicator.write; a live value is recorded as a draft
// observation by those with observation.write.
func (a *API) indicatorRoutes() []authn.Route {
	perm, public := authn.PermRoute, authn.PublicRoute
	return []authn.Route{
		public("GET /api/v1/indicators", a.listIndicators),
		perm("POST /api/v1/indicators", indicators.PermWrite, a.createIndicator),
		public("GET /api/v1/indicators/{code}", a.getIndicator),
		perm("PUT /api/v1/indicators/{code}", indicators.PermWrite, a.updateIndicator),
		perm("DELETE /api/v1/indicators/{code}", indicators.PermWrite, a.deleteIndicator),
		perm("POST /api/v1/indicators/{code}/record-live", observations.PermWrite, a.recordLive),
	}
}

type seriesJSON struct {
	Code     string            `json:"code"`
	Names    map[string]string `json:"names"`
	Unit     string            `json:"unit"`
	UnitMult int               `json:"unit_mult"`
}

// indicatorFields are the fields an indicator is both read and written
// with; S is the type of its series: their codes in a response, their
// descriptions in a request body. A request body is this type itself, not a
// struct embedding it, because encoding/json names an embedded struct in the
// field path of a type error, and the problem answered would then no longer
// name the client's field.
type indicatorFields[S any] struct {
	Code            string            `json:"code"`
	Kind            string            `json:"kind"`
	Names           map[string]string `json:"names"`
	Definitions     map[string]string `json:"definitions"`
	Methods         map[string]string `json:"methods"`
	Unit            string            `json:"unit"`
	UnitMult        int               `json:"unit_mult"`
	Polarity        string            `json:"polarity"`
	TargetValue     *float64          `json:"target_value"`
	TargetYear      *int              `json:"target_year"`
	Disaggregations []string          `json:"disaggregations"`
	Custodian       string            `json:"custodian"`
	Source          string            `json:"source"`
	Computation     string            `json:"computation"`
	Expression      string            `json:"expression"`
	Aggregation     string            `json:"aggregation"`
	WeightSeries    string            `json:"weight_series"`
	Nodes           []string          `json:"nodes"`
	Series          S                 `json:"series"`
}

type indicatorJSON struct {
	indicatorFields[[]string]
	Shipped   bool   `json:"shipped"`
	UpdatedAt string `json:"updated_at"`
}

func toIndicator(in indicators.Indicator) indicatorJSON {
	out := indicatorJSON{indicatorFields: indicatorFields[[]string]{Code: in.Code, Kind: in.Kind, Names: orEmpty(in.Names),
		Definitions: orEmpty(in.Definitions), Methods: orEmpty(in.Methods), Unit: in.Unit, UnitMult: in.UnitMult,
		Polarity: in.Polarity, TargetValue: in.TargetValue, Disaggregations: nonNilList(in.Disaggregations),
		Custodian: in.Custodian, Source: in.Source, Computation: in.Computation, Expression: in.Expression,
		Aggregation: in.Aggregation, WeightSeries: in.WeightSeries, Nodes: nonNilList(in.Nodes),
		Series: nonNilList(in.Series)}, Shipped: in.Shipped, UpdatedAt: ts(in.UpdatedAt)}
	if in.TargetYear != 0 {
		y := in.TargetYear
		out.TargetYear = &y
	}
	return out
}

// indicatorDetailJSON is one indicator with its series described.
type indicatorDetailJSON struct {
	indicatorJSON
	SeriesDetail []seriesJSON `json:"series_detail"`
}

// indicatorBody is an indicator as a client gives it; the registry checks
// and normalizes every field. Series nil keeps (or, on create, makes) the
// indicator's series.
type indicatorBody indicatorFields[[]seriesJSON]

func (b indicatorBody) input() (indicators.Indicator, []indicators.Series) {
	in := indicators.Indicator{Code: b.Code, Kind: b.Kind, Names: b.Names, Definitions: b.Definitions, Methods: b.Methods,
		Unit: b.Unit, UnitMult: b.UnitMult, Polarity: b.Polarity, TargetValue: b.TargetValue,
		Disaggregations: b.Disaggregations, Custodian: b.Custodian, Source: b.Source, Computation: b.Computation,
		Expression: b.Expression, Aggregation: b.Aggregation, WeightSeries: b.WeightSeries, Nodes: b.Nodes}
	if b.TargetYear != nil {
		in.TargetYear = *b.TargetYear
	}
	var series []indicators.Series
	for _, s := range b.Series {
		series = append(series, indicators.Series{Code: s.Code, Names: s.Names, Unit: s.Unit, UnitMult: s.UnitMult})
	}
	return in, series
}

// indicatorFail answers for an error of the registry, then as every other
// error.
func (a *API) indicatorFail(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, indicators.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
	case errors.Is(err, indicators.ErrForbidden):
		httpx.WriteProblem(w, r, http.StatusForbidden, "forbidden", "You are not permitted to do this.")
	case errors.Is(err, indicators.ErrShipped):
		httpx.WriteProblem(w, r, http.StatusConflict, "indicator.shipped", "A shipped indicator cannot be deleted.")
	case errors.Is(err, indicators.ErrConflict):
		httpx.WriteProblem(w, r, http.StatusConflict, "indicator.code_taken", "An indicator or series with this code already exists.")
	case errors.Is(err, indicators.ErrWithheld):
		httpx.WriteProblem(w, r, http.StatusConflict, "indicator.withheld",
			"The value rests on too few records to be shown; disclosure control withholds it.")
	case errors.Is(err, indicators.ErrNotComputable):
		httpx.WriteProblem(w, r, http.StatusConflict, "indicator.not_live", "The indicator is not computed live from case data.")
	default:
		a.fail(w, r, err)
	}
}

// writeCached answers v as JSON with a strong ETag of its bytes, or 304
// when the client already holds them: the registry is public reference
// data that clients poll.
func writeCached(w http.ResponseWriter, r *http.Request, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		httpx.WriteJSON(w, http.StatusOK, v)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	// Anonymous readers may cache it; a signed-in reader's response keeps
	// the server's no-store, as every authenticated response does.
	if !authn.PrincipalFrom(r.Context()).Authenticated() {
		w.Header().Set("Cache-Control", "public, max-age=60")
	}
	// etagMatches (opendata.go) compares weakly: a gzipped answer carries
	// the tag weakened.
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(append(body, '\n'))
}

// listIndicators lists the registry: ?q= searches codes and names, ?kind=,
// ?computation= and ?node= filter, ?sort= is code, name or kind, ?lang=
// the language names are searched and sorted in.
func (a *API) listIndicators(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := indicators.Filter{Query: q.Get("q"), Kind: q.Get("kind"), Computation: q.Get("computation"), Node: q.Get("node"),
		Sort: q.Get("sort"), Lang: q.Get("lang")}
	var errs []httpx.FieldError
	for _, c := range []struct {
		field, value string
		allowed      []string
	}{{"kind", f.Kind, indicators.Kinds()}, {"computation", f.Computation, indicators.Computations()},
		{"sort", f.Sort, []string{"code", "name", "kind"}}} {
		if c.value != "" && !slices.Contains(c.allowed, c.value) {
			errs = append(errs, httpx.FieldError{Field: c.field, Code: "invalid"})
		}
	}
	if len(f.Query) > 100 || len(f.Node) > 60 || len(f.Lang) > 5 {
		errs = append(errs, httpx.FieldError{Field: "q", Code: "too_long"})
	}
	if len(errs) > 0 {
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.", errs...)
		return
	}
	list, err := a.ind.List(r.Context(), f)
	if err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	out := registryList[indicatorJSON]{Items: make([]indicatorJSON, 0, len(list))}
	for _, in := range list {
		out.Items = append(out.Items, toIndicator(in))
	}
	writeCached(w, r, out)
}

// registryList is the collection envelope without a cursor: the registry is
// small and comes whole.
type registryList[T any] struct {
	Items []T `json:"items"`
}

func (a *API) detail(r *http.Request, code string) (indicatorDetailJSON, error) {
	in, err := a.ind.Get(r.Context(), code)
	if err != nil {
		return indicatorDetailJSON{}, err
	}
	series, err := a.ind.SeriesOf(r.Context(), code)
	if err != nil {
		return indicatorDetailJSON{}, err
	}
	out := indicatorDetailJSON{indicatorJSON: toIndicator(in), SeriesDetail: []seriesJSON{}}
	for _, s := range series {
		out.SeriesDetail = append(out.SeriesDetail, seriesJSON{Code: s.Code, Names: orEmpty(s.Names), Unit: s.Unit, UnitMult: s.UnitMult})
	}
	return out, nil
}

func (a *API) getIndicator(w http.ResponseWriter, r *http.Request) {
	out, err := a.detail(r, r.PathValue("code"))
	if err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	writeCached(w, r, out)
}

func (a *API) createIndicator(w http.ResponseWriter, r *http.Request) {
	var body indicatorBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	in, series := body.input()
	created, err := a.ind.Create(r.Context(), authn.PrincipalFrom(r.Context()), in, series)
	if err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	out, err := a.detail(r, created.Code)
	if err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/indicators/"+created.Code)
	httpx.WriteJSON(w, http.StatusCreated, out)
}

func (a *API) updateIndicator(w http.ResponseWriter, r *http.Request) {
	var body indicatorBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	in, series := body.input()
	if body.Series == nil {
		series = nil
	}
	code := r.PathValue("code")
	if _, err := a.ind.Update(r.Context(), authn.PrincipalFrom(r.Context()), code, in, series); err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	out, err := a.detail(r, code)
	if err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

func (a *API) deleteIndicator(w http.ResponseWriter, r *http.Request) {
	if err := a.ind.Delete(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("code")); err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type recordLiveBody struct {
	Area   string `json:"area"`
	Period string `json:"period"`
}

type observationRecordedJSON struct {
	Series   string  `json:"series"`
	Area     string  `json:"area"`
	Period   string  `json:"period"`
	Value    float64 `json:"value"`
	Status   string  `json:"status"`
	ImportID string  `json:"import_id"`
}

// recordLive computes a live indicator for a country and period under
// disclosure control and records it as a draft observation.
func (a *API) recordLive(w http.ResponseWriter, r *http.Request) {
	var body recordLiveBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	o, err := a.ind.RecordLive(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("code"), body.Area, body.Period)
	if err != nil {
		a.indicatorFail(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, observationRecordedJSON{Series: o.Series, Area: o.Area, Period: o.Period,
		Value: o.Value, Status: o.Status, ImportID: o.ImportID})
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func nonNilList(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
