// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// The case list (/cases): the cases the reader may see, filtered and
// ordered by criteria in the query string, a page at a time; a search by a
// person's name, document or phone; and saved searches.
//
// The filter form is a GET: its criteria are codes, ids and dates
// (cases.Criteria), which may be in a URL, bookmarked and saved. A name,
// document number or phone is personal data: the identity search is a
// separate form that posts them, and its answer is rendered from the post,
// never redirected to a URL holding them; its further pages are posted
// too. The criteria in force ride along in hidden fields. Saving keeps the
// criteria only, and deleting a saved search asks first.

import (
	"errors"
	"github.com/amparo-project/amparo/internal/caseimport"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
)

// The case list pages.
const (
	pageCaseList          page = "cases_list"
	pageSavedSearchDelete page = "cases_list_delete"
)

// caseListPages are the case list's templates.
var caseListPages = []page{pageCaseList, pageSavedSearchDelete}

// pathCases is the case list.
const pathCases = "/cases"

// caseListSize is how many cases a page of the list shows.
const caseListSize = 50

// The identity search's fields. The saved search's name is search_name,
// so that it is never mistaken for a person's.
var searchIdentityFields = []string{"name", "document_number", "phone"}

// caseListRoutes lists the case list's pages.
func (w *Web) caseListRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /cases", cases.PermRead, w.caseList),
		perm("POST /cases/search", cases.PermRead, w.caseSearch),
		perm("POST /saved-searches", cases.PermRead, w.savedSearchCreate),
		perm("GET /saved-searches/{id}/delete", cases.PermRead, w.savedSearchDeleteForm),
		perm("POST /saved-searches/{id}/delete", cases.PermRead, w.savedSearchDelete),
	}
}

// caseListData is the case list page.
type caseListData struct {
	Rows []caseListRow
	// Listed is false when the criteria were refused and nothing was read.
	Listed bool
	// Identity is true on the answer to an identity search: its further
	// pages are posted, and its columns do not sort.
	Identity bool
	// Filtered is true when criteria narrow the list.
	Filtered bool
	// Criteria are the criteria in force, as the hidden fields of the
	// forms that carry them.
	Criteria []hiddenField
	// The filter form's choices, in the page's language.
	Statuses, Risks, Concerns, Alerts, Countries, Owners, Teams, Sorts, Dirs []option
	// Columns are the sortable columns' headers.
	Columns map[string]sortColumn
	// First and Next lead to the list's first and next pages; NextCursor
	// continues an identity search.
	First, Next, NextCursor string
	CanCreate, CanExport    bool
	// CanImport: the reader may import cases from a file.
	CanImport bool
	Saved     []savedRow
	// CanSave is true when the criteria ask for something worth saving;
	// CanShare when the reader has a team to share a search with.
	CanSave, CanShare bool
}

// hiddenField is a form's hidden input.
type hiddenField struct{ Name, Value string }

// caseListRow is one case of the list: codes, dates and where its
// principal person is from and is, nothing that identifies them.
type caseListRow struct {
	ID, Number, Status, Risk string
	Concerns                 []string
	Nationality, Location    string
	Opened, Updated          time.Time
}

// sortColumn is a sortable column's header: the link that sorts by it
// (the other way when it already does), and its aria-sort value.
type sortColumn struct{ Href, Sort string }

// savedRow is a saved search: the link that lists it, and whether the
// reader owns it (and may delete it) or it is shared with their team.
type savedRow struct {
	ID, Name, Href string
	Own, Shared    bool
}

// caseList shows a page of the list for the criteria in the query string.
func (w *Web) caseList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	crit, err := cases.ParseCriteria(q)
	w.showCaseList(rw, r, crit, err, q.Get("cursor"), view{Values: criteriaValues(q)})
}

// showCaseList lists the page of crit from cursor ("" for the first) and
// renders it with v's values and errors; critErr is what reading crit
// said, so that a refused criterion shows beside its field.
func (w *Web) showCaseList(rw http.ResponseWriter, r *http.Request, crit cases.Criteria, critErr error, cursor string, v view) {
	p := authn.PrincipalFrom(r.Context())
	d, err := w.caseListBase(r, p, crit)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	v.Data = d
	// Listed even when a criterion could not be read, so that the other
	// criteria's errors show too.
	rows, next, err := w.cas.List(r.Context(), p, crit.Filter, crit.Page(cursor, caseListSize))
	if d.Listed = err == nil && critErr == nil; d.Listed {
		d.setRows(rows, w.locale(r).Code())
		if next != "" {
			d.Next = listHref(crit, next)
		}
		if cursor != "" {
			d.First = listHref(crit, "")
		}
	}
	w.answerCaseList(rw, r, v, critErr, err)
}

