// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"time"

	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/violations"
)

// violationSamples are the violations pages in their states, for the test
// that renders every page in every language.
func violationSamples(now time.Time) map[page][]view {
	opts := []option{{Value: "10", Label: "Killing"}, {Value: "10.10", Label: "— Arbitrary killing"}}
	row := violationRow{ID: "e1", Title: "Redada en el albergue", When: "March 2026", Place: "Chiapas, Mexico",
		ActTypes: []string{"Torture", "Racial profiling"}}
	header := caseHeader{ID: "c1", Number: "2026-00001", Status: "new", Tab: "violations", Tabs: caseTabs}
	var langs []labelInput
	for _, l := range i18n.Languages {
		langs = append(langs, labelInput{Code: l.Code, Name: l.Name, Field: labelField(l.Code)})
	}
	var forms []view
	for _, kind := range append([]string{"event"}, partKinds...) {
		for _, isNew := range []bool{true, false} {
			forms = append(forms, view{Data: &violationFormData{Kind: kind, New: isNew, EventID: "e1", EventTitle: "مداهمة",
				Action: "/violations/e1/edit", Cancel: "/violations/e1", Precisions: opts, Countries: opts, ActTypes: opts,
				Rights: opts, Victims: opts, Categories: opts, SourceTypes: opts, Reliabilities: opts, Credibilities: opts,
				InterventionTypes: opts, Statuses: opts, InvolvementKinds: opts,
				Consequences: []checkOption{{Value: "death", Label: "Death", Checked: true}},
				Involvements: []involvementChoice{{Field: "involvement_p1", Label: "Police officer"}}},
				Values: map[string]string{"start_date": "2026-03", "start_precision": "month", "involvement_p1": "10"},
				Fields: map[string]string{"start_date": violations.CodePrecisionMismatch, "title": "required",
					"consequences": violations.CodeRetired, "obtained_on": "future"}})
		}
	}
	forms = append(forms, view{Data: &violationFormData{Kind: "event", New: true, CaseID: "c1", CaseNumber: "2026-00001",
		Action: "/violations/new?case=c1", Cancel: "/cases/c1/violations"}, Error: "not_found"},
		view{Data: &violationFormData{Kind: "acts", New: true, EventID: "e1"}})
	var confirms []view
	for _, action := range []string{"delete_event", "delete_acts", "delete_perpetrators", "delete_sources",
		"delete_interventions", "unlink_case", "unlink_person", "retire_term"} {
		confirms = append(confirms, view{Data: &violationConfirmData{Action: action, Subject: "Subject", Post: "/x", Back: "/y"}})
	}
	return map[page][]view{
		pageViolationList: {
			{Data: &violationListData{Rows: []violationRow{row}, CanCreate: true, ActTypes: opts, Countries: opts, Sorts: opts,
				First: "/violations", Next: "/violations?cursor=x"}},
			{Data: &violationListData{}, Fields: map[string]string{"from": violations.CodeInvalidDate}},
			{},
		},
		pageViolationEvent: {
			{Data: &violationEventData{ID: "e1", Title: "Raid", Description: "Line one\nLine two", Place: "Tapachula",
				When: "March 2026", Location: "Chiapas, Mexico", CreatedAt: now, UpdatedAt: now, CanWrite: true,
				Acts: []actView{{ID: "a1", Type: "Racist physical attack", Right: "Right to life", Victim: "Case 2026-00001: Principal person",
					When: "12 March 2026", Description: "What happened", Consequences: []string{"Death"},
					Perpetrators: []string{"Police officer: direct perpetrator"}, Xenophobic: true}, {ID: "a2", Type: "Pushback"}},
				Victims:       []string{"Case 2026-00001: Principal person"},
				Perpetrators:  []perpetratorView{{ID: "p1", Category: "Police officer", Identity: "Unit 7"}, {ID: "p2", Category: "Unknown"}},
				Sources:       []sourceView{{ID: "s1", Type: "Witness", Reliability: "B", Credibility: "2", Obtained: "5 March 2026", Details: "d"}},
				Interventions: []interventionView{{ID: "i1", Type: "Complaint", Status: "Submitted", Started: "6 March 2026"}},
				Cases:         []caseLinkView{{ID: "c1", Number: "2026-00001"}, {ID: "c2"}},
				Persons:       []personLinkView{{ID: "x1", Role: "Witness", Label: "A person"}},
				PersonChoices: opts, Roles: opts}, Fields: map[string]string{"case_number": "not_found"}},
			{Data: &violationEventData{ID: "e2", Title: "Empty", When: "2019"}},
			{Data: &violationEventData{ID: "e3", Title: "Writer", When: "2019", CanWrite: true}},
			{},
		},
		pageViolationForm:    append(forms, view{}),
		pageViolationConfirm: append(confirms, view{}),
		pageViolationCase: {
			{Data: &violationCaseData{Header: header, Rows: []violationRow{row}, NewEvent: "/violations/new?case=c1"}},
			{Data: &violationCaseData{Header: header}},
			{},
		},
		pageViolationVocabularies: {
			{Data: &vocabulariesData{Rows: []vocabularyRow{{Name: violations.VocabActType, Terms: 45, Added: 1, Retired: 2,
				Extensible: true, Hierarchic: true}, {Name: violations.VocabReliability, Terms: 6}}}},
			{},
		},
		pageViolationVocabulary: {
			{Data: &vocabularyData{Name: violations.VocabActType, Extensible: true, Hierarchic: true,
				Terms: []termRow{{Code: "10", Label: "Killing", Shipped: true, Retire: true},
					{Code: "10.x1", Label: "Added", Indent: "— ", Retire: true, Retired: true}},
				Parents: opts, Languages: langs}, Fields: map[string]string{"label_en": "required"}},
			{Data: &vocabularyData{Name: violations.VocabReliability, Terms: []termRow{{Code: "A", Label: "A", Shipped: true}}},
				Error: violations.CodeNotExtensible},
			{},
		},
	}
}
