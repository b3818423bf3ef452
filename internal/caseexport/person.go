// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/referrals"
)

// permPersonRead is what a person's export needs on the person.
const permPersonRead access.Permission = "person.read"

// PersonFormat names the layout of a person's export.
const PersonFormat = "amparo.person_export.v1"

// personDoc is everything held about a person: what internal/persons
// holds (its own document, persons.ExportFormat) and, for each case
// linked to the person that the exporter may read, the case's codes and
// dates, the person's role in it, the person's detention episodes and
// referrals in it, and, where the person is the case's principal, its
// notes, tasks and the list of its attachments. Detention episodes and
// referrals are written with the field names of their domain packages.
type personDoc struct {
	Format     string          `json:"format"`
	ExportedAt time.Time       `json:"exported_at"`
	Person     json.RawMessage `json:"person"`
	Cases      []personCase    `json:"cases"`
}

type personCase struct {
	ID          string                           `json:"id"`
	OrgID       string                           `json:"organisation_id"`
	Number      string                           `json:"number"`
	Status      string                           `json:"status"`
	Risk        string                           `json:"risk,omitempty"`
	Concerns    []cases.Concern                  `json:"concerns"`
	Role        string                           `json:"role"`
	OpenedAt    time.Time                        `json:"opened_at"`
	UpdatedAt   time.Time                        `json:"updated_at"`
	Notes       []personNote                     `json:"notes,omitempty"`
	Tasks       []personTask                     `json:"tasks,omitempty"`
	Attachments []personAttachment               `json:"attachments,omitempty"`
	Detention   []detention.Episode              `json:"detention"`
	Referrals   []referrals.Referral             `json:"referrals"`
	Consular    []detention.AssessedNotification `json:"consular_notifications,omitempty"`
}

type personNote struct {
	Body      string    `json:"body"`
	AuthorID  string    `json:"author_id"`
	CreatedAt time.Time `json:"created_at"`
}

type personTask struct {
	Title  string     `json:"title"`
	DueAt  time.Time  `json:"due_at"`
	DoneAt *time.Time `json:"done_at,omitempty"`
}

type personAttachment struct {
	Name      string    `json:"name"`
	MediaType string    `json:"media_type"`
	Size      int64     `json:"size"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportPerson exports everything held about person personID that p may
// read (the right of access), as age-encrypted JSON (PersonFormat). It
// needs person.read on the person (persons.ErrNotFound otherwise, before
// anything else is checked) and, like ExportCases, a purpose, a
// recipient and p's password. Each part read is audited by the domain
// that holds it; the export itself is recorded in the ledger and audited
// as person.rights_export, without personal data.
func (s *Service) ExportPerson(ctx context.Context, p access.Principal, personID string, r Request) (File, error) {
	if _, err := s.persons.Reach(ctx, p, personID, permPersonRead); err != nil {
		return File{}, err
	}
	to, err := s.prepare(ctx, p, r, &ValidationError{}, "person.rights_export")
	if err != nil {
		return File{}, err
	}
	doc := personDoc{Format: PersonFormat, ExportedAt: s.now(), Cases: []personCase{}}
	if doc.Person, err = s.persons.Export(ctx, p, personID); err != nil {
		return File{}, err
	}
	linked, err := s.cases.CasesOfPerson(ctx, p, personID)
	if err != nil {
		return File{}, err
	}
	for _, c := range linked {
		pc, err := s.personCase(ctx, p, personID, c)
		if err != nil {
			return File{}, err
		}
		doc.Cases = append(doc.Cases, pc)
	}
	plain, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return File{}, err
	}
	data, err := seal(plain, to.recipient)
	clear(plain)
	if err != nil {
		return File{}, err
	}
	id, err := s.record(ctx, p, ledger{kind: "person", format: "json", rows: 1, req: r, to: to,
		action: "person.rights_export", fields: []string{"person", "cases"}})
	if err != nil {
		return File{}, err
	}
	return File{ID: id, Name: "person-" + s.now().Format("20060102T150405Z") + ".json.age", Data: data, Rows: 1}, nil
}

// personCase gathers what case c holds about person personID, as p may
// read it: parts p's role cannot read are left out rather than refused.
func (s *Service) personCase(ctx context.Context, p access.Principal, personID string, c cases.Case) (personCase, error) {
	full, err := s.cases.Get(ctx, p, c.ID)
	if err != nil {
		return personCase{}, err
	}
	out := personCase{ID: c.ID, OrgID: c.OrgID, Number: c.Number, Status: string(c.Status), Risk: string(c.Risk),
		Concerns: c.Concerns, OpenedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		Detention: []detention.Episode{}, Referrals: []referrals.Referral{}}
	for _, l := range full.Persons {
		if l.PersonID == personID {
			out.Role = string(l.Role)
		}
	}
	if out.Role == string(cases.RolePrincipal) {
		if err := s.caseContent(ctx, p, c.ID, &out); err != nil {
			return personCase{}, err
		}
	}
	if rec, err := s.cases.Reach(ctx, p, c.ID, detention.PermRead); err == nil {
		eps, err := s.detention.ListEpisodes(ctx, p, rec, c.ID)
		if err != nil {
			return personCase{}, err
		}
		episodes := map[string]bool{}
		for _, e := range eps {
			if e.PersonID == personID {
				out.Detention = append(out.Detention, e)
				episodes[e.ID] = true
			}
		}
		notes, err := s.detention.ListNotifications(ctx, p, rec, c.ID)
		if err != nil {
			return personCase{}, err
		}
		for _, n := range notes {
			if episodes[n.EpisodeID] {
				out.Consular = append(out.Consular, n)
			}
		}
	} else if !errors.Is(err, cases.ErrForbidden) {
		return personCase{}, err
	}
	refs, err := s.referrals.ForCase(ctx, p, c.ID)
	switch {
	case errors.Is(err, referrals.ErrForbidden), errors.Is(err, referrals.ErrNotFound):
	case err != nil:
		return personCase{}, err
	}
	for _, rf := range refs {
		if rf.PersonID == personID {
			out.Referrals = append(out.Referrals, rf)
		}
	}
	return out, nil
}

// caseContent adds case caseID's notes, tasks and attachment list to out.
func (s *Service) caseContent(ctx context.Context, p access.Principal, caseID string, out *personCase) error {
	notes, err := s.cases.Notes(ctx, p, caseID)
	if err != nil {
		return err
	}
	for _, n := range notes {
		out.Notes = append(out.Notes, personNote{Body: n.Body, AuthorID: n.AuthorID, CreatedAt: n.CreatedAt})
	}
	tasks, err := s.cases.Tasks(ctx, p, caseID)
	if err != nil {
		return err
	}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, personTask{Title: t.Title, DueAt: t.DueAt, DoneAt: t.DoneAt})
	}
	atts, err := s.cases.Attachments(ctx, p, caseID)
	if err != nil {
		return err
	}
	for _, a := range atts {
		out.Attachments = append(out.Attachments, personAttachment{Name: a.Name, MediaType: a.MediaType, Size: a.Size,
			CreatedAt: a.CreatedAt})
	}
	return nil
}
