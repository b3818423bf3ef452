// SPDX-License-Identifier: AGPL-3.0-or-later

package web

// The case pages: opening a case, and the tabs of a case (person,
// concerns and workflow, tasks, notes, attachments, history; the
// detention, consular, referral and service tabs are in case_*.go).
//
// They are thin like every page here: each read and change goes through
// the persons and cases domains with the acting principal, which decide
// record-level access (another organisation's case answers 404) and audit
// every change and every read of sealed content (an identity, notes, task
// titles, attachment names) in the same transaction. A person's identity
// travels only in form posts, never in a URL. Each tab starts with
// caseFor, so that a case out of reach answers 404 before anything else
// is read. The routes name the permission a page needs at all; the domain
// then checks it against the case itself, so that a caseworker holding
// case.update over their own cases cannot change another's.

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/referrals"
)

// The case pages.
const (
	pageCaseNew         page = "case_new"
	pageCasePerson      page = "case_person"
	pageCaseIdentity    page = "case_identity"
	pageCaseConcerns    page = "case_concerns"
	pageCaseTasks       page = "case_tasks"
	pageCaseNotes       page = "case_notes"
	pageCaseAttachments page = "case_attachments"
	pageCaseHistory     page = "case_history"
	pageCaseConfirm     page = "case_confirm"
)

// casePages are the case pages' templates.
var casePages = []page{pageCaseNew, pageCasePerson, pageCaseIdentity, pageCaseConcerns, pageCaseTasks,
	pageCaseNotes, pageCaseAttachments, pageCaseHistory, pageCaseConfirm}

// permPersonWrite guards changes to a person's record (internal/persons
// decides it per record).
const permPersonWrite access.Permission = "person.write"

// attachmentBodyLimit caps an upload: the largest attachment, plus room
// for the form's other parts and the multipart framing.
const attachmentBodyLimit = cases.MaxAttachmentSize + 1<<20

// caseRoutes lists the case pages.
func (w *Web) caseRoutes() []authn.Route {
	perm := authn.PermRoute
	read, update, approve := cases.PermRead, cases.PermUpdate, cases.PermApproveClosure
	return []authn.Route{
		perm("GET /cases/new", cases.PermCreate, w.caseNewForm),
		perm("POST /cases/new", cases.PermCreate, w.caseCreate),

		perm("GET /cases/{id}", read, w.casePersonTab),
		perm("GET /cases/{id}/person", read, w.casePersonTab),
		perm("GET /cases/{id}/persons/new", update, w.caseMemberForm),
		perm("POST /cases/{id}/persons/new", update, w.caseMemberCreate),
		perm("POST /cases/{id}/persons", update, w.caseLink),
		perm("GET /cases/{id}/persons/{person}/edit", permPersonWrite, w.caseIdentityForm),
		perm("POST /cases/{id}/persons/{person}/edit", permPersonWrite, w.caseIdentityUpdate),
		perm("GET /cases/{id}/persons/{person}/unlink", update, w.caseUnlinkForm),
		perm("POST /cases/{id}/persons/{person}/unlink", update, w.caseUnlink),
		perm("POST /cases/{id}/persons/{person}/vulnerabilities", permPersonWrite, w.caseVulnerability),
		perm("POST /cases/{id}/persons/{person}/consents", permPersonWrite, w.caseConsent),

		perm("GET /cases/{id}/concerns", read, w.caseConcernsTab),
		perm("POST /cases/{id}/concerns", update, w.caseConcernsUpdate),
		perm("POST /cases/{id}/status", update, w.caseStatus),
		perm("POST /cases/{id}/closure", update, w.caseClosureRequest),
		perm("GET /cases/{id}/closure/approve", approve, w.caseClosureConfirm),
		perm("POST /cases/{id}/closure/approve", approve, w.caseClosureApprove),
		perm("POST /cases/{id}/closure/reject", approve, w.caseClosureReject),

		perm("GET /cases/{id}/tasks", read, w.caseTasksTab),
		perm("POST /cases/{id}/tasks", update, w.caseTaskAdd),
		// The assignee of a task may mark it done with case.read alone;
		// the domain decides.
		perm("POST /cases/{id}/tasks/{task}/done", read, w.caseTaskDone),

		perm("GET /cases/{id}/notes", read, w.caseNotesTab),
		perm("POST /cases/{id}/notes", update, w.caseNoteAdd),

		perm("GET /cases/{id}/attachments", read, w.caseAttachmentsTab),
		perm("POST /cases/{id}/attachments", update, w.caseAttachmentAdd).WithMaxBody(attachmentBodyLimit),
		perm("GET /cases/{id}/attachments/{attachment}", read, w.caseAttachmentDownload),

		perm("GET /cases/{id}/history", read, w.caseHistoryTab),
	}
}

