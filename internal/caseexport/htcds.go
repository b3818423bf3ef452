// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport

import (
	"context"
	"errors"
	"io"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/exploitation"
	"github.com/amparo-project/amparo/internal/export"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/store"
)

// The HTCDS export writes the trafficking cases of a list — those with an
// exploitation record — in the 39 columns of IOM's Human Trafficking Case
// Data Standard template (exploitation.HTCDSColumns), one row per case.
// It is made as it is written: cases are read a page at a time, their
// records, persons and (when asked and allowed) identities with them, and
// each row is encrypted and sent before the next page is read, so that a
// list of any length costs the memory of one page and the file is never
// whole anywhere, in clear or not. The export is recorded in the ledger and
// audited before its first byte leaves; the ledger's row count is set when
// the last row is written (or the writing broke off).

// Stream is a recorded export whose file is made as WriteTo writes it.
type Stream struct {
	// ID names the export in the ledger and the audit log.
	ID string
	// Name is the file's name, ending ".age".
	Name  string
	s     *Service
	p     access.Principal
	r     CaseListRequest
	to    age.Recipient
	first []cases.Case
	next  string
}

// ExportHTCDS checks and records an HTCDS export of the trafficking cases
// that p's case.export grant reaches and r.Filter matches, as CSV or XLSX
// (r.Format), with the principal persons' identities when r asks and p
// holds case.export_identity (else those columns are empty). It answers
// as ExportCases does for a refused request; the Stream it returns writes
// the file. The audit entry (case.export) names the layout as
// "layout.htcds" and the parts exported.
func (s *Service) ExportHTCDS(ctx context.Context, p access.Principal, r CaseListRequest) (*Stream, error) {
	if !p.Can(cases.PermExport) {
		return nil, cases.ErrForbidden
	}
	v := &ValidationError{}
	if !export.Valid(r.Format) {
		v.Add("format", CodeUnknownFormat)
	}
	if r.IncludeIdentity && !p.Can(PermExportIdentity) {
		v.Add("include_identity", CodeNotAllowed)
	}
	first, next, err := s.cases.ExportPage(ctx, p, r.Filter, cases.Page{Limit: cases.MaxPageSize})
	var ve *fielderr.Error
	switch {
	case errors.As(err, &ve):
		v.Errors = append(v.Errors, ve.Errors...)
	case err != nil:
		return nil, err
	}
	to, err := s.prepare(ctx, p, r.Request, v, "case.export")
	if err != nil {
		return nil, err
	}
	fields := []string{"layout.htcds", "cases", "exploitation", "person.attributes"}
	if r.IncludeIdentity {
		fields = append(fields, "person.identity")
	}
	id, err := s.record(ctx, p, ledger{kind: "case_list", format: r.Format, req: r.Request, to: to,
		action: "case.export", fields: fields})
	if err != nil {
		return nil, err
	}
	return &Stream{ID: id, Name: "htcds-" + s.now().Format("20060102T150405Z") + "." + r.Format + ".age",
		s: s, p: p, r: r, to: to.recipient, first: first, next: next}, nil
}

// WriteTo writes the age-encrypted file to w, page by page, and returns
// the rows (cases) written. An error part-way leaves w with a file that
// does not decrypt, which its receiver cannot mistake for a whole one.
func (st *Stream) WriteTo(ctx context.Context, w io.Writer) (int, error) {
	rows, err := st.write(ctx, w)
	// The count is recorded even when the writing broke off: the rows
	// written so far have left.
	if uerr := st.s.setRows(context.WithoutCancel(ctx), st.ID, rows); err == nil {
		err = uerr
	}
	return rows, err
}

func (st *Stream) write(ctx context.Context, w io.Writer) (int, error) {
	enc, err := age.Encrypt(w, st.to)
	if err != nil {
		return 0, err
	}
	out, err := export.NewStream(enc, st.r.Format, "HTCDS", exploitation.HTCDSColumns)
	if err != nil {
		return 0, err
	}
	rows := 0
	page, next := st.first, st.next
	st.first = nil
	cells := make([]any, len(exploitation.HTCDSColumns))
	for {
		list, err := st.s.htcdsPage(ctx, st.p, page, st.r.IncludeIdentity)
		if err != nil {
			return rows, err
		}
		for _, c := range list {
			rows++
			for i, v := range c.Row(rows) {
				cells[i] = v
			}
			cells[0] = rows // a number, as the template's counter is
			if err := out.Write(cells); err != nil {
				return rows, err
			}
		}
		if next == "" {
			break
		}
		if page, next, err = st.s.cases.ExportPage(ctx, st.p, st.r.Filter, cases.Page{Cursor: next, Limit: cases.MaxPageSize}); err != nil {
			return rows, err
		}
	}
	if err := out.Close(); err != nil {
		return rows, err
	}
	return rows, enc.Close()
}

// htcdsPage turns a page of cases into the HTCDS rows of those with an
// exploitation record, in the page's order.
func (s *Service) htcdsPage(ctx context.Context, p access.Principal, page []cases.Case, identity bool) ([]exploitation.HTCDSCase, error) {
	caseIDs := make([]string, len(page))
	for i, c := range page {
		caseIDs[i] = c.ID
	}
	records, err := s.exploitation.RecordsOf(ctx, caseIDs)
	if err != nil || len(records) == 0 {
		return nil, err
	}
	var personIDs []string
	for _, c := range page {
		if _, ok := records[c.ID]; ok && len(c.Persons) > 0 {
			personIDs = append(personIDs, c.Persons[0].PersonID)
		}
	}
	attrs, err := s.persons.AttributesOf(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	var idents map[string]persons.Identity
	if identity && len(personIDs) > 0 {
		if idents, err = s.persons.IdentitiesFor(ctx, p, personIDs); err != nil {
			return nil, err
		}
	}
	out := make([]exploitation.HTCDSCase, 0, len(records))
	for _, c := range page {
		rec, ok := records[c.ID]
		if !ok {
			continue
		}
		row := exploitation.HTCDSCase{OwnerID: c.OwnerID, Status: c.Status, Record: rec}
		if c.Closure != nil {
			row.ClosureReason = c.Closure.Reason
		}
		if len(c.Persons) > 0 {
			pid := c.Persons[0].PersonID
			row.Attributes = attrs[pid].Attributes
			if ident, ok := idents[pid]; ok {
				row.Identity = &ident
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// setRows records how many rows export id held.
func (s *Service) setRows(ctx context.Context, id string, rows int) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE data_exports SET row_count = ? WHERE id = ?`, rows, id)
		return err
	})
}
