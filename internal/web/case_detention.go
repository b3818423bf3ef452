// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/countries"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/i18n"
)

// The detention tab lists the case's detention episodes under its open
// alerts, most urgent first, and records new episodes; each episode has an
// edit page, where it is also ended. Alerts and every rule behind them
// (child at the start, days against the legal maximum) are the detention
// domain's; the pages only show them.

// The pages of the protection tabs (detention, consular notification,
// referrals, services).
const (
	pageCaseDetention    page = "case_detention"
	pageCaseEpisode      page = "case_episode"
	pageCaseConsular     page = "case_consular"
	pageCaseNotification page = "case_notification"
	pageCaseReferrals    page = "case_referrals"
	pageCaseReferralMove page = "case_referral_move"
	pageCaseServices     page = "case_services"
)

var caseProtectionPages = []page{pageCaseDetention, pageCaseEpisode, pageCaseConsular, pageCaseNotification,
	pageCaseReferrals, pageCaseReferralMove, pageCaseServices}

// caseProtectionRoutes are the protection tabs of a case page. Reading a
// tab needs the read permission of its domain, changing anything the write
// one; the domains then decide on the case itself, so that a case out of
// reach answers 404.
func (w *Web) caseProtectionRoutes() []authn.Route {
	perm := authn.PermRoute
	return []authn.Route{
		perm("GET /cases/{id}/detention", "detention.read", w.detentionTab),
		perm("POST /cases/{id}/detention", "detention.write", w.episodeCreate),
		perm("GET /cases/{id}/detention/{episode_id}/edit", "detention.write", w.episodeEditForm),
		perm("POST /cases/{id}/detention/{episode_id}", "detention.write", w.episodeUpdate),
		perm("GET /cases/{id}/consular", "detention.read", w.consularTab),
		perm("POST /cases/{id}/consular", "detention.write", w.notificationCreate),
		perm("GET /cases/{id}/consular/{notification_id}/edit", "detention.write", w.notificationEditForm),
		perm("POST /cases/{id}/consular/{notification_id}", "detention.write", w.notificationUpdate),
		perm("GET /cases/{id}/referrals", "referral.read", w.referralsTab),
		perm("POST /cases/{id}/referrals", "referral.write", w.referralCreate),
		perm("GET /cases/{id}/referrals/{referral_id}/move", "referral.write", w.referralMoveForm),
		perm("POST /cases/{id}/referrals/{referral_id}/move", "referral.write", w.referralMove),
		perm("GET /cases/{id}/services", "referral.read", w.servicesTab),
	}
}

// caseAlerts returns the open detention and consular alerts of case c,
// most urgent first; none when the principal may not read the case's
// detention records, so that the header of every tab can count them.
func (w *Web) caseAlerts(r *http.Request, c cases.Case) ([]detention.Alert, error) {
	p, rec := authn.PrincipalFrom(r.Context()), caseScope(c)
	if !p.Allows(detention.PermRead, rec) {
		return nil, nil
	}
	return w.det.CaseAlerts(r.Context(), p, rec, c.ID)
}

// alertRow is an alert as a tab shows it: what, how urgent, since and until
// when, and whom it concerns.
type alertRow struct {
	Kind, Priority string
	Since, Due     time.Time
	// Child is the child status behind a child alert, "" otherwise.
	Child string
	// Person names the person by their place in the case, Episode the
	// episode by its facility and start.
	Person, Episode string
}

// alertRows turns alerts into rows, keeping those keep accepts (nil keeps
// all), in their order (most urgent first). persons and episodes name
// the records by id.
func alertRows(alerts []detention.Alert, persons, episodes map[string]string, keep func(detention.AlertKind) bool) []alertRow {
	var out []alertRow
	for _, a := range alerts {
		if keep != nil && !keep(a.Kind) {
			continue
		}
		out = append(out, alertRow{Kind: string(a.Kind), Priority: a.Priority.String(), Since: a.Since, Due: a.Due,
			Child: string(a.Child), Person: persons[a.PersonID], Episode: episodes[a.EpisodeID]})
	}
	return out
}

// episodeLabels names eps by facility, country and start.
func episodeLabels(loc *i18n.Locale, eps []detention.Episode) map[string]string {
	out := make(map[string]string, len(eps))
	for _, ep := range eps {
		out[ep.ID] = loc.T("detention.episode_label", "facility", loc.T("detention.facility."+string(ep.FacilityType)),
			"country", countryName(ep.FacilityCountry, loc.Code()), "date", ep.Start)
	}
	return out
}

