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
	Countries []adminOption
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
	Countries []adminOption
	Teams     []accounts.Team
	// CanTeams is true when the reader may create teams.
	CanTeams bool
	Done     string
}

// adminCountryOptions lists every country named in lang, sorted by that name.
func adminCountryOptions(lang string) []adminOption {
	cs := countries.All()
	countries.SortByName(cs, lang)
	out := make([]adminOption, len(cs))
	for i, c := range cs {
		out[i] = adminOption{Value: c.Alpha2, Label: c.Name(lang)}
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
	if next != "" {
		d.Next = adminHref(pathAdminOrgs, q, "after", next)
	}
	if cursor != "" {
		d.First = adminHref(pathAdminOrgs, q, "after", "")
	}
	if d.CanCreate {
		d.Countries = adminCountryOptions(w.locale(r).Code())
	}
	v.Data = d
	w.render(rw, r, status, pageAdminOrgs, v)
}

// adminOrgCreate creates an organisation and goes to its page.
func (w *Web) adminOrgCreate(rw http.ResponseWriter, r *http.Request) {
	in, values, fields, ok := adminOrgForm(r)
	if !ok {
		w.renderAdminOrgList(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	if fields != nil {
		w.renderAdminOrgList(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: fields})
		return
	}
	o, err := w.acc.CreateOrganisation(r.Context(), authn.PrincipalFrom(r.Context()), in, false)
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		fields, code := adminInvalid(ve, nil, "name", "country")
		w.renderAdminOrgList(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: fields, Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminOrgs+"/"+o.ID+"?done="+adminDoneOrgCreated, http.StatusSeeOther)
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
	v.Data = &adminOrgData{Org: w.adminOrgRowFor(r, o), Countries: adminCountryOptions(w.locale(r).Code()), Teams: teams,
		CanTeams: adminNeedTeamCreate.held(p),
		Done:     adminDone(r, adminDoneOrgCreated, adminDoneOrgUpdated, adminDoneTeamCreated)}
	w.render(rw, r, status, pageAdminOrg, v)
}

// adminOrgUpdate changes an organisation's name and country.
func (w *Web) adminOrgUpdate(rw http.ResponseWriter, r *http.Request) {
	in, values, fields, ok := adminOrgForm(r)
	if !ok {
		w.renderAdminOrg(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	if fields != nil {
		w.renderAdminOrg(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: fields})
		return
	}
	o, err := w.acc.UpdateOrganisation(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		fields, code := adminInvalid(ve, nil, "name", "country")
		w.renderAdminOrg(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: fields, Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminOrgs+"/"+o.ID+"?done="+adminDoneOrgUpdated, http.StatusSeeOther)
}

// adminTeamCreate adds a team to an organisation. Its field is team_name,
// so that its error is not shown beside the organisation's name.
func (w *Web) adminTeamCreate(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.renderAdminOrg(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	name := r.PostForm.Get("team_name")
	id := r.PathValue("id")
	_, err := w.acc.CreateTeam(r.Context(), authn.PrincipalFrom(r.Context()), id, name)
	var ve *accounts.ValidationError
	switch {
	case errors.As(err, &ve):
		fields, code := adminInvalid(ve, map[string]string{"name": "team_name"}, "team_name")
		w.renderAdminOrg(rw, r, http.StatusUnprocessableEntity, view{Values: map[string]string{"team_name": name}, Fields: fields, Error: code})
		return
	case err != nil:
		w.fail(rw, r, err)
		return
	}
	// The id was checked by the domain: it is a valid id of an
	// organisation the reader may see.
	http.Redirect(rw, r, pathAdminOrgs+"/"+id+"?done="+adminDoneTeamCreated, http.StatusSeeOther)
}
