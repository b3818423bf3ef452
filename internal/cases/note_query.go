// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// Note is a caseworker's note on a case: free text, sealed under the case's
// key. Notes are never edited or deleted, so the file keeps what was known
// when.
type Note struct {
	ID        string
	CaseID    string
	AuthorID  string
	Body      string // ErasedMarker once the case's key is destroyed
	CreatedAt time.Time
}

// Limits on free text, in characters.
const (
	MaxNoteLength      = 20000
	MaxTaskTitleLength = 500
	MaxFileNameLength  = 255
)

// checkText trims s and validates it as field: required, and then as
// fielderr's Text does.
func checkText(v *ValidationError, field, s string, max int, multiline bool) string {
	if s = strings.TrimSpace(s); s == "" {
		v.Add(field, CodeRequired)
		return s
	}
	return v.Text(field, s, max, multiline)
}

func noteAD(id string) vault.AD { return vault.AD{Table: "case_notes", Field: "body", RecordID: id} }

// AddNote adds a note to case caseID.
func (s *Service) AddNote(ctx context.Context, p access.Principal, caseID, body string) (Note, error) {
	v := &ValidationError{}
	body = checkText(v, "body", body, MaxNoteLength, true)
	if err := v.OrNil(); err != nil {
		return Note{}, err
	}
	var n Note
	err := s.change(ctx, p, caseID, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		n = Note{ID: ids.New(), CaseID: caseID, AuthorID: p.UserID, Body: body, CreatedAt: s.now()}
		enc, err := s.vault.SealString(ctx, tx, c.keyID, noteAD(n.ID), body)
		if err != nil {
			return "", nil, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_notes (id, case_id, author_id, body_enc, created_at) VALUES (?, ?, ?, ?, ?)`,
			n.ID, caseID, n.AuthorID, enc, micros(n.CreatedAt)); err != nil {
			return "", nil, err
		}
		return "case.note_add", []string{"note"}, nil
	})
	if err != nil {
		return Note{}, err
	}
	return n, nil
}

// Notes returns the notes of case caseID, newest first, and audits the
// read.
func (s *Service) Notes(ctx context.Context, p access.Principal, caseID string) ([]Note, error) {
	var out []Note
	err := s.read(ctx, p, caseID, func(tx *store.Tx, c Case) ([]string, error) {
		type row struct {
			note Note
			enc  []byte
		}
		rows, err := store.QueryAll(ctx, tx, func(sc store.Scanner) (row, error) {
			var r row
			var created int64
			err := sc.Scan(&r.note.ID, &r.note.CaseID, &r.note.AuthorID, &r.enc, &created)
			r.note.CreatedAt = fromMicros(created)
			return r, err
		}, `SELECT id, case_id, author_id, body_enc, created_at FROM case_notes WHERE case_id = ?
			ORDER BY created_at DESC, id DESC`, caseID)
		if err != nil || len(rows) == 0 {
			return nil, err
		}
		for _, r := range rows {
			if r.note.Body, err = s.open(ctx, tx, c.keyID, noteAD(r.note.ID), r.enc); err != nil {
				return nil, err
			}
			out = append(out, r.note)
		}
		return []string{"note"}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
