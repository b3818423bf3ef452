// SPDX-License-Identifier: AGPL-3.0-or-later

package api

import (
	"net/http"
	"strconv"

	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/authn"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/httpx"
)

// Cases are protection cases. What they say about the person (notes, task
// titles) is sealed in the domain and read only through the audited
// sub-resources; a case itself holds ids and codes.

type closureRequestJSON struct {
	RequestedBy string `json:"requested_by"`
	RequestedAt string `json:"requested_at"`
	Reason      string `json:"reason"`
}

type closureJSON struct {
	RequestedBy string `json:"requested_by"`
	ApprovedBy  string `json:"approved_by"`
	Reason      string `json:"reason"`
	ClosedAt    string `json:"closed_at"`
}

type personLinkJSON struct {
	PersonID  string  `json:"person_id"`
	Role      string  `json:"role"`
	Relation  *string `json:"relation"`
	CreatedBy string  `json:"created_by"`
	CreatedAt string  `json:"created_at"`
}

type transferJSON struct {
	ID         string  `json:"id"`
	CaseID     string  `json:"case_id"`
	FromOrgID  string  `json:"from_org_id"`
	ToOrgID    string  `json:"to_org_id"`
	CaseNumber string  `json:"case_number"`
	Status     string  `json:"status"`
	OfferedBy  string  `json:"offered_by"`
	OfferedAt  string  `json:"offered_at"`
	DecidedBy  *string `json:"decided_by"`
	DecidedAt  *string `json:"decided_at"`
}

type caseJSON struct {
	ID              string              `json:"id"`
	OrgID           string              `json:"org_id"`
	Number          string              `json:"number"`
	OwnerID         string              `json:"owner_id"`
	TeamID          *string             `json:"team_id"`
	Status          string              `json:"status"`
	Risk            *string             `json:"risk"`
	Concerns        []string            `json:"concerns"`
	Principal       principalPlaceJSON  `json:"principal"`
	ClosureRequest  *closureRequestJSON `json:"closure_request"`
	Closure         *closureJSON        `json:"closure"`
	Persons         []personLinkJSON    `json:"persons"`
	PendingTransfer *transferJSON       `json:"pending_transfer"`
	CreatedBy       string              `json:"created_by"`
	CreatedAt       string              `json:"created_at"`
	UpdatedAt       string              `json:"updated_at"`
}

func toTransfer(t cases.Transfer) transferJSON {
	return transferJSON{t.ID, t.CaseID, t.FromOrgID, t.ToOrgID, t.CaseNumber, string(t.Status), t.OfferedBy,
		ts(t.OfferedAt), orNull(t.DecidedBy), timePtr(t.DecidedAt)}
}

func toCase(c cases.Case) caseJSON {
	out := caseJSON{ID: c.ID, OrgID: c.OrgID, Number: c.Number, OwnerID: c.OwnerID, TeamID: orNull(c.TeamID),
		Status: string(c.Status), Risk: orNull(string(c.Risk)), Concerns: []string{}, Persons: []personLinkJSON{},
		CreatedBy: c.CreatedBy, CreatedAt: ts(c.CreatedAt), UpdatedAt: ts(c.UpdatedAt),
		Principal: principalPlaceJSON{orNull(c.Principal.Nationality), orNull(c.Principal.Country), orNull(c.Principal.Admin1)}}
	for _, k := range c.Concerns {
		out.Concerns = append(out.Concerns, string(k))
	}
	if cr := c.ClosureRequest; cr != nil {
		out.ClosureRequest = &closureRequestJSON{cr.RequestedBy, ts(cr.RequestedAt), string(cr.Reason)}
	}
	if cl := c.Closure; cl != nil {
		out.Closure = &closureJSON{cl.RequestedBy, cl.ApprovedBy, string(cl.Reason), ts(cl.ClosedAt)}
	}
	for _, l := range c.Persons {
		out.Persons = append(out.Persons, personLinkJSON{l.PersonID, string(l.Role), orNull(string(l.Relation)),
			l.CreatedBy, ts(l.CreatedAt)})
	}
	if t := c.PendingTransfer; t != nil {
		tj := toTransfer(*t)
		out.PendingTransfer = &tj
	}
	return out
}

