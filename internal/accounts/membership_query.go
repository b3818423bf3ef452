// SPDX-License-Identifier: AGPL-3.0-or-later

package accounts

import (
	"context"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// Membership gives a user a role in an organisation, optionally in a team.
type Membership struct {
	ID        string
	OrgID     string
	UserID    string
	Role      string
	TeamID    string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Team groups members of an organisation for team-scoped access.
type Team struct {
	ID        string
	OrgID     string
	Name      string
	CreatedAt time.Time
}

const membershipColumns = `id, org_id, user_id, role, COALESCE(team_id, ''), created_at, updated_at`

func scanMembership(sc interface{ Scan(...any) error }) (Membership, error) {
	var m Membership
	var created, updated int64
	err := sc.Scan(&m.ID, &m.OrgID, &m.UserID, &m.Role, &m.TeamID, &created, &updated)
	m.CreatedAt, m.UpdatedAt = fromMicros(created), fromMicros(updated)
	return m, err
}

func (m Membership) record() access.Record {
	return access.Record{OrgID: m.OrgID, OwnerID: m.UserID, TeamID: m.TeamID}
}

func (s *Service) checkTeam(ctx context.Context, q store.Queryer, orgID, teamID string) error {
	if teamID == "" {
		return nil
	}
	var one int
	if !ids.Valid(teamID) || store.ScanRow(q.QueryRow(ctx, `SELECT 1 FROM teams WHERE id = ? AND org_id = ?`, teamID, orgID), &one) != nil {
		return &ValidationError{Errors: []FieldError{{Field: "team_id", Code: "not_found"}}}
	}
	return nil
}

// insertMembership writes a membership inside tx; the caller has checked
// that p may write memberships of orgID.
func (s *Service) insertMembership(ctx context.Context, tx *store.Tx, p access.Principal, orgID, userID, role, teamID string) (Membership, error) {
	if err := s.checkTeam(ctx, tx, orgID, teamID); err != nil {
		return Membership{}, err
	}
	now := s.now()
	m := Membership{ID: ids.New(), OrgID: orgID, UserID: userID, Role: role, TeamID: teamID, CreatedAt: now, UpdatedAt: now}
	_, err := tx.Exec(ctx, `INSERT INTO memberships (id, org_id, user_id, role, team_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.ID, orgID, userID, role, nullString(teamID), micros(now), micros(now))
	if errors.Is(err, store.ErrConflict) {
		return Membership{}, &ValidationError{Errors: []FieldError{{Field: "user_id", Code: "already_member"}}}
	}
	if err != nil {
		return Membership{}, err
	}
	return m, s.log(ctx, tx, p, "membership.create", "membership", m.ID, orgID, "role", "team_id", "user_id")
}

// AddMembership gives an existing user a role in orgID.
func (s *Service) AddMembership(ctx context.Context, p access.Principal, orgID, userID, role, teamID string) (Membership, error) {
	if !ids.Valid(orgID) || !p.Allows("membership.read", access.Record{OrgID: orgID, OwnerID: p.UserID}) &&
		!p.Allows("organisation.read", access.Record{OrgID: orgID}) {
		return Membership{}, ErrNotFound
	}
	if !p.Allows("membership.write", access.Record{OrgID: orgID}) {
		return Membership{}, ErrForbidden
	}
	v := &ValidationError{}
	if !containsString(access.MembershipRoles(), role) {
		v.Add("role", "invalid_role")
	}
	if !ids.Valid(userID) {
		v.Add("user_id", "not_found")
	}
	if err := v.OrNil(); err != nil {
		return Membership{}, err
	}
	var m Membership
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var one int
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT 1 FROM organisations WHERE id = ?`, orgID), &one); err != nil {
			return notFound(err)
		}
		// Only a user p could already see may be added: an organisation
		// administrator cannot probe for accounts of other organisations.
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT 1 FROM users WHERE id = ?`, userID), &one); err != nil ||
			(p.Scope("user.read") < access.ScopeAll && !s.sharesOrg(ctx, tx, p.OrgID, userID)) {
			return &ValidationError{Errors: []FieldError{{Field: "user_id", Code: "not_found"}}}
		}
		var err error
		m, err = s.insertMembership(ctx, tx, p, orgID, userID, role, teamID)
		return err
	})
	return m, err
}

func (s *Service) sharesOrg(ctx context.Context, q store.Queryer, orgID, userID string) bool {
	var one int
	return orgID != "" && store.ScanRow(q.QueryRow(ctx, `SELECT 1 FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID), &one) == nil
}

// ListMemberships lists the memberships of orgID that p may read.
func (s *Service) ListMemberships(ctx context.Context, p access.Principal, orgID string, page Page) ([]Membership, string, error) {
	if !ids.Valid(orgID) || !p.Allows("organisation.read", access.Record{OrgID: orgID}) {
		return nil, "", ErrNotFound
	}
	scope := p.Scope("membership.read")
	where, args := []string{"org_id = ?"}, []any{orgID}
	switch {
	case scope == access.ScopeNone:
		return nil, "", ErrForbidden
	case scope == access.ScopeTeam:
		where, args = append(where, "(user_id = ? OR (team_id = ? AND team_id IS NOT NULL))"), append(args, p.UserID, p.TeamID)
	case scope == access.ScopeOwn:
		where, args = append(where, "user_id = ?"), append(args, p.UserID)
	case scope == access.ScopeOrg && orgID != p.OrgID:
		return nil, "", ErrNotFound
	}
	if page.Cursor != "" {
		where, args = append(where, "id > ?"), append(args, page.Cursor)
	}
	args = append(args, page.limit()+1)
	out, err := queryAll(ctx, s.db, scanMembership, `SELECT `+membershipColumns+` FROM memberships WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`, args...)
	if err != nil {
		return nil, "", err
	}
	out, next := trimPage(out, page.limit(), func(m Membership) string { return m.ID })
	return out, next, nil
}

// userMemberships returns the memberships of userID that p may read.
func (s *Service) userMemberships(ctx context.Context, q store.Queryer, p access.Principal, userID string) ([]Membership, error) {
	all, err := queryAll(ctx, q, scanMembership, `SELECT `+membershipColumns+` FROM memberships WHERE user_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, err
	}
	var out []Membership
	for _, m := range all {
		if p.Allows("membership.read", m.record()) {
			out = append(out, m)
		}
	}
	return out, nil
}

func (s *Service) loadMembership(ctx context.Context, q store.Queryer, p access.Principal, id string) (Membership, error) {
	if !ids.Valid(id) {
		return Membership{}, ErrNotFound
	}
	m, err := scanMembership(q.QueryRow(ctx, `SELECT `+membershipColumns+` FROM memberships WHERE id = ?`, id))
	if err != nil {
		return m, notFound(err)
	}
	if !p.Allows("membership.read", m.record()) && !p.Allows("membership.write", m.record()) {
		return m, ErrNotFound
	}
	if !p.Allows("membership.write", m.record()) {
		return m, ErrForbidden
	}
	return m, nil
}

// UpdateMembership changes the role or team of a membership. Changing a
// role is a permission change: it revokes the member's sessions in that
// organisation so the new role applies at once.
func (s *Service) UpdateMembership(ctx context.Context, p access.Principal, id string, role, teamID *string) (Membership, error) {
	if role != nil && !containsString(access.MembershipRoles(), *role) {
		return Membership{}, &ValidationError{Errors: []FieldError{{Field: "role", Code: "invalid_role"}}}
	}
	var m Membership
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if m, err = s.loadMembership(ctx, tx, p, id); err != nil {
			return err
		}
		if m.UserID == p.UserID && role != nil && *role != m.Role {
			return &ValidationError{Errors: []FieldError{{Field: "role", Code: "cannot_change_own_role"}}}
		}
		var fields []string
		if role != nil {
			m.Role, fields = *role, append(fields, "role")
		}
		if teamID != nil {
			if err := s.checkTeam(ctx, tx, m.OrgID, *teamID); err != nil {
				return err
			}
			m.TeamID, fields = *teamID, append(fields, "team_id")
		}
		m.UpdatedAt = s.now()
		if _, err := tx.Exec(ctx, `UPDATE memberships SET role = ?, team_id = ?, updated_at = ? WHERE id = ?`,
			m.Role, nullString(m.TeamID), micros(m.UpdatedAt), id); err != nil {
			return err
		}
		if err := s.revokeUserSessions(ctx, tx, m.UserID, m.OrgID); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "membership.update", "membership", id, m.OrgID, fields...)
	})
	return m, err
}

// RemoveMembership takes a user out of an organisation and revokes their
// sessions and tokens there.
func (s *Service) RemoveMembership(ctx context.Context, p access.Principal, id string) error {
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		m, err := s.loadMembership(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if m.UserID == p.UserID {
			return &ValidationError{Errors: []FieldError{{Field: "id", Code: "cannot_remove_self"}}}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM memberships WHERE id = ?`, id); err != nil {
			return err
		}
		if err := s.revokeUserSessions(ctx, tx, m.UserID, m.OrgID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND org_id = ? AND revoked_at IS NULL`,
			micros(s.now()), m.UserID, m.OrgID); err != nil {
			return err
		}
		return s.log(ctx, tx, p, "membership.delete", "membership", id, m.OrgID, "role", "user_id")
	})
}

// CreateTeam adds a team to an organisation.
func (s *Service) CreateTeam(ctx context.Context, p access.Principal, orgID, name string) (Team, error) {
	if !ids.Valid(orgID) || !p.Allows("organisation.read", access.Record{OrgID: orgID}) {
		return Team{}, ErrNotFound
	}
	if !p.Allows("membership.write", access.Record{OrgID: orgID}) {
		return Team{}, ErrForbidden
	}
	name = strings.TrimSpace(name)
	v := &ValidationError{}
	validateName(v, name)
	if n := utf8.RuneCountInString(name); n > 100 {
		v = &ValidationError{Errors: []FieldError{{Field: "name", Code: "too_long"}}}
	}
	if err := v.OrNil(); err != nil {
		return Team{}, err
	}
	t := Team{ID: ids.New(), OrgID: orgID, Name: name, CreatedAt: s.now()}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO teams (id, org_id, name, created_at) VALUES (?, ?, ?, ?)`, t.ID, orgID, name, micros(t.CreatedAt))
		if errors.Is(err, store.ErrConflict) {
			return &ValidationError{Errors: []FieldError{{Field: "name", Code: "taken"}}}
		}
		if err != nil {
			return err
		}
		return s.log(ctx, tx, p, "team.create", "team", t.ID, orgID, "name")
	})
	return t, err
}

// ListTeams lists an organisation's teams.
func (s *Service) ListTeams(ctx context.Context, p access.Principal, orgID string) ([]Team, error) {
	if !ids.Valid(orgID) || !p.Allows("organisation.read", access.Record{OrgID: orgID}) {
		return nil, ErrNotFound
	}
	rows, err := s.db.Query(ctx, `SELECT id, org_id, name, created_at FROM teams WHERE org_id = ? ORDER BY name, id`, orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		var created int64
		if err := rows.Scan(&t.ID, &t.OrgID, &t.Name, &created); err != nil {
			return nil, err
		}
		t.CreatedAt = fromMicros(created)
		out = append(out, t)
	}
	return out, rows.Err()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
