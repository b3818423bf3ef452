// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/observations"
)

// Withdrawing working values: one value of a set, or every value of it,
// each after a page that shows what goes. A deletion makes the set a draft;
// its published copy stays until the set is approved and published again,
// which then takes the deleted values out of open data too.

const pageObservationDelete page = "observation_delete"

// The addresses of the two deletions; both take the set (and the value's
// disaggregation) in the query to confirm and in the form to delete.
const (
	pathDeleteValue = "/observations/set/delete-value"
	pathDeleteSet   = "/observations/set/delete"
)

type deleteData struct {
	Series, Area, AreaName, Period, Disagg string
	Whole                                  bool // every value of the set
	Rows                                   []observations.Observation
	Action, Back                           string
}

// deleteTarget reads the set, and for one value its disaggregation, from
// get, in their stored spelling; ok is false for a part that cannot name
// a stored value.
func deleteTarget(get func(string) string, whole bool) (k observations.Key, ok bool) {
	k.Series = strings.ToUpper(strings.TrimSpace(get("series")))
	area, err := observations.NormalizeArea(get("area"))
	if err != nil || !observations.SeriesCode.MatchString(k.Series) {
		return k, false
	}
	per, err := observations.ParsePeriod(get("period"))
	if err != nil {
		return k, false
	}
	k.Area, k.Period = area, per.Text
	if !whole {
		if k.Disagg, err = observations.CanonicalDisagg(get("disagg")); err != nil {
			return k, false
		}
	}
	return k, true
}

// setQuery is the query naming k's set on the set page and in the queue.
func setQuery(k observations.Key) url.Values {
	return url.Values{"series": {k.Series}, "area": {k.Area}, "period": {k.Period}}
}

// deleteConfirm shows what a deletion will remove and asks to go on.
func (w *Web) deleteConfirm(whole bool) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		k, ok := deleteTarget(r.URL.Query().Get, whole)
		if !ok {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		q := observations.Query{Layer: observations.LayerWorking, Series: []string{k.Series}, Areas: []string{k.Area},
			From: k.Period, To: k.Period}
		d := &deleteData{Series: k.Series, Area: k.Area, AreaName: observations.AreaName(k.Area, w.locale(r).Code()),
			Period: k.Period, Whole: whole, Action: pathDeleteSet, Back: "/observations/set?" + setQuery(k).Encode()}
		if !whole {
			q.Disagg, d.Disagg, d.Action = &k.Disagg, k.Disagg, pathDeleteValue
		}
		all, err := w.obs.All(r.Context(), q)
		if err != nil {
			w.observationFail(rw, r, err)
			return
		}
		for _, o := range all {
			// The bounds take a year's quarters and months too.
			if o.Period == k.Period {
				d.Rows = append(d.Rows, o)
			}
		}
		if len(d.Rows) == 0 {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		w.render(rw, r, http.StatusOK, pageObservationDelete, view{Data: d})
	}
}

// deleteDo deletes, and goes back to the set when values are left in it,
// to the set in the approval queue otherwise, saying how many went.
func (w *Web) deleteDo(whole bool) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if !parseForm(r) {
			w.errorPage(rw, r, http.StatusBadRequest)
			return
		}
		k, ok := deleteTarget(r.PostForm.Get, whole)
		if !ok {
			w.errorPage(rw, r, http.StatusNotFound)
			return
		}
		ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
		n := 1
		var err error
		if whole {
			n, err = w.obs.DeleteSet(ctx, p, observations.SetKey{Series: k.Series, Area: k.Area, Period: k.Period})
		} else {
			err = w.obs.Delete(ctx, p, k)
		}
		if err != nil {
			w.observationFail(rw, r, err)
			return
		}
		back := setQuery(k)
		back.Set("done", "delete")
		back.Set("n", strconv.Itoa(n))
		to := "/observations/approval?"
		if !whole {
			sets, _, err := w.obs.Sets(ctx, p, observations.SetFilter{Series: k.Series, Area: k.Area, Period: k.Period})
			if err == nil && len(sets) == 1 && sets[0].Rows > 0 {
				to = "/observations/set?"
			}
		}
		http.Redirect(rw, r, to+back.Encode(), http.StatusSeeOther)
	}
}
