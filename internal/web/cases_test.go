// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
)

// caseFixture is a stack with a team of a caseworker and two supervisors,
// signed in through the pages with their second factor, and a case the
// caseworker opened through the form.
type caseFixture struct {
	*stack
	team           accounts.Team
	cw, sup1, sup2 *browser
	caseID         string
}

// myTabs are the tabs this file's pages serve.
var myTabs = []string{"person", "concerns", "tasks", "notes", "attachments", "history"}

func newCaseFixture(t *testing.T) *caseFixture {
	t.Helper()
	s := newStack(t)
	team, err := s.acc.CreateTeam(context.Background(), access.System, s.org.ID, "North")
	if err != nil {
		t.Fatal(err)
	}
	f := &caseFixture{stack: s, team: team}
	f.cw = f.member("carla@example.org", "Carla Caseworker", access.RoleCaseworker)
	f.sup1 = f.member("sam@example.org", "Sam Supervisor", access.RoleSupervisor)
	f.sup2 = f.member("sol@example.org", "Sol Supervisor", access.RoleSupervisor)
	f.caseID = f.openCase(f.cw)
	return f
}

// member creates a member of the team with role and signs them in,
// setting up their second factor as a person would.
func (f *caseFixture) member(email, name, role string) *browser {
	f.t.Helper()
	_, _, err := f.acc.CreateUser(context.Background(), access.System, accounts.NewUser{
		Email: email, Name: name, Password: testPassword, OrgID: f.org.ID, Role: role, TeamID: f.team.ID})
	if err != nil {
		f.t.Fatal(err)
	}
	b := f.browser()
	b.login(email, testPassword, pathEnrol)
	f.adminEnrol(b)
	return b
}

var caseLocationRE = regexp.MustCompile(`^/cases/([0-9a-z]{26})/person$`)

// openCase opens a case for a new person through the form and returns its
// id.
func (f *caseFixture) openCase(b *browser) string {
	f.t.Helper()
	res := b.post("/cases/new", url.Values{"given_name": {"José Luis"}, "family_name": {"Núñez-Ávila"},
		"birth_year": {"2009"}, "sex": {"male"}, "nationality": {"HN"}, "languages": {"es, qu"},
		"document_type": {"passport"}, "document_number": {"G-123 456"}, "phone": {"+504 5555 1234"},
		"risk": {"high"}, "concerns": {"detention", "child_protection"}})
	m := caseLocationRE.FindStringSubmatch(res.location())
	if res.status != http.StatusSeeOther || m == nil {
		f.t.Fatalf("open a case: got %d to %q:\n%s", res.status, res.location(), res.body)
	}
	return m[1]
}

