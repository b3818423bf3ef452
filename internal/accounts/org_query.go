// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// Organisation is a tenant: an NGO, a consulate, an institution.
type Organisation struct {
	ID        string
	Name      string
	Country   string // ISO 3166-1 alpha-2, or ""
	IsDemo    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// OrganisationInput is what a caller may set on an organisation.
type OrganisationInput struct {
	Name    *string
	Country *string
}

func (in OrganisationInput) validate(creating bool) error {
	v := &ValidationError{}
	if in.Name != nil || creating {
		name := ""
		if in.Name != nil {
			name = strings.TrimSpace(*in.Name)
		}
		switch {
		case name == "":
			v.Add("name", "required")
		case utf8.RuneCountInString(name) > 200:
			v.Add("name", "too_long")
		}
	}
	if in.Country != nil && *in.Country != "" && !isAlpha2(*in.Country) {
		v.Add("country", "invalid_country_code")
	}
	return v.OrNil()
}

func isAlpha2(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

const orgColumns = `id, name, country, is_demo, created_at, updated_at`

func scanOrg(sc interface{ Scan(...any) error }) (Organisation, error) {
	var o Organisation
	var demo int
	var created, updated int64
	if err := sc.Scan(&o.ID, &o.Name, &o.Country, &demo, &created, &updated); err != nil {
		return o, err
	}
	o.IsDemo = demo == 1
	o.CreatedAt, o.UpdatedAt = fromMicros(created), fromMicros(updated)
	return o, nil
}

// CreateOrganisation creates a tenant. Only a system administrator may.
func (s *Service) CreateOrganisation(ctx context.Context, p access.Principal, in OrganisationInput, demo bool) (Organisation, error) {
	if p.Scope("organisation.create") < access.ScopeAll && p.UserID != "" {
		return Organisation{}, ErrForbidden
	}
	if err := in.validate(true); err != nil {
		return Organisation{}, err
	}
	now := s.now()
	o := Organisation{ID: ids.New(), Name: strings.TrimSpace(*in.Name), IsDemo: demo, CreatedAt: now, UpdatedAt: now}
	if in.Country != nil {
		o.Country = *in.Country
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO organisations (id, name, country, is_demo, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
			o.ID, o.Name, o.Country, boolInt(demo), micros(now), micros(now))
		if errors.Is(err, store.ErrConflict) {
			return &ValidationError{Errors: []FieldError{{Field: "name", Code: "taken"}}}
		}
		if err != nil {
			return err
		}
		return s.log(ctx, tx, p, "organisation.create", "organisation", o.ID, o.ID, "name", "country")
	})
	return o, err
}

// GetOrganisation returns an organisation p may read.
func (s *Service) GetOrganisation(ctx context.Context, p access.Principal, id string) (Organisation, error) {
	if !ids.Valid(id) || !p.Allows("organisation.read", access.Record{OrgID: id}) {
		return Organisation{}, ErrNotFound
	}
	o, err := scanOrg(s.db.QueryRow(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = ?`, id))
	if err != nil {
		return o, notFound(err)
	}
	return o, nil
}

// ListOrganisations lists the organisations p may read, by name then id.
// Cursor is the id of the last row of the previous page.
func (s *Service) ListOrganisations(ctx context.Context, p access.Principal, q string, page Page) ([]Organisation, string, error) {
	scope := p.Scope("organisation.read")
	if scope == access.ScopeNone {
		return nil, "", ErrForbidden
	}
	where, args := []string{"1 = 1"}, []any{}
	if scope < access.ScopeAll {
		where, args = append(where, "id = ?"), append(args, p.OrgID)
	}
	if q = strings.TrimSpace(q); q != "" {
		where, args = append(where, "LOWER(name) LIKE ?"), append(args, "%"+strings.ToLower(likeEscape(q))+"%")
	}
	if page.Cursor != "" {
		var name string
		if err := s.db.Scan(s.db.QueryRow(ctx, `SELECT name FROM organisations WHERE id = ?`, page.Cursor), &name); err != nil {
			return nil, "", &ValidationError{Errors: []FieldError{{Field: "cursor", Code: "invalid"}}}
		}
		where, args = append(where, "(name > ? OR (name = ? AND id > ?))"), append(args, name, name, page.Cursor)
	}
	args = append(args, page.limit()+1)
	out, err := queryAll(ctx, s.db, scanOrg, `SELECT `+orgColumns+` FROM organisations WHERE `+strings.Join(where, " AND ")+
		` ORDER BY name, id LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, page.limit(), func(o Organisation) string { return o.ID })
	return out, next, nil
}

// UpdateOrganisation changes the fields set in in.
func (s *Service) UpdateOrganisation(ctx context.Context, p access.Principal, id string, in OrganisationInput) (Organisation, error) {
	if !ids.Valid(id) || !p.Allows("organisation.read", access.Record{OrgID: id}) {
		return Organisation{}, ErrNotFound
	}
	if !p.Allows("organisation.update", access.Record{OrgID: id}) {
		return Organisation{}, ErrForbidden
	}
	if err := in.validate(false); err != nil {
		return Organisation{}, err
	}
	var fields []string
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		o, err := scanOrg(tx.QueryRow(ctx, `SELECT `+orgColumns+` FROM organisations WHERE id = ?`, id))
		if err != nil {
			return notFound(err)
		}
		if in.Name != nil {
			o.Name, fields = strings.TrimSpace(*in.Name), append(fields, "name")
		}
		if in.Country != nil {
			o.Country, fields = *in.Country, append(fields, "country")
		}
		_, err = tx.Exec(ctx, `UPDATE organisations SET name = ?, country = ?, updated_at = ? WHERE id = ?`,
			o.Name, o.Country, micros(s.now()), id)
		if errors.Is(err, store.ErrConflict) {
			return &ValidationError{Errors: []FieldError{{Field: "name", Code: "taken"}}}
		}
		if err != nil {
			return err
		}
		return s.log(ctx, tx, p, "organisation.update", "organisation", id, id, fields...)
	})
	if err != nil {
		return Organisation{}, err
	}
	return s.GetOrganisation(ctx, p, id)
}

// log appends an audit entry for p inside tx.
func (s *Service) log(ctx context.Context, tx *store.Tx, p access.Principal, action, objType, objID, orgID string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{
		ActorID: p.UserID, OrgID: orgID, Action: action, ObjectType: objType, ObjectID: objID,
		Fields: fields, RequestID: requestid.From(ctx),
	})
	return err
}

func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, errNoRows) {
		return ErrNotFound
	}
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// likeEscape drops LIKE wildcards from user search text; the search is a
// plain substring match.
func likeEscape(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}
