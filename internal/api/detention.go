// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Detention episodes and consular notifications belong to a case: every
// handler first asks the cases domain whether the caller reaches the case
// with the detention permission (cases.Service.Reach), and hands the
// domain the case's scope record. They live under /cases/{id} because the
// detention domain finds an episode only through its case.

type alternativeJSON struct {
	Kind       string `json:"kind"`
	Considered bool   `json:"considered"`
	Applied    bool   `json:"applied"`
}

type episodeJSON struct {
	ID                   string            `json:"id"`
	OrgID                string            `json:"org_id"`
	CaseID               string            `json:"case_id"`
	PersonID             string            `json:"person_id"`
	FacilityType         string            `json:"facility_type"`
	FacilityCountry      string            `json:"facility_country"`
	Authority            string            `json:"authority"`
	Start                string            `json:"start"`
	End                  *string           `json:"end"`
	LegalBasis           string            `json:"legal_basis"`
	ImmigrationRelated   bool              `json:"immigration_related"`
	ImmigrationDetention bool              `json:"immigration_detention"`
	JudicialReviews      []string          `json:"judicial_reviews"`
	Alternatives         []alternativeJSON `json:"alternatives"`
	CreatedBy            string            `json:"created_by"`
	CreatedAt            string            `json:"created_at"`
	UpdatedBy            string            `json:"updated_by"`
	UpdatedAt            string            `json:"updated_at"`
}

func toEpisode(e detention.Episode) episodeJSON {
	out := episodeJSON{ID: e.ID, OrgID: e.OrgID, CaseID: e.CaseID, PersonID: e.PersonID,
		FacilityType: string(e.FacilityType), FacilityCountry: e.FacilityCountry, Authority: e.Authority,
		Start: ts(e.Start), End: timePtr(e.End), LegalBasis: e.LegalBasis, ImmigrationRelated: e.ImmigrationRelated,
		ImmigrationDetention: e.ImmigrationDetention(), JudicialReviews: []string{}, Alternatives: []alternativeJSON{},
		CreatedBy: e.CreatedBy, CreatedAt: ts(e.CreatedAt), UpdatedBy: e.UpdatedBy, UpdatedAt: ts(e.UpdatedAt)}
	for _, t := range e.JudicialReviews {
		out.JudicialReviews = append(out.JudicialReviews, ts(t))
	}
	for _, alt := range e.Alternatives {
		out.Alternatives = append(out.Alternatives, alternativeJSON{string(alt.Kind), alt.Considered, alt.Applied})
	}
	return out
}

// episodeBody is an episode as a client writes it: on creation and on
// replacement alike, every field is given (those left out are empty).
type episodeBody struct {
	PersonID           string            `json:"person_id"`
	FacilityType       string            `json:"facility_type"`
	FacilityCountry    string            `json:"facility_country"`
	Authority          string            `json:"authority"`
	Start              string            `json:"start"`
	End                *string           `json:"end"`
	LegalBasis         string            `json:"legal_basis"`
	ImmigrationRelated bool              `json:"immigration_related"`
	JudicialReviews    []string          `json:"judicial_reviews"`
	Alternatives       []alternativeJSON `json:"alternatives"`
}

func (b episodeBody) input() (detention.EpisodeInput, error) {
	var bad []accounts.FieldError
	in := detention.EpisodeInput{FacilityType: detention.FacilityType(b.FacilityType), FacilityCountry: b.FacilityCountry,
		Authority: b.Authority, Start: parseTime("start", b.Start, &bad), End: parseTimePtr("end", b.End, &bad),
		LegalBasis: b.LegalBasis, ImmigrationRelated: b.ImmigrationRelated}
	for i, s := range b.JudicialReviews {
		in.JudicialReviews = append(in.JudicialReviews, parseTime("judicial_reviews."+strconv.Itoa(i), s, &bad))
	}
	for _, alt := range b.Alternatives {
		in.Alternatives = append(in.Alternatives, detention.Alternative{Kind: detention.AlternativeKind(alt.Kind),
			Considered: alt.Considered, Applied: alt.Applied})
	}
	if len(bad) > 0 {
		return in, &accounts.ValidationError{Errors: bad}
	}
	return in, nil
}

// reach returns the scope record of the request's case when the caller may
// exercise perm on it, or has answered the request.
func (a *API) reach(w http.ResponseWriter, r *http.Request, perm access.Permission) (access.Record, bool) {
	rec, err := a.cas.Reach(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), perm)
	if err != nil {
		a.fail(w, r, err)
		return rec, false
	}
	return rec, true
}

