// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
)

// The consular tab follows the notification owed to a detained foreign
// national (Vienna Convention on Consular Relations, art. 36): one record
// per episode and nationality, with the compliance the detention domain
// computes (told of the right in time, consulate notified in time where
// the person asked or an agreement makes it mandatory) and its overdue
// alerts at the top.

// consularData is the consular tab.
type consularData struct {
	Header caseHeader
	// Alerts are the consular alerts of the case's open episodes.
	Alerts   []alertRow
	Episodes []consularEpisode
	CanWrite bool
	Form     notificationForm
}

// consularEpisode is an episode with its notification records.
type consularEpisode struct {
	ID, Label, Person string
	Notifications     []notificationRow
}

// notificationRow is one notification record with its compliance.
type notificationRow struct {
	ID, Nationality, Consulate           string
	ArrestedAt                           time.Time
	ToldAt, NotifiedAt, FirstContactAt   *time.Time
	Requested                            string // yes, no, or "" when not recorded
	Mandatory, NotifiedAgainstWish       bool
	Told, Notified, NotificationRequired string
	ToldDeadline, NotifyDeadline         time.Time
}

// notificationForm is the form that records or changes a notification.
type notificationForm struct {
	// Episodes are the case's episodes, for a new record only.
	Episodes  []option
	Countries []option
	// Requested are the answers to "did the person ask?".
	Requested []option
}

// Values of the requested select.
const requestedNo = "no"

func newNotificationForm(loc *i18n.Locale, episodes []option) notificationForm {
	return notificationForm{Episodes: episodes, Countries: countryOptions(loc.Code()),
		Requested: codeOptions(loc, "consular.requested.", []string{yes, requestedNo})}
}

// isConsular says whether an alert is about consular notification.
func isConsular(k detention.AlertKind) bool {
	return k == detention.AlertConsularRightNotTold || k == detention.AlertConsulateNotNotified
}

func (w *Web) consularTab(rw http.ResponseWriter, r *http.Request) {
	w.showConsular(rw, r, http.StatusOK, view{})
}

// showConsular answers with the consular tab; v carries the new record's
// form values and errors after a refused post.
func (w *Web) showConsular(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, h, ok := w.caseFor(rw, r, "consular")
	if !ok {
		return
	}
	p, rec := authn.PrincipalFrom(r.Context()), caseScope(c)
	eps, err := w.det.ListEpisodes(r.Context(), p, rec, c.ID)
	var ns []detention.AssessedNotification
	if err == nil {
		ns, err = w.det.ListNotifications(r.Context(), p, rec, c.ID)
	}
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	loc := w.locale(r)
	persons, _ := casePersons(loc, c)
	labels := episodeLabels(loc, eps)
	d := &consularData{Header: h, Alerts: alertRows(h.alerts, persons, labels, isConsular),
		CanWrite: p.Allows(detention.PermWrite, rec)}
	var opts []option
	for _, ep := range eps {
		label := labels[ep.ID]
		opts = append(opts, option{Value: ep.ID, Label: label})
		ce := consularEpisode{ID: ep.ID, Label: label, Person: persons[ep.PersonID]}
		for _, n := range ns {
			if n.EpisodeID == ep.ID {
				ce.Notifications = append(ce.Notifications, notificationRowOf(loc.Code(), n))
			}
		}
		d.Episodes = append(d.Episodes, ce)
	}
	d.Form = newNotificationForm(loc, opts)
	v.Data = d
	w.render(rw, r, status, pageCaseConsular, v)
}

func notificationRowOf(lang string, n detention.AssessedNotification) notificationRow {
	c := n.Compliance
	row := notificationRow{ID: n.ID, Nationality: countryName(n.Nationality, lang), Consulate: n.Consulate,
		ArrestedAt: n.ArrestedAt, ToldAt: n.ToldAt, NotifiedAt: n.NotifiedAt, FirstContactAt: n.FirstContactAt,
		Mandatory: c.Mandatory, NotifiedAgainstWish: c.NotifiedAgainstWish, Told: string(c.Told),
		Notified: string(c.Notified), NotificationRequired: string(c.NotificationRequired),
		ToldDeadline: c.ToldDeadline, NotifyDeadline: c.NotifyDeadline}
	if n.Requested != nil {
		row.Requested = requestedValue(*n.Requested)
	}
	return row
}

func requestedValue(b bool) string {
	if b {
		return yes
	}
	return requestedNo
}

// notificationPost is the notification form as posted, as episodePost is
// for episodes.
type notificationPost struct {
	in     detention.NotificationInput
	values map[string]string
	bad    map[string]string
	check  error
}

// notificationFields are the fields of the form named as the domain names
// them, besides the episode of a new record.
var notificationFields = []string{"nationality", "consulate", "arrested_at", "told_at", "requested", "notified_at",
	"first_contact_at"}

