// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/violations"
)

// The forms that record and change an event and its parts share one page
// (violation_form), which shows the fields of the Kind it is given. A
// date is typed as written ("2024-03-10", "2024-03", "2024") with its
// precision chosen beside it, since a witness often knows only the month.

// violationFormData is a form of the violations pages.
type violationFormData struct {
	// Kind is "event" or one of partKinds.
	Kind string
	// New is true when the form records something new.
	New bool
	// EventID and EventTitle name the event a part belongs to (and the
	// event being changed); "" on a new event's form.
	EventID, EventTitle string
	// CaseID and CaseNumber name the case a new event is recorded for.
	CaseID, CaseNumber string
	Action, Cancel     string
	// The choices of the form's selects.
	Precisions, Countries, ActTypes, Rights, Victims, Categories, SourceTypes   []option
	Reliabilities, Credibilities, InterventionTypes, Statuses, InvolvementKinds []option
	Consequences                                                                []checkOption
	// Involvements are the event's perpetrators, each with the select of
	// their part in the act.
	Involvements []involvementChoice
}

// involvementChoice is one perpetrator's select on an act's form.
type involvementChoice struct{ Field, Label string }

// Form fields of each kind, named as the domain names them, but for the
// dates: a start and an end are each a date and a precision.
var (
	eventFormFields        = []string{"title", "description", "place", "start_date", "start_precision", "end_date", "end_precision", "country", "admin1"}
	actFormFields          = []string{"act_type", "right_affected", "victim_person_id", "start_date", "start_precision", "end_date", "end_precision", "description"}
	perpetratorFormFields  = []string{"category", "identity"}
	sourceFormFields       = []string{"source_type", "reliability", "credibility", "obtained_on", "details"}
	interventionFormFields = []string{"intervention_type", "status", "started_on", "ended_on", "notes"}
)

// involvementPrefix starts the name of an act form's select of a
// perpetrator's involvement, followed by the perpetrator's id.
const involvementPrefix = "involvement_"

// formDateOf reads a date and its precision from form values.
func formDateOf(values map[string]string, name string) violations.Date {
	return violations.Date{Value: strings.TrimSpace(values[name+"_date"]), Precision: violations.Precision(values[name+"_precision"])}
}

// putDate writes a date into form values.
func putDate(values map[string]string, name string, d violations.Date) {
	values[name+"_date"], values[name+"_precision"] = d.Value, string(d.Precision)
}

// datePlace puts the domain's errors of a start and an end beside the
// date inputs, errors of fields in the form beside them, and others above.
func datePlace(fields []string, more func(fielderr.FieldError) (string, bool)) errorPlace {
	return func(fe fielderr.FieldError) (string, string) {
		switch {
		case fe.Field == "start" || fe.Field == "end":
			return fe.Field + "_date", fe.Code
		case slices.Contains(fields, fe.Field):
			return fe.Field, fe.Code
		}
		if more != nil {
			if field, ok := more(fe); ok {
				return field, fe.Code
			}
		}
		return "", fe.Code
	}
}