// casePersons names the persons of case c by their place in it (number,
// role and relation to the principal) and lists them as choices. The
// protection tabs do not read identities: a person's name is on the person
// tab, whose reads are audited there.
func casePersons(loc *i18n.Locale, c cases.Case) (map[string]string, []option) {
	names := make(map[string]string, len(c.Persons))
	opts := make([]option, 0, len(c.Persons))
	for i, pl := range c.Persons {
		role := loc.T("cases.person_role." + string(pl.Role))
		label := loc.T("protection.person_n", "n", i+1, "role", role)
		if pl.Relation != cases.RelationNone {
			label = loc.T("protection.person_n_related", "n", i+1, "role", role,
				"relation", loc.T("cases.relation."+string(pl.Relation)))
		}
		names[pl.PersonID] = label
		opts = append(opts, option{Value: pl.PersonID, Label: label})
	}
	return names, opts
}

// countryOptions lists every country by its alpha-3 code (the detention
// and referral domains keep alpha-3), named in lang and sorted by name.
func countryOptions(lang string) []option {
	cs := countries.All()
	countries.SortByName(cs, lang)
	out := make([]option, len(cs))
	for i, c := range cs {
		out[i] = option{Value: c.Alpha3, Label: c.Name(lang)}
	}
	return out
}

// countryName names an ISO 3166-1 code in lang, or gives the code back
// when the list does not know it.
func countryName(code, lang string) string {
	if c, ok := countries.Lookup(code); ok {
		return c.Name(lang)
	}
	return code
}

// detentionData is the detention tab.
type detentionData struct {
	Header   caseHeader
	Alerts   []alertRow
	Episodes []episodeRow
	// CanWrite is true when the reader may record and change episodes.
	CanWrite bool
	Form     episodeForm
}

// episodeRow is one episode as the tab shows it.
type episodeRow struct {
	ID, Person, FacilityType, Country, Authority, LegalBasis string
	Start                                                    time.Time
	End                                                      *time.Time
	// Immigration is true for immigration detention, which the legal
	// maxima and the child alert are about.
	Immigration bool
	// Days is the whole days held, to the end or to now.
	Days int
	// Limit is the legal maximum of the facility's country, nil when none
	// is recorded; Exceeded says whether it was (or is) passed.
	Limit    *legalLimitView
	Exceeded bool
	Reviews  []time.Time
	// Alternatives are those considered or applied, in the vocabulary's
	// order.
	Alternatives []detention.Alternative
	// Child is whether the person was a child at the start (a
	// detention.ChildStatus).
	Child string
}

// legalLimitView is a country's legal maximum with its source.
type legalLimitView struct {
	MaxDays int
	Source  []sourcePart
	AsOf    time.Time
}

func (w *Web) detentionTab(rw http.ResponseWriter, r *http.Request) {
	w.showDetention(rw, r, http.StatusOK, view{})
}

