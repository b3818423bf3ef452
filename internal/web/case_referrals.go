// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/referrals"
)

// The referrals tab lists the referrals made from the case and makes new
// ones to the providers of the directory (the resolution's ¶7). Sending
// one to another organisation needs the person's recorded consent for that
// organisation; without it the referrals domain refuses, the page says so
// beside the provider, and nothing changes. A reader holding
// referral.override_consent is then offered to send it anyway, giving one
// of the domain's reasons, which the domain audits.

// referralsData is the referrals tab.
type referralsData struct {
	Header    caseHeader
	Referrals []referralRow
	// CanWrite is true when the reader may send and move referrals;
	// Override when a refusal for want of consent is to be answered with
	// the offer to override it.
	CanWrite, Override bool
	Form               referralForm
}

// referralRow is a referral as the case's tabs show it.
type referralRow struct {
	ID, Person, ServiceType, Provider, Status, Outcome, Basis, OverrideReason string
	// External is true for a provider outside Amparo, whose answers the
	// sender records.
	External          bool
	DueAt             *time.Time
	SentAt, UpdatedAt time.Time
	// Moves are the statuses the reader may move it to.
	Moves []string
}

// referralForm is the form that sends a referral.
type referralForm struct {
	Persons, ServiceTypes, Providers, OverrideReasons []option
}

// referralsTab shows the tab. The form's values may come in the query:
// its "show providers" button sends them there to narrow the providers to
// the service type chosen. They are ids and codes, never personal data.
func (w *Web) referralsTab(rw http.ResponseWriter, r *http.Request) {
	w.showReferrals(rw, r, http.StatusOK, view{Values: formValues(r.URL.Query(), referralFields...)})
}

