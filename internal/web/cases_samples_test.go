// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"time"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/persons"
)

// caseSamples are views of the case pages in their states, for the test
// that renders every page in every language.
func caseSamples(now time.Time) map[page][]view {
	w := New(Config{})
	loc := w.i18n.Locale(i18n.Default)
	h := caseHeader{ID: "c1", Number: "2026-00001", Status: "assessment", Risk: "high", Tab: "person", Tabs: caseTabs, Alerts: 2}
	closed := caseHeader{ID: "c2", Number: "2026-00002", Status: "closed", Tab: "concerns", Tabs: caseTabs}
	identity := w.identityChoices(loc)
	shown := &personView{ID: "p1", Role: "principal", GivenName: "José Luis", FamilyName: "Núñez", Aliases: []string{"Pepe"},
		Born: now.AddDate(-17, 0, 0), BirthYear: 2009, Sex: "male", Nationality: "Honduras", CountryOfBirth: "Honduras",
		CurrentCountry: "Mexico", CurrentAdmin1: "Chiapas", Languages: []string{"es"},
		Documents: []documentView{{Type: "passport", Number: "G123456", Country: "Honduras"}}, Phones: []string{"+504 5555 1234"},
		Address: "Calle 1\nTapachula", HasPhoto: true, Vulnerabilities: []option{{"unaccompanied_child", "Unaccompanied child"}},
		CanEdit: true}
	member := &personView{ID: "p2", Role: "family_member", Relation: "sibling", BornPart: "2012", Sex: "unknown"}
	erased := &personView{ID: "p3", Role: "principal", Erased: true}
	consents := []consentRow{
		{Purpose: "referral", Status: "given", RecipientOrgID: "o2", Recipient: "Casa del Migrante", At: now, RecordedAt: now},
		{Purpose: "referral", Status: "withdrawn", RecipientOrgID: "o3", At: now, RecordedAt: now},
		{Purpose: "statistics", Status: "given", At: now, RecordedAt: now},
	}
	linked := []linkedPerson{{ID: "p1", Role: "principal", Reachable: true, Name: "José Luis Núñez", Shown: true},
		{ID: "p2", Role: "family_member", Relation: "sibling", Reachable: true}, {ID: "p4", Role: "group_member"},
		{ID: "p3", Role: "group_member", Reachable: true, Erased: true}}
	personData := func(s *personView) *casePersonData {
		return &casePersonData{Header: h, Linked: linked, Shown: s, Consents: consents, Open: true, CanLink: true,
			AddVulnerabilities: []option{{"disability", "Disability"}}, Purposes: []option{{"referral", "Referral"}},
			ConsentStatuses: []option{{"given", "Given"}, {"withdrawn", "Withdrawn"}}, Recipients: []option{{"o2", "Casa del Migrante"}},
			Roles: []option{{"family_member", "Family member"}}, Relations: []option{{"sibling", "Sibling"}}}
	}
	users := map[string]string{"u1": "Ana Caseworker"}
	due := now.AddDate(0, 0, 3)
	request := &cases.ClosureRequest{RequestedBy: "u1", RequestedAt: now, Reason: cases.ClosureObjectivesMet}
	concerns := concernChecks(loc, []string{"detention"})
	return map[page][]view{
		pageCaseNew: {
			{Data: w.caseNewData(loc, nil), Values: map[string]string{"person_id": "p1"}},
			{Data: w.caseNewData(loc, []string{"detention", "health"}), Values: map[string]string{"given_name": "Ana", "birth_year": "x"},
				Fields: map[string]string{"given_name": "too_long", "date_of_birth": "invalid_date", "birth_year": codeBirthYearMismatch,
					"nationality": "unknown_country", "languages": "invalid_language", "document_number": "invalid_document_number",
					"phone": "invalid_phone", "person_id": "not_found", "risk": "unknown", "concerns": "unknown"}},
		},
		pageCasePerson: {
			{Data: personData(shown)},
			{Data: personData(member), Error: codeErased, Fields: map[string]string{"consent_purpose": "unknown_purpose",
				"consent_recipient": "required", "consent_status": "unknown_status", "consent_at": "future_date",
				"vulnerability": "unknown_vulnerability", "link_person_id": "not_found", "link_role": "principal_exists",
				"link_relation": "required"}},
			{Data: personData(erased)},
			{Data: &casePersonData{Header: closed}},
		},
		pageCaseIdentity: {
			{Data: &caseIdentityData{Header: h, Identity: identity, PersonID: "p1"}, Values: map[string]string{"sex": "female"}},
			{Data: &caseIdentityData{Header: h, Identity: identity, Roles: []option{{"principal", "Principal"}}},
				Error: codeErased, Fields: map[string]string{"role": "principal_exists", "relation": "required",
					"birth_year": codeBirthYearRange}},
		},
		pageCaseConcerns: {
			{Data: &caseConcernsData{Header: h, Risks: []option{{"high", "High risk"}}, Concerns: concerns,
				Moves:    []cases.Transition{{From: "assessment", To: "case_plan", Move: cases.MoveAdvance}},
				CanClose: true, Reasons: []option{{"objectives_met", "Objectives met"}}, CanUpdate: true},
				Error: codeCaseTransition, Fields: map[string]string{"reason": "required", "concerns": "unknown"}},
			{Data: &caseConcernsData{Header: h, Concerns: concerns, Request: request, RequestedBy: "Ana", CanUpdate: true,
				CanDecide: true}, Error: "own_request"},
			{Data: &caseConcernsData{Header: closed, Concerns: concerns, Request: request,
				Closure: &cases.Closure{Reason: cases.ClosureDuplicate, ClosedAt: now},
				Moves: []cases.Transition{{From: "closed", To: "assessment", Move: cases.MoveReopen},
					{From: "services", To: "case_plan", Move: cases.MoveStepBack}}, CanUpdate: true}},
			{Data: &caseConcernsData{Header: closed, Concerns: concerns}, Error: "closure_pending"},
		},
		pageCaseTasks: {
			{Data: &caseTasksData{caseTab: caseTab{Header: h, Users: users, Open: true, CanUpdate: true}, Assignees: []option{{"u1", "Ana"}}, Me: "u1",
				Tasks: []cases.Task{{ID: "t1", Title: "Call the consulate", AssigneeID: "u1", DueAt: due},
					{ID: "t2", Title: "Visit", AssigneeID: "u9", DueAt: due, DoneAt: &now}}},
				Fields: map[string]string{"title": "required", "due_at": codeInvalidDate, "assignee_id": "cannot_access"}},
			{Data: &caseTasksData{caseTab: caseTab{Header: closed}}, Error: "closed"},
		},
		pageCaseNotes: {
			{Data: &caseNotesData{caseTab: caseTab{Header: h, Users: users, Open: true, CanUpdate: true}, MaxLength: cases.MaxNoteLength,
				Notes: []cases.Note{{ID: "n1", AuthorID: "u1", Body: "Met at the shelter.\nSecond line.", CreatedAt: now},
					{ID: "n2", AuthorID: "u9", Body: "ملاحظة", CreatedAt: now}}},
				Fields: map[string]string{"body": "too_long"}},
			{Data: &caseNotesData{caseTab: caseTab{Header: closed}}},
		},
		pageCaseAttachments: {
			{Data: &caseAttachmentsData{caseTab: caseTab{Header: h, Users: users, Open: true, CanUpdate: true}, MaxMiB: 10,
				Attachments: []attachmentRow{
					{Attachment: cases.Attachment{ID: "a1", Name: "passport.pdf", MediaType: cases.MediaPDF, Size: 2048, UploadedBy: "u1", CreatedAt: now}, KiB: 2},
					{Attachment: cases.Attachment{ID: "a2", Name: "photo.png", MediaType: cases.MediaPNG, Size: 1, CreatedAt: now}, KiB: 1},
					{Attachment: cases.Attachment{ID: "a3", Name: "scan.jpg", MediaType: cases.MediaJPEG, CreatedAt: now}},
					{Attachment: cases.Attachment{ID: "a4", Name: "x", MediaType: "application/x-other", CreatedAt: now}, KiB: 11}}},
				Fields: map[string]string{"file": "unsupported_type"}},
			{Data: &caseAttachmentsData{caseTab: caseTab{Header: closed}}, Error: errBadRequest},
		},
		pageCaseHistory: {
			{Data: &caseHistoryData{caseTab: caseTab{Header: h, Users: users}, Older: "/cases/c1/history?before=3", Newest: "/cases/c1/history",
				Entries: []audit.Entry{
					{Seq: 3, At: now, ActorID: "u1", Action: "case.create", Fields: []string{"number", "owner_id", "status", "person"}, Outcome: audit.OutcomeOK},
					{Seq: 2, At: now, ActorID: "u9", Action: "case.read", Fields: []string{"note"}},
					{Seq: 1, At: now, Action: "case.an_action_without_words", Fields: []string{"a_field_without_words"}, Outcome: audit.OutcomeDenied}}}},
			{Data: &caseHistoryData{caseTab: caseTab{Header: closed}}},
		},
		pageCaseConfirm: {
			{Data: &caseConfirmData{Header: h, Action: confirmClose, Post: "/cases/c1/closure/approve", Back: "/cases/c1/concerns",
				Reason: string(cases.ClosureReturned)}, Error: "own_request"},
			{Data: &caseConfirmData{Header: h, Action: confirmUnlink, Post: "/cases/c1/persons/p2/unlink", Back: "/cases/c1/person", Name: "Ana"}},
			{Data: &caseConfirmData{Header: h, Action: confirmUnlink, Post: "/cases/c1/persons/p2/unlink", Back: "/cases/c1/person"}},
		},
	}
}