func toConcerns(ss []string) []cases.Concern {
	out := make([]cases.Concern, len(ss))
	for i, s := range ss {
		out[i] = cases.Concern(s)
	}
	return out
}

type personLinkBody struct {
	PersonID string `json:"person_id"`
	Role     string `json:"role"`
	Relation string `json:"relation"`
}

func (b personLinkBody) input() cases.PersonLinkInput {
	return cases.PersonLinkInput{PersonID: b.PersonID, Role: cases.PersonRole(b.Role), Relation: cases.Relation(b.Relation)}
}

func (a *API) createCase(w http.ResponseWriter, r *http.Request) {
	var body struct {
		OwnerID  string           `json:"owner_id"`
		TeamID   string           `json:"team_id"`
		Risk     string           `json:"risk"`
		Concerns []string         `json:"concerns"`
		Persons  []personLinkBody `json:"persons"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	in := cases.NewCase{OwnerID: body.OwnerID, TeamID: body.TeamID, Risk: cases.Risk(body.Risk),
		Concerns: toConcerns(body.Concerns)}
	for _, l := range body.Persons {
		in.Persons = append(in.Persons, l.input())
	}
	c, err := a.cas.Create(r.Context(), authn.PrincipalFrom(r.Context()), in)
	writeOne(a, w, r, http.StatusCreated, c, err, toCase)
}

// listCases lists the cases the caller may read that match the criteria
// in the query string (cases.CriteriaParams): codes, ids and dates, never
// personal data, which POST /cases/search takes in its body. Any other
// parameter is refused, so that a name put in a URL by mistake is not
// silently ignored.
func (a *API) listCases(w http.ResponseWriter, r *http.Request) {
	pg, err := page(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := criteria(r.URL.Query(), "cursor", "limit")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	cs, next, err := a.cas.List(r.Context(), authn.PrincipalFrom(r.Context()), c.Filter, c.Page(pg.Cursor, pg.Limit))
	writeList(a, w, r, cs, next, err, toCase)
}

// writeCase answers with the case a domain call returned.
func (a *API) writeCase(w http.ResponseWriter, r *http.Request, c cases.Case, err error) {
	writeOne(a, w, r, http.StatusOK, c, err, toCase)
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) {
	c, err := a.cas.Get(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	a.writeCase(w, r, c, err)
}

func (a *API) updateCase(w http.ResponseWriter, r *http.Request) {
	var body struct {
		// Risk null leaves it; "" marks it unassessed again.
		Risk     *string   `json:"risk"`
		Concerns *[]string `json:"concerns"`
		OwnerID  *string   `json:"owner_id"`
		TeamID   *string   `json:"team_id"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	ch := cases.Changes{OwnerID: body.OwnerID, TeamID: body.TeamID}
	if body.Risk != nil {
		ch.Risk = new(cases.Risk(*body.Risk))
	}
	if body.Concerns != nil {
		ch.Concerns = new(toConcerns(*body.Concerns))
	}
	c, err := a.cas.Update(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), ch)
	a.writeCase(w, r, c, err)
}

func (a *API) changeCaseStatus(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Status string `json:"status"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	c, err := a.cas.ChangeStatus(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), cases.Status(body.Status))
	a.writeCase(w, r, c, err)
}

func (a *API) requestClosure(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason string `json:"reason"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	c, err := a.cas.RequestClosure(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), cases.ClosureReason(body.Reason))
	a.writeCase(w, r, c, err)
}

func (a *API) approveClosure(w http.ResponseWriter, r *http.Request) {
	c, err := a.cas.ApproveClosure(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	a.writeCase(w, r, c, err)
}

func (a *API) rejectClosure(w http.ResponseWriter, r *http.Request) {
	c, err := a.cas.RejectClosure(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	a.writeCase(w, r, c, err)
}

func (a *API) linkPerson(w http.ResponseWriter, r *http.Request) {
	var body personLinkBody
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	c, err := a.cas.LinkPerson(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.input())
	a.writeCase(w, r, c, err)
}

func (a *API) unlinkPerson(w http.ResponseWriter, r *http.Request) {
	c, err := a.cas.UnlinkPerson(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), r.PathValue("person_id"))
	a.writeCase(w, r, c, err)
}

type noteJSON struct {
	ID        string `json:"id"`
	CaseID    string `json:"case_id"`
	AuthorID  string `json:"author_id"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
}

func toNote(n cases.Note) noteJSON {
	return noteJSON{n.ID, n.CaseID, n.AuthorID, n.Body, ts(n.CreatedAt)}
}

func (a *API) addNote(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Body string `json:"body"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	n, err := a.cas.AddNote(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), body.Body)
	writeOne(a, w, r, http.StatusCreated, n, err, toNote)
}