// showReferrals answers with the referrals tab; v carries the form's
// values and errors after a refused post. The providers offered are those
// of the service type chosen, if one is.
func (w *Web) showReferrals(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, h, ok := w.caseFor(rw, r, "referrals")
	if !ok {
		return
	}
	p, rec := authn.PrincipalFrom(r.Context()), caseScope(c)
	refs, err := w.ref.ForCase(r.Context(), p, c.ID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	loc := w.locale(r)
	persons, personOpts := casePersons(loc, c)
	canWrite := p.Allows(referrals.PermWrite, rec)
	rows, err := w.referralRows(r, refs, persons, canWrite)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	d := &referralsData{Header: h, Referrals: rows, CanWrite: canWrite,
		Override: p.Allows(referrals.PermOverrideConsent, rec) &&
			(v.Fields["consent"] != "" || v.Fields["override_reason"] != "" || v.Values["override_reason"] != ""),
		Form: referralForm{Persons: personOpts, ServiceTypes: codeOptions(loc, "service_type.", referrals.ServiceTypes()),
			OverrideReasons: codeOptions(loc, "referral.override_reason.", referrals.OverrideReasons())}}
	service := v.Values["service_type"]
	if !referrals.KnownServiceType(service) {
		service = ""
	}
	providers, _, err := w.ref.Providers(r.Context(), p, referrals.ProviderFilter{ServiceType: service},
		referrals.Page{Limit: maxListed})
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	for _, pr := range providers {
		d.Form.Providers = append(d.Form.Providers, option{Value: pr.ID,
			Label: loc.T("referral.provider_option", "name", pr.Name, "country", countryName(pr.Country, loc.Code()))})
	}
	v.Data = d
	w.render(rw, r, status, pageCaseReferrals, v)
}

// referralRows prepares refs for a tab, naming persons and providers; the
// moves offered are those the sending side may make when canWrite.
func (w *Web) referralRows(r *http.Request, refs []referrals.Referral, persons map[string]string, canWrite bool) ([]referralRow, error) {
	p := authn.PrincipalFrom(r.Context())
	names := map[string]string{}
	out := make([]referralRow, 0, len(refs))
	for _, rf := range refs {
		if _, ok := names[rf.ProviderID]; !ok {
			pr, err := w.ref.Provider(r.Context(), p, rf.ProviderID)
			if err != nil {
				return nil, err
			}
			names[rf.ProviderID] = pr.Name
		}
		row := referralRow{ID: rf.ID, Person: persons[rf.PersonID], ServiceType: rf.ServiceType,
			Provider: names[rf.ProviderID], Status: string(rf.Status), Outcome: rf.Outcome, Basis: string(rf.Basis),
			OverrideReason: rf.OverrideReason, External: rf.ToOrgID == "", DueAt: rf.DueAt, SentAt: rf.SentAt,
			UpdatedAt: rf.UpdatedAt}
		if canWrite {
			row.Moves = senderMoves(rf)
		}
		out = append(out, row)
	}
	return out, nil
}

// senderMoves are the statuses the sending side may move rf to: revoking
// it, and for a provider outside Amparo also recording the provider's
// answers.
func senderMoves(rf referrals.Referral) []string {
	sides := []referrals.Side{referrals.SideSender}
	if rf.ToOrgID == "" {
		sides = append(sides, referrals.SideReceiver)
	}
	var out []string
	for _, to := range referrals.Statuses() {
		if referrals.CanMove(rf.Status, to, sides...) {
			out = append(out, string(to))
		}
	}
	return out
}

// referralFields are the fields of the referral form.
var referralFields = []string{"person_id", "service_type", "provider_id", "due_at", "override_reason"}

// referralCreate sends a referral from the tab's form. A refusal shows the
// tab again with the errors beside the fields and changes nothing.
func (w *Web) referralCreate(rw http.ResponseWriter, r *http.Request) {
	show := func(status int, v view) { w.showReferrals(rw, r, status, v) }
	if !parseForm(r) {
		show(http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	values := formValues(r.PostForm, referralFields...)
	bad := map[string]string{}
	in := referrals.NewReferral{PersonID: values["person_id"], ProviderID: values["provider_id"],
		ServiceType: values["service_type"], DueAt: formTime(r, "due_at", formDate, nil, bad),
		OverrideReason: values["override_reason"]}
	var err error
	if len(bad) == 0 {
		_, err = w.ref.Create(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	}
	// "consent" is the refusal for want of consent, which the page shows
	// beside the provider.
	f := caseForm{show: show, values: values, fields: bad, place: placeIn(append([]string{"consent"}, referralFields...))}
	if w.caseSaved(rw, r, f, err) {
		http.Redirect(rw, r, casePath(r.PathValue("id"), "referrals"), http.StatusSeeOther)
	}
}

// placeIn shows the errors of the domain fields named in fields beside
// the form fields of the same name, and any other above the form.
func placeIn(fields []string) errorPlace {
	return func(fe fielderr.FieldError) (string, string) {
		if slices.Contains(fields, fe.Field) {
			return fe.Field, fe.Code
		}
		return "", fe.Code
	}
}

// referralMoveData is the page that confirms a status move, with the
// reason or outcome the move takes.
type referralMoveData struct {
	Header   caseHeader
	Referral referralRow
	To       string
	Codes    []option
}

// referralFor returns the request's referral of case c, with its row; a
// referral of another case answers 404.
func (w *Web) referralFor(r *http.Request, loc *i18n.Locale, c cases.Case) (referralRow, error) {
	rf, err := w.ref.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("referral_id"))
	if err == nil && rf.CaseID != c.ID {
		err = referrals.ErrNotFound
	}
	if err != nil {
		return referralRow{}, err
	}
	persons, _ := casePersons(loc, c)
	rows, err := w.referralRows(r, []referrals.Referral{rf}, persons, true)
	if err != nil {
		return referralRow{}, err
	}
	return rows[0], nil
}

// referralMoveForm asks to confirm moving a referral to ?to=, one of the
// moves the tab offers; any other answers 404, as there is nothing to
// confirm.
func (w *Web) referralMoveForm(rw http.ResponseWriter, r *http.Request) {
	w.showReferralMove(rw, r, http.StatusOK, view{}, r.URL.Query().Get("to"))
}

func (w *Web) showReferralMove(rw http.ResponseWriter, r *http.Request, status int, v view, to string) {
	c, h, ok := w.caseFor(rw, r, "referrals")
	if !ok {
		return
	}
	loc := w.locale(r)
	row, err := w.referralFor(r, loc, c)
	// A move the referral no longer allows is shown with the refusal that
	// says so; one it never could is not a page.
	if err == nil && (!isMoveTarget(to) || !slices.Contains(row.Moves, to) && v.Error == "") {
		err = referrals.ErrNotFound
	}
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	v.Data = &referralMoveData{Header: h, Referral: row, To: to,
		Codes: codeOptions(loc, "referral.outcome.", referrals.OutcomeCodes(referrals.Status(to)))}
	w.render(rw, r, status, pageCaseReferralMove, v)
}

// isMoveTarget says whether a referral can ever be moved to status to.
func isMoveTarget(to string) bool {
	return slices.ContainsFunc(referrals.Transitions(), func(t referrals.Transition) bool { return string(t.To) == to })
}

// referralMove makes the move confirmed on its page. A move the referral
// no longer allows (someone moved it meanwhile) is said above the form.
func (w *Web) referralMove(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	values := formValues(r.PostForm, "to", "code")
	c, err := w.cas.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err == nil {
		_, err = w.referralFor(r, w.locale(r), c)
	}
	if err == nil {
		_, err = w.ref.Move(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("referral_id"),
			referrals.Status(values["to"]), values["code"])
	}
	show := func(status int, v view) { w.showReferralMove(rw, r, status, v, values["to"]) }
	f := caseForm{show: show, values: values, place: renamed(map[string]string{"outcome": "code"})}
	if w.caseSaved(rw, r, f, err) {
		http.Redirect(rw, r, casePath(r.PathValue("id"), "referrals")+"#referral-"+r.PathValue("referral_id"),
			http.StatusSeeOther)
	}
}