// answerCaseList renders the list page, or for errs, the refusal they
// call for: each criterion's error beside its field, with status 422. A
// page listed with errors of its own in v (a refused saved search) is 422
// too.
func (w *Web) answerCaseList(rw http.ResponseWriter, r *http.Request, v view, errs ...error) {
	for _, err := range errs {
		var ve *cases.ValidationError
		switch {
		case err == nil:
		case errors.As(err, &ve):
			if v.Fields == nil {
				v.Fields = map[string]string{}
			}
			for field, code := range fieldErrors(ve) {
				if _, ok := v.Fields[field]; !ok {
					v.Fields[field] = code
				}
			}
		default:
			w.caseFail(rw, r, err)
			return
		}
	}
	if code, ok := v.Fields["query"]; ok {
		// No identity criterion at all: said above the search form.
		v.Fields["identity"] = code
	}
	if _, ok := v.Fields["cursor"]; ok {
		// Only a tampered link or form has a bad cursor.
		v.Error = errBadRequest
	}
	status := http.StatusOK
	if len(v.Fields) > 0 || v.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	w.render(rw, r, status, pageCaseList, v)
}

// caseSearch answers the identity search form with the first (or, given a
// cursor, a further) page of the cases whose linked persons match, within
// the criteria posted with it. The answer is the page itself, not a
// redirect, so that what was searched for never reaches a URL.
func (w *Web) caseSearch(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	form := r.PostForm
	crit, critErr := cases.ParseCriteria(form)
	p := authn.PrincipalFrom(r.Context())
	d, err := w.caseListBase(r, p, crit)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	d.Identity = true
	v := view{Values: criteriaValues(form), Data: d}
	for _, name := range searchIdentityFields {
		v.Values[name] = form.Get(name)
	}
	if critErr == nil {
		var rows []cases.Case
		rows, d.NextCursor, err = w.cas.Search(r.Context(), p, cases.Identity{Name: form.Get("name"),
			DocumentNumber: form.Get("document_number"), Phone: form.Get("phone")}, crit.Filter,
			crit.Page(form.Get("cursor"), caseListSize))
		d.Listed = err == nil
		d.setRows(rows, w.locale(r).Code())
	}
	w.answerCaseList(rw, r, v, critErr, err)
}

// caseListBase gathers what the list page shows whatever its rows: the
// filter form's choices in the reader's language, the sortable columns,
// the reader's saved searches, and what the reader may do.
func (w *Web) caseListBase(r *http.Request, p access.Principal, crit cases.Criteria) (*caseListData, error) {
	loc := w.locale(r)
	saved, err := w.cas.SavedSearches(r.Context(), p)
	if err != nil {
		return nil, err
	}
	d := &caseListData{Filtered: !(cases.Criteria{Filter: crit.Filter}).Empty(), CanCreate: p.Can(cases.PermCreate),
		CanExport: p.Can(cases.PermExport), CanImport: p.Can(caseimport.PermImport), CanSave: !crit.Empty(), CanShare: p.TeamID != "",
		Countries: countryOptions(loc.Code())}
	for name, vals := range crit.Values() {
		d.Criteria = append(d.Criteria, hiddenField{name, vals[0]})
	}
	slices.SortFunc(d.Criteria, func(a, b hiddenField) int { return strings.Compare(a.Name, b.Name) })
	for _, s := range cases.Statuses {
		d.Statuses = append(d.Statuses, option{string(s), loc.T("cases.status." + string(s))})
	}
	d.Risks = append(d.Risks, option{"unassessed", loc.T("cases.list.unassessed")})
	for _, rk := range cases.Risks {
		d.Risks = append(d.Risks, option{string(rk), loc.T("cases.risk." + string(rk))})
	}
	for _, c := range cases.Concerns {
		d.Concerns = append(d.Concerns, option{string(c.Code), loc.T("concern." + string(c.Code))})
	}
	slices.SortStableFunc(d.Concerns, func(a, b option) int { return strings.Compare(a.Label, b.Label) })
	if p.Can(cases.PermAlerts) {
		for _, k := range w.cas.AlertKinds() {
			d.Alerts = append(d.Alerts, option{k, loc.T("protection.alert." + k)})
		}
	}
	d.Owners = []option{{p.UserID, loc.T("cases.list.owner_me")}}
	if crit.Filter.OwnerID != "" && crit.Filter.OwnerID != p.UserID {
		d.Owners = append(d.Owners, option{crit.Filter.OwnerID, crit.Filter.OwnerID})
	}
	if p.TeamID != "" {
		d.Teams = []option{{p.TeamID, loc.T("cases.list.team_mine")}}
	}
	if crit.Filter.TeamID != "" && crit.Filter.TeamID != p.TeamID {
		d.Teams = append(d.Teams, option{crit.Filter.TeamID, crit.Filter.TeamID})
	}
	for _, s := range cases.Sorts {
		d.Sorts = append(d.Sorts, option{string(s), loc.T("cases.list.sort." + string(s))})
	}
	d.Dirs = []option{{"desc", loc.T("cases.list.dir.desc")}, {"asc", loc.T("cases.list.dir.asc")}}
	d.Columns = sortColumns(crit)
	for _, ss := range saved {
		d.Saved = append(d.Saved, savedRow{ID: ss.ID, Name: ss.Name, Href: pathCases + "?" + ss.Query,
			Own: ss.OwnerID == p.UserID, Shared: ss.TeamID != ""})
	}
	return d, nil
}