// formDataFor builds the form of kind for event e (zero for a new event),
// with values the form shows (checked consequences among them, as
// "consequences" joined by spaces).
func (w *Web) formDataFor(r *http.Request, kind string, e violations.Event, partID string, values map[string]string) (*violationFormData, error) {
	loc := w.locale(r)
	names, err := w.vocabularies(r.Context(), loc)
	if err != nil {
		return nil, err
	}
	d := &violationFormData{Kind: kind, New: partID == "" && (kind != "event" || e.ID == ""), EventID: e.ID, EventTitle: e.Title}
	for _, pr := range violations.Precisions() {
		d.Precisions = append(d.Precisions, option{Value: string(pr), Label: loc.T("violation.precision." + string(pr))})
	}
	switch kind {
	case "event":
		d.Countries = countryOptions(loc.Code())
		d.Action, d.Cancel = "/violations/new", "/violations"
		if e.ID != "" {
			d.Action, d.Cancel = eventPath(e.ID, "edit"), eventPath(e.ID)
		}
	case "acts":
		d.ActTypes = names.options(violations.VocabActType, values["act_type"])
		d.Rights = names.options(violations.VocabRight, values["right_affected"])
		people, err := w.eventPeople(r, loc, e)
		if err != nil {
			return nil, err
		}
		d.Victims = people.choices
		checked := strings.Fields(values["consequences"])
		for _, o := range names.options(violations.VocabConsequence, checked...) {
			d.Consequences = append(d.Consequences, checkOption{Value: o.Value, Label: o.Label, Checked: slices.Contains(checked, o.Value)})
		}
		var kept []string
		for k, v := range values {
			if strings.HasPrefix(k, involvementPrefix) {
				kept = append(kept, v)
			}
		}
		d.InvolvementKinds = names.options(violations.VocabInvolvement, kept...)
		for _, pr := range e.Perpetrators {
			label := names.label(violations.VocabPerpetratorCategory, pr.Category)
			if pr.Identity != "" {
				label = loc.T("violation.perpetrator.named", "category", label, "identity", pr.Identity)
			}
			d.Involvements = append(d.Involvements, involvementChoice{Field: involvementPrefix + pr.ID, Label: label})
		}
	case "perpetrators":
		d.Categories = names.options(violations.VocabPerpetratorCategory, values["category"])
	case "sources":
		d.SourceTypes = names.options(violations.VocabSourceType, values["source_type"])
		d.Reliabilities = names.options(violations.VocabReliability, values["reliability"])
		d.Credibilities = names.options(violations.VocabCredibility, values["credibility"])
	case "interventions":
		d.InterventionTypes = names.options(violations.VocabInterventionType, values["intervention_type"])
		d.Statuses = names.options(violations.VocabInterventionStatus, values["status"])
	}
	if kind != "event" {
		d.Cancel = eventPath(e.ID) + "#" + kind
		d.Action = eventPath(e.ID, kind, "new")
		if partID != "" {
			d.Action = eventPath(e.ID, kind, partID, "edit")
		}
	}
	return d, nil
}

// violationNewForm shows the form that records an event, for the case
// named by ?case= when given (the reader must be able to read it).
func (w *Web) violationNewForm(rw http.ResponseWriter, r *http.Request) {
	w.showEventForm(rw, r, http.StatusOK, violations.Event{}, view{}, r.URL.Query().Get("case"))
}

// showEventForm answers with an event's form: a new one (e zero, for the
// case caseID when set) or e's.
func (w *Web) showEventForm(rw http.ResponseWriter, r *http.Request, status int, e violations.Event, v view, caseID string) {
	d, err := w.formDataFor(r, "event", e, "", v.Values)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	if caseID != "" {
		c, err := w.cas.Get(r.Context(), authn.PrincipalFrom(r.Context()), caseID)
		if err != nil {
			w.caseFail(rw, r, err)
			return
		}
		d.CaseID, d.CaseNumber = c.ID, c.Number
		d.Action, d.Cancel = "/violations/new?case="+url.QueryEscape(c.ID), casePath(c.ID, "violations")
	}
	v.Data = d
	w.render(rw, r, status, pageViolationForm, v)
}

// readEventForm reads an event's form.
func readEventForm(f url.Values) (violations.EventInput, map[string]string) {
	values := formValues(f, eventFormFields...)
	return violations.EventInput{Title: values["title"], Description: values["description"], Place: values["place"],
		Start: formDateOf(values, "start"), End: formDateOf(values, "end"), Country: values["country"],
		Admin1: values["admin1"]}, values
}

