// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/countries"
)

// adminOrgsData is the list of organisations and the form to create one.
type adminOrgsData struct {
	Orgs []adminOrgRow
	// Q is the name searched for, "" for all.
	Q string
	// Next and First lead to the next and the first page; "" when there is
	// none or this is the first.
	Next, First string
	// CanCreate is true for a system administrator.
	CanCreate bool
	// Countries are the choices of the country field, named and sorted in
	// the page's language.
	Countries []option
}

type adminOrgRow struct {
	ID, Name string
	// Country is the ISO code, CountryName its name in the page's
	// language ("" for none).
	Country, CountryName string
	IsDemo               bool
	CreatedAt            time.Time
}

// adminOrgData is one organisation: the form to change it and its teams.
type adminOrgData struct {
	Org       adminOrgRow
	Countries []option
	Teams     []accounts.Team
	// CanTeams is true when the reader may create teams.
	CanTeams bool
	Done     string
	// Retention is the organisation's retention of closed cases.
	Retention *adminRetentionData
	// ExportKey is the key exports to the organisation are encrypted to.
	ExportKey *adminExportKeyData
}

// adminCountryOptions lists every country named in lang, sorted by that name.
func adminCountryOptions(lang string) []option {
	cs := countries.All()
	countries.SortByName(cs, lang)
	out := make([]option, len(cs))
	for i, c := range cs {
		out[i] = option{Value: c.Alpha2, Label: c.Name(lang)}
	}
	return out
}

// adminCountryName names an ISO 3166-1 alpha-2 code in lang: the code itself
// when the list does not know it, "" for none.
func adminCountryName(code, lang string) string {
	if code == "" {
		return ""
	}
	if c, ok := countries.Lookup(code); ok {
		return c.Name(lang)
	}
	return code
}

func (w *Web) adminOrgRowFor(r *http.Request, o accounts.Organisation) adminOrgRow {
	return adminOrgRow{ID: o.ID, Name: o.Name, Country: o.Country, CountryName: adminCountryName(o.Country, w.locale(r).Code()),
		IsDemo: o.IsDemo, CreatedAt: o.CreatedAt}
}

// adminOrgForm reads the organisation form: its name and country, which must
// be a country of the list or none. ok is false when the form could not be
// read.
func adminOrgForm(r *http.Request) (in accounts.OrganisationInput, values, fields map[string]string, ok bool) {
	if !parseForm(r) {
		return in, nil, nil, false
	}
	name, country := r.PostForm.Get("name"), strings.TrimSpace(r.PostForm.Get("country"))
	values = map[string]string{"name": name, "country": country}
	if country != "" {
		if c, found := countries.Lookup(country); !found || c.Alpha2 != country {
			// Checked before the domain, which only checks the shape of
			// the code.
			return in, values, map[string]string{"country": "invalid_country_code"}, true
		}
	}
	return accounts.OrganisationInput{Name: &name, Country: &country}, values, nil, true
}

// adminOrgList lists the organisations the reader may administer: every
// one for a system administrator, their own for an organisation's
// administrator.
func (w *Web) adminOrgList(rw http.ResponseWriter, r *http.Request) {
	w.renderAdminOrgList(rw, r, http.StatusOK, view{})
}

