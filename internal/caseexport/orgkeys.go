// SPDX-License-Identifier: AGPL-3.0-or-later

package caseexport

import (
	"context"
	"errors"
	"strings"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/accounts"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/cases"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Permissions on organisations, granted in internal/access/permissions.json
// and decided here as internal/accounts decides them.
const (
	permOrgRead   access.Permission = "organisation.read"
	permOrgUpdate access.Permission = "organisation.update"
)

// orgKey returns the age recipient organisation orgID receives exports
// under, nil when it has none.
func orgKey(ctx context.Context, q store.Queryer, orgID string) (*age.X25519Recipient, error) {
	var s string
	err := store.ScanRow(q.QueryRow(ctx, `SELECT recipient FROM org_export_keys WHERE org_id = ?`, orgID), &s)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return age.ParseX25519Recipient(s)
}

// ExportKey returns the age recipient ("age1…") organisation orgID
// receives exports under, "" when it has none. p needs organisation.read
// on it; any other organisation answers accounts.ErrNotFound.
func (s *Service) ExportKey(ctx context.Context, p access.Principal, orgID string) (string, error) {
	if !ids.Valid(orgID) || !p.Allows(permOrgRead, access.Record{OrgID: orgID}) {
		return "", accounts.ErrNotFound
	}
	var n int
	if err := store.ScanRow(s.db.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE id = ?`, orgID), &n); err != nil {
		return "", err
	}
	if n == 0 {
		return "", accounts.ErrNotFound
	}
	key, err := orgKey(ctx, s.db, orgID)
	if err != nil || key == nil {
		return "", err
	}
	return key.String(), nil
}

// SetExportKey sets the age X25519 recipient organisation orgID receives
// exports under, or removes it when recipient is empty, and returns it as
// stored (normalised). The organisation's administrators make the key
// pair with age-keygen and keep the identity themselves; Amparo only
// ever holds the public half. p needs organisation.update on orgID
// (accounts.ErrForbidden when p may only read it, accounts.ErrNotFound
// when not even that). A change is audited as organisation.export_key; a
// change to the same value writes nothing.
func (s *Service) SetExportKey(ctx context.Context, p access.Principal, orgID, recipient string) (string, error) {
	if !ids.Valid(orgID) || !p.Allows(permOrgRead, access.Record{OrgID: orgID}) {
		return "", accounts.ErrNotFound
	}
	if !p.Allows(permOrgUpdate, access.Record{OrgID: orgID}) {
		return "", accounts.ErrForbidden
	}
	recipient = strings.TrimSpace(recipient)
	if recipient != "" {
		r, err := age.ParseX25519Recipient(recipient)
		if err != nil {
			return "", &ValidationError{Errors: []fielderr.FieldError{{Field: "age_recipient", Code: CodeInvalidAgeKey}}}
		}
		recipient = r.String()
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM organisations WHERE id = ?`, orgID), &n); err != nil {
			return err
		}
		if n == 0 {
			return accounts.ErrNotFound
		}
		old, err := orgKey(ctx, tx, orgID)
		if err != nil {
			return err
		}
		switch {
		case old == nil && recipient == "", old != nil && old.String() == recipient:
			return nil
		case recipient == "":
			_, err = tx.Exec(ctx, `DELETE FROM org_export_keys WHERE org_id = ?`, orgID)
		default:
			_, err = tx.Exec(ctx, `INSERT INTO org_export_keys (org_id, recipient, updated_by, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (org_id) DO UPDATE SET recipient = excluded.recipient, updated_by = excluded.updated_by,
				updated_at = excluded.updated_at`, orgID, recipient, p.UserID, micros(s.now()))
		}
		if err != nil {
			return err
		}
		_, err = s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, OrgID: orgID, Action: "organisation.export_key",
			ObjectType: "organisation", ObjectID: orgID, Fields: []string{"export_key"}, RequestID: requestid.From(ctx)})
		return err
	})
	if err != nil {
		return "", err
	}
	return recipient, nil
}

// KeyedOrganisations lists the organisations that have an export key, by
// name, for choosing whom an export is for: p's own among them (for its
// archive). Names of organisations are not personal data. p must be able
// to make some export (case.export, or person.read for a person's).
func (s *Service) KeyedOrganisations(ctx context.Context, p access.Principal) ([]cases.Organisation, error) {
	if !p.Can(cases.PermExport) && !p.Can(permPersonRead) {
		return nil, cases.ErrForbidden
	}
	return store.QueryAll(ctx, s.db, func(sc store.Scanner) (cases.Organisation, error) {
		var o cases.Organisation
		return o, sc.Scan(&o.ID, &o.Name)
	}, `SELECT o.id, o.name FROM organisations o JOIN org_export_keys k ON k.org_id = o.id ORDER BY o.name, o.id`)
}
