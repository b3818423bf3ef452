// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
)

// The approval queue: the sets of values (a series, an area, a period)
// with their state, filtered and paged, and the bulk changes of state an
// analyst or approver makes by ticking sets. Publishing asks for a
// confirmation first: it is what lets values leave the system.

const approvalPage = 50

type approvalData struct {
	Counts  []stateCount
	Sets    []setRow
	Total   int
	Series  []option
	Areas   []option
	States  []option
	Filter  url.Values
	Prev    string
	Next    string
	Done    string
	DoneN   int
	Approve bool // the user may approve, return and publish
}

type stateCount struct {
	State string
	N     int
	Href  string
}

type setRow struct {
	Key, Series, Area, AreaName, Period, State string
	Rows                                       int
	Note, Href                                 string
	Own                                        bool // submitted by the viewer
}

// approvalFilter reads the queue's filters from the query.
func approvalFilter(q url.Values) (observations.SetFilter, *fielderr.Error) {
	f := observations.SetFilter{Series: q.Get("series"), ImportID: q.Get("import"), State: observations.State(q.Get("state")),
		Limit: approvalPage}
	var fe fielderr.Error
	if s := q.Get("area"); s != "" {
		code, err := observations.NormalizeArea(s)
		if err != nil {
			fe.Add("area", fielderr.CodeInvalid)
		}
		f.Area = code
	}
	if s := q.Get("period"); s != "" {
		p, err := observations.ParsePeriod(s)
		if err != nil {
			fe.Add("period", fielderr.CodeInvalid)
		}
		f.Period = p.Text
	}
	if f.State != "" && !slices.Contains(observations.States(), f.State) {
		fe.Add("state", fielderr.CodeInvalid)
	}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.Offset = max(f.Offset, 0)
	return f, &fe
}

func (w *Web) approvalQueue(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := view{Values: formValues(q, "series", "area", "period", "state", "import")}
	f, fe := approvalFilter(q)
	if len(fe.Errors) > 0 {
		v.Fields, _ = formErrors(fe, func(e fielderr.FieldError) (string, string) { return e.Field, e.Code })
		w.showApproval(rw, r, http.StatusUnprocessableEntity, v, observations.SetFilter{Limit: 0}, true)
		return
	}
	if n, err := strconv.Atoi(q.Get("n")); err == nil && q.Get("done") != "" {
		v.Data = &approvalData{Done: q.Get("done"), DoneN: n}
	}
	w.showApproval(rw, r, http.StatusOK, v, f, false)
}

// showApproval renders the queue for f; empty shows no sets (the filters
// were wrong).
func (w *Web) showApproval(rw http.ResponseWriter, r *http.Request, status int, v view, f observations.SetFilter, empty bool) {
	ctx, p, lang := r.Context(), authn.PrincipalFrom(r.Context()), w.locale(r).Code()
	d, _ := v.Data.(*approvalData)
	if d == nil {
		d = &approvalData{}
	}
	d.Approve = p.Can(observations.PermApprove)
	filter := url.Values{}
	for _, k := range []string{"series", "area", "period", "state", "import"} {
		if s := v.Values[k]; s != "" {
			filter.Set(k, s)
		}
	}
	d.Filter = filter
	counts, err := w.obs.StateCounts(ctx, p)
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	for _, st := range observations.States() {
		link := url.Values{"state": {string(st)}}
		d.Counts = append(d.Counts, stateCount{State: string(st), N: counts[st], Href: "/observations/approval?" + link.Encode()})
		d.States = append(d.States, option{Value: string(st), Label: w.locale(r).T("observation.state." + string(st))})
	}
	if d.Series, err = w.seriesOptions(ctx, lang); err != nil {
		w.observationFail(rw, r, err)
		return
	}
	d.Areas = areaOptions(lang)
	if !empty {
		sets, total, err := w.obs.Sets(ctx, p, f)
		if err != nil {
			w.observationFail(rw, r, err)
			return
		}
		d.Total = total
		for _, s := range sets {
			link := url.Values{"series": {s.Series}, "area": {s.Area}, "period": {s.Period}}
			d.Sets = append(d.Sets, setRow{Key: setKeyValue(s.SetKey), Series: s.Series, Area: s.Area,
				AreaName: observations.AreaName(s.Area, lang), Period: s.Period, State: string(s.State), Rows: s.Rows,
				Note: s.Note, Href: "/observations/set?" + link.Encode(), Own: s.SubmittedBy == p.UserID})
		}
		d.Prev, d.Next = pageLinks(filter, f.Offset, len(sets), total)
	}
	v.Data = d
	w.render(rw, r, status, pageObservationApproval, v)
}

// pageLinks are the links to the queue's previous and next pages.
func pageLinks(filter url.Values, offset, got, total int) (prev, next string) {
	link := func(off int) string {
		q := url.Values{}
		for k, vs := range filter {
			q[k] = vs
		}
		if off > 0 {
			q.Set("offset", strconv.Itoa(off))
		}
		return "/observations/approval?" + q.Encode()
	}
	if offset > 0 {
		prev = link(max(offset-approvalPage, 0))
	}
	if offset+got < total {
		next = link(offset + got)
	}
	return prev, next
}