func (a *API) listNotes(w http.ResponseWriter, r *http.Request) {
	ns, err := a.cas.Notes(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeList(a, w, r, ns, "", err, toNote)
}

type taskJSON struct {
	ID         string  `json:"id"`
	CaseID     string  `json:"case_id"`
	Title      string  `json:"title"`
	AssigneeID string  `json:"assignee_id"`
	DueAt      string  `json:"due_at"`
	DoneAt     *string `json:"done_at"`
	DoneBy     *string `json:"done_by"`
	CreatedBy  string  `json:"created_by"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
}

func toTask(t cases.Task) taskJSON {
	return taskJSON{t.ID, t.CaseID, t.Title, t.AssigneeID, ts(t.DueAt), timePtr(t.DoneAt), orNull(t.DoneBy),
		t.CreatedBy, ts(t.CreatedAt), ts(t.UpdatedAt)}
}

func (a *API) addTask(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title      string `json:"title"`
		AssigneeID string `json:"assignee_id"`
		DueAt      string `json:"due_at"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	var bad []accounts.FieldError
	in := cases.NewTask{Title: body.Title, AssigneeID: body.AssigneeID, DueAt: parseTime("due_at", body.DueAt, &bad)}
	if len(bad) > 0 {
		a.fail(w, r, &accounts.ValidationError{Errors: bad})
		return
	}
	t, err := a.cas.AddTask(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), in)
	writeOne(a, w, r, http.StatusCreated, t, err, toTask)
}

func (a *API) listTasks(w http.ResponseWriter, r *http.Request) {
	ts, err := a.cas.Tasks(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"))
	writeList(a, w, r, ts, "", err, toTask)
}

// updateTask changes a task's title, assignee or due date, and marks it
// done or open again; done alone is all an assignee who may only read the
// case can change.
func (a *API) updateTask(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Title      *string `json:"title"`
		AssigneeID *string `json:"assignee_id"`
		DueAt      *string `json:"due_at"`
		Done       *bool   `json:"done"`
	}
	if !httpx.DecodeJSON(w, r, &body) {
		return
	}
	var bad []accounts.FieldError
	ch := cases.TaskChanges{Title: body.Title, AssigneeID: body.AssigneeID, DueAt: parseTimePtr("due_at", body.DueAt, &bad)}
	if body.DueAt != nil && *body.DueAt == "" {
		bad = append(bad, accounts.FieldError{Field: "due_at", Code: cases.CodeRequired})
	}
	if len(bad) > 0 {
		a.fail(w, r, &accounts.ValidationError{Errors: bad})
		return
	}
	ctx, p, id := r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id")
	var t cases.Task
	var err error
	if ch.Title != nil || ch.AssigneeID != nil || ch.DueAt != nil || body.Done == nil {
		t, err = a.cas.UpdateTask(ctx, p, id, ch)
	}
	if err == nil && body.Done != nil {
		t, err = a.cas.SetTaskDone(ctx, p, id, *body.Done)
	}
	writeOne(a, w, r, http.StatusOK, t, err, toTask)
}

// caseHistory pages through the audit entries about a case, newest first;
// the cursor is the sequence number to continue below.
func (a *API) caseHistory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var bad []accounts.FieldError
	var before int64
	limit := 0
	if s := q.Get("cursor"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			bad = append(bad, accounts.FieldError{Field: "cursor", Code: "invalid"})
		}
		before = n
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 500 {
			bad = append(bad, accounts.FieldError{Field: "limit", Code: "out_of_range"})
		}
		limit = n
	}
	if len(bad) > 0 {
		a.fail(w, r, &accounts.ValidationError{Errors: bad})
		return
	}
	entries, next, err := a.cas.HistoryPage(r.Context(), authn.PrincipalFrom(r.Context()), r.PathValue("id"), before, limit)
	writeList(a, w, r, entries, seqCursor(next), err, toAuditEntry)
}
