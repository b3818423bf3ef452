// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// The transfer pages: offering a case to another organisation (from the
// case), the offers waiting for the reader's organisation (/transfers),
// and the confirmation before accepting or declining one. Accepting moves
// the case with its persons and records, so it is confirmed on a page of
// its own, as declining is; internal/cases decides and audits each step.

import (
	"net/http"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/ids"
)

// The transfer pages.
const (
	pageCaseTransfer    page = "case_transfer"
	pageTransfers       page = "transfers"
	pageTransferConfirm page = "transfer_confirm"
)

// Answers to an offer, confirmed on transfer_confirm.
const (
	transferAccept  = "accept"
	transferDecline = "decline"
)

// Notices after a transfer step (?done=).
const (
	transferDoneOffered   = "offered"
	transferDoneWithdrawn = "withdrawn"
	transferDoneDeclined  = "declined"
)

// transferRow is an offer as the pages show it.
type transferRow struct {
	ID, CaseID, CaseNumber string
	// From and To name the organisations.
	From, To  string
	OfferedAt time.Time
}

// caseTransferData is a case's transfer page: the offer waiting for an
// answer, or the form to make one.
type caseTransferData struct {
	Header caseHeader
	// Pending is the offer waiting, nil when none.
	Pending *transferRow
	Orgs    []option
	// Open is false for a closed case, which cannot be offered.
	Open bool
	Done string
}

// orgNames names every organisation but the reader's, by id.
func (w *Web) orgNames(r *http.Request) (map[string]string, []option, error) {
	orgs, err := w.cas.TransferTargets(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(orgs))
	opts := make([]option, len(orgs))
	for i, o := range orgs {
		names[o.ID], opts[i] = o.Name, option{Value: o.ID, Label: o.Name}
	}
	return names, opts, nil
}

func rowOf(t cases.Transfer, names map[string]string) transferRow {
	return transferRow{ID: t.ID, CaseID: t.CaseID, CaseNumber: t.CaseNumber, From: names[t.FromOrgID], To: names[t.ToOrgID],
		OfferedAt: t.OfferedAt}
}

// caseTransferForm shows the case's transfer page.
func (w *Web) caseTransferForm(rw http.ResponseWriter, r *http.Request) {
	w.renderCaseTransfer(rw, r, http.StatusOK, view{})
}

func (w *Web) renderCaseTransfer(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, h, ok := w.caseFor(rw, r, "")
	if !ok {
		return
	}
	names, opts, err := w.orgNames(r)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	d := &caseTransferData{Header: h, Orgs: opts, Open: c.Status != cases.StatusClosed,
		Done: adminDone(r, transferDoneOffered, transferDoneWithdrawn)}
	if t := c.PendingTransfer; t != nil {
		row := rowOf(*t, names)
		d.Pending = &row
	}
	v.Data = d
	w.render(rw, r, status, pageCaseTransfer, v)
}

// caseTransferOffer offers the case to the organisation chosen.
func (w *Web) caseTransferOffer(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(map[string]string{"to_org_id": "to_org_id"}),
		show: func(status int, v view) { w.renderCaseTransfer(rw, r, status, v) }}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, "to_org_id")
	t, err := w.cas.OfferTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), form.values["to_org_id"])
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(t.CaseID, "transfer")+"?done="+transferDoneOffered, http.StatusSeeOther)
	}
}

// transferWithdraw withdraws an offer, from its case's transfer page.
// Withdrawing destroys nothing (the case never left), so it needs no
// confirmation.
func (w *Web) transferWithdraw(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.errorPage(rw, r, http.StatusBadRequest)
		return
	}
	t, err := w.cas.WithdrawTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, casePath(t.CaseID, "transfer")+"?done="+transferDoneWithdrawn, http.StatusSeeOther)
}

// transfersData lists the offers waiting for the reader's organisation.
type transfersData struct {
	Offers []transferRow
	Done   string
}

// transferList shows the offers waiting for the reader's organisation.
func (w *Web) transferList(rw http.ResponseWriter, r *http.Request) {
	offers, names, err := w.pendingOffers(r)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	d := &transfersData{Done: adminDone(r, transferDoneDeclined)}
	for _, t := range offers {
		d.Offers = append(d.Offers, rowOf(t, names))
	}
	w.render(rw, r, http.StatusOK, pageTransfers, view{Data: d})
}

// pendingOffers returns the offers waiting for the reader's organisation
// and the names of the organisations.
func (w *Web) pendingOffers(r *http.Request) ([]cases.Transfer, map[string]string, error) {
	offers, err := w.cas.PendingTransfers(r.Context(), authn.PrincipalFrom(r.Context()))
	if err != nil {
		return nil, nil, err
	}
	names, _, err := w.orgNames(r)
	return offers, names, err
}

// transferConfirmData is the confirmation of an answer to an offer.
type transferConfirmData struct {
	Action string
	Offer  transferRow
}

// transferConfirmForm returns the handler of the confirmation page of
// answer: the offer of the path, which must be waiting for the reader's
// organisation (404 otherwise).
func (w *Web) transferConfirmForm(answer string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		w.renderTransferConfirm(rw, r, http.StatusOK, answer, view{})
	}
}

func (w *Web) renderTransferConfirm(rw http.ResponseWriter, r *http.Request, status int, answer string, v view) {
	offers, names, err := w.pendingOffers(r)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	i := slices.IndexFunc(offers, func(t cases.Transfer) bool { return t.ID == r.PathValue("id") })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	v.Data = &transferConfirmData{Action: answer, Offer: rowOf(offers[i], names)}
	w.render(rw, r, status, pageTransferConfirm, v)
}

// transferAccept accepts the offer: the case comes to the reader's
// organisation, with the reader as its caseworker, and the browser goes to
// it. A refusal (a person's consent withdrawn meanwhile, say) is shown on
// the confirmation page.
func (w *Web) transferAccept(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(nil),
		show: func(status int, v view) { w.renderTransferConfirm(rw, r, status, transferAccept, v) }}
	if !w.transferConfirmed(rw, r, form, transferAccept) {
		return
	}
	c, err := w.cas.AcceptTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), cases.Assignment{})
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, "/cases/"+c.ID, http.StatusSeeOther)
	}
}

// transferDecline declines the offer; the case stays where it was.
func (w *Web) transferDecline(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(nil),
		show: func(status int, v view) { w.renderTransferConfirm(rw, r, status, transferDecline, v) }}
	if !w.transferConfirmed(rw, r, form, transferDecline) {
		return
	}
	_, err := w.cas.DeclineTransfer(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, "/transfers?done="+transferDoneDeclined, http.StatusSeeOther)
	}
}

// transferConfirmed reads a post answering an offer with answer. It
// reports true for one sent from the confirmation page (confirm=yes); a
// post from anywhere else is sent to that page, which changes nothing, and
// an unreadable one is answered there.
func (w *Web) transferConfirmed(rw http.ResponseWriter, r *http.Request, form caseForm, answer string) bool {
	switch id := r.PathValue("id"); {
	case !parseForm(r):
		form.unreadable()
	case r.PostForm.Get("confirm") == "yes":
		return true
	case !ids.Valid(id):
		w.errorPage(rw, r, http.StatusNotFound)
	default:
		http.Redirect(rw, r, "/transfers/"+id+"/"+answer, http.StatusSeeOther)
	}
	return false
}
