// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/violations"
)

// violationEventData is an event's page.
type violationEventData struct {
	ID, Title, Description, Place, When, Location string
	CreatedAt, UpdatedAt                          time.Time
	// CanWrite is true when the reader may change the event.
	CanWrite      bool
	Acts          []actView
	Victims       []string
	Perpetrators  []perpetratorView
	Sources       []sourceView
	Interventions []interventionView
	Cases         []caseLinkView
	Persons       []personLinkView
	// PersonChoices are the persons of the linked cases not yet linked,
	// and Roles the roles they may be linked in.
	PersonChoices, Roles []option
}

type actView struct {
	ID, Type, Right, Victim, When, Description string
	Consequences, Perpetrators                 []string
	// Xenophobic marks a xenophobic or racist incident.
	Xenophobic bool
}

type perpetratorView struct{ ID, Category, Identity string }

type sourceView struct{ ID, Type, Reliability, Credibility, Obtained, Details string }

type interventionView struct{ ID, Type, Status, Started, Ended, Notes string }

// caseLinkView is a linked case: its number, or none when the reader may
// not read it (then no link either).
type caseLinkView struct{ ID, Number string }

type personLinkView struct{ ID, Role, Label string }

// violationEvent shows an event with everything it holds.
func (w *Web) violationEvent(rw http.ResponseWriter, r *http.Request) {
	w.showEvent(rw, r, http.StatusOK, view{})
}

// showEvent answers with the event's page; v carries the link forms'
// values and errors after a refused post.
func (w *Web) showEvent(rw http.ResponseWriter, r *http.Request, status int, v view) {
	ctx, p, loc := r.Context(), authn.PrincipalFrom(r.Context()), w.locale(r)
	e, err := w.vio.Get(ctx, p, r.PathValue("id"))
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	names, err := w.vocabularies(ctx, loc)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	people, err := w.eventPeople(r, loc, e)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	d := &violationEventData{ID: e.ID, Title: e.Title, Description: e.Description, Place: e.Place,
		When: spanText(loc, e.Start, e.End), Location: placeText(loc, e.Country, e.Admin1), CreatedAt: e.CreatedAt,
		UpdatedAt: e.UpdatedAt, CanWrite: p.Allows(violations.PermWrite, e.Record()),
		Roles: names.options(violations.VocabPersonRole)}
	perpetrators := map[string]string{}
	for _, pr := range e.Perpetrators {
		d.Perpetrators = append(d.Perpetrators, perpetratorView{ID: pr.ID,
			Category: names.label(violations.VocabPerpetratorCategory, pr.Category), Identity: pr.Identity})
		perpetrators[pr.ID] = names.label(violations.VocabPerpetratorCategory, pr.Category)
		if pr.Identity != "" {
			perpetrators[pr.ID] = loc.T("violation.perpetrator.named", "category", perpetrators[pr.ID], "identity", pr.Identity)
		}
	}
	seen := map[string]bool{}
	for _, a := range e.Acts {
		av := actView{ID: a.ID, Type: names.label(violations.VocabActType, a.ActType),
			Right: names.label(violations.VocabRight, a.RightAffected), When: spanText(loc, a.Start, a.End),
			Description: a.Description, Consequences: names.labels(violations.VocabConsequence, a.Consequences),
			Xenophobic: violations.InBranch(a.ActType, violations.XenophobiaBranch)}
		if a.RightAffected == "" {
			av.Right = ""
		}
		if a.VictimPersonID != "" {
			av.Victim = people.label(a.VictimPersonID)
			if !seen[a.VictimPersonID] {
				seen[a.VictimPersonID] = true
				d.Victims = append(d.Victims, av.Victim)
			}
		}
		for _, l := range a.Perpetrators {
			av.Perpetrators = append(av.Perpetrators, loc.T("violation.involvement_of", "perpetrator", perpetrators[l.PerpetratorID],
				"involvement", names.label(violations.VocabInvolvement, l.Involvement)))
		}
		d.Acts = append(d.Acts, av)
	}
	for _, s := range e.Sources {
		d.Sources = append(d.Sources, sourceView{ID: s.ID, Type: names.label(violations.VocabSourceType, s.SourceType),
			Reliability: names.label(violations.VocabReliability, s.Reliability),
			Credibility: names.label(violations.VocabCredibility, s.Credibility), Obtained: dayText(loc, s.ObtainedOn),
			Details: s.Details})
	}
	for _, iv := range e.Interventions {
		d.Interventions = append(d.Interventions, interventionView{ID: iv.ID,
			Type: names.label(violations.VocabInterventionType, iv.Type), Status: names.label(violations.VocabInterventionStatus, iv.Status),
			Started: dayText(loc, iv.StartedOn), Ended: dayText(loc, iv.EndedOn), Notes: iv.Notes})
	}
	for _, l := range e.Cases {
		d.Cases = append(d.Cases, caseLinkView{ID: l.CaseID, Number: people.caseNumbers[l.CaseID]})
	}
	linked := map[string]bool{}
	for _, l := range e.Persons {
		linked[l.PersonID] = true
		d.Persons = append(d.Persons, personLinkView{ID: l.PersonID, Role: names.label(violations.VocabPersonRole, l.Role),
			Label: people.label(l.PersonID)})
	}
	for _, o := range people.choices {
		if !linked[o.Value] {
			d.PersonChoices = append(d.PersonChoices, o)
		}
	}
	v.Data = d
	w.render(rw, r, status, pageViolationEvent, v)
}

// eventPeople are the persons an event's page can name: those of the cases
// linked to it and those linked to it or named as victims, each by role
// and non-identifying attributes (never by name), and the cases' numbers.
type eventPeople struct {
	labels      map[string]string
	choices     []option
	caseNumbers map[string]string
	outOfReach  string
}