// reachWith decodes the request's body into body, then is reach.
func (a *API) reachWith(w http.ResponseWriter, r *http.Request, perm access.Permission, body any) (access.Record, bool) {
	if !httpx.DecodeJSON(w, r, body) {
		return access.Record{}, false
	}
	return a.reach(w, r, perm)
}

func (a *API) createEpisode(w http.ResponseWriter, r *http.Request) {
	var body episodeBody
	rec, ok := a.reachWith(w, r, detention.PermWrite, &body)
	if !ok {
		return
	}
	in, err := body.input()
	var ep detention.Episode
	if err == nil {
		ep, err = a.det.CreateEpisode(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"), body.PersonID, in)
	}
	writeOne(a, w, r, http.StatusCreated, ep, err, toEpisode)
}

func (a *API) listEpisodes(w http.ResponseWriter, r *http.Request) {
	rec, ok := a.reach(w, r, detention.PermRead)
	if !ok {
		return
	}
	eps, err := a.det.ListEpisodes(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"))
	writeList(a, w, r, eps, "", err, toEpisode)
}

func (a *API) getEpisode(w http.ResponseWriter, r *http.Request) {
	rec, ok := a.reach(w, r, detention.PermRead)
	if !ok {
		return
	}
	ep, err := a.det.GetEpisode(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"), r.PathValue("episode_id"))
	writeOne(a, w, r, http.StatusOK, ep, err, toEpisode)
}

// updateEpisode replaces what is recorded of an episode; its person cannot
// change, so person_id is refused.
func (a *API) updateEpisode(w http.ResponseWriter, r *http.Request) {
	var body episodeBody
	rec, ok := a.reachWith(w, r, detention.PermWrite, &body)
	if !ok {
		return
	}
	in, err := body.input()
	if err == nil && body.PersonID != "" {
		err = &detention.ValidationError{Errors: []detention.FieldError{{Field: "person_id", Code: "not_allowed"}}}
	}
	var ep detention.Episode
	if err == nil {
		ep, err = a.det.UpdateEpisode(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"), r.PathValue("episode_id"), in)
	}
	writeOne(a, w, r, http.StatusOK, ep, err, toEpisode)
}

type complianceJSON struct {
	Mandatory            bool   `json:"mandatory"`
	Told                 string `json:"told"`
	ToldDeadline         string `json:"told_deadline"`
	NotificationRequired string `json:"notification_required"`
	Notified             string `json:"notified"`
	NotifyDeadline       string `json:"notify_deadline"`
	NotifiedAgainstWish  bool   `json:"notified_against_wish"`
}

type notificationJSON struct {
	ID             string         `json:"id"`
	OrgID          string         `json:"org_id"`
	EpisodeID      string         `json:"episode_id"`
	Nationality    string         `json:"nationality"`
	Consulate      string         `json:"consulate"`
	ArrestedAt     string         `json:"arrested_at"`
	ToldAt         *string        `json:"told_at"`
	Requested      *bool          `json:"requested"`
	NotifiedAt     *string        `json:"notified_at"`
	FirstContactAt *string        `json:"first_contact_at"`
	Compliance     complianceJSON `json:"compliance"`
	CreatedBy      string         `json:"created_by"`
	CreatedAt      string         `json:"created_at"`
	UpdatedBy      string         `json:"updated_by"`
	UpdatedAt      string         `json:"updated_at"`
}

func toNotification(n detention.AssessedNotification) notificationJSON {
	c := n.Compliance
	return notificationJSON{ID: n.ID, OrgID: n.OrgID, EpisodeID: n.EpisodeID, Nationality: n.Nationality,
		Consulate: n.Consulate, ArrestedAt: ts(n.ArrestedAt), ToldAt: timePtr(n.ToldAt), Requested: n.Requested,
		NotifiedAt: timePtr(n.NotifiedAt), FirstContactAt: timePtr(n.FirstContactAt),
		Compliance: complianceJSON{c.Mandatory, string(c.Told), ts(c.ToldDeadline), string(c.NotificationRequired),
			string(c.Notified), ts(c.NotifyDeadline), c.NotifiedAgainstWish},
		CreatedBy: n.CreatedBy, CreatedAt: ts(n.CreatedAt), UpdatedBy: n.UpdatedBy, UpdatedAt: ts(n.UpdatedAt)}
}

type notificationBody struct {
	Nationality    string  `json:"nationality"`
	Consulate      string  `json:"consulate"`
	ArrestedAt     string  `json:"arrested_at"`
	ToldAt         *string `json:"told_at"`
	Requested      *bool   `json:"requested"`
	NotifiedAt     *string `json:"notified_at"`
	FirstContactAt *string `json:"first_contact_at"`
}

func (b notificationBody) input() (detention.NotificationInput, error) {
	var bad []accounts.FieldError
	in := detention.NotificationInput{Nationality: b.Nationality, Consulate: b.Consulate,
		ArrestedAt: parseTime("arrested_at", b.ArrestedAt, &bad), ToldAt: parseTimePtr("told_at", b.ToldAt, &bad),
		Requested: b.Requested, NotifiedAt: parseTimePtr("notified_at", b.NotifiedAt, &bad),
		FirstContactAt: parseTimePtr("first_contact_at", b.FirstContactAt, &bad)}
	if len(bad) > 0 {
		return in, &accounts.ValidationError{Errors: bad}
	}
	return in, nil
}

func (a *API) createNotification(w http.ResponseWriter, r *http.Request) {
	a.saveNotification(w, r, http.StatusCreated, "episode_id", a.det.CreateNotification)
}

func (a *API) updateNotification(w http.ResponseWriter, r *http.Request) {
	a.saveNotification(w, r, http.StatusOK, "notification_id", a.det.UpdateNotification)
}

// saveNotification decodes a notification, reaches its case and answers
// with what save recorded under the path value named key.
func (a *API) saveNotification(w http.ResponseWriter, r *http.Request, status int, key string,
	save func(context.Context, access.Principal, access.Record, string, string, detention.NotificationInput) (detention.AssessedNotification, error)) {
	var body notificationBody
	rec, ok := a.reachWith(w, r, detention.PermWrite, &body)
	if !ok {
		return
	}
	in, err := body.input()
	var n detention.AssessedNotification
	if err == nil {
		n, err = save(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"), r.PathValue(key), in)
	}
	writeOne(a, w, r, status, n, err, toNotification)
}

func (a *API) listNotifications(w http.ResponseWriter, r *http.Request) {
	rec, ok := a.reach(w, r, detention.PermRead)
	if !ok {
		return
	}
	ns, err := a.det.ListNotifications(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"))
	writeList(a, w, r, ns, "", err, toNotification)
}

type alertJSON struct {
	Kind           string  `json:"kind"`
	Priority       string  `json:"priority"`
	CaseID         string  `json:"case_id"`
	PersonID       string  `json:"person_id"`
	EpisodeID      *string `json:"episode_id"`
	NotificationID *string `json:"notification_id"`
	Since          string  `json:"since"`
	Due            string  `json:"due"`
	Child          *string `json:"child"`
}

// caseAlerts answers the detention and consular alerts of the case's open
// episodes, most urgent first, evaluated now with the organisation's
// settings. Alerts name records by id only.
func (a *API) caseAlerts(w http.ResponseWriter, r *http.Request) {
	rec, ok := a.reach(w, r, detention.PermRead)
	if !ok {
		return
	}
	all, err := a.det.OpenAlerts(r.Context(), rec.OrgID, a.clock.Now())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := list[alertJSON]{Items: []alertJSON{}}
	for _, al := range all {
		if al.CaseID != r.PathValue("id") {
			continue
		}
		out.Items = append(out.Items, alertJSON{Kind: string(al.Kind), Priority: al.Priority.String(), CaseID: al.CaseID,
			PersonID: al.PersonID, EpisodeID: orNull(al.EpisodeID), NotificationID: orNull(al.NotificationID),
			Since: ts(al.Since), Due: ts(al.Due), Child: orNull(string(al.Child))})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
}

type legalLimitJSON struct {
	Country   string `json:"country"`
	MaxDays   int    `json:"max_days"`
	Source    string `json:"source"`
	AsOf      string `json:"as_of"`
	UpdatedAt string `json:"updated_at"`
}

// toLegalLimit leaves out who last changed the record: the limits are
// public, the people who keep them are not.
func toLegalLimit(l detention.LegalLimit) legalLimitJSON {
	return legalLimitJSON{l.Country, l.MaxDays, l.Source, l.AsOf, ts(l.UpdatedAt)}
}

func (a *API) listLegalLimits(w http.ResponseWriter, r *http.Request) {
	ls, err := a.det.LegalLimits(r.Context())
	writeList(a, w, r, ls, "", err, toLegalLimit)
}

func (a *API) putLegalLimit(w http.ResponseWriter, r *http.Request) {
	var body struct {
		MaxDays int    `json:"max_days"`
		Source  string `json:"source"`
		AsOf    string `json:"as_of"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	l, err := a.det.PutLegalLimit(r.Context(), authn.PrincipalFrom(r.Context()), detention.LegalLimit{
		Country: r.PathValue("country"), MaxDays: body.MaxDays, Source: body.Source, AsOf: body.AsOf})
	writeOne(a, w, r, http.StatusOK, l, err, toLegalLimit)
}