// readNotificationForm reads the form; old is the record being changed,
// nil for a new one.
func readNotificationForm(r *http.Request, old *detention.Notification, now time.Time) notificationPost {
	f := notificationPost{values: formValues(r.PostForm, append([]string{"episode_id"}, notificationFields...)...),
		bad: map[string]string{}}
	var orig detention.NotificationInput
	if old != nil {
		orig = old.NotificationInput
	}
	f.in = detention.NotificationInput{Nationality: f.values["nationality"], Consulate: f.values["consulate"]}
	if t := formTime(r, "arrested_at", formDateTime, &orig.ArrestedAt, f.bad); t != nil {
		f.in.ArrestedAt = *t
	}
	f.in.ToldAt = formTime(r, "told_at", formDateTime, orig.ToldAt, f.bad)
	f.in.NotifiedAt = formTime(r, "notified_at", formDateTime, orig.NotifiedAt, f.bad)
	f.in.FirstContactAt = formTime(r, "first_contact_at", formDateTime, orig.FirstContactAt, f.bad)
	switch f.values["requested"] {
	case "":
	case yes, requestedNo:
		f.in.Requested = new(f.values["requested"] == yes)
	default:
		f.bad["requested"] = fielderr.CodeInvalid
	}
	if len(f.bad) > 0 {
		// The detaining country is not needed to find the other errors.
		if _, errs := detention.NormalizeNotification(f.in, "", now); len(errs) > 0 {
			f.check = &fielderr.Error{Errors: errs}
		}
	}
	return f
}

func (f notificationPost) form(show func(status int, v view)) caseForm {
	return caseForm{show: show, values: f.values, fields: f.bad, place: placeIn(append([]string{"episode_id"}, notificationFields...))}
}

// notificationValues fills the form from n.
func notificationValues(n detention.Notification) map[string]string {
	v := map[string]string{"episode_id": n.EpisodeID, "nationality": n.Nationality, "consulate": n.Consulate,
		"arrested_at": formatTime(n.ArrestedAt, formDateTime), "told_at": formatTimePtr(n.ToldAt, formDateTime),
		"notified_at":      formatTimePtr(n.NotifiedAt, formDateTime),
		"first_contact_at": formatTimePtr(n.FirstContactAt, formDateTime)}
	if n.Requested != nil {
		v["requested"] = requestedValue(*n.Requested)
	}
	return v
}

// notificationCreate records a notification from the tab's form. The
// episode is chosen in the form: one the case does not hold is the
// field's error, not a missing page.
func (w *Web) notificationCreate(rw http.ResponseWriter, r *http.Request) {
	show := func(status int, v view) { w.showConsular(rw, r, status, v) }
	if !parseForm(r) {
		show(http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	f := readNotificationForm(r, nil, w.clock.Now())
	episode := f.values["episode_id"]
	if episode == "" {
		f.bad["episode_id"] = "required"
	}
	rec, err := w.caseRecord(r, detention.PermWrite)
	if err == nil && len(f.bad) == 0 {
		_, err = w.det.CreateNotification(r.Context(), authn.PrincipalFrom(r.Context()), rec, r.PathValue("id"), episode, f.in)
		if errors.Is(err, detention.ErrNotFound) {
			// The case was reached above, so it is the episode.
			err = fielderr.One("episode_id", "not_found")
		}
	}
	if w.caseSaved(rw, r, f.form(show), err, f.check) {
		http.Redirect(rw, r, casePath(r.PathValue("id"), "consular"), http.StatusSeeOther)
	}
}

// notificationEditData is the page that changes a notification record.
type notificationEditData struct {
	Header  caseHeader
	ID      string
	Episode string
	Form    notificationForm
}

func (w *Web) notificationEditForm(rw http.ResponseWriter, r *http.Request) {
	w.showNotification(rw, r, http.StatusOK, view{}, nil)
}

// showNotification answers with the edit page of the request's record,
// filled from it unless v carries a refused post's values.
func (w *Web) showNotification(rw http.ResponseWriter, r *http.Request, status int, v view, n *detention.Notification) {
	c, h, ok := w.caseFor(rw, r, "consular")
	if !ok {
		return
	}
	p, rec := authn.PrincipalFrom(r.Context()), caseScope(c)
	if n == nil {
		got, err := w.det.GetNotification(r.Context(), p, rec, c.ID, r.PathValue("notification_id"))
		if err != nil {
			w.caseFail(rw, r, err)
			return
		}
		n = &got.Notification
	}
	ep, err := w.det.GetEpisode(r.Context(), p, rec, c.ID, n.EpisodeID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	if v.Values == nil {
		v.Values = notificationValues(*n)
	}
	loc := w.locale(r)
	v.Data = &notificationEditData{Header: h, ID: n.ID, Episode: episodeLabels(loc, []detention.Episode{ep})[ep.ID],
		Form: newNotificationForm(loc, nil)}
	w.render(rw, r, status, pageCaseNotification, v)
}

// notificationUpdate saves the edit page; times left as shown keep their
// full precision.
func (w *Web) notificationUpdate(rw http.ResponseWriter, r *http.Request) {
	p := authn.PrincipalFrom(r.Context())
	rec, err := w.caseRecord(r, detention.PermWrite)
	var old detention.AssessedNotification
	if err == nil {
		old, err = w.det.GetNotification(r.Context(), p, rec, r.PathValue("id"), r.PathValue("notification_id"))
	}
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	show := func(status int, v view) { w.showNotification(rw, r, status, v, &old.Notification) }
	if !parseForm(r) {
		show(http.StatusBadRequest, view{Error: errBadRequest, Values: notificationValues(old.Notification)})
		return
	}
	f := readNotificationForm(r, &old.Notification, w.clock.Now())
	if len(f.bad) == 0 {
		_, err = w.det.UpdateNotification(r.Context(), p, rec, r.PathValue("id"), old.ID, f.in)
	}
	if w.caseSaved(rw, r, f.form(show), err, f.check) {
		http.Redirect(rw, r, casePath(r.PathValue("id"), "consular")+"#notification-"+old.ID, http.StatusSeeOther)
	}
}