// casePath is the address of a tab of case id.
func casePath(id, tab string) string { return "/cases/" + id + "/" + tab }

// caseScope is the access record of case c, to decide which forms a tab
// offers (the domain decides again on each change).
func caseScope(c cases.Case) access.Record {
	return access.Record{OrgID: c.OrgID, OwnerID: c.OwnerID, TeamID: c.TeamID}
}

// caseTab is what the tabs that list a case's records share: the header,
// the names of the users the reader may see (by id, to say who did what;
// a missing id is shown as another user), and which forms they offer.
type caseTab struct {
	Header caseHeader
	Users  map[string]string
	// Open is false for a closed case; CanUpdate is true when the reader
	// may change the case.
	Open, CanUpdate bool
}

// loadTab loads the case of the request for tab as caseFor does, and the
// rest of the tab's caseTab; users are the users the reader may see, as
// choices. It reports false when it has answered.
func (w *Web) loadTab(rw http.ResponseWriter, r *http.Request, tab string) (cases.Case, caseTab, []option, bool) {
	c, h, ok := w.caseFor(rw, r, tab)
	if !ok {
		return c, caseTab{}, nil, false
	}
	names, users, err := w.userNames(r)
	if err != nil {
		w.caseFail(rw, r, err)
		return c, caseTab{}, nil, false
	}
	return c, caseTab{Header: h, Users: names, Open: c.Status != cases.StatusClosed,
		CanUpdate: authn.PrincipalFrom(r.Context()).Allows(cases.PermUpdate, caseScope(c))}, users, true
}

// checkOption is a checkbox of a group, ticked or not.
type checkOption struct {
	Value, Label string
	Checked      bool
}

// codeOptions names each of codes in loc with the message prefix+code.
func codeOptions[T ~string](loc *i18n.Locale, prefix string, codes []T) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{Value: string(c), Label: loc.T(prefix + string(c))}
	}
	return out
}

// concernChecks are the protection concerns as checkboxes, those of
// ticked checked.
func concernChecks(loc *i18n.Locale, ticked []string) []checkOption {
	out := make([]checkOption, len(cases.Concerns))
	for i, c := range cases.Concerns {
		code := string(c.Code)
		out[i] = checkOption{Value: code, Label: loc.T("concern." + code), Checked: slices.Contains(ticked, code)}
	}
	return out
}

// toConcerns turns posted concern codes into the domain's type.
func toConcerns(codes []string) []cases.Concern {
	out := make([]cases.Concern, len(codes))
	for i, c := range codes {
		out[i] = cases.Concern(c)
	}
	return out
}

// errorPlace says where a form shows a field error of the domain: the
// form field it belongs to and the code to show there, or field "" for an
// error shown above the form.
type errorPlace func(fe fielderr.FieldError) (field, code string)

// renamed places the errors of the domain fields named in m beside the
// form fields m maps them to, and any other above the form.
func renamed(m map[string]string) errorPlace {
	return func(fe fielderr.FieldError) (string, string) { return m[fe.Field], fe.Code }
}

