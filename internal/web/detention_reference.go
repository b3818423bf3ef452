// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/i18n"
)

// The detention reference page (/detention) shows what the detention and
// consular alerts rest on: each country's legal maximum of immigration
// detention and the bilateral agreements that make consular notification
// mandatory (shared facts with their sources, kept by system
// administrators), the organisation's alert settings (kept by its
// administrators), and its compliance with consular notification over the
// cases the reader may see.

const pageDetentionReference page = "detention_reference"

// Each form of the page names its fields with its own prefix, so that an
// error is shown beside the form that caused it.
const (
	formLimit     = "limit_"
	formMandatory = "mand_"
	formSettings  = "set_"
)

type detentionRefData struct {
	Limits    []legalLimitRow
	Mandatory []mandatoryRow
	Countries []option
	// CanEditShared: the reader keeps the shared tables; CanEditSettings:
	// the reader may change the organisation's settings.
	CanEditShared, CanEditSettings bool
	// Settings are shown when the reader may read detention records.
	Settings *detention.Config
	// Compliance is shown, by nationality then by authority, to readers
	// of detention records.
	Compliance []complianceTable
	Done       string
}

// complianceTable is compliance grouped one way: By names the grouping
// (nationality, authority) for the caption and the column.
type complianceTable struct {
	By   string
	Rows []complianceRow
}

type legalLimitRow struct {
	Country, Name, Source, AsOf string
	MaxDays                     int
}

type mandatoryRow struct {
	Detaining, DetainingName, Nationality, NationalityName, Source, AsOf string
}

type complianceRow struct {
	Key, Label                           string
	Records, ToldPending, NotifyPending  int
	ToldInTime, ToldDecided              int
	NotifiedInTime, NotificationRequired int
	ToldRate, NotifiedRate               string
}

func (w *Web) detentionReferenceRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /detention", "user.read", w.detentionReference),
		perm("POST /detention/legal-limits", "organisation.update", w.legalLimitSave),
		perm("POST /detention/legal-limits/{country}/delete", "organisation.update", w.legalLimitDelete),
		perm("POST /detention/mandatory-notification", "organisation.update", w.mandatorySave),
		perm("POST /detention/mandatory-notification/{country}/{nationality}/delete", "organisation.update", w.mandatoryDelete),
		perm("POST /detention/settings", "organisation.update", w.detentionSettingsSave),
	}
}

func (w *Web) detentionReference(rw http.ResponseWriter, r *http.Request) {
	w.renderDetentionReference(rw, r, http.StatusOK, view{})
}

func (w *Web) renderDetentionReference(rw http.ResponseWriter, r *http.Request, status int, v view) {
	ctx := r.Context()
	p := authn.PrincipalFrom(ctx)
	loc := w.locale(r)
	lang := loc.Code()
	d := &detentionRefData{Countries: adminCountryOptions(lang), CanEditShared: p.Scope("organisation.update") >= access.ScopeAll,
		Done: r.URL.Query().Get("done")}
	limits, err := w.det.LegalLimits(ctx)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	for _, l := range limits {
		d.Limits = append(d.Limits, legalLimitRow{Country: l.Country, Name: countryName(l.Country, lang),
			Source: l.Source, AsOf: loc.Date(isoDate(l.AsOf)), MaxDays: l.MaxDays})
	}
	mand, err := w.det.MandatoryCountries(ctx, "")
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	for _, m := range mand {
		d.Mandatory = append(d.Mandatory, mandatoryRow{Detaining: m.DetainingCountry, DetainingName: countryName(m.DetainingCountry, lang),
			Nationality: m.Nationality, NationalityName: countryName(m.Nationality, lang), Source: m.Source,
			AsOf: loc.Date(isoDate(m.AsOf))})
	}
	if p.OrgID != "" {
		// Those who read detention records or administer the organisation
		// see its settings; the others get ErrNotFound and no section.
		cfg, err := w.det.Settings(ctx, p, p.OrgID)
		switch {
		case err == nil:
			d.Settings = &cfg
			d.CanEditSettings = p.Allows("organisation.update", access.Record{OrgID: p.OrgID})
		case !errors.Is(err, detention.ErrNotFound):
			w.caseFail(rw, r, err)
			return
		}
	}
	if p.OrgID != "" && p.Can(detention.PermRead) {
		for _, by := range []detention.GroupBy{detention.ByNationality, detention.ByAuthority} {
			rows, err := w.complianceRows(r, loc, by)
			if err != nil {
				w.caseFail(rw, r, err)
				return
			}
			d.Compliance = append(d.Compliance, complianceTable{By: string(by), Rows: rows})
		}
	}
	v.Data = d
	w.render(rw, r, status, pageDetentionReference, v)
}

