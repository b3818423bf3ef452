// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/statistics"
)

// statisticsSettingsData is the threshold's page.
type statisticsSettingsData struct {
	Settings statistics.Settings
	Min, Max int
	// Saved is true after a change.
	Saved bool
}

// statisticsSettingsForm shows the threshold k and the form to change it.
func (w *Web) statisticsSettingsForm(rw http.ResponseWriter, r *http.Request) {
	w.renderStatisticsSettings(rw, r, http.StatusOK, nil, r.URL.Query().Get("done") == "1")
}

// renderStatisticsSettings shows the threshold's page with the form's
// errors, or the value in force.
func (w *Web) renderStatisticsSettings(rw http.ResponseWriter, r *http.Request, status int, fields map[string]string, saved bool) {
	st, err := w.stats.Settings(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		w.statisticsFail(rw, r, err)
		return
	}
	values := map[string]string{"k": strconv.Itoa(st.K)}
	if fields != nil {
		values["k"] = r.PostForm.Get("k")
	}
	d := &statisticsSettingsData{Settings: st, Min: disclosure.MinK, Max: statistics.MaxK, Saved: saved}
	w.render(rw, r, status, pageStatisticsSettings, view{Data: d, Values: values, Fields: fields})
}

// statisticsSettingsSave sets k.
func (w *Web) statisticsSettingsSave(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	k, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("k")))
	if err != nil {
		w.renderStatisticsSettings(rw, r, http.StatusUnprocessableEntity, map[string]string{"k": errOutOfRange}, false)
		return
	}
	_, err = w.stats.SetK(r.Context(), authn.PrincipalFrom(r.Context()), k)
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve):
		w.renderStatisticsSettings(rw, r, http.StatusUnprocessableEntity, fieldErrors(ve), false)
	case err != nil:
		w.statisticsFail(rw, r, err)
	default:
		http.Redirect(rw, r, pathStatisticsSettings+"?"+url.Values{"done": {"1"}}.Encode(), http.StatusSeeOther)
	}
}