// violationCreate records an event, linked to the form's case when it
// comes from one, and shows its page.
func (w *Web) violationCreate(rw http.ResponseWriter, r *http.Request) {
	caseID := r.URL.Query().Get("case")
	if !parseForm(r) {
		w.showEventForm(rw, r, http.StatusBadRequest, violations.Event{}, view{Error: errBadRequest}, caseID)
		return
	}
	in, values := readEventForm(r.PostForm)
	in.CaseID = caseID
	e, err := w.vio.Create(r.Context(), authn.PrincipalFrom(r.Context()), in)
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		fields, above := formErrors(ve, datePlace(eventFormFields, nil))
		w.showEventForm(rw, r, http.StatusUnprocessableEntity, violations.Event{}, view{Values: values, Fields: fields, Error: above}, caseID)
		return
	}
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	http.Redirect(rw, r, eventPath(e.ID), http.StatusSeeOther)
}

// violationEditForm shows the form that changes an event.
func (w *Web) violationEditForm(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.eventToChange(rw, r)
	if !ok {
		return
	}
	values := map[string]string{"title": e.Title, "description": e.Description, "place": e.Place, "country": e.Country,
		"admin1": e.Admin1}
	putDate(values, "start", e.Start)
	putDate(values, "end", e.End)
	w.showEventForm(rw, r, http.StatusOK, e, view{Values: values}, "")
}

// eventToChange reads the event of the request's {id} for one of its forms:
// 404 when out of reach, 403 when the reader may only read it.
func (w *Web) eventToChange(rw http.ResponseWriter, r *http.Request) (violations.Event, bool) {
	p := authn.PrincipalFrom(r.Context())
	e, err := w.vio.Get(r.Context(), p, r.PathValue("id"))
	if err == nil && !p.Allows(violations.PermWrite, e.Record()) {
		err = violations.ErrForbidden
	}
	if err != nil {
		w.violationFail(rw, r, err)
		return violations.Event{}, false
	}
	return e, true
}

// violationUpdate changes an event's own fields.
func (w *Web) violationUpdate(rw http.ResponseWriter, r *http.Request) {
	e, ok := w.eventToChange(rw, r)
	if !ok {
		return
	}
	if !parseForm(r) {
		w.showEventForm(rw, r, http.StatusBadRequest, e, view{Error: errBadRequest}, "")
		return
	}
	in, values := readEventForm(r.PostForm)
	_, err := w.vio.Update(r.Context(), authn.PrincipalFrom(r.Context()), e.ID, violations.EventChanges{
		Title: &in.Title, Description: &in.Description, Place: &in.Place, Start: &in.Start, End: &in.End,
		Country: &in.Country, Admin1: &in.Admin1})
	var ve *fielderr.Error
	if errors.As(err, &ve) {
		fields, above := formErrors(ve, datePlace(eventFormFields, nil))
		w.showEventForm(rw, r, http.StatusUnprocessableEntity, e, view{Values: values, Fields: fields, Error: above}, "")
		return
	}
	w.violationDone(rw, r, err, eventPath(e.ID))
}

// partValues are the form values of part partID of e, of kind; false when
// e has no such part.
func partValues(kind string, e violations.Event, partID string) (map[string]string, bool) {
	switch kind {
	case "acts":
		i := slices.IndexFunc(e.Acts, func(a violations.Act) bool { return a.ID == partID })
		if i < 0 {
			return nil, false
		}
		a := e.Acts[i]
		v := map[string]string{"act_type": a.ActType, "right_affected": a.RightAffected, "victim_person_id": a.VictimPersonID,
			"description": a.Description, "consequences": strings.Join(a.Consequences, " ")}
		putDate(v, "start", a.Start)
		putDate(v, "end", a.End)
		for _, l := range a.Perpetrators {
			v[involvementPrefix+l.PerpetratorID] = l.Involvement
		}
		return v, true
	case "perpetrators":
		i := slices.IndexFunc(e.Perpetrators, func(p violations.Perpetrator) bool { return p.ID == partID })
		if i < 0 {
			return nil, false
		}
		return map[string]string{"category": e.Perpetrators[i].Category, "identity": e.Perpetrators[i].Identity}, true
	case "sources":
		i := slices.IndexFunc(e.Sources, func(s violations.Source) bool { return s.ID == partID })
		if i < 0 {
			return nil, false
		}
		s := e.Sources[i]
		return map[string]string{"source_type": s.SourceType, "reliability": s.Reliability, "credibility": s.Credibility,
			"obtained_on": s.ObtainedOn, "details": s.Details}, true
	case "interventions":
		i := slices.IndexFunc(e.Interventions, func(iv violations.Intervention) bool { return iv.ID == partID })
		if i < 0 {
			return nil, false
		}
		iv := e.Interventions[i]
		return map[string]string{"intervention_type": iv.Type, "status": iv.Status, "started_on": iv.StartedOn,
			"ended_on": iv.EndedOn, "notes": iv.Notes}, true
	}
	return nil, false
}