// count counts the rows of a table.
func (f *caseFixture) count(table string) int {
	f.t.Helper()
	var n int
	if err := f.db.Scan(f.db.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+table), &n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// page gets path and expects 200 with wants in the body.
func (f *caseFixture) page(b *browser, path string, wants ...string) response {
	f.t.Helper()
	res := b.get(path)
	expect(f.t, path, res, http.StatusOK, "")
	contains(f.t, path, res.body, wants...)
	return res
}

func (f *caseFixture) path(tab string) string { return casePath(f.caseID, tab) }

// TestCaseOpenAndTabs opens a case through the form (after a refused
// attempt that records nothing) and shows each tab to its caseworker, and
// to no one of another organisation.
func TestCaseOpenAndTabs(t *testing.T) {
	t.Parallel()
	f := newCaseFixture(t)
	persons0, cases0 := f.count("persons"), f.count("cases")

	f.page(f.cw, "/cases/new", `data-testid="case-new-form"`, `name="concerns" type="checkbox" value="detention"`)
	res := f.cw.post("/cases/new", url.Values{"given_name": {"Ana"}, "nationality": {"ZZ"}, "birth_year": {"nineteen"},
		"phone": {"12"}, "risk": {"extreme"}, "concerns": {"weather"}})
	expect(t, "refused case", res, http.StatusUnprocessableEntity, "")
	contains(t, "refused case", res.body, `id="nationality-error"`, `id="birth_year-error"`, `id="phone-error"`,
		`id="risk-error"`, `id="concerns-error"`, `value="Ana"`, "Enter a year from 1900 to this year.")
	if p, c := f.count("persons"), f.count("cases"); p != persons0 || c != cases0 {
		t.Fatalf("a refused form recorded %d persons and %d cases", p-persons0, c-cases0)
	}
	res = f.cw.post("/cases/new", url.Values{"person_id": {"01234567890123456789012345"}})
	expect(t, "unknown person", res, http.StatusUnprocessableEntity, "")
	contains(t, "unknown person", res.body, `id="person_id-error"`)

	res = f.page(f.cw, "/cases/"+f.caseID, `data-testid="person-identity"`, "José Luis", "Núñez-Ávila", "Honduras",
		"G-123 456", `data-testid="consent-form"`, `data-testid="tab-person" aria-current="page"`, "High risk")
	for _, tab := range myTabs {
		f.page(f.cw, f.path(tab), `data-testid="case-header"`, `data-testid="tab-`+tab+`" aria-current="page"`)
	}
	// A second case for the same person, by reference.
	personID := regexp.MustCompile(`data-testid="person-id">([0-9a-z]{26})<`).FindStringSubmatch(res.body)
	if personID == nil {
		t.Fatalf("no person reference on the person tab:\n%s", res.body)
	}
	res = f.cw.post("/cases/new", url.Values{"person_id": {personID[1]}, "risk": {"low"}})
	if m := caseLocationRE.FindStringSubmatch(res.location()); m == nil || m[1] == f.caseID {
		t.Fatalf("second case: got %d to %q", res.status, res.location())
	}
	if p := f.count("persons"); p != persons0 {
		t.Errorf("a case for a registered person registered %d more", p-persons0)
	}

	// Another organisation's caseworker gets 404 for every tab and form.
	name := "Other organisation"
	other, err := f.acc.CreateOrganisation(context.Background(), access.System, accounts.OrganisationInput{Name: &name}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.acc.CreateUser(context.Background(), access.System, accounts.NewUser{Email: "otto@other.example",
		Name: "Otto Other", Password: testPassword, OrgID: other.ID, Role: access.RoleSupervisor}); err != nil {
		t.Fatal(err)
	}
	outsider := f.browser()
	outsider.login("otto@other.example", testPassword, pathEnrol)
	f.adminEnrol(outsider)
	for _, path := range append([]string{"/cases/" + f.caseID, f.path("persons/new"), f.path("closure/approve")},
		func() (out []string) {
			for _, tab := range myTabs {
				out = append(out, f.path(tab))
			}
			return out
		}()...) {
		if res := outsider.get(path); res.status != http.StatusNotFound {
			t.Errorf("GET %s from another organisation: %d, want 404", path, res.status)
		}
	}
	for _, path := range []string{"notes", "tasks", "concerns", "status", "closure", "persons"} {
		if res := outsider.post(f.path(path), url.Values{"body": {"x"}, "title": {"x"}}); res.status != http.StatusNotFound {
			t.Errorf("POST %s from another organisation: %d, want 404", path, res.status)
		}
	}
	if n := f.count("case_notes") + f.count("case_tasks"); n != 0 {
		t.Errorf("another organisation's posts recorded %d rows", n)
	}
}

// TestCaseNotesAndAttachments adds a note and a file and reads them back;
// a refused note records nothing; the history names what changed without
// the values; neither the note nor the file name reaches the log.
func TestCaseNotesAndAttachments(t *testing.T) {
	t.Parallel()
	f := newCaseFixture(t)
	const note = "SNTL-note Met at the shelter.\nAsked for a lawyer."

	res := f.cw.post(f.path("notes"), url.Values{"body": {"  "}})
	expect(t, "empty note", res, http.StatusUnprocessableEntity, "")
	contains(t, "empty note", res.body, `id="body-error"`, "This field is required.")
	if n := f.count("case_notes"); n != 0 {
		t.Fatalf("a refused note recorded %d", n)
	}
	expect(t, "note", f.cw.post(f.path("notes"), url.Values{"body": {note}}), http.StatusSeeOther, f.path("notes"))
	f.page(f.cw, f.path("notes"), `data-testid="note"`, "SNTL-note Met at the shelter.\nAsked for a lawyer.", "Carla Caseworker")

	var pic bytes.Buffer
	if err := png.Encode(&pic, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	res = f.cw.attach(f.path("attachments"), "SNTL-file notes.txt", []byte("plain text"))
	expect(t, "text file", res, http.StatusUnprocessableEntity, "")
	contains(t, "text file", res.body, `id="file-error"`, "Upload a PDF, JPEG or PNG file.")
	expect(t, "png", f.cw.attach(f.path("attachments"), "SNTL-file passport.png", pic.Bytes()), http.StatusSeeOther,
		f.path("attachments"))
	res = f.page(f.cw, f.path("attachments"), "SNTL-file passport.png", "PNG")
	link := regexp.MustCompile(`href="(/cases/[0-9a-z]{26}/attachments/[0-9a-z]{26})"`).FindStringSubmatch(res.body)
	if link == nil {
		t.Fatalf("no download link:\n%s", res.body)
	}
	res = f.cw.get(link[1])
	expect(t, "download", res, http.StatusOK, "")
	if res.body != pic.String() || res.header.Get("Content-Type") != "image/png" ||
		res.header.Get("X-Content-Type-Options") != "nosniff" ||
		res.header.Get("Content-Disposition") != `attachment; filename="SNTL-file passport.png"` {
		t.Errorf("download: %d bytes, headers %v", len(res.body), res.header)
	}
	other := strings.Replace(link[1], f.caseID, f.openCase(f.cw), 1)
	if res := f.cw.get(other); res.status != http.StatusNotFound {
		t.Errorf("an attachment under another case's address: %d, want 404", res.status)
	}

	res = f.page(f.cw, f.path("history"), `data-testid="history-row"`, "Note added", "File attached",
		"Confidential content read", "Carla Caseworker")
	if strings.Contains(res.body, "SNTL") {
		t.Error("the history shows a value")
	}
	// Each reading of the notes is in the history, which pages.
	for range caseHistoryPageSize {
		f.cw.get(f.path("notes"))
	}
	res = f.page(f.cw, f.path("history"), `data-testid="history-older"`)
	if strings.Contains(res.body, "Case opened") {
		t.Error("the first page of the history reaches back to the opening")
	}
	older := regexp.MustCompile(`href="(/cases/[0-9a-z]{26}/history\?before=[0-9]+)"`).FindStringSubmatch(res.body)
	if older == nil {
		t.Fatalf("no link to older entries:\n%s", res.body)
	}
	f.page(f.cw, older[1], "Case opened", `data-testid="history-newest"`)
	if res := f.cw.get(f.path("history") + "?before=x"); res.status != http.StatusBadRequest {
		t.Errorf("a bad cursor: %d, want 400", res.status)
	}
	if strings.Contains(f.logs.String(), "SNTL") {
		t.Error("the log holds a note or a file name")
	}
}

// attach posts a file as the attachment form does.
func (b *browser) attach(path, name string, content []byte) response {
	b.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err == nil {
		_, err = fw.Write(content)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		b.s.t.Fatal(err)
	}
	req := b.request(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// TestCaseWorkflowAndClosure changes the risk and concerns, moves the
// case on, and closes it: the caseworker asks, may not approve, and the
// supervisor who asks for a closure may not approve it either; another
// supervisor does, after confirming.
func TestCaseWorkflowAndClosure(t *testing.T) {
	t.Parallel()
	f := newCaseFixture(t)
	res := f.cw.post(f.path("concerns"), url.Values{"risk": {"critical"}, "concerns": {"health", "weather"}})
	expect(t, "bad concern", res, http.StatusUnprocessableEntity, "")
	contains(t, "bad concern", res.body, `id="concerns-error"`, `value="health" checked`)
	expect(t, "concerns", f.cw.post(f.path("concerns"), url.Values{"risk": {"critical"}, "concerns": {"health"}}),
		http.StatusSeeOther, f.path("concerns"))
	res = f.page(f.cw, f.path("concerns"), `value="health" checked`, "Critical risk", `data-testid="move-assessment"`)
	if strings.Contains(res.body, `value="detention" checked`) {
		t.Error("a concern taken off is still ticked")
	}
	res = f.cw.post(f.path("status"), url.Values{"to": {"services"}})
	expect(t, "skipping a step", res, http.StatusUnprocessableEntity, "")
	contains(t, "skipping a step", res.body, "The case cannot move there from its current status.")
	expect(t, "advance", f.cw.post(f.path("status"), url.Values{"to": {"assessment"}}), http.StatusSeeOther, f.path("concerns"))

	res = f.cw.post(f.path("closure"), url.Values{"reason": {""}})
	expect(t, "closure without reason", res, http.StatusUnprocessableEntity, "")
	contains(t, "closure without reason", res.body, `id="reason-error"`)
	expect(t, "ask for closure", f.cw.post(f.path("closure"), url.Values{"reason": {"objectives_met"}}),
		http.StatusSeeOther, f.path("concerns")+"#workflow")
	res = f.page(f.cw, f.path("concerns"), `data-testid="closure-request"`, "Objectives met")
	if strings.Contains(res.body, `data-testid="closure-approve"`) {
		t.Error("the caseworker is offered to approve")
	}
	if res := f.cw.post(f.path("closure/approve"), nil); res.status != http.StatusForbidden {
		t.Errorf("caseworker approving: %d, want 403", res.status)
	}
	f.page(f.sup1, f.path("concerns"), `data-testid="closure-approve"`, "Carla Caseworker")
	f.page(f.sup1, f.path("closure/approve"), `data-testid="confirm-submit"`, "Objectives met")
	expect(t, "approve", f.sup1.post(f.path("closure/approve"), nil), http.StatusSeeOther, f.path("concerns"))
	f.page(f.cw, f.path("concerns"), `data-testid="case-status">Closed<`, `data-testid="closure"`, `data-testid="move-assessment"`)
	res = f.cw.post(f.path("notes"), url.Values{"body": {"after closing"}})
	expect(t, "note on a closed case", res, http.StatusUnprocessableEntity, "")
	contains(t, "note on a closed case", res.body, "This case is closed")

	// Reopened, a supervisor asks; only another may approve.
	expect(t, "reopen", f.sup1.post(f.path("status"), url.Values{"to": {"assessment"}}), http.StatusSeeOther, f.path("concerns"))
	expect(t, "supervisor asks", f.sup1.post(f.path("closure"), url.Values{"reason": {"duplicate"}}),
		http.StatusSeeOther, f.path("concerns")+"#workflow")
	if strings.Contains(f.page(f.sup1, f.path("concerns")).body, `data-testid="closure-approve"`) {
		t.Error("the supervisor who asked is offered to approve")
	}
	res = f.sup1.post(f.path("closure/approve"), nil)
	expect(t, "own request", res, http.StatusUnprocessableEntity, "")
	contains(t, "own request", res.body, "You asked for this closure: someone else must approve it.")
	f.page(f.sup1, f.path("concerns"), `data-testid="workflow-status">Assessment<`)
	expect(t, "reject", f.sup2.post(f.path("closure/reject"), nil), http.StatusSeeOther, f.path("concerns"))
	expect(t, "ask again", f.sup1.post(f.path("closure"), url.Values{"reason": {"duplicate"}}),
		http.StatusSeeOther, f.path("concerns")+"#workflow")
	expect(t, "other approves", f.sup2.post(f.path("closure/approve"), nil), http.StatusSeeOther, f.path("concerns"))
	f.page(f.sup1, f.path("history"), "Closure requested", "Closure rejected", "Closure approved", "Sol Supervisor")
}

// TestCaseTasks adds a task (after a refused one), lists it and marks it
// done and open again.
func TestCaseTasks(t *testing.T) {
	t.Parallel()
	f := newCaseFixture(t)
	res := f.cw.post(f.path("tasks"), url.Values{"title": {"Call the consulate"}, "due_at": {"tomorrow"}})
	expect(t, "bad date", res, http.StatusUnprocessableEntity, "")
	contains(t, "bad date", res.body, `id="due_at-error"`, `value="Call the consulate"`)
	if n := f.count("case_tasks"); n != 0 {
		t.Fatalf("a refused task recorded %d", n)
	}
	expect(t, "task", f.cw.post(f.path("tasks"), url.Values{"title": {"Call the consulate"}, "due_at": {"2026-03-09"}}),
		http.StatusSeeOther, f.path("tasks"))
	res = f.page(f.cw, f.path("tasks"), "Call the consulate", "9 March 2026", "Carla Caseworker", "To do")
	id := regexp.MustCompile(`id="task-([0-9a-z]{26})"`).FindStringSubmatch(res.body)
	if id == nil {
		t.Fatalf("no task row:\n%s", res.body)
	}
	expect(t, "done", f.cw.post(f.path("tasks/"+id[1]+"/done"), url.Values{"done": {"true"}}), http.StatusSeeOther,
		f.path("tasks")+"#task-"+id[1])
	f.page(f.cw, f.path("tasks"), "Done on 2 March 2026", `class="done"`)
	expect(t, "open again", f.cw.post(f.path("tasks/"+id[1]+"/done"), url.Values{"done": {"false"}}), http.StatusSeeOther,
		f.path("tasks")+"#task-"+id[1])
	f.page(f.cw, f.path("tasks"), "To do")
	other := f.openCase(f.cw)
	if res := f.cw.post(casePath(other, "tasks/"+id[1]+"/done"), url.Values{"done": {"true"}}); res.status != http.StatusNotFound {
		t.Errorf("a task under another case's address: %d, want 404", res.status)
	}
}

// TestCasePersonForms records vulnerabilities and consent, registers a
// family member and changes an identity, each after a refusal that changes
// nothing.
func TestCasePersonForms(t *testing.T) {
	t.Parallel()
	f := newCaseFixture(t)
	recipient, err := f.acc.CreateOrganisation(context.Background(), access.System,
		accounts.OrganisationInput{Name: new("Casa del Migrante")}, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.ref.CreateProvider(context.Background(), access.System, referrals.ProviderInput{Name: "Casa del Migrante",
		OrgID: recipient.ID, ServiceTypes: []string{"legal"}, Country: "MEX"}); err != nil {
		t.Fatal(err)
	}
	res := f.page(f.cw, f.path("person"), `value="`+recipient.ID+`" dir="auto">Casa del Migrante<`)
	person := regexp.MustCompile(`/cases/[0-9a-z]{26}/persons/([0-9a-z]{26})/consents`).FindStringSubmatch(res.body)
	if person == nil {
		t.Fatalf("no consent form:\n%s", res.body)
	}
	base := f.path("persons/" + person[1])

	expect(t, "vulnerability", f.cw.post(base+"/vulnerabilities", url.Values{"vulnerability": {"unaccompanied_child"},
		"present": {"true"}}), http.StatusSeeOther, f.path("person")+"#vulnerabilities")
	res = f.cw.post(base+"/vulnerabilities", url.Values{"vulnerability": {"tall"}, "present": {"true"}})
	expect(t, "unknown vulnerability", res, http.StatusUnprocessableEntity, "")
	contains(t, "unknown vulnerability", res.body, `id="vulnerability-error"`)
	f.page(f.cw, f.path("person"), `data-testid="vulnerability-unaccompanied_child"`, "Unaccompanied child")

	res = f.cw.post(base+"/consents", url.Values{"consent_purpose": {"referral"}, "consent_status": {"given"}})
	expect(t, "consent without recipient", res, http.StatusUnprocessableEntity, "")
	contains(t, "consent without recipient", res.body, `id="consent_recipient-error"`, "This field is required.")
	if ok, _ := f.per.HasConsent(context.Background(), person[1], persons.PurposeReferral, recipient.ID); ok {
		t.Fatal("a refused consent was recorded")
	}
	expect(t, "consent", f.cw.post(base+"/consents", url.Values{"consent_purpose": {"referral"},
		"consent_recipient": {recipient.ID}, "consent_status": {"given"}}), http.StatusSeeOther, f.path("person")+"#consents")
	f.page(f.cw, f.path("person"), `data-testid="consent-row"`, "Referral to an organisation", "Consent given")
	if ok, err := f.per.HasConsent(context.Background(), person[1], persons.PurposeReferral, recipient.ID); !ok || err != nil {
		t.Errorf("the consent is not in force: %v", err)
	}

	persons0 := f.count("persons")
	res = f.cw.post(f.path("persons/new"), url.Values{"given_name": {"María"}, "role": {"family_member"}})
	expect(t, "member without relation", res, http.StatusUnprocessableEntity, "")
	contains(t, "member without relation", res.body, `id="relation-error"`, `value="María"`)
	res = f.cw.post(f.path("persons/new"), url.Values{"given_name": {"María"}, "role": {"principal"}})
	contains(t, "second principal", res.body, `id="role-error"`, "The case already has a principal person.")
	if n := f.count("persons"); n != persons0 {
		t.Fatalf("refused members recorded %d persons", n-persons0)
	}
	res = f.cw.post(f.path("persons/new"), url.Values{"given_name": {"María"}, "role": {"family_member"},
		"relation": {"sibling"}, "birth_year": {"2012"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), f.path("person")+"?person=") {
		t.Fatalf("member: got %d to %q:\n%s", res.status, res.location(), res.body)
	}
	f.page(f.cw, res.location(), "María", "Sibling", "Family member", `data-testid="linked-person" class="current"`)

	res = f.cw.post(base+"/edit", url.Values{"given_name": {"José Luis"}, "family_name": {"Núñez"},
		"date_of_birth": {"2009-04-03"}, "birth_year": {"2008"}})
	expect(t, "mismatched year", res, http.StatusUnprocessableEntity, "")
	contains(t, "mismatched year", res.body, `id="birth_year-error"`, "The year of birth does not match the date of birth.")
	f.page(f.cw, base+"/edit", `value="Núñez-Ávila"`, `value="G-123 456"`)
	expect(t, "edit", f.cw.post(base+"/edit", url.Values{"given_name": {"José Luis"}, "family_name": {"Núñez"},
		"date_of_birth": {"2009-04-03"}, "nationality": {"HN"}, "document_type": {"passport"},
		"document_number": {"G-123 456"}}), http.StatusSeeOther, f.path("person"))
	f.page(f.cw, f.path("person"), "Núñez<", "3 April 2009", "G-123 456")
}

// TestCaseCodesHaveMessages checks that the codes and vocabularies the
// case pages show have words of their own in every language.
func TestCaseCodesHaveMessages(t *testing.T) {
	t.Parallel()
	keys := append([]string(nil), caseCodes...)
	for _, c := range cases.Concerns {
		keys = append(keys, "concern."+string(c.Code))
	}
	for _, v := range persons.Vulnerabilities() {
		keys = append(keys, "vulnerability."+v.Code)
	}
	for _, d := range persons.DocumentTypes() {
		keys = append(keys, "document_type."+d)
	}
	for _, p := range persons.Purposes() {
		keys = append(keys, "cases.consent.purpose."+string(p))
	}
	for _, r := range cases.PersonRoles {
		keys = append(keys, "cases.person_role."+string(r))
	}
	for _, r := range cases.Relations {
		keys = append(keys, "cases.relation."+string(r))
	}
	for _, r := range cases.ClosureReasons {
		keys = append(keys, "cases.closure_reason."+string(r))
	}
	for _, s := range cases.Statuses {
		keys = append(keys, "cases.status."+string(s))
	}
	for _, r := range cases.Risks {
		keys = append(keys, "cases.risk."+string(r))
	}
	cat := i18n.MustLoad()
	for _, lang := range i18n.Languages {
		for _, k := range keys {
			if !cat.Locale(lang.Code).Has(k) {
				t.Errorf("%s has no message %s", lang.Code, k)
			}
		}
	}
}
