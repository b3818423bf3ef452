// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/persons"
)

// casePersonData is the person tab: the persons linked to the case, and
// one of them in full (the principal, unless ?person= asks for another),
// with the forms that change what is recorded of them.
type casePersonData struct {
	Header caseHeader
	Linked []linkedPerson
	// Shown is the person shown in full; nil when no one is linked, or
	// the reader may not see the person asked for.
	Shown *personView
	// Consents are Shown's statements, in the order recorded.
	Consents []consentRow
	// Choices of the forms.
	AddVulnerabilities           []option
	Purposes, ConsentStatuses    []option
	Recipients, Roles, Relations []option
	// Open is false for a closed case, whose links do not change.
	Open bool
	// CanLink is true when the reader may change the case's links.
	CanLink bool
}

// linkedPerson is a person linked to the case, in the tab's list.
type linkedPerson struct {
	ID, Role, Relation string
	// Reachable is false for a person the reader may not see (registered
	// by a colleague out of their scope): the list shows no name then.
	Reachable, Erased bool
	Name              string
	// Shown marks the person shown in full.
	Shown bool
}

// personView is what the tab shows of a person.
type personView struct {
	ID, Role, Relation string
	Erased             bool
	GivenName          string
	FamilyName         string
	Aliases            []string
	// Born is the date of birth when the whole date is known; BornPart
	// is a partial one (a year, or a year and month) as recorded.
	Born      time.Time
	BornPart  string
	BirthYear int
	// Sex is a code; "" and "unknown" are shown alike.
	Sex string
	// Nationality, CountryOfBirth and CurrentCountry are names.
	Nationality, CountryOfBirth, CurrentCountry, CurrentAdmin1 string
	Languages                                                  []string
	Documents                                                  []documentView
	Phones                                                     []string
	Address                                                    string
	HasPhoto                                                   bool
	Vulnerabilities                                            []option
	// CanEdit is true when the reader may change the person; CanErase
	// when they may erase them (the rights of the person: export is open
	// to every reader of the person).
	CanEdit, CanErase bool
}

// documentView is a document as shown: its type as a code, its issuing
// country as a name.
type documentView struct{ Type, Number, Country string }

// consentRow is a consent statement as shown: codes, and the recipient's
// name ("" for none, or one the directory does not list).
type consentRow struct {
	Purpose, Status string
	RecipientOrgID  string
	Recipient       string
	At, RecordedAt  time.Time
}

// Field codes of the person tab's forms that the domains do not give.
const (
	codeErased      = "erased"
	codeInvalidDate = "invalid_date"
)

// casePersonTab shows the person tab.
func (w *Web) casePersonTab(rw http.ResponseWriter, r *http.Request) {
	w.renderPersonTab(rw, r, http.StatusOK, r.URL.Query().Get("person"), view{})
}

// renderPersonTab shows the person tab with person shownID in full ("" for
// the principal, or the first person linked) and v's form state. Each
// linked person the reader may see is read, with their identity: the
// persons domain audits each read.
func (w *Web) renderPersonTab(rw http.ResponseWriter, r *http.Request, status int, shownID string, v view) {
	c, h, ok := w.caseFor(rw, r, "person")
	if !ok {
		return
	}
	if shownID == "" && len(c.Persons) > 0 {
		shownID = c.Persons[0].PersonID
	}
	if shownID != "" && !slices.ContainsFunc(c.Persons, func(l cases.PersonLink) bool { return l.PersonID == shownID }) {
		w.errorPage(rw, r, http.StatusNotFound)
		return
	}
	loc := w.locale(r)
	p := authn.PrincipalFrom(r.Context())
	d := &casePersonData{Header: h, Open: c.Status != cases.StatusClosed, CanLink: p.Allows(cases.PermUpdate, caseScope(c)),
		Purposes:        codeOptions(loc, "cases.consent.purpose.", persons.Purposes()),
		ConsentStatuses: codeOptions(loc, "cases.consent.status.", []persons.ConsentStatus{persons.ConsentGiven, persons.ConsentWithdrawn}),
		Roles:           codeOptions(loc, "cases.person_role.", cases.PersonRoles),
		Relations:       codeOptions(loc, "cases.relation.", cases.Relations)}
	for _, l := range c.Persons {
		lp := linkedPerson{ID: l.PersonID, Role: string(l.Role), Relation: string(l.Relation), Shown: l.PersonID == shownID}
		person, err := w.per.Get(r.Context(), p, l.PersonID)
		switch {
		case errors.Is(err, persons.ErrNotFound):
		case err != nil:
			w.caseFail(rw, r, err)
			return
		default:
			lp.Reachable, lp.Erased = true, person.Erased
			lp.Name = personName(person)
			if lp.Shown {
				d.Shown = newPersonView(loc, person, l)
				d.Shown.CanEdit = p.Allows(permPersonWrite, personScope(person))
				d.Shown.CanErase = p.Allows(permPersonErase, personScope(person))
			}
		}
		d.Linked = append(d.Linked, lp)
	}
	if d.Shown != nil {
		if err := w.fillConsents(r, d); err != nil {
			w.caseFail(rw, r, err)
			return
		}
		for _, vu := range persons.Vulnerabilities() {
			if !slices.ContainsFunc(d.Shown.Vulnerabilities, func(o option) bool { return o.Value == vu.Code }) {
				d.AddVulnerabilities = append(d.AddVulnerabilities, option{Value: vu.Code, Label: loc.T("vulnerability." + vu.Code)})
			}
		}
	}
	v.Data = d
	w.render(rw, r, status, pageCasePerson, v)
}

