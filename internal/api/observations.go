// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/validation"
)

// The working values of the evidence base and their approval: small writes
// checked by the validation rules as imports are, and the sets of (series,
// area, period) moving from draft to published. Published values are read
// through the open-data API, not here.

func (a *API) observationRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /api/v1/observations", observations.PermRead, a.listObservations),
		perm("POST /api/v1/observations", observations.PermWrite, a.putObservations),
		perm("DELETE /api/v1/observations", observations.PermWrite, a.deleteObservation),
		perm("GET /api/v1/observation-sets", observations.PermRead, a.listObservationSets),
		perm("DELETE /api/v1/observation-sets", observations.PermWrite, a.deleteObservationSet),
		perm("POST /api/v1/observation-sets/submit", observations.PermWrite, a.moveSets(setSubmit)),
		perm("POST /api/v1/observation-sets/approve", observations.PermApprove, a.moveSets(setApprove)),
		perm("POST /api/v1/observation-sets/return", observations.PermApprove, a.moveSets(setReturn)),
		perm("POST /api/v1/observation-sets/publish", observations.PermApprove, a.moveSets(setPublish)),
	}
}

type observationJSON struct {
	Series    string  `json:"series"`
	Area      string  `json:"area"`
	Disagg    string  `json:"disagg"`
	Period    string  `json:"period"`
	Value     float64 `json:"value"`
	Status    string  `json:"status"`
	UnitMult  int     `json:"unit_mult"`
	Source    string  `json:"source"`
	Footnote  string  `json:"footnote"`
	ImportID  string  `json:"import_id,omitempty"`
	ChangedBy string  `json:"changed_by,omitempty"`
	ChangedAt string  `json:"changed_at,omitempty"`
}

func toObservation(o observations.Observation) observationJSON {
	return observationJSON{Series: o.Series, Area: o.Area, Disagg: o.Disagg, Period: o.Period, Value: o.Value,
		Status: o.Status, UnitMult: o.UnitMult, Source: o.Source, Footnote: o.Footnote, ImportID: o.ImportID,
		ChangedBy: o.ChangedBy, ChangedAt: ts(o.ChangedAt)}
}

// offsetPage reads limit (1..500, default 50) and the cursor, which for
// these lists is the offset of the page's first item.
func offsetPage(r *http.Request) (limit, offset int, err error) {
	q := r.URL.Query()
	limit = 50
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > 500 {
			return 0, 0, fielderr.One("limit", "out_of_range")
		}
	}
	if s := q.Get("cursor"); s != "" {
		if offset, err = strconv.Atoi(s); err != nil || offset < 0 {
			return 0, 0, fielderr.One("cursor", fielderr.CodeInvalid)
		}
	}
	return limit, offset, nil
}

// nextOffset is the cursor after a page of limit items from offset, ""
// when no item follows.
func nextOffset(offset, limit int, more bool) string {
	if !more {
		return ""
	}
	return strconv.Itoa(offset + limit)
}