// showDetention answers with the detention tab; v carries the new-episode
// form's values and errors after a refused post.
func (w *Web) showDetention(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, h, ok := w.caseFor(rw, r, "detention")
	if !ok {
		return
	}
	p, rec := authn.PrincipalFrom(r.Context()), caseScope(c)
	eps, err := w.det.ListEpisodes(r.Context(), p, rec, c.ID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	loc := w.locale(r)
	persons, personOpts := casePersons(loc, c)
	rows, err := w.episodeRows(r, eps, persons)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	v.Data = &detentionData{Header: h, Alerts: alertRows(h.alerts, persons, episodeLabels(loc, eps), nil), Episodes: rows,
		CanWrite: p.Allows(detention.PermWrite, rec), Form: newEpisodeForm(loc, personOpts, v.Values)}
	w.render(rw, r, status, pageCaseDetention, v)
}

// episodeRows prepares eps for the tab: child status at the start, days
// held and the legal maximum of each facility's country.
func (w *Web) episodeRows(r *http.Request, eps []detention.Episode, persons map[string]string) ([]episodeRow, error) {
	children, err := w.det.ChildrenAtStart(r.Context(), eps)
	if err != nil {
		return nil, err
	}
	lang := w.locale(r).Code()
	now := w.clock.Now()
	limits := map[string]*detention.LegalLimit{}
	out := make([]episodeRow, 0, len(eps))
	for _, ep := range eps {
		limit, seen := limits[ep.FacilityCountry]
		if !seen {
			if limit, err = w.det.LegalLimitFor(r.Context(), ep.FacilityCountry); err != nil {
				return nil, err
			}
			limits[ep.FacilityCountry] = limit
		}
		row := episodeRow{ID: ep.ID, Person: persons[ep.PersonID], FacilityType: string(ep.FacilityType),
			Country: countryName(ep.FacilityCountry, lang), Authority: ep.Authority, LegalBasis: ep.LegalBasis,
			Start: ep.Start, End: ep.End, Immigration: ep.ImmigrationDetention(), Days: detention.DaysDetained(ep, now),
			Reviews: ep.JudicialReviews, Alternatives: ep.Alternatives, Child: string(children[ep.ID])}
		if row.Immigration && limit != nil {
			row.Limit = &legalLimitView{MaxDays: limit.MaxDays, Source: sourceParts(limit.Source), AsOf: isoDate(limit.AsOf)}
			deadline := limit.Deadline(ep.Start)
			row.Exceeded = limit.HasMaximum() && (ep.End == nil && now.After(deadline) || ep.End != nil && ep.End.After(deadline))
		}
		out = append(out, row)
	}
	return out, nil
}

// episodeCreate records an episode from the tab's form; a refused one
// shows the tab again with the errors beside the fields.
func (w *Web) episodeCreate(rw http.ResponseWriter, r *http.Request) {
	show := func(status int, v view) { w.showDetention(rw, r, status, v) }
	if !parseForm(r) {
		show(http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	f := readEpisodeForm(r, nil, w.clock.Now())
	rec, err := w.caseRecord(r, detention.PermWrite)
	if err == nil && len(f.bad) == 0 {
		_, err = w.det.CreateEpisode(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"),
			r.PostForm.Get("person_id"), f.in)
	}
	if w.caseSaved(rw, r, f.form(show), err, f.check) {
		http.Redirect(rw, r, casePath(r.PathValue("id"), "detention"), http.StatusSeeOther)
	}
}

// episodeEditData is the page that changes or ends an episode.
type episodeEditData struct {
	Header caseHeader
	ID     string
	Person string
	Form   episodeForm
}

func (w *Web) episodeEditForm(rw http.ResponseWriter, r *http.Request) {
	w.showEpisode(rw, r, http.StatusOK, view{}, nil)
}

// showEpisode answers with the edit page of the request's episode, filled
// from the record unless v carries a refused post's values.
func (w *Web) showEpisode(rw http.ResponseWriter, r *http.Request, status int, v view, ep *detention.Episode) {
	c, h, ok := w.caseFor(rw, r, "detention")
	if !ok {
		return
	}
	if ep == nil {
		got, err := w.det.GetEpisode(r.Context(), authn.PrincipalFrom(r.Context()), caseScope(c), c.ID,
			r.PathValue("episode_id"))
		if err != nil {
			w.caseFail(rw, r, err)
			return
		}
		ep = &got
	}
	if v.Values == nil {
		v.Values = episodeValues(*ep)
	}
	loc := w.locale(r)
	persons, _ := casePersons(loc, c)
	v.Data = &episodeEditData{Header: h, ID: ep.ID, Person: persons[ep.PersonID], Form: newEpisodeForm(loc, nil, v.Values)}
	w.render(rw, r, status, pageCaseEpisode, v)
}

// episodeUpdate saves the edit page; times left as shown keep their full
// precision, so that saving changes only what was changed.
func (w *Web) episodeUpdate(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	rec, err := w.caseRecord(r, detention.PermWrite)
	var old detention.Episode
	if err == nil {
		old, err = w.det.GetEpisode(r.Context(), p, rec, r.PathValue("id"), r.PathValue("episode_id"))
	}
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	show := func(status int, v view) { w.showEpisode(rw, r, status, v, &old) }
	if !parseForm(r) {
		show(http.StatusBadRequest, view{Error: errBadRequest, Values: episodeValues(old)})
		return
	}
	f := readEpisodeForm(r, &old, w.clock.Now())
	if len(f.bad) == 0 {
		_, err = w.det.UpdateEpisode(r.Context(), p, rec, old.CaseID, old.ID, f.in)
	}
	if w.caseSaved(rw, r, f.form(show), err, f.check) {
		http.Redirect(rw, r, casePath(old.CaseID, "detention")+"#episode-"+old.ID, http.StatusSeeOther)
	}
}