func (w *Web) renderAdminOrgList(rw http.ResponseWriter, r *http.Request, status int, v view) {
	p := authn.PrincipalFrom(r.Context())
	cursor, ok := adminCursor(r)
	if !ok {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	q := r.URL.Query()
	search := strings.TrimSpace(q.Get("q"))
	orgs, next, err := w.acc.ListOrganisations(r.Context(), p, search, accounts.Page{Cursor: cursor, Limit: adminPageSize})
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	d := &adminOrgsData{Q: search, CanCreate: adminNeedOrgCreate.held(p)}
	for _, o := range orgs {
		d.Orgs = append(d.Orgs, w.adminOrgRowFor(r, o))
	}
	d.Next, d.First = adminPageLinks(pathAdminOrgs, q, cursor, next)
	if d.CanCreate {
		d.Countries = adminCountryOptions(w.locale(r).Code())
	}
	v.Data = d
	w.render(rw, r, status, pageAdminOrgs, v)
}

// adminOrgCreate creates an organisation and goes to its page.
func (w *Web) adminOrgCreate(rw http.ResponseWriter, r *http.Request) {
	w.adminOrgSave(rw, r, w.renderAdminOrgList, adminDoneOrgCreated, func(in accounts.OrganisationInput) (accounts.Organisation, error) {
		return w.acc.CreateOrganisation(r.Context(), authn.PrincipalFrom(r.Context()), in, false)
	})
}

// adminOrgSave reads the organisation form, posted from the page that
// render renders, has save create or change the organisation and goes to
// its page with the notice done. The form's errors are shown on its page.
func (w *Web) adminOrgSave(rw http.ResponseWriter, r *http.Request, render func(http.ResponseWriter, *http.Request, int, view),
	done string, save func(accounts.OrganisationInput) (accounts.Organisation, error)) {
	f := adminForm{show: func(status int, v view) { render(rw, r, status, v) }, fields: []string{"name", "country"}}
	in, values, fields, ok := adminOrgForm(r)
	f.values = values
	switch {
	case !ok:
		f.unreadable()
		return
	case fields != nil:
		f.invalid(fields)
		return
	}
	if o, err := save(in); w.adminSaved(rw, r, f, err) {
		http.Redirect(rw, r, pathAdminOrgs+"/"+o.ID+"?done="+done, http.StatusSeeOther)
	}
}

// adminOrgShow shows an organisation, the form to change it and its teams.
func (w *Web) adminOrgShow(rw http.ResponseWriter, r *http.Request) {
	w.renderAdminOrg(rw, r, http.StatusOK, view{})
}

// renderAdminOrg renders the organisation of the path with v's form state. The
// forms are filled from the organisation unless v carries values.
func (w *Web) renderAdminOrg(rw http.ResponseWriter, r *http.Request, status int, v view) {
	p := authn.PrincipalFrom(r.Context())
	o, err := w.acc.GetOrganisation(r.Context(), p, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	teams, err := w.acc.ListTeams(r.Context(), p, o.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if v.Values == nil {
		v.Values = map[string]string{"name": o.Name, "country": o.Country}
	} else if _, ok := v.Values["name"]; !ok {
		v.Values["name"], v.Values["country"] = o.Name, o.Country
	}
	ret, err := w.adminOrgRetention(r, o.ID, v.Values)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	key, err := w.adminOrgExportKey(r, o.ID, v.Values)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	v.Data = &adminOrgData{Org: w.adminOrgRowFor(r, o), Countries: adminCountryOptions(w.locale(r).Code()), Teams: teams,
		CanTeams: adminNeedTeamCreate.held(p), Retention: ret, ExportKey: key,
		Done: adminDone(r, adminDoneOrgCreated, adminDoneOrgUpdated, adminDoneTeamCreated, adminDoneRetention,
			adminDoneExportKey)}
	w.render(rw, r, status, pageAdminOrg, v)
}

// adminOrgUpdate changes an organisation's name and country.
func (w *Web) adminOrgUpdate(rw http.ResponseWriter, r *http.Request) {
	w.adminOrgSave(rw, r, w.renderAdminOrg, adminDoneOrgUpdated, func(in accounts.OrganisationInput) (accounts.Organisation, error) {
		return w.acc.UpdateOrganisation(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	})
}

// adminTeamCreate adds a team to an organisation. Its field is team_name,
// so that its error is not shown beside the organisation's name.
func (w *Web) adminTeamCreate(rw http.ResponseWriter, r *http.Request) {
	f := adminForm{show: func(status int, v view) { w.renderAdminOrg(rw, r, status, v) },
		rename: map[string]string{"name": "team_name"}, fields: []string{"team_name"}}
	if !parseForm(r) {
		f.unreadable()
		return
	}
	name := r.PostForm.Get("team_name")
	f.values = map[string]string{"team_name": name}
	id := r.PathValue("id")
	_, err := w.acc.CreateTeam(r.Context(), authn.PrincipalFrom(r.Context()), id, name)
	if w.adminSaved(rw, r, f, err) {
		// The id was checked by the domain: it is a valid id of an
		// organisation the reader may see.
		http.Redirect(rw, r, pathAdminOrgs+"/"+id+"?done="+adminDoneTeamCreated, http.StatusSeeOther)
	}
}