// complianceRows are the reader's organisation's compliance rates grouped
// by, in the page's words and numbers.
func (w *Web) complianceRows(r *http.Request, loc *i18n.Locale, by detention.GroupBy) ([]complianceRow, error) {
	p := authn.PrincipalFrom(r.Context())
	rates, err := w.det.Compliance(r.Context(), p, p.OrgID, by, w.clock.Now())
	if err != nil {
		return nil, err
	}
	rate := func(x detention.Ratio) string {
		if v, ok := x.Value(); ok {
			return loc.Percent(v)
		}
		return "—"
	}
	out := make([]complianceRow, len(rates))
	for i, c := range rates {
		label := c.Key
		if by == detention.ByNationality {
			label = countryName(c.Key, loc.Code())
		}
		out[i] = complianceRow{Key: c.Key, Label: label, Records: c.Records, ToldPending: c.ToldPending,
			NotifyPending: c.NotifyPending, ToldInTime: c.ToldRate.Num, ToldDecided: c.ToldRate.Den,
			NotifiedInTime: c.NotifiedRate.Num, NotificationRequired: c.NotifiedRate.Den,
			ToldRate: rate(c.ToldRate), NotifiedRate: rate(c.NotifiedRate)}
	}
	return out, nil
}

// detentionRefSaved answers a form of the page: back to the page with a
// note on success, the page with the errors beside the form's fields on a
// validation error, and the error page otherwise.
func (w *Web) detentionRefSaved(rw http.ResponseWriter, r *http.Request, prefix string, values map[string]string, err error, done string) {
	var ve *detention.ValidationError
	switch {
	case err == nil:
		http.Redirect(rw, r, "/detention?done="+done+"#"+done, http.StatusSeeOther)
	case errors.As(err, &ve):
		fields := map[string]string{}
		for _, fe := range ve.Errors {
			if _, ok := fields[prefix+fe.Field]; !ok {
				fields[prefix+fe.Field] = fe.Code
			}
		}
		w.renderDetentionReference(rw, r, http.StatusUnprocessableEntity, view{Fields: fields, Values: values})
	default:
		w.caseFail(rw, r, err)
	}
}

// formInt reads a whole number of a form; a blank or malformed one is -1,
// which the domain refuses as too small, beside the field.
func formInt(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func (w *Web) legalLimitSave(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderDetentionReference(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	values := formValues(r.PostForm, formLimit+"country", formLimit+"max_days", formLimit+"source", formLimit+"as_of")
	_, err := w.det.PutLegalLimit(r.Context(), authn.PrincipalFrom(r.Context()), detention.LegalLimit{
		Country: values[formLimit+"country"], MaxDays: formInt(values[formLimit+"max_days"]),
		Source: values[formLimit+"source"], AsOf: values[formLimit+"as_of"]})
	w.detentionRefSaved(rw, r, formLimit, values, err, "limits")
}

func (w *Web) legalLimitDelete(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) || r.PostForm.Get("confirm") != "yes" {
		w.renderDetentionReference(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	err := w.det.DeleteLegalLimit(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("country"))
	w.detentionRefSaved(rw, r, formLimit, nil, err, "limits")
}

func (w *Web) mandatorySave(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderDetentionReference(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	values := formValues(r.PostForm, formMandatory+"detaining_country", formMandatory+"nationality", formMandatory+"source",
		formMandatory+"as_of")
	_, err := w.det.PutMandatoryCountry(r.Context(), authn.PrincipalFrom(r.Context()), detention.MandatoryCountry{
		DetainingCountry: values[formMandatory+"detaining_country"], Nationality: values[formMandatory+"nationality"],
		Source: values[formMandatory+"source"], AsOf: values[formMandatory+"as_of"]})
	w.detentionRefSaved(rw, r, formMandatory, values, err, "mandatory")
}

func (w *Web) mandatoryDelete(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) || r.PostForm.Get("confirm") != "yes" {
		w.renderDetentionReference(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	err := w.det.DeleteMandatoryCountry(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("country"),
		r.PathValue("nationality"))
	w.detentionRefSaved(rw, r, formMandatory, nil, err, "mandatory")
}

func (w *Web) detentionSettingsSave(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderDetentionReference(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	values := formValues(r.PostForm, formSettings+"warn_days", formSettings+"review_days", formSettings+"consular_hours")
	p := authn.PrincipalFrom(r.Context())
	_, err := w.det.PutSettings(r.Context(), p, p.OrgID, detention.Config{WarnDays: formInt(values[formSettings+"warn_days"]),
		ReviewDays: formInt(values[formSettings+"review_days"]), ConsularHours: formInt(values[formSettings+"consular_hours"])})
	w.detentionRefSaved(rw, r, formSettings, values, err, "settings")
}
