// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/opendata"
)

// The harvest pages: the other Amparo instances whose open data this one
// pulls in.
const (
	pageAdminHarvest       page = "admin_harvest"
	pageAdminHarvestForm   page = "admin_harvest_form"
	pageAdminHarvestDelete page = "admin_harvest_delete"

	pathAdminHarvest = "/admin/harvest"
)

var harvestPages = []page{pageAdminHarvest, pageAdminHarvestForm, pageAdminHarvestDelete}

// harvestRoutes are the pages of the harvest sources, for whoever holds
// harvest.configure (system administrators).
func (w *Web) harvestRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /admin/harvest", opendata.PermConfigure, w.harvestList),
		perm("GET /admin/harvest/new", opendata.PermConfigure, w.harvestNew),
		perm("POST /admin/harvest", opendata.PermConfigure, w.harvestCreate),
		perm("GET /admin/harvest/{id}", opendata.PermConfigure, w.harvestEdit),
		perm("POST /admin/harvest/{id}", opendata.PermConfigure, w.harvestUpdate),
		perm("GET /admin/harvest/{id}/delete", opendata.PermConfigure, w.harvestDeleteForm),
		perm("POST /admin/harvest/{id}/delete", opendata.PermConfigure, w.harvestDelete),
		perm("POST /admin/harvest/{id}/run", opendata.PermConfigure, w.harvestRun),
	}
}

// harvestListData is the list of sources with their last run.
type harvestListData struct {
	Sources []opendata.Source
	// Done names what was just done ("created", "updated", "deleted",
	// "ran"), Status and Rows what a run did.
	Done, Status, Detail string
	Rows                 int
}

// harvestFormData is the form adding (ID "") or changing a source.
type harvestFormData struct{ ID string }

// harvestFail answers a domain error of these pages.
func (w *Web) harvestFail(rw http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, opendata.ErrNotFound):
		w.errorPage(rw, r, http.StatusNotFound)
	case errors.Is(err, opendata.ErrForbidden):
		w.errorPage(rw, r, http.StatusForbidden)
	default:
		w.fail(rw, r, err)
	}
}

func (w *Web) harvestList(rw http.ResponseWriter, r *http.Request) {
	list, err := w.od.Sources(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		w.harvestFail(rw, r, err)
		return
	}
	q := r.URL.Query()
	d := &harvestListData{Sources: list, Done: q.Get("done"), Status: q.Get("status")}
	switch d.Done {
	case "created", "updated", "deleted", "ran":
	default:
		d.Done = ""
	}
	switch d.Status {
	case opendata.StatusOK, opendata.StatusNotModified, opendata.StatusFailed:
	default:
		d.Status = ""
	}
	d.Rows, _ = strconv.Atoi(q.Get("rows"))
	w.render(rw, r, http.StatusOK, pageAdminHarvest, view{Data: d})
}

func (w *Web) harvestNew(rw http.ResponseWriter, r *http.Request) {
	w.render(rw, r, http.StatusOK, pageAdminHarvestForm, view{Data: &harvestFormData{},
		Values: map[string]string{"interval_hours": "24", "active": "yes"}})
}

func (w *Web) harvestEdit(rw http.ResponseWriter, r *http.Request) {
	src, err := w.od.Source(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.harvestFail(rw, r, err)
		return
	}
	active := ""
	if src.Active {
		active = "yes"
	}
	w.render(rw, r, http.StatusOK, pageAdminHarvestForm, view{Data: &harvestFormData{ID: src.ID}, Values: map[string]string{
		"name": src.Name, "url": src.URL, "series": strings.Join(src.Series, ","), "areas": strings.Join(src.Areas, ","),
		"interval_hours": strconv.Itoa(src.IntervalHours), "active": active}})
}

func (w *Web) harvestCreate(rw http.ResponseWriter, r *http.Request) { w.harvestSave(rw, r, "") }

func (w *Web) harvestUpdate(rw http.ResponseWriter, r *http.Request) {
	w.harvestSave(rw, r, r.PathValue("id"))
}

var harvestFields = []string{"name", "url", "series", "areas", "interval_hours", "active"}

func (w *Web) harvestSave(rw http.ResponseWriter, r *http.Request, id string) {
	d := &harvestFormData{ID: id}
	if !parseForm(r) {
		w.render(rw, r, http.StatusBadRequest, pageAdminHarvestForm, view{Data: d, Error: errBadRequest})
		return
	}
	values := map[string]string{}
	for _, f := range harvestFields {
		values[f] = r.PostForm.Get(f)
	}
	hours, err := strconv.Atoi(strings.TrimSpace(values["interval_hours"]))
	if err != nil {
		w.render(rw, r, http.StatusUnprocessableEntity, pageAdminHarvestForm, view{Data: d, Values: values,
			Fields: map[string]string{"interval_hours": errOutOfRange}})
		return
	}
	in := opendata.SourceInput{Name: values["name"], URL: values["url"], Series: values["series"],
		Areas: values["areas"], IntervalHours: hours, Active: values["active"] == "yes"}
	p := authn.PrincipalFrom(r.Context())
	done := "created"
	if id == "" {
		_, err = w.od.CreateSource(r.Context(), p, in)
	} else {
		_, err = w.od.UpdateSource(r.Context(), p, id, in)
		done = "updated"
	}
	var fe *fielderr.Error
	switch {
	case errors.As(err, &fe):
		fields, above := formErrors(fe, func(e fielderr.FieldError) (string, string) { return e.Field, e.Code })
		w.render(rw, r, http.StatusUnprocessableEntity, pageAdminHarvestForm, view{Data: d, Values: values, Fields: fields, Error: above})
		return
	case err != nil:
		w.harvestFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminHarvest+"?done="+done, http.StatusSeeOther)
}

func (w *Web) harvestDeleteForm(rw http.ResponseWriter, r *http.Request) {
	src, err := w.od.Source(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.harvestFail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageAdminHarvestDelete, view{Data: &src})
}

func (w *Web) harvestDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.od.DeleteSource(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		w.harvestFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminHarvest+"?done=deleted", http.StatusSeeOther)
}

// harvestRun runs a source now and shows the list with what it did; a
// failed run is reported there, as on the source's row.
func (w *Web) harvestRun(rw http.ResponseWriter, r *http.Request) {
	res, err := w.od.RunSource(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if errors.Is(err, opendata.ErrNotFound) || errors.Is(err, opendata.ErrForbidden) {
		w.harvestFail(rw, r, err)
		return
	}
	if err != nil && res.Status == "" {
		w.harvestFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathAdminHarvest+"?done=ran&status="+res.Status+"&rows="+strconv.Itoa(res.Rows), http.StatusSeeOther)
}
