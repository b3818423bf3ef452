// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/persons"
)

// caseIdentityData is the identity form of a person of a case: changing a
// linked person's (PersonID), or registering a family or group member
// and linking them (PersonID "", with a role and relation).
type caseIdentityData struct {
	Header   caseHeader
	Identity identityChoices
	PersonID string
	// Roles and Relations are the choices of a new member's link.
	Roles, Relations []option
}

// caseMemberForm shows the form that registers a family or group member.
func (w *Web) caseMemberForm(rw http.ResponseWriter, r *http.Request) {
	w.renderIdentity(rw, r, http.StatusOK, "", view{Values: map[string]string{"role": string(cases.RoleFamilyMember)}})
}

// caseIdentityForm shows the identity of a linked person in the form that
// changes it; the read is audited by the persons domain.
func (w *Web) caseIdentityForm(rw http.ResponseWriter, r *http.Request) {
	_, _, l, ok := w.caseLinked(rw, r)
	if !ok {
		return
	}
	p, err := w.per.Get(r.Context(), authn.PrincipalFrom(r.Context()), l.PersonID)
	if err != nil {
		w.caseFail(rw, r, err)
		return
	}
	v := view{Values: identityValues(p)}
	if p.Erased {
		v.Error = codeErased
	}
	w.renderIdentity(rw, r, http.StatusOK, l.PersonID, v)
}

// renderIdentity shows the identity form for person personID ("" for a new
// member) with v's form state.
func (w *Web) renderIdentity(rw http.ResponseWriter, r *http.Request, status int, personID string, v view) {
	_, h, ok := w.caseFor(rw, r, "person")
	if !ok {
		return
	}
	loc := w.locale(r)
	d := &caseIdentityData{Header: h, Identity: w.identityChoices(loc), PersonID: personID}
	if personID == "" {
		d.Roles = codeOptions(loc, "cases.person_role.", cases.PersonRoles)
		d.Relations = codeOptions(loc, "cases.relation.", cases.Relations)
	}
	v.Data = d
	w.render(rw, r, status, pageCaseIdentity, v)
}

// caseIdentityUpdate changes a linked person's identity. The person is
// read first (audited) so that the documents and phones the form does not
// show are kept.
func (w *Web) caseIdentityUpdate(rw http.ResponseWriter, r *http.Request) {
	c, _, l, ok := w.caseLinked(rw, r)
	if !ok {
		return
	}
	form := caseForm{place: identityPlace, show: func(status int, v view) {
		w.renderIdentity(rw, r, status, l.PersonID, v)
	}}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	values, in, bad := readIdentity(r.PostForm)
	form.values, form.fields = values, bad
	if !w.caseSaved(rw, r, form) {
		return
	}
	p := authn.PrincipalFrom(r.Context())
	old, err := w.per.Get(r.Context(), p, l.PersonID)
	if err == nil {
		_, err = w.per.Update(r.Context(), p, l.PersonID, identityPatch(in, old))
	}
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, personTabPath(c.ID, l), http.StatusSeeOther)
	}
}

// memberFields are the new member form's fields of the cases domain; the
// other errors are the identity's.
var memberFields = map[string]string{"role": "role", "relation": "relation"}

func memberPlace(fe fielderr.FieldError) (string, string) {
	if field, ok := memberFields[fe.Field]; ok {
		return field, fe.Code
	}
	return identityPlace(fe)
}

// caseMemberCreate registers a family or group member and links them to
// the case. Both are checked before either is recorded, so that a refusal
// shows every error and leaves nothing behind (see caseCreate).
func (w *Web) caseMemberCreate(rw http.ResponseWriter, r *http.Request) {
	c, _, ok := w.caseFor(rw, r, "person")
	if !ok {
		return
	}
	form := caseForm{place: memberPlace, show: func(status int, v view) {
		w.renderIdentity(rw, r, status, "", v)
	}}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	f := r.PostForm
	values, in, bad := readIdentity(f)
	values["role"], values["relation"] = f.Get("role"), f.Get("relation")
	form.values, form.fields = values, bad
	link := cases.PersonLinkInput{Role: cases.PersonRole(values["role"]), Relation: cases.Relation(values["relation"])}
	checks := []error{w.per.Check(in), cases.CheckLink(link.Role, link.Relation)}
	if c.Status == cases.StatusClosed {
		checks = append(checks, fielderr.One("status", cases.CodeClosed))
	}
	if link.Role == cases.RolePrincipal && slices.ContainsFunc(c.Persons, func(l cases.PersonLink) bool {
		return l.Role == cases.RolePrincipal
	}) {
		checks = append(checks, fielderr.One("role", cases.CodePrincipalExists))
	}
	if !w.caseSaved(rw, r, form, checks...) {
		return
	}
	p := authn.PrincipalFrom(r.Context())
	person, err := w.per.Create(r.Context(), p, in)
	if !w.caseSaved(rw, r, form, err) {
		return
	}
	link.PersonID = person.ID
	if _, err := w.cas.LinkPerson(r.Context(), p, c.ID, link); !w.caseSaved(rw, r, form, err) {
		return
	}
	http.Redirect(rw, r, personTabPath(c.ID, cases.PersonLink{PersonID: person.ID, Role: link.Role}), http.StatusSeeOther)
}

// caseConfirmData asks for confirmation before a case changes in a way
// that is not undone lightly: closing it, or unlinking a person.
type caseConfirmData struct {
	Header caseHeader
	// Action is "close" or "unlink".
	Action string
	// Post is where the form goes; Back where cancelling leads.
	Post, Back string
	// Reason is the closure request's reason code (close).
	Reason string
	// Name names the person unlinked, "" when the reader may not see it
	// or none is recorded (unlink).
	Name string
}

// Actions the confirmation page asks about.
const (
	confirmClose  = "close"
	confirmUnlink = "unlink"
)

// caseUnlinkForm asks for confirmation before a person is unlinked from
// the case.
func (w *Web) caseUnlinkForm(rw http.ResponseWriter, r *http.Request) {
	c, h, l, ok := w.caseLinked(rw, r)
	if !ok {
		return
	}
	d := &caseConfirmData{Header: h, Action: confirmUnlink, Post: casePath(c.ID, "persons/"+l.PersonID+"/unlink"),
		Back: personTabPath(c.ID, l)}
	if p, err := w.per.Get(r.Context(), authn.PrincipalFrom(r.Context()), l.PersonID); err == nil {
		d.Name = personName(p)
	}
	w.render(rw, r, http.StatusOK, pageCaseConfirm, view{Data: d})
}

// caseUnlink unlinks a person from the case; their record stays.
func (w *Web) caseUnlink(rw http.ResponseWriter, r *http.Request) {
	c, h, l, ok := w.caseLinked(rw, r)
	if !ok {
		return
	}
	form := caseForm{place: renamed(nil), show: func(status int, v view) {
		v.Data = &caseConfirmData{Header: h, Action: confirmUnlink, Post: r.URL.Path, Back: personTabPath(c.ID, l)}
		w.render(rw, r, status, pageCaseConfirm, v)
	}}
	_, err := w.cas.UnlinkPerson(r.Context(), authn.PrincipalFrom(r.Context()), c.ID, l.PersonID)
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, casePath(c.ID, "person"), http.StatusSeeOther)
	}
}

// personName is the name a page shows for person p: given and family
// names, or "" when none is known.
func personName(p persons.Person) string {
	return strings.TrimSpace(p.Identity.GivenName + " " + p.Identity.FamilyName)
}