// fillConsents adds the shown person's consent statements to d, and the
// organisations a new one may name.
func (w *Web) fillConsents(r *http.Request, d *casePersonData) error {
	list, err := w.per.Consents(r.Context(), authn.PrincipalFrom(r.Context()), d.Shown.ID)
	if err != nil {
		return err
	}
	recipients, names, err := w.consentRecipients(r)
	if err != nil {
		return err
	}
	d.Recipients = recipients
	for _, c := range list {
		d.Consents = append(d.Consents, consentRow{Purpose: string(c.Purpose), Status: string(c.Status),
			RecipientOrgID: c.RecipientOrgID, Recipient: names[c.RecipientOrgID], At: c.At, RecordedAt: c.RecordedAt})
	}
	return nil
}

// newPersonView is what the tab shows of person p, linked by l.
func newPersonView(loc *i18n.Locale, p persons.Person, l cases.PersonLink) *personView {
	lang := loc.Code()
	id, at := p.Identity, p.Attributes
	v := &personView{ID: p.ID, Role: string(l.Role), Relation: string(l.Relation), Erased: p.Erased,
		GivenName: id.GivenName, FamilyName: id.FamilyName, Aliases: id.Aliases, BirthYear: at.BirthYear, Sex: at.Sex,
		Nationality: adminCountryName(at.Nationality, lang), CountryOfBirth: adminCountryName(at.CountryOfBirth, lang),
		CurrentCountry: adminCountryName(at.CurrentCountry, lang), CurrentAdmin1: at.CurrentAdmin1,
		Languages: at.Languages, Phones: id.Phones, Address: id.Address, HasPhoto: p.HasPhoto,
		Vulnerabilities: codeOptions(loc, "vulnerability.", p.Vulnerabilities)}
	if t, err := time.Parse(time.DateOnly, id.DateOfBirth); err == nil {
		v.Born = t
	} else {
		v.BornPart = id.DateOfBirth
	}
	for _, doc := range id.Documents {
		v.Documents = append(v.Documents, documentView{Type: doc.Type, Number: doc.Number,
			Country: adminCountryName(doc.Country, lang)})
	}
	return v
}

// personScope is the access record of person p.
func personScope(p persons.Person) access.Record {
	return access.Record{OrgID: p.OrgID, OwnerID: p.OwnerID, TeamID: p.TeamID}
}

// personTabPath is the person tab showing the person of link l of case
// caseID.
func personTabPath(caseID string, l cases.PersonLink) string {
	if l.Role == cases.RolePrincipal {
		return casePath(caseID, "person")
	}
	return casePath(caseID, "person") + "?person=" + l.PersonID
}

