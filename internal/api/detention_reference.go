// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/httpx"
)

// The detention reference data besides the legal limits (detention.go):
// the mandatory-notification agreements, each organisation's rule
// settings, and the consular-notification compliance rates.

type mandatoryJSON struct {
	DetainingCountry string `json:"detaining_country"`
	Nationality      string `json:"nationality"`
	Source           string `json:"source"`
	AsOf             string `json:"as_of"`
	UpdatedAt        string `json:"updated_at"`
}

// toMandatory leaves out who last changed the entry, as toLegalLimit does.
func toMandatory(m detention.MandatoryCountry) mandatoryJSON {
	return mandatoryJSON{m.DetainingCountry, m.Nationality, m.Source, m.AsOf, ts(m.UpdatedAt)}
}

func (a *API) listMandatory(w http.ResponseWriter, r *http.Request) {
	ms, err := a.det.MandatoryCountries(r.Context(), r.URL.Query().Get("detaining_country"))
	writeList(a, w, r, ms, "", err, toMandatory)
}

func (a *API) putMandatory(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Source string `json:"source"`
		AsOf   string `json:"as_of"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	m, err := a.det.PutMandatoryCountry(r.Context(), authn.PrincipalFrom(r.Context()), detention.MandatoryCountry{
		DetainingCountry: r.PathValue("country"), Nationality: r.PathValue("nationality"), Source: body.Source, AsOf: body.AsOf})
	writeOne(a, w, r, http.StatusOK, m, err, toMandatory)
}

func (a *API) deleteMandatory(w http.ResponseWriter, r *http.Request) {
	a.noContent(w, r, a.det.DeleteMandatoryCountry(r.Context(), authn.PrincipalFrom(r.Context()),
		r.PathValue("country"), r.PathValue("nationality")))
}

func (a *API) deleteLegalLimit(w http.ResponseWriter, r *http.Request) {
	a.noContent(w, r, a.det.DeleteLegalLimit(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("country")))
}

// noContent answers 204 for a change that went through, else the error.
func (a *API) noContent(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type detentionSettingsJSON struct {
	WarnDays      int `json:"warn_days"`
	ReviewDays    int `json:"review_days"`
	ConsularHours int `json:"consular_hours"`
}

func toDetentionSettings(c detention.Config) detentionSettingsJSON {
	return detentionSettingsJSON{c.WarnDays, c.ReviewDays, c.ConsularHours}
}

// detentionSettings answers the rule settings of the caller's organisation.
func (a *API) detentionSettings(w http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	c, err := a.det.Settings(r.Context(), p, p.OrgID)
	writeOne(a, w, r, http.StatusOK, c, err, toDetentionSettings)
}

func (a *API) putDetentionSettings(w http.ResponseWriter, r *http.Request) {
	var body detentionSettingsJSON
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	p := authn.PrincipalFrom(r.Context())
	c, err := a.det.PutSettings(r.Context(), p, p.OrgID, detention.Config{WarnDays: body.WarnDays,
		ReviewDays: body.ReviewDays, ConsularHours: body.ConsularHours})
	writeOne(a, w, r, http.StatusOK, c, err, toDetentionSettings)
}

type ratioJSON struct {
	Num   int      `json:"numerator"`
	Den   int      `json:"denominator"`
	Value *float64 `json:"value"`
}

func toRatio(r detention.Ratio) ratioJSON {
	out := ratioJSON{Num: r.Num, Den: r.Den}
	if v, ok := r.Value(); ok {
		out.Value = &v
	}
	return out
}

type complianceJSONRate struct {
	Key                      string    `json:"key"`
	Records                  int       `json:"records"`
	ToldInTime               int       `json:"told_in_time"`
	ToldLate                 int       `json:"told_late"`
	NotTold                  int       `json:"not_told"`
	ToldPending              int       `json:"told_pending"`
	NotificationRequired     int       `json:"notification_required"`
	NotifiedInTime           int       `json:"notified_in_time"`
	NotifiedLate             int       `json:"notified_late"`
	NotNotified              int       `json:"not_notified"`
	NotifyPending            int       `json:"notify_pending"`
	NotificationNotRequired  int       `json:"notification_not_required"`
	NotificationUndetermined int       `json:"notification_undetermined"`
	NotifiedAgainstWish      int       `json:"notified_against_wish"`
	ToldRate                 ratioJSON `json:"told_rate"`
	NotifiedRate             ratioJSON `json:"notified_rate"`
}

func toComplianceRate(c detention.ComplianceRate) complianceJSONRate {
	return complianceJSONRate{c.Key, c.Records, c.ToldInTime, c.ToldLate, c.NotTold, c.ToldPending,
		c.NotificationRequired, c.NotifiedInTime, c.NotifiedLate, c.NotNotified, c.NotifyPending,
		c.NotificationNotRequired, c.NotificationUndetermined, c.NotifiedAgainstWish, toRatio(c.ToldRate),
		toRatio(c.NotifiedRate)}
}

// detentionCompliance answers the compliance with consular notification of
// the caller's organisation's notifications in the caller's reach, grouped
// by ?by=nationality (the default) or ?by=authority.
func (a *API) detentionCompliance(w http.ResponseWriter, r *http.Request) {
	by := detention.GroupBy(r.URL.Query().Get("by"))
	switch by {
	case "":
		by = detention.ByNationality
	case detention.ByNationality, detention.ByAuthority:
	default:
		a.fail(w, r, &fielderr.Error{Errors: []fielderr.FieldError{{Field: "by", Code: "invalid"}}})
		return
	}
	p := authn.PrincipalFrom(r.Context())
	rates, err := a.det.Compliance(r.Context(), p, p.OrgID, by, a.clock.Now())
	writeList(a, w, r, rates, "", err, toComplianceRate)
}