// listObservations lists working values, filtered by series, area,
// disaggregation and period bounds.
func (a *API) listObservations(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := offsetPage(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := authn.PrincipalFrom(r.Context())
	if !p.Can(observations.PermRead) {
		a.obsFail(w, r, observations.ErrForbidden)
		return
	}
	q, err := observationQuery(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var items []observations.Observation
	skipped, more := 0, false
	errStop := errors.New("page full")
	err = a.obs.Each(r.Context(), q, func(o observations.Observation) error {
		if skipped < offset {
			skipped++
			return nil
		}
		if len(items) == limit {
			more = true
			return errStop
		}
		items = append(items, o)
		return nil
	})
	if errors.Is(err, errStop) {
		err = nil
	}
	writeList(a, w, r, items, nextOffset(offset, limit, more), err, toObservation)
}

// observationQuery reads the filters of a list of working values.
func observationQuery(r *http.Request) (observations.Query, error) {
	v := r.URL.Query()
	q := observations.Query{Layer: observations.LayerWorking}
	var fe fielderr.Error
	if s := strings.ToUpper(strings.TrimSpace(v.Get("series"))); s != "" {
		if !observations.SeriesCode.MatchString(s) {
			fe.Add("series", fielderr.CodeInvalid)
		}
		q.Series = []string{s}
	}
	if s := v.Get("area"); s != "" {
		code, err := observations.NormalizeArea(s)
		if err != nil {
			fe.Add("area", fielderr.CodeInvalid)
		}
		q.Areas = []string{code}
	}
	if v.Has("disagg") {
		key, err := observations.CanonicalDisagg(v.Get("disagg"))
		if err != nil {
			fe.Add("disagg", fielderr.CodeInvalid)
		}
		q.Disagg = &key
	}
	for _, b := range []struct {
		name string
		dst  *string
	}{{"from", &q.From}, {"to", &q.To}} {
		if s := v.Get(b.name); s != "" {
			per, err := observations.ParsePeriod(s)
			if err != nil {
				fe.Add(b.name, fielderr.CodeInvalid)
			}
			*b.dst = per.Text
		}
	}
	return q, fe.OrNil()
}

// observationInputJSON is a value to write.
type observationInputJSON struct {
	Series   string  `json:"series"`
	Area     string  `json:"area"`
	Disagg   string  `json:"disagg"`
	Period   string  `json:"period"`
	Value    float64 `json:"value"`
	Status   string  `json:"status"`
	UnitMult int     `json:"unit_mult"`
	Source   string  `json:"source"`
	Footnote string  `json:"footnote"`
}

type putObservationsJSON struct {
	Observations []observationInputJSON `json:"observations"`
}

type putResultJSON struct {
	ImportID   string          `json:"import_id"`
	Rows       int             `json:"rows"`
	Violations []violationJSON `json:"violations"`
}

// putObservations writes a small batch, all or nothing, checked by the
// validation rules.
func (a *API) putObservations(w http.ResponseWriter, r *http.Request) {
	var body putObservationsJSON
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	rows := make([]observations.Observation, len(body.Observations))
	for i, o := range body.Observations {
		rows[i] = observations.Observation{Series: o.Series, Area: o.Area, Disagg: o.Disagg, Period: o.Period,
			Value: o.Value, Status: o.Status, UnitMult: o.UnitMult, Source: o.Source, Footnote: o.Footnote}
	}
	id, found, err := a.val.Put(r.Context(), authn.PrincipalFrom(r.Context()), observations.KindForm, rows)
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	out := putResultJSON{ImportID: id, Rows: len(rows), Violations: make([]violationJSON, len(found))}
	for i, v := range found {
		out.Violations[i] = toViolation(v)
	}
	httpx.WriteJSON(w, http.StatusCreated, out)
}

// obsFail answers the errors of observations and of validation.Put: rows
// with their (1-based) row number, rules broken, states and the
// four-eyes rule.
func (a *API) obsFail(w http.ResponseWriter, r *http.Request, err error) {
	var fe *fielderr.Error
	var re *validation.RulesError
	switch {
	case errors.As(err, &fe):
		out := make([]httpx.FieldError, len(fe.Errors))
		for i, e := range fe.Errors {
			out[i] = httpx.FieldError{Field: e.Field, Code: e.Code}
			if rest, ok := strings.CutPrefix(e.Field, "rows."); ok {
				n, field, _ := strings.Cut(rest, ".")
				if row, err := strconv.Atoi(n); err == nil {
					out[i] = httpx.FieldError{Row: row + 1, Field: field, Code: e.Code}
				}
			}
		}
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.", out...)
	case errors.As(err, &re):
		var out []httpx.FieldError
		for _, v := range re.Violations {
			if v.Importance == validation.High {
				out = append(out, httpx.FieldError{Field: "rules." + v.RuleCode + "." + v.Area + "." + v.Period, Code: "violated"})
			}
		}
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "observation.rules_failed",
			"Values break a validation rule of high importance; nothing was written.", out...)
	case errors.Is(err, observations.ErrForbidden), errors.Is(err, validation.ErrForbidden):
		httpx.WriteProblem(w, r, http.StatusForbidden, "forbidden", "You are not permitted to do this.")
	case errors.Is(err, observations.ErrNotFound), errors.Is(err, validation.ErrNotFound):
		httpx.WriteProblem(w, r, http.StatusNotFound, "not_found", "Not found.")
	case errors.Is(err, observations.ErrOwnSubmission):
		httpx.WriteProblem(w, r, http.StatusConflict, "observation.own_submission",
			"A set must be approved by someone other than its submitter.")
	case errors.Is(err, observations.ErrState):
		httpx.WriteProblem(w, r, http.StatusConflict, "observation.state", "A set is not in the state this change needs.")
	case errors.Is(err, observations.ErrUnknownSeries):
		httpx.WriteProblem(w, r, http.StatusUnprocessableEntity, "validation.failed", "The request has invalid fields.",
			httpx.FieldError{Field: "series", Code: "unknown"})
	default:
		a.fail(w, r, err)
	}
}

type setJSON struct {
	Series      string `json:"series"`
	Area        string `json:"area"`
	Period      string `json:"period"`
	State       string `json:"state"`
	Rows        int    `json:"rows"`
	SubmittedBy string `json:"submitted_by"`
	ApprovedBy  string `json:"approved_by"`
	Note        string `json:"note"`
	ImportID    string `json:"import_id"`
	ChangedBy   string `json:"changed_by"`
	ChangedAt   string `json:"changed_at"`
}

func toSet(s observations.Set) setJSON {
	return setJSON{Series: s.Series, Area: s.Area, Period: s.Period, State: string(s.State), Rows: s.Rows,
		SubmittedBy: s.SubmittedBy, ApprovedBy: s.ApprovedBy, Note: s.Note, ImportID: s.ImportID,
		ChangedBy: s.ChangedBy, ChangedAt: ts(s.ChangedAt)}
}

type setListJSON struct {
	Items      []setJSON      `json:"items"`
	NextCursor string         `json:"next_cursor,omitempty"`
	Total      int            `json:"total"`
	Counts     map[string]int `json:"counts"`
}

// listObservationSets lists the approval sets with the number of sets in
// each state.
func (a *API) listObservationSets(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := offsetPage(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f, err := setFilter(r.URL.Query().Get, limit, offset)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := authn.PrincipalFrom(r.Context())
	sets, total, err := a.obs.Sets(r.Context(), p, f)
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	counts, err := a.obs.StateCounts(r.Context(), p)
	if err != nil {
		a.obsFail(w, r, err)
		return
	}
	out := setListJSON{Items: make([]setJSON, len(sets)), Total: total, Counts: map[string]int{}}
	for i, s := range sets {
		out.Items[i] = toSet(s)
	}
	for _, st := range observations.States() {
		out.Counts[string(st)] = counts[st]
	}
	if offset+len(sets) < total {
		out.NextCursor = strconv.Itoa(offset + len(sets))
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

// setFilter reads the filters of the approval queue from get (a query or
// a form): series, area (normalised), period (normalised), state, import.
func setFilter(get func(string) string, limit, offset int) (observations.SetFilter, error) {
	f := observations.SetFilter{Limit: limit, Offset: offset, ImportID: strings.TrimSpace(get("import")),
		Series: strings.ToUpper(strings.TrimSpace(get("series")))}
	var fe fielderr.Error
	if s := get("area"); s != "" {
		code, err := observations.NormalizeArea(s)
		if err != nil {
			fe.Add("area", fielderr.CodeInvalid)
		}
		f.Area = code
	}
	if s := get("period"); s != "" {
		per, err := observations.ParsePeriod(s)
		if err != nil {
			fe.Add("period", fielderr.CodeInvalid)
		}
		f.Period = per.Text
	}
	if s := get("state"); s != "" {
		f.State = observations.State(s)
		valid := false
		for _, st := range observations.States() {
			valid = valid || st == f.State
		}
		if !valid {
			fe.Add("state", fielderr.CodeInvalid)
		}
	}
	return f, fe.OrNil()
}

// The moves of the approval sets.
const (
	setSubmit  = "submit"
	setApprove = "approve"
	setReturn  = "return"
	setPublish = "publish"
)

type setMoveJSON struct {
	Sets []struct {
		Series string `json:"series"`
		Area   string `json:"area"`
		Period string `json:"period"`
	} `json:"sets"`
	Note string `json:"note"`
}

// moveSets answers a change of state of the sets named in the body, all or
// none of them.
func (a *API) moveSets(move string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body setMoveJSON
		if !httpx.DecodeJSON(w, r, &body) {
			return
		}
		if len(body.Sets) == 0 {
			a.fail(w, r, fielderr.One("sets", "required"))
			return
		}
		keys := make([]observations.SetKey, len(body.Sets))
		for i, s := range body.Sets {
			keys[i] = normalSetKey(s.Series, s.Area, s.Period)
		}
		n, err := a.moveKeys(r, move, keys, body.Note)
		if err != nil {
			a.obsFail(w, r, err)
			return
		}
		httpx.WriteJSON(w, http.StatusOK, map[string]int{"sets": n})
	}
}

func (a *API) moveKeys(r *http.Request, move string, keys []observations.SetKey, note string) (int, error) {
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	switch move {
	case setSubmit:
		return a.obs.Submit(ctx, p, keys)
	case setApprove:
		return a.obs.Approve(ctx, p, keys)
	case setReturn:
		return a.obs.Return(ctx, p, keys, note)
	}
	return a.obs.Publish(ctx, p, keys)
}

// normalSetKey spells a set's key as it is stored: series in upper case,
// area as its M49 code, period in its one form. A part that does not parse
// is kept, to be answered as a set that does not exist.
func normalSetKey(series, area, period string) observations.SetKey {
	k := observations.SetKey{Series: strings.ToUpper(strings.TrimSpace(series)), Area: area, Period: period}
	if code, err := observations.NormalizeArea(area); err == nil {
		k.Area = code
	}
	if per, err := observations.ParsePeriod(period); err == nil {
		k.Period = per.Text
	}
	return k
}