// caseLinked loads the case of the request as caseFor does, and the link
// of the person the request's {person} names; a person not linked to the
// case answers 404 like a case out of reach. It reports false when it has
// answered.
func (w *Web) caseLinked(rw http.ResponseWriter, r *http.Request) (cases.Case, caseHeader, cases.PersonLink, bool) {
	c, h, ok := w.caseFor(rw, r, "person")
	if !ok {
		return c, h, cases.PersonLink{}, false
	}
	i := slices.IndexFunc(c.Persons, func(l cases.PersonLink) bool { return l.PersonID == r.PathValue("person") })
	if i < 0 {
		w.errorPage(rw, r, http.StatusNotFound)
		return c, h, cases.PersonLink{}, false
	}
	return c, h, c.Persons[i], true
}

// personTabForm is a form of the person tab about the person of link l:
// a refusal shows the tab again with that person.
func (w *Web) personTabForm(rw http.ResponseWriter, r *http.Request, l cases.PersonLink, values map[string]string,
	place errorPlace) caseForm {
	return caseForm{values: values, place: place, show: func(status int, v view) {
		w.renderPersonTab(rw, r, status, l.PersonID, v)
	}}
}

// caseVulnerability records (present=true) or removes a vulnerability of
// a person linked to the case.
func (w *Web) caseVulnerability(rw http.ResponseWriter, r *http.Request) {
	c, _, l, ok := w.caseLinked(rw, r)
	if !ok {
		return
	}
	form := w.personTabForm(rw, r, l, nil, renamed(map[string]string{"vulnerabilities": "vulnerability"}))
	if !parseForm(r) {
		form.unreadable()
		return
	}
	f := r.PostForm
	form.values = formValues(f, "vulnerability")
	err := w.per.SetVulnerability(r.Context(), authn.PrincipalFrom(r.Context()), l.PersonID, f.Get("vulnerability"),
		f.Get("present") == "true")
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, personTabPath(c.ID, l)+"#vulnerabilities", http.StatusSeeOther)
	}
}

// consentFields are the consent form's fields, by the domain's names.
var consentFields = map[string]string{"purpose": "consent_purpose", "recipient_org_id": "consent_recipient",
	"status": "consent_status", "at": "consent_at"}

// caseConsent records a consent statement of a person linked to the case.
// A date today, or none, is now: a statement dated earlier today would
// not be the latest, and so not the one in force.
func (w *Web) caseConsent(rw http.ResponseWriter, r *http.Request) {
	c, _, l, ok := w.caseLinked(rw, r)
	if !ok {
		return
	}
	form := w.personTabForm(rw, r, l, nil, renamed(consentFields))
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, "consent_purpose", "consent_recipient", "consent_status", "consent_at")
	in := persons.ConsentInput{Purpose: persons.Purpose(form.values["consent_purpose"]),
		RecipientOrgID: form.values["consent_recipient"], Status: persons.ConsentStatus(form.values["consent_status"])}
	if s := form.values["consent_at"]; s != "" && s != w.clock.Now().UTC().Format(time.DateOnly) {
		at, err := time.Parse(time.DateOnly, s)
		if err != nil {
			form.fields = map[string]string{"consent_at": codeInvalidDate}
		}
		in.At = at
	}
	if !w.caseSaved(rw, r, form) {
		return
	}
	_, err := w.per.RecordConsent(r.Context(), authn.PrincipalFrom(r.Context()), l.PersonID, in)
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, personTabPath(c.ID, l)+"#consents", http.StatusSeeOther)
	}
}

// linkFields are the form's fields that link a registered person, by the
// domain's names.
var linkFields = map[string]string{"person_id": "link_person_id", "role": "link_role", "relation": "link_relation"}

// caseLink links a person already registered to the case, by id.
func (w *Web) caseLink(rw http.ResponseWriter, r *http.Request) {
	form := caseForm{place: renamed(linkFields), show: func(status int, v view) {
		w.renderPersonTab(rw, r, status, "", v)
	}}
	if !parseForm(r) {
		form.unreadable()
		return
	}
	form.values = formValues(r.PostForm, "link_person_id", "link_role", "link_relation")
	in := cases.PersonLinkInput{PersonID: strings.TrimSpace(form.values["link_person_id"]),
		Role: cases.PersonRole(form.values["link_role"]), Relation: cases.Relation(form.values["link_relation"])}
	c, err := w.cas.LinkPerson(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	if w.caseSaved(rw, r, form, err) {
		http.Redirect(rw, r, personTabPath(c.ID, cases.PersonLink{PersonID: in.PersonID, Role: in.Role}), http.StatusSeeOther)
	}
}
