// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport

import (
	"bytes"
	"context"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// File is an export ready to hand over: age-encrypted bytes (they start
// "age-encryption.org/v1") and the name to save them under.
type File struct {
	// ID names the export in the ledger and the audit log.
	ID string
	// Name is the file's name, ending ".age".
	Name string
	Data []byte
	// Rows counts the cases exported (1 for a person's export).
	Rows int
}

// ContentType is the media type of every export: opaque bytes, so that
// no browser tries to show or sniff them.
const ContentType = "application/octet-stream"

// seal encrypts plain for r. The plaintext lives only in memory, in the
// caller's buffer, and never reaches a file or a log.
func seal(plain []byte, r age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, r)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ledger is what is recorded of one export.
type ledger struct {
	kind, format string
	rows         int
	req          Request
	to           sealedFor
	// action is the audit action, whose object is the export; fields
	// name the parts exported.
	action string
	fields []string
}

// record writes the ledger row of an export and its audit entry in one
// transaction, and returns the export's id. The entry names the purpose
// and the kind of recipient as fields (codes, never the reference or a
// passphrase), so that the audit log alone says why data left.
func (s *Service) record(ctx context.Context, p access.Principal, l ledger) (string, error) {
	id := ids.New()
	fields := append([]string{"purpose." + l.req.Purpose, "recipient." + l.to.kind(), "format." + l.format}, l.fields...)
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO data_exports (id, org_id, kind, purpose, reference, recipient_kind,
			recipient_org_id, format, row_count, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, nullIfEmpty(p.OrgID), l.kind, l.req.Purpose, l.req.Reference, l.to.kind(), nullIfEmpty(l.to.orgID), l.format,
			l.rows, p.UserID, micros(s.now())); err != nil {
			return err
		}
		_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, OrgID: p.OrgID, Action: l.action,
			ObjectType: "export", ObjectID: id, Fields: fields, RequestID: requestid.From(ctx)})
		return err
	})
	return id, err
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