// caseCodes are the codes the case pages may show, each of which must have
// words of its own in every language.
var caseCodes = []string{"field." + codeBirthYearRange, "field." + codeBirthYearMismatch, "field." + codeInvalidDate,
	"error." + codeErased, "error." + codeCaseTransition, "field." + cases.CodeUnknown, "field." + cases.CodeRequired,
	"field." + cases.CodeTooLong, "field." + cases.CodeNotFound, "field." + cases.CodeCannotAccess,
	"field." + cases.CodePrincipalExists, "field." + cases.CodeNotAllowed, "field." + cases.CodeEmpty,
	"field." + cases.CodeTooLarge, "field." + cases.CodeUnsupportedType, "field." + cases.CodeDuplicate,
	"field." + cases.CodeControlChars, "error." + cases.CodeClosed, "error." + cases.CodeApprovalRequired,
	"error." + cases.CodeClosurePending, "error." + cases.CodeNoClosureRequest, "error." + cases.CodeOwnRequest,
	"error." + cases.CodeTransferPending, "field." + persons.CodeUnknownCountry, "field." + persons.CodeInvalidLanguage,
	"field." + persons.CodeUnknownSex, "field." + persons.CodeUnknownDocumentType, "field." + persons.CodeInvalidDocument,
	"field." + persons.CodeInvalidPhone, "field." + persons.CodeTooMany, "field." + persons.CodeFutureDate,
	"field." + persons.CodeUnknownVulnerability, "field." + persons.CodeUnknownPurpose, "field." + persons.CodeUnknownStatus}
