// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/observations"
)

// Withdrawing working values: one value, or every value of a set. The set
// becomes a draft; its published copy stays until it is approved and
// published again, which then removes the deleted values from open data.

// deleteObservation deletes the working value the query names.
func (a *API) deleteObservation(w http.ResponseWriter, r *http.Request) {
	k, err := deleteQuery(r.URL.Query(), false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := a.obs.Delete(r.Context(), authn.PrincipalFrom(r.Context()), k); err != nil {
		a.obsFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteObservationSet deletes every working value of the set the query
// names.
func (a *API) deleteObservationSet(w http.ResponseWriter, r *http.Request) {
	k, err := deleteQuery(r.URL.Query(), true)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	set := observations.SetKey{Series: k.Series, Area: k.Area, Period: k.Period}
	if _, err := a.obs.DeleteSet(r.Context(), authn.PrincipalFrom(r.Context()), set); err != nil {
		a.obsFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteQuery reads what a deletion names, in its stored spelling: series,
// area and period are required; the disaggregation of one value is its
// key, omitted or empty for the total.
func deleteQuery(v url.Values, whole bool) (observations.Key, error) {
	var k observations.Key
	var fe fielderr.Error
	k.Series = strings.ToUpper(strings.TrimSpace(v.Get("series")))
	switch {
	case k.Series == "":
		fe.Add("series", observations.CodeRequired)
	case !observations.SeriesCode.MatchString(k.Series):
		fe.Add("series", fielderr.CodeInvalid)
	}
	if s := v.Get("area"); s == "" {
		fe.Add("area", observations.CodeRequired)
	} else if code, err := observations.NormalizeArea(s); err != nil {
		fe.Add("area", fielderr.CodeInvalid)
	} else {
		k.Area = code
	}
	if s := v.Get("period"); s == "" {
		fe.Add("period", observations.CodeRequired)
	} else if per, err := observations.ParsePeriod(s); err != nil {
		fe.Add("period", fielderr.CodeInvalid)
	} else {
		k.Period = per.Text
	}
	if !whole {
		key, err := observations.CanonicalDisagg(v.Get("disagg"))
		if err != nil {
			fe.Add("disagg", fielderr.CodeInvalid)
		}
		k.Disagg = key
	}
	return k, fe.OrNil()
}