// newPartValues are the values a new part's form starts with: the scales'
// "cannot be judged" and a planned intervention, which the recorder
// changes when they know better.
func newPartValues(kind string) map[string]string {
	switch kind {
	case "sources":
		return map[string]string{"reliability": "F", "credibility": "6"}
	case "interventions":
		return map[string]string{"status": "planned"}
	}
	return map[string]string{}
}

// partForm shows the form that records a part of kind, or changes the
// part of the request's {part}.
func (w *Web) partForm(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		e, ok := w.eventToChange(rw, r)
		if !ok {
			return
		}
		partID := r.PathValue("part")
		values := newPartValues(kind)
		if partID != "" {
			if values, ok = partValues(kind, e, partID); !ok {
				w.errorPage(rw, r, http.StatusNotFound)
				return
			}
		}
		w.showPartForm(rw, r, http.StatusOK, kind, e, partID, view{Values: values})
	}
}

func (w *Web) showPartForm(rw http.ResponseWriter, r *http.Request, status int, kind string, e violations.Event, partID string, v view) {
	d, err := w.formDataFor(r, kind, e, partID, v.Values)
	if err != nil {
		w.violationFail(rw, r, err)
		return
	}
	v.Data = d
	w.render(rw, r, status, pageViolationForm, v)
}

// partSave records or changes a part of kind from its form.
func (w *Web) partSave(kind string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		e, ok := w.eventToChange(rw, r)
		if !ok {
			return
		}
		partID := r.PathValue("part")
		if partID != "" {
			if _, ok := partValues(kind, e, partID); !ok {
				w.errorPage(rw, r, http.StatusNotFound)
				return
			}
		}
		if !parseForm(r) {
			w.showPartForm(rw, r, http.StatusBadRequest, kind, e, partID, view{Error: errBadRequest, Values: newPartValues(kind)})
			return
		}
		values, place, err := w.savePart(r, kind, e, partID)
		var ve *fielderr.Error
		if errors.As(err, &ve) {
			fields, above := formErrors(ve, place)
			w.showPartForm(rw, r, http.StatusUnprocessableEntity, kind, e, partID, view{Values: values, Fields: fields, Error: above})
			return
		}
		w.violationDone(rw, r, err, eventPath(e.ID)+"#"+kind)
	}
}