// sortColumns returns the header link of each sortable column: sorting by
// it, newest or highest first, or the other way when the list already
// sorts by it so.
func sortColumns(crit cases.Criteria) map[string]sortColumn {
	current := crit.Sort
	if current == "" {
		current = cases.SortUpdated
	}
	out := make(map[string]sortColumn, len(cases.Sorts))
	for _, s := range cases.Sorts {
		c := crit
		c.Sort, c.Ascending = s, false
		col := sortColumn{}
		if s == current {
			col.Sort = "descending"
			if crit.Ascending {
				col.Sort = "ascending"
			}
			c.Ascending = !crit.Ascending
		}
		col.Href = listHref(c, "")
		out[string(s)] = col
	}
	return out
}

// listHref is the list's URL for crit from cursor.
func listHref(crit cases.Criteria, cursor string) string {
	q := crit.Values()
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if len(q) == 0 {
		return pathCases
	}
	return pathCases + "?" + q.Encode()
}

// criteriaValues are the criteria of q to show again in the filter form,
// as given.
func criteriaValues(q url.Values) map[string]string {
	out := make(map[string]string, len(cases.CriteriaParams))
	for _, name := range cases.CriteriaParams {
		out[name] = q.Get(name)
	}
	return out
}

// setRows turns the listed cases into the page's rows, naming countries in
// lang.
func (d *caseListData) setRows(cs []cases.Case, lang string) {
	for _, c := range cs {
		row := caseListRow{ID: c.ID, Number: c.Number, Status: string(c.Status), Risk: string(c.Risk),
			Opened: c.CreatedAt, Updated: c.UpdatedAt}
		for _, k := range c.Concerns {
			row.Concerns = append(row.Concerns, string(k))
		}
		if c.Principal.Nationality != "" {
			row.Nationality = countryName(c.Principal.Nationality, lang)
		}
		if c.Principal.Country != "" {
			row.Location = countryName(c.Principal.Country, lang)
			if c.Principal.Admin1 != "" {
				row.Location += " · " + c.Principal.Admin1
			}
		}
		d.Rows = append(d.Rows, row)
	}
}

// savedSearchCreate saves the criteria posted with a name, then lists
// them; a refused name shows beside its field on the list.
func (w *Web) savedSearchCreate(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	form := r.PostForm
	crit, err := cases.ParseCriteria(form)
	if err != nil {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	ss, err := w.cas.SaveSearch(r.Context(), authn.PrincipalFrom(r.Context()), cases.NewSavedSearch{
		Name: form.Get("search_name"), Shared: form.Get("shared") == "yes", Criteria: crit})
	var ve *cases.ValidationError
	switch {
	case err == nil:
		http.Redirect(rw, r, pathCases+"?"+ss.Query, http.StatusSeeOther)
	case errors.As(err, &ve):
		v := view{Values: criteriaValues(form), Fields: map[string]string{}}
		v.Values["search_name"], v.Values["shared"] = form.Get("search_name"), form.Get("shared")
		for field, code := range fieldErrors(ve) {
			switch field {
			case "name":
				v.Fields["search_name"] = code
			case "shared":
				v.Fields["shared"] = code
			default: // the criteria came from the page's own hidden fields
				v.Error = errBadRequest
			}
		}
		w.showCaseList(rw, r, crit, nil, "", v)
	default:
		w.caseFail(rw, r, err)
	}
}

// savedSearchDeleteData is the confirmation of a saved search's deletion.
type savedSearchDeleteData struct {
	ID, Name string
}

// savedSearchDeleteForm asks before deleting a saved search of the
// reader's: another's shared with them gets 403, one they do not see 404.
func (w *Web) savedSearchDeleteForm(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	ss, err := w.cas.GetSavedSearch(r.Context(), p, r.PathValue("id"))
	if err == nil && ss.OwnerID != p.UserID {
		err = cases.ErrForbidden
	}
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, pageSavedSearchDelete, view{Data: &savedSearchDeleteData{ID: ss.ID, Name: ss.Name}})
}

// savedSearchDelete deletes a saved search once confirmed, then shows the
// list.
func (w *Web) savedSearchDelete(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) || r.PostForm.Get("confirm") != "yes" {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	if err := w.cas.DeleteSavedSearch(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")); err != nil {
		w.caseFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, pathCases, http.StatusSeeOther)
}
