// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
)

// caseConcernsData is the concerns tab: the risk level and protection
// concerns, and the workflow, with the moves the case may make from its
// status and its closure, asked for by one person and approved by
// another.
type caseConcernsData struct {
	Header   caseHeader
	Risks    []option
	Concerns []checkOption
	// Moves are the workflow's moves from the case's status, closing
	// aside (it takes a request and an approval).
	Moves []cases.Transition
	// CanClose is true when the case may be asked to close from its
	// status; Reasons are the reasons to give.
	CanClose bool
	Reasons  []option
	// Request is the closure request waiting for approval, nil when none;
	// RequestedBy names who asked ("" when the reader may not see them).
	Request     *cases.ClosureRequest
	RequestedBy string
	// Closure says why and when the case was closed, nil unless closed.
	Closure *cases.Closure
	// CanUpdate is true when the reader may change the case; CanDecide
	// when they may approve or reject the pending request (holding
	// case.approve_closure on it, and not having asked themselves).
	CanUpdate, CanDecide bool
}

// caseConcernsTab shows the concerns tab.
func (w *Web) caseConcernsTab(rw http.ResponseWriter, r *http.Request) {
	w.renderConcerns(rw, r, http.StatusOK, view{})
}

// renderConcerns shows the concerns tab with v's form state; the form
// shows the case's risk and concerns unless v holds posted ones.
func (w *Web) renderConcerns(rw http.ResponseWriter, r *http.Request, status int, v view) {
	c, h, ok := w.caseFor(rw, r, "concerns")
	if !ok {
		return
	}
	loc := w.locale(r)
	p := authn.PrincipalFrom(r.Context())
	// A refused change of the risk shows the posted risk and concerns
	// again (the concerns kept in one value, separated by spaces).
	ticked := strings.Fields(v.Values["concerns"])
	if _, posted := v.Values["risk"]; !posted {
		if v.Values == nil {
			v.Values = map[string]string{}
		}
		v.Values["risk"] = string(c.Risk)
		ticked = nil
		for _, k := range c.Concerns {
			ticked = append(ticked, string(k))
		}
	}
	d := &caseConcernsData{Header: h, Risks: codeOptions(loc, "cases.risk.", cases.Risks),
		Concerns: concernChecks(loc, ticked), Reasons: codeOptions(loc, "cases.closure_reason.", cases.ClosureReasons),
		Request: c.ClosureRequest, Closure: c.Closure, CanUpdate: p.Allows(cases.PermUpdate, caseScope(c))}
	for _, t := range cases.Transitions {
		switch {
		case t.From != c.Status:
		case t.Move == cases.MoveClose:
			d.CanClose = c.ClosureRequest == nil
		default:
			d.Moves = append(d.Moves, t)
		}
	}
	if c.ClosureRequest != nil {
		d.CanDecide = p.Allows(cases.PermApproveClosure, caseScope(c)) && c.ClosureRequest.RequestedBy != p.UserID
		names, _, err := w.userNames(r)
		if err != nil {
			w.caseFail(rw, r, err)
			return
		}
		d.RequestedBy = names[c.ClosureRequest.RequestedBy]
	}
	v.Data = d
	w.render(rw, r, status, pageCaseConcerns, v)
}

// codeCaseTransition is the page's code for a move the workflow does not
// allow (the domain's invalid_transition, whose words elsewhere are about
// referrals).
const codeCaseTransition = "case_invalid_transition"

// concernsForm is a form of the concerns tab: a refusal shows the tab
// again, with the field errors named in fields beside the form fields of
// the same name, and the others above the form.
func (w *Web) concernsForm(rw http.ResponseWriter, r *http.Request, fields ...string) caseForm {
	place := func(fe fielderr.FieldError) (string, string) {
		code := fe.Code
		if code == cases.CodeInvalidTransition {
			code = codeCaseTransition
		}
		if slices.Contains(fields, fe.Field) {
			return fe.Field, code
		}
		return "", code
	}
	return caseForm{place: place, show: func(status int, v view) { w.renderConcerns(rw, r, status, v) }}
}

// caseConcernsUpdate changes the case's risk level and concerns.
func (w *Web) caseConcernsUpdate(rw http.ResponseWriter, r *http.Request) {
	form := w.concernsForm(rw, r, "risk", "concerns")
	if !parseForm(r) {
		form.unreadable()
		return
	}
	f := r.PostForm
	ticked := f["concerns"]
	form.values = map[string]string{"risk": f.Get("risk"), "concerns": strings.Join(ticked, " ")}
	risk, concerns := cases.Risk(f.Get("risk")), toConcerns(ticked)
	c, err := w.cas.Update(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		cases.Changes{Risk: &risk, Concerns: &concerns})
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(c.ID, "concerns"), http.StatusSeeOther)
	}
}

// caseStatus moves the case to the status posted (to), as the workflow
// allows.
func (w *Web) caseStatus(rw http.ResponseWriter, r *http.Request) {
	form := w.concernsForm(rw, r)
	if !parseForm(r) {
		form.unreadable()
		return
	}
	c, err := w.cas.ChangeStatus(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		cases.Status(r.PostForm.Get("to")))
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(c.ID, "concerns"), http.StatusSeeOther)
	}
}

// caseClosureRequest asks for the case to be closed, for a reason.
func (w *Web) caseClosureRequest(rw http.ResponseWriter, r *http.Request) {
	form := w.concernsForm(rw, r, "reason")
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, "reason")
	c, err := w.cas.RequestClosure(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"),
		cases.ClosureReason(form.values["reason"]))
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(c.ID, "concerns")+"#workflow", http.StatusSeeOther)
	}
}

// caseClosureConfirm asks the approver to confirm that the case closes.
func (w *Web) caseClosureConfirm(rw http.ResponseWriter, r *http.Request) {
	c, h, ok := w.caseFor(rw, r, "concerns")
	if !ok {
		return
	}
	if c.ClosureRequest == nil {
		http.Redirect(rw, r, casePath(c.ID, "concerns"), http.StatusSeeOther)
		return
	}
	w.render(rw, r, http.StatusOK, pageCaseConfirm, view{Data: &caseConfirmData{Header: h, Action: confirmClose,
		Post: casePath(c.ID, "closure/approve"), Back: casePath(c.ID, "concerns"), Reason: string(c.ClosureRequest.Reason)}})
}

// caseClosureApprove closes the case as its pending request asks; the
// one who asked may not approve.
func (w *Web) caseClosureApprove(rw http.ResponseWriter, r *http.Request) {
	c, err := w.cas.ApproveClosure(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if w.caseSaved(rw, r, w.concernsForm(rw, r), err) {
		http.Redirect(rw, r, casePath(c.ID, "concerns"), http.StatusSeeOther)
	}
}

// caseClosureReject turns the pending closure request down.
func (w *Web) caseClosureReject(rw http.ResponseWriter, r *http.Request) {
	c, err := w.cas.RejectClosure(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	if w.caseSaved(rw, r, w.concernsForm(rw, r), err) {
		http.Redirect(rw, r, casePath(c.ID, "concerns"), http.StatusSeeOther)
	}
}