// savePart reads the form of a part of kind and asks the domain to record
// it (partID "") or change it, returning the values to show again and
// where errors go.
func (w *Web) savePart(r *http.Request, kind string, e violations.Event, partID string) (map[string]string, errorPlace, error) {
	ctx, p, f := r.Context(), authn.PrincipalFrom(r.Context()), r.PostForm
	var err error
	switch kind {
	case "acts":
		values := formValues(f, actFormFields...)
		in := violations.ActInput{ActType: values["act_type"], RightAffected: values["right_affected"],
			VictimPersonID: values["victim_person_id"], Start: formDateOf(values, "start"), End: formDateOf(values, "end"),
			Description: values["description"], Consequences: f["consequences"]}
		values["consequences"] = strings.Join(f["consequences"], " ")
		fieldOf := map[string]string{}
		for _, pr := range e.Perpetrators {
			name := involvementPrefix + pr.ID
			if how := f.Get(name); how != "" {
				values[name] = how
				fieldOf["perpetrators."+strconv.Itoa(len(in.Perpetrators))+".involvement"] = name
				in.Perpetrators = append(in.Perpetrators, violations.Involvement{PerpetratorID: pr.ID, Involvement: how})
			}
		}
		place := datePlace(actFormFields, func(fe fielderr.FieldError) (string, bool) {
			if strings.HasPrefix(fe.Field, "consequences") {
				return "consequences", true
			}
			name, ok := fieldOf[fe.Field]
			return name, ok
		})
		if partID == "" {
			_, err = w.vio.AddAct(ctx, p, e.ID, in)
		} else {
			_, err = w.vio.UpdateAct(ctx, p, e.ID, partID, in)
		}
		return values, place, err
	case "perpetrators":
		values := formValues(f, perpetratorFormFields...)
		in := violations.PerpetratorInput{Category: values["category"], Identity: values["identity"]}
		if partID == "" {
			_, err = w.vio.AddPerpetrator(ctx, p, e.ID, in)
		} else {
			_, err = w.vio.UpdatePerpetrator(ctx, p, e.ID, partID, in)
		}
		return values, placeIn(perpetratorFormFields), err
	case "sources":
		values := formValues(f, sourceFormFields...)
		in := violations.SourceInput{SourceType: values["source_type"], Reliability: values["reliability"],
			Credibility: values["credibility"], ObtainedOn: values["obtained_on"], Details: values["details"]}
		if partID == "" {
			_, err = w.vio.AddSource(ctx, p, e.ID, in)
		} else {
			_, err = w.vio.UpdateSource(ctx, p, e.ID, partID, in)
		}
		return values, placeIn(sourceFormFields), err
	default:
		values := formValues(f, interventionFormFields...)
		in := violations.InterventionInput{Type: values["intervention_type"], Status: values["status"],
			StartedOn: values["started_on"], EndedOn: values["ended_on"], Notes: values["notes"]}
		if partID == "" {
			_, err = w.vio.AddIntervention(ctx, p, e.ID, in)
		} else {
			_, err = w.vio.UpdateIntervention(ctx, p, e.ID, partID, in)
		}
		return values, placeIn(interventionFormFields), err
	}
}

// caseNumberOf returns the number of case id when the reader may read it.
func (w *Web) caseNumberOf(r *http.Request, id string) (string, error) {
	c, err := w.cas.Get(r.Context(), authn.PrincipalFrom(r.Context()), id)
	if errors.Is(err, cases.ErrNotFound) {
		return "", nil
	}
	return c.Number, err
}

// precisionDate is a date typed as written with its precision beside it,
// for the "violation-date" template.
type precisionDate struct {
	// Name is the date's name: the inputs are Name_date and
	// Name_precision.
	Name, Label, Value, Precision string
	Precisions                    []option
	Required                      bool
	Error                         *fieldError
}

// PrecisionDate makes the date name of v's form, with v's values and the
// error of its date input.
func (v view) PrecisionDate(name, label string, precisions []option, required bool) precisionDate {
	return precisionDate{Name: name, Label: label, Value: v.Val(name + "_date"), Precision: v.Val(name + "_precision"),
		Precisions: precisions, Required: required, Error: v.FieldError(name + "_date")}
}

// textArea is a labelled text area with a hint and its error, for the
// "violation-text" template.
type textArea struct {
	Name, Label, Hint, Value string
	MaxLength                int
	Error                    *fieldError
}

// TextArea makes the text area name of v's form.
func (v view) TextArea(name, label, hint string, maxLength int) textArea {
	return textArea{Name: name, Label: label, Hint: hint, Value: v.Val(name), MaxLength: maxLength, Error: v.FieldError(name)}
}