// formErrors splits a validation error into the errors shown beside a
// form's fields (the first for each field) and the code of the first shown
// above the form.
func formErrors(ve *fielderr.Error, place errorPlace) (map[string]string, string) {
	fields := map[string]string{}
	above := ""
	for _, fe := range ve.Errors {
		field, code := place(fe)
		switch {
		case field == "":
			if above == "" {
				above = code
			}
		case fields[field] == "":
			fields[field] = code
		}
	}
	return fields, above
}

// caseForm is a form of the case pages whose post asks the domains for a
// change.
type caseForm struct {
	// show renders the form's page again with status and v.
	show func(status int, v view)
	// values are the posted values to show again.
	values map[string]string
	// place says where the domains' field errors are shown.
	place errorPlace
	// fields are errors the handler found before asking the domains.
	fields map[string]string
}

// unreadable answers a post that could not be read, on the form's page.
func (f caseForm) unreadable() { f.show(http.StatusBadRequest, view{Error: errBadRequest}) }

// caseSaved reports whether the change or check whose outcomes are errs
// passed, with no error found by the handler either. Otherwise it answers:
// validation errors on the form's page, beside the fields where place puts
// them and above the form otherwise; any other error as caseFail does.
func (w *Web) caseSaved(rw http.ResponseWriter, r *http.Request, f caseForm, errs ...error) bool {
	fields := maps.Clone(f.fields)
	if fields == nil {
		fields = map[string]string{}
	}
	above := ""
	for _, err := range errs {
		var ve *fielderr.Error
		switch {
		case err == nil:
			continue
		case errors.Is(err, persons.ErrErased):
			// The person's identity was destroyed: the record stays as
			// it is, and the form says so.
			ve = &fielderr.Error{Errors: []fielderr.FieldError{{Code: codeErased}}}
		case !errors.As(err, &ve):
			w.caseFail(rw, r, err)
			return false
		}
		more, code := formErrors(ve, f.place)
		for field, c := range more {
			if fields[field] == "" {
				fields[field] = c
			}
		}
		if above == "" {
			above = code
		}
	}
	if len(fields) == 0 && above == "" {
		return true
	}
	f.show(http.StatusUnprocessableEntity, view{Values: f.values, Fields: fields, Error: above})
	return false
}

// maxListed bounds the users and directory entries a case page reads for
// its choices and names: one page of the domains' lists.
const maxListed = 500

// userNames returns the names of the users the reader may see (their own
// at least), by id, for the columns that say who did something and for
// choosing an assignee. The domain audits the read of each name. A reader
// who may see no user gets none, and the pages say "another user".
func (w *Web) userNames(r *http.Request) (map[string]string, []option, error) {
	users, _, err := w.acc.ListUsers(r.Context(), authn.PrincipalFrom(r.Context()), accounts.UserFilter{},
		accounts.Page{Limit: maxListed})
	if errors.Is(err, accounts.ErrForbidden) {
		return map[string]string{}, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	names := make(map[string]string, len(users))
	opts := make([]option, 0, len(users))
	for _, u := range users {
		if !u.Disabled {
			names[u.ID] = u.Name
			opts = append(opts, option{Value: u.ID, Label: u.Name})
		}
	}
	return names, opts, nil
}

// consentRecipients lists the organisations a person can consent to be
// referred to: the directory's entries that are Amparo organisations (a
// provider outside Amparo cannot be named in a consent), by name, each
// organisation once; and the names by organisation id.
func (w *Web) consentRecipients(r *http.Request) ([]option, map[string]string, error) {
	ps, _, err := w.ref.Providers(r.Context(), authn.PrincipalFrom(r.Context()), referrals.ProviderFilter{},
		referrals.Page{Limit: maxListed})
	if err != nil {
		return nil, nil, err
	}
	names := map[string]string{}
	var opts []option
	for _, p := range ps {
		if p.OrgID != "" && names[p.OrgID] == "" {
			names[p.OrgID] = p.Name
			opts = append(opts, option{Value: p.OrgID, Label: p.Name})
		}
	}
	return opts, names, nil
}

// formValues copies the named fields of a posted form, for showing them
// again after a refusal.
func formValues(f url.Values, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = f.Get(n)
	}
	return out
}
