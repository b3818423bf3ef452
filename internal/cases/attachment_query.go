// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"bytes"
	"context"
	"strings"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
	"github.com/amparo-project/amparo/internal/vault"
)

// MaxAttachmentSize caps an attachment's content: 10 MiB, enough for a
// scanned document or a photo taken on a phone, and well under the
// server's upload limit (SECURITY-BAR 24).
const MaxAttachmentSize = 10 << 20

// Media types accepted for attachments: documents and photos, recognised
// from their content, never from the name the uploader gave.
const (
	MediaPDF  = "application/pdf"
	MediaJPEG = "image/jpeg"
	MediaPNG  = "image/png"
)

// magic maps the first bytes of each accepted type to its media type.
var magic = []struct {
	prefix    []byte
	mediaType string
}{
	{[]byte("%PDF-"), MediaPDF},
	{[]byte{0xFF, 0xD8, 0xFF}, MediaJPEG},
	{[]byte("\x89PNG\r\n\x1a\n"), MediaPNG},
}

// Sniff returns the media type of content from its first bytes, or ""
// when it is none of the accepted types.
func Sniff(content []byte) string {
	for _, m := range magic {
		if bytes.HasPrefix(content, m.prefix) {
			return m.mediaType
		}
	}
	return ""
}

// Attachment is a file attached to a case. Its name and content are sealed
// under the case's key; its type and size are in clear.
type Attachment struct {
	ID         string
	CaseID     string
	Name       string // ErasedMarker once the case's key is destroyed
	MediaType  string
	Size       int64
	UploadedBy string
	CreatedAt  time.Time
}

func attachmentAD(id, field string) vault.AD {
	return vault.AD{Table: "case_attachments", Field: field, RecordID: id}
}

// baseName keeps the last element of a file name some browsers send with
// its folders ("C:\Users\…\scan.pdf").
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		return name[i+1:]
	}
	return name
}

// AddAttachment attaches a file to case caseID: a PDF, JPEG or PNG
// (checked from its first bytes) of at most MaxAttachmentSize bytes.
func (s *Service) AddAttachment(ctx context.Context, p access.Principal, caseID, name string, content []byte) (Attachment, error) {
	v := &ValidationError{}
	name = checkText(v, "name", baseName(strings.TrimSpace(name)), MaxFileNameLength, false)
	mediaType := Sniff(content)
	switch {
	case len(content) == 0:
		v.Add("content", CodeEmpty)
	case len(content) > MaxAttachmentSize:
		v.Add("content", CodeTooLarge)
	case mediaType == "":
		v.Add("content", CodeUnsupportedType)
	}
	if err := v.OrNil(); err != nil {
		return Attachment{}, err
	}
	var a Attachment
	err := s.change(ctx, p, caseID, PermUpdate, func(tx *store.Tx, c Case) (string, []string, error) {
		if err := requireOpen(c); err != nil {
			return "", nil, err
		}
		a = Attachment{ID: ids.New(), CaseID: caseID, Name: name, MediaType: mediaType, Size: int64(len(content)),
			UploadedBy: p.UserID, CreatedAt: s.now()}
		nameEnc, err := s.vault.SealString(ctx, tx, c.keyID, attachmentAD(a.ID, "name"), name)
		if err != nil {
			return "", nil, err
		}
		contentEnc, err := s.vault.Seal(ctx, tx, c.keyID, attachmentAD(a.ID, "content"), content)
		if err != nil {
			return "", nil, err
		}
		_, err = tx.Exec(ctx, `INSERT INTO case_attachments (id, case_id, name_enc, media_type, size_bytes, uploaded_by,
			created_at, content_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, caseID, nameEnc, a.MediaType, a.Size, a.UploadedBy, micros(a.CreatedAt), contentEnc)
		if err != nil {
			return "", nil, err
		}
		return "case.attachment_add", []string{"attachment", "attachment.name", "attachment.content"}, nil
	})
	if err != nil {
		return Attachment{}, err
	}
	return a, nil
}

const attachmentColumns = `id, case_id, name_enc, media_type, size_bytes, uploaded_by, created_at`

func (s *Service) scanAttachment(ctx context.Context, q store.Queryer, keyID string, sc store.Scanner, extra ...any) (Attachment, error) {
	var a Attachment
	var nameEnc []byte
	var created int64
	if err := sc.Scan(append([]any{&a.ID, &a.CaseID, &nameEnc, &a.MediaType, &a.Size, &a.UploadedBy, &created}, extra...)...); err != nil {
		return Attachment{}, err
	}
	a.CreatedAt = fromMicros(created)
	var err error
	a.Name, err = s.open(ctx, q, keyID, attachmentAD(a.ID, "name"), nameEnc)
	return a, err
}

// Attachments lists the attachments of case caseID, newest first, without
// their content, and audits the read of their names.
func (s *Service) Attachments(ctx context.Context, p access.Principal, caseID string) ([]Attachment, error) {
	var out []Attachment
	err := s.read(ctx, p, caseID, func(tx *store.Tx, c Case) ([]string, error) {
		type sealed struct {
			a   Attachment
			enc []byte
		}
		list, err := store.QueryAll(ctx, tx, func(sc store.Scanner) (sealed, error) {
			var r sealed
			var created int64
			err := sc.Scan(&r.a.ID, &r.a.CaseID, &r.enc, &r.a.MediaType, &r.a.Size, &r.a.UploadedBy, &created)
			r.a.CreatedAt = fromMicros(created)
			return r, err
		}, `SELECT `+attachmentColumns+` FROM case_attachments WHERE case_id = ? ORDER BY created_at DESC, id DESC`, caseID)
		if err != nil || len(list) == 0 {
			return nil, err
		}
		for _, r := range list {
			if r.a.Name, err = s.open(ctx, tx, c.keyID, attachmentAD(r.a.ID, "name"), r.enc); err != nil {
				return nil, err
			}
			out = append(out, r.a)
		}
		return []string{"attachment.name"}, nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// OpenAttachment returns an attachment with its content, and audits the
// read. Once the case's key is destroyed it answers vault.ErrErased.
func (s *Service) OpenAttachment(ctx context.Context, p access.Principal, id string) (Attachment, []byte, error) {
	if !ids.Valid(id) {
		return Attachment{}, nil, ErrNotFound
	}
	var caseID string
	if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT case_id FROM case_attachments WHERE id = ?`, id), &caseID); err != nil {
		return Attachment{}, nil, notFound(err)
	}
	var a Attachment
	var content []byte
	err := s.read(ctx, p, caseID, func(tx *store.Tx, c Case) ([]string, error) {
		var enc []byte
		var err error
		a, err = s.scanAttachment(ctx, tx, c.keyID, tx.QueryRow(ctx, `SELECT `+attachmentColumns+`, content_enc
			FROM case_attachments WHERE id = ? AND case_id = ?`, id, caseID), &enc)
		if err != nil {
			return nil, notFound(err)
		}
		if content, err = s.vault.Open(ctx, tx, c.keyID, attachmentAD(id, "content"), enc); err != nil {
			return nil, err
		}
		return []string{"attachment.name", "attachment.content"}, nil
	})
	if err != nil {
		return Attachment{}, nil, err
	}
	return a, content, nil
}