// The bulk actions of the queue.
const (
	actSubmit  = "submit"
	actApprove = "approve"
	actReturn  = "return"
	actPublish = "publish"
)

type publishData struct {
	Sets []setRow
}

// approvalAct changes the state of the ticked sets, all or none; a
// publication is confirmed first.
func (w *Web) approvalAct(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.showApproval(rw, r, http.StatusBadRequest, view{Error: errBadRequest}, observations.SetFilter{}, false)
		return
	}
	f := r.PostForm
	action := f.Get("action")
	var keys []observations.SetKey
	for _, s := range f["set"] {
		if k, ok := parseSetKey(s); ok {
			keys = append(keys, k)
		}
	}
	again := func(code string, fields map[string]string) {
		v := view{Error: code, Fields: fields, Values: map[string]string{"note": f.Get("note")}}
		w.showApproval(rw, r, http.StatusUnprocessableEntity, v, observations.SetFilter{Limit: approvalPage}, false)
	}
	if !slices.Contains([]string{actSubmit, actApprove, actReturn, actPublish}, action) {
		again(errBadRequest, nil)
		return
	}
	if len(keys) == 0 {
		again("no_sets", nil)
		return
	}
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	if action == actPublish && f.Get("confirm") != "yes" {
		lang := w.locale(r).Code()
		d := &publishData{}
		for _, k := range keys {
			d.Sets = append(d.Sets, setRow{Key: setKeyValue(k), Series: k.Series, Area: k.Area,
				AreaName: observations.AreaName(k.Area, lang), Period: k.Period})
		}
		w.render(rw, r, http.StatusOK, pageObservationPublish, view{Data: d})
		return
	}
	var n int
	var err error
	switch action {
	case actSubmit:
		n, err = w.obs.Submit(ctx, p, keys)
	case actApprove:
		n, err = w.obs.Approve(ctx, p, keys)
	case actReturn:
		n, err = w.obs.Return(ctx, p, keys, f.Get("note"))
	case actPublish:
		n, err = w.obs.Publish(ctx, p, keys)
	}
	var fe *fielderr.Error
	switch {
	case errors.As(err, &fe):
		fields, above := formErrors(fe, func(e fielderr.FieldError) (string, string) { return e.Field, e.Code })
		if above == "" {
			above = "set_fields"
		}
		again(above, fields)
	case errors.Is(err, observations.ErrOwnSubmission):
		again("own_submission", nil)
	case errors.Is(err, observations.ErrState), errors.Is(err, observations.ErrNotFound):
		again("set_state", nil)
	case errors.Is(err, observations.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	case err != nil:
		w.observationFail(rw, r, err)
	default:
		http.Redirect(rw, r, "/observations/approval?"+url.Values{"done": {action}, "n": {strconv.Itoa(n)}}.Encode(),
			http.StatusSeeOther)
	}
}

type setData struct {
	Series, Area, AreaName, Period string
	Rows                           []observations.Observation
	Queue                          string
	// Write: the viewer may delete values (observation.write); Deleted
	// is how many a deletion just removed.
	Write   bool
	Deleted int
}

// DeleteHref is the address of the page that confirms the deletion of the
// set's value in disagg.
func (d *setData) DeleteHref(disagg string) string {
	return pathDeleteValue + "?" + url.Values{"series": {d.Series}, "area": {d.Area}, "period": {d.Period},
		"disagg": {disagg}}.Encode()
}

// DeleteSetHref is the address of the page that confirms the deletion of
// every value of the set.
func (d *setData) DeleteSetHref() string {
	return pathDeleteSet + "?" + url.Values{"series": {d.Series}, "area": {d.Area}, "period": {d.Period}}.Encode()
}

// observationSet shows the working values of one set.
func (w *Web) observationSet(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	k, ok := parseSetKey(q.Get("series") + "|" + q.Get("area") + "|" + q.Get("period"))
	if !ok {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	all, err := w.obs.All(r.Context(), observations.Query{Layer: observations.LayerWorking, Series: []string{k.Series},
		Areas: []string{k.Area}, From: k.Period, To: k.Period})
	if err != nil {
		w.observationFail(rw, r, err)
		return
	}
	d := &setData{Series: k.Series, Area: k.Area, AreaName: observations.AreaName(k.Area, w.locale(r).Code()), Period: k.Period,
		Queue: "/observations/approval?" + url.Values{"series": {k.Series}, "area": {k.Area}, "period": {k.Period}}.Encode()}
	d.Write = authn.PrincipalFrom(r.Context()).Can(observations.PermWrite)
	if n, err := strconv.Atoi(q.Get("n")); err == nil && q.Get("done") == "delete" {
		d.Deleted = n
	}
	for _, o := range all {
		if o.Period == k.Period {
			d.Rows = append(d.Rows, o)
		}
	}
	if len(d.Rows) == 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	w.render(rw, r, http.StatusOK, pageObservationSet, view{Data: d})
}