// label names person id, or says they are out of the reader's reach.
func (pp eventPeople) label(id string) string {
	if l, ok := pp.labels[id]; ok {
		return l
	}
	return pp.outOfReach
}

// eventPeople reads the cases linked to e that the reader may read, and the
// attributes of the persons e names that the reader may read; neither read
// opens an identity.
func (w *Web) eventPeople(r *http.Request, loc *i18n.Locale, e violations.Event) (eventPeople, error) {
	ctx, p := r.Context(), authn.PrincipalFrom(r.Context())
	pp := eventPeople{labels: map[string]string{}, caseNumbers: map[string]string{},
		outOfReach: loc.T("violation.person.out_of_reach")}
	for _, l := range e.Cases {
		c, err := w.cas.Get(ctx, p, l.CaseID)
		if errors.Is(err, cases.ErrNotFound) {
			continue
		}
		if err != nil {
			return pp, err
		}
		pp.caseNumbers[c.ID] = c.Number
		for _, pl := range c.Persons {
			if _, done := pp.labels[pl.PersonID]; done {
				continue
			}
			sum, ok, err := w.reachablePerson(r, pl.PersonID)
			if err != nil {
				return pp, err
			}
			if !ok {
				continue
			}
			label := loc.T("violation.person.in_case", "number", c.Number,
				"role", loc.T("cases.person_role."+string(pl.Role)), "attributes", attributesText(loc, sum))
			pp.labels[pl.PersonID] = label
			pp.choices = append(pp.choices, option{Value: pl.PersonID, Label: label})
		}
	}
	var others []string
	for _, l := range e.Persons {
		others = append(others, l.PersonID)
	}
	for _, a := range e.Acts {
		others = append(others, a.VictimPersonID)
	}
	for _, id := range others {
		if _, done := pp.labels[id]; done || id == "" {
			continue
		}
		sum, ok, err := w.reachablePerson(r, id)
		if err != nil {
			return pp, err
		}
		if ok {
			pp.labels[id] = loc.T("violation.person.other", "attributes", attributesText(loc, sum))
			pp.choices = append(pp.choices, option{Value: id, Label: pp.labels[id]})
		}
	}
	return pp, nil
}

// reachablePerson returns what the persons domain shows of person id
// without an identity, and false when the reader may not read them or
// they were erased.
func (w *Web) reachablePerson(r *http.Request, id string) (persons.Summary, bool, error) {
	sum, err := w.per.Reach(r.Context(), authn.PrincipalFrom(r.Context()), id, violations.PermPersonRead)
	switch {
	case errors.Is(err, persons.ErrNotFound), errors.Is(err, persons.ErrForbidden):
		return sum, false, nil
	case err != nil:
		return sum, false, err
	}
	return sum, !sum.Erased, nil
}

// attributesText writes a person's sex, year of birth and nationality,
// whichever are known.
func attributesText(loc *i18n.Locale, sum persons.Summary) string {
	var parts []string
	a := sum.Attributes
	if a.Sex != "" && a.Sex != "unknown" {
		parts = append(parts, loc.T("cases.sex."+a.Sex))
	}
	if a.BirthYear != 0 {
		parts = append(parts, loc.T("violation.person.born", "year", strconv.Itoa(a.BirthYear)))
	}
	if a.Nationality != "" {
		parts = append(parts, countryName(a.Nationality, loc.Code()))
	}
	if len(parts) == 0 {
		return loc.T("violation.person.no_attributes")
	}
	return strings.Join(parts, loc.T("violation.list_separator"))
}

// violationLinkCase links the case whose number the form gives.
func (w *Web) violationLinkCase(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.showEvent(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	ctx, p, id := r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")
	number := strings.TrimSpace(r.PostForm.Get("case_number"))
	values := map[string]string{"case_number": number}
	bad := func(code string) {
		w.showEvent(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: map[string]string{"case_number": code}})
	}
	if number == "" {
		bad(violations.CodeRequired)
		return
	}
	found, _, err := w.cas.List(ctx, p, cases.Filter{Number: number}, cases.Page{Limit: 1})
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve), errors.Is(err, cases.ErrForbidden), err == nil && len(found) == 0:
		bad(violations.CodeNotFound)
		return
	case err != nil:
		w.violationFail(rw, r, err)
		return
	}
	err = w.vio.LinkCase(ctx, p, id, found[0].ID)
	if errors.As(err, &ve) {
		bad(ve.Errors[0].Code)
		return
	}
	w.violationDone(rw, r, err, eventPath(id)+"#cases")
}

// violationLinkPerson links a person of a linked case in a role.
func (w *Web) violationLinkPerson(rw http.ResponseWriter, r *http.Request) {
	if !parseForm(r) {
		w.showEvent(rw, r, http.StatusBadRequest, view{Error: errBadRequest})
		return
	}
	ctx, p, id := r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")
	values := formValues(r.PostForm, "person_id", "role")
	err := w.vio.LinkPerson(ctx, p, id, values["person_id"], values["role"])
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		fields, above := formErrors(ve, placeIn([]string{"person_id", "role"}))
		w.showEvent(rw, r, http.StatusUnprocessableEntity, view{Values: values, Fields: fields, Error: above})
		return
	}
	w.violationDone(rw, r, err, eventPath(id)+"#persons")
}

// violationDone answers a change that succeeded with a redirect to next,
// and one that failed as violationFail does.
func (w *Web) violationDone(rw http.ResponseWriter, r *http.Request, err error, next string) {
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, next, http.StatusSeeOther)
}
