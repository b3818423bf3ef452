// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/persons"
)

// MaxRows bounds the cases of one export, so that a file is made in
// memory in bounded time and space; a larger list is exported in parts,
// by narrower filters.
const MaxRows = 100_000

// CaseListRequest asks for a list of cases.
type CaseListRequest struct {
	Request
	Filter cases.Filter
	// Format is export.CSV or export.XLSX.
	Format string
	// IncludeIdentity adds the principal person's names, date of birth
	// and documents; it needs PermExportIdentity.
	IncludeIdentity bool
}

// caseColumns are the columns of every case list; identityColumns are
// added when the identity is included. The principal person is the one
// the case is for; their columns are empty when the case has none.
var (
	caseColumns = []string{"number", "status", "risk", "concerns", "owner_id", "team_id", "opened_at", "updated_at",
		"person_sex", "person_birth_year", "person_nationality", "person_country_of_birth", "person_languages",
		"person_current_country", "person_current_admin1"}
	identityColumns = []string{"person_given_name", "person_family_name", "person_date_of_birth", "person_documents"}
)

// ExportCases exports the cases that p's case.export grant reaches (its
// scope, which may be wider than case.read's) and that match r.Filter, as
// an age-encrypted CSV or XLSX file: one row per case with its number,
// status, risk, concerns, owner, team, dates and the principal person's
// non-identifying attributes, and, when asked by someone holding
// PermExportIdentity, the principal's identity (each identity read is
// audited by internal/persons).
//
// Without case.export it answers cases.ErrForbidden. A bad request is a
// ValidationError naming every field at fault, filter included, found
// before the password is checked; a wrong password is a ValidationError on
// "password" (audited by internal/accounts) and a throttled one an
// *accounts.ThrottledError; in every such case nothing is exported or
// recorded. An export is recorded in the ledger and audited as
// case.export, naming its purpose, recipient kind, format and parts.
func (s *Service) ExportCases(ctx context.Context, p access.Principal, r CaseListRequest) (File, error) {
	if !p.Can(cases.PermExport) {
		return File{}, cases.ErrForbidden
	}
	v := &ValidationError{}
	if !export.Valid(r.Format) {
		v.Add("format", CodeUnknownFormat)
	}
	if r.IncludeIdentity && !p.Can(PermExportIdentity) {
		v.Add("include_identity", CodeNotAllowed)
	}
	// The first page is read before the password is checked, so that a
	// bad filter is reported with the other fields.
	first, next, err := s.cases.ExportPage(ctx, p, r.Filter, cases.Page{Limit: cases.MaxPageSize})
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve):
		v.Errors = append(v.Errors, ve.Errors...)
	case err != nil:
		return File{}, err
	}
	to, err := s.prepare(ctx, p, r.Request, v, "case.export")
	if err != nil {
		return File{}, err
	}
	list := first
	for next != "" {
		var page []cases.Case
		if page, next, err = s.cases.ExportPage(ctx, p, r.Filter, cases.Page{Cursor: next, Limit: cases.MaxPageSize}); err != nil {
			return File{}, err
		}
		if list = append(list, page...); len(list) > MaxRows {
			return File{}, &ValidationError{Errors: []fielderr.FieldError{{Field: "filter", Code: CodeTooManyRows}}}
		}
	}
	t, err := s.caseTable(ctx, p, list, r.IncludeIdentity)
	if err != nil {
		return File{}, err
	}
	var plain bytes.Buffer
	if r.Format == export.XLSX {
		err = export.WriteXLSX(&plain, t)
	} else {
		err = export.WriteCSV(&plain, t)
	}
	if err != nil {
		return File{}, err
	}
	data, err := seal(plain.Bytes(), to.recipient)
	clear(plain.Bytes())
	if err != nil {
		return File{}, err
	}
	fields := []string{"cases", "person.attributes"}
	if r.IncludeIdentity {
		fields = append(fields, "person.identity")
	}
	id, err := s.record(ctx, p, ledger{kind: "case_list", format: r.Format, rows: len(list), req: r.Request, to: to,
		action: "case.export", fields: fields})
	if err != nil {
		return File{}, err
	}
	return File{ID: id, Name: t.Name + "." + r.Format + ".age", Data: data, Rows: len(list)}, nil
}

// caseTable lays out the rows of a case list.
func (s *Service) caseTable(ctx context.Context, p access.Principal, list []cases.Case, identity bool) (export.Table, error) {
	var personIDs []string
	for _, c := range list {
		if len(c.Persons) > 0 {
			personIDs = append(personIDs, c.Persons[0].PersonID)
		}
	}
	attrs, err := s.persons.AttributesOf(ctx, personIDs)
	if err != nil {
		return export.Table{}, err
	}
	var idents map[string]persons.Identity
	header := caseColumns
	if identity {
		if idents, err = s.persons.IdentitiesFor(ctx, p, personIDs); err != nil {
			return export.Table{}, err
		}
		header = append(append([]string{}, caseColumns...), identityColumns...)
	}
	t := export.Table{Name: "cases-" + s.now().Format("20060102T150405Z"), Header: header, Rows: make([][]any, 0, len(list))}
	for _, c := range list {
		concerns := make([]string, len(c.Concerns))
		for i, k := range c.Concerns {
			concerns[i] = string(k)
		}
		row := []any{c.Number, string(c.Status), string(c.Risk), strings.Join(concerns, " "), c.OwnerID, c.TeamID,
			day(c.CreatedAt), day(c.UpdatedAt)}
		var sum persons.Summary
		var ident persons.Identity
		if len(c.Persons) > 0 {
			sum, ident = attrs[c.Persons[0].PersonID], idents[c.Persons[0].PersonID]
		}
		a := sum.Attributes
		var birthYear any
		if a.BirthYear > 0 {
			birthYear = a.BirthYear
		}
		row = append(row, a.Sex, birthYear, a.Nationality, a.CountryOfBirth, strings.Join(a.Languages, " "),
			a.CurrentCountry, a.CurrentAdmin1)
		if identity {
			docs := make([]string, len(ident.Documents))
			for i, d := range ident.Documents {
				docs[i] = strings.Trim(d.Type+":"+d.Number+":"+d.Country, ":")
			}
			row = append(row, ident.GivenName, ident.FamilyName, ident.DateOfBirth, strings.Join(docs, "; "))
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// day writes a time as its UTC date, the precision a list needs.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }
