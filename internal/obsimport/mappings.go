// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

// SavedMapping is a mapping kept under a name for the next file of the
// same shape.
type SavedMapping struct {
	ID, Name  string
	Mapping   Mapping
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
}

const maxMappingName = 80

// checkName trims a mapping's name and checks it: 1 to 80 characters, no
// control characters.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", fielderr.One("name", CodeRequired)
	case len([]rune(name)) > maxMappingName:
		return "", fielderr.One("name", fielderr.CodeTooLong)
	case strings.ContainsFunc(name, unicode.IsControl):
		return "", fielderr.One("name", fielderr.CodeControlChars)
	}
	return name, nil
}

// Mappings lists the saved mappings by name. Mappings serve imports, so
// they need observation.write.
func (s *Service) Mappings(ctx context.Context, p access.Principal) ([]SavedMapping, error) {
	if !p.Can(observations.PermWrite) {
		return nil, ErrForbidden
	}
	rows, err := s.db.Query(ctx, `SELECT id, name, mapping, created_by, created_at, updated_at
		FROM import_mappings ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SavedMapping
	for rows.Next() {
		var m SavedMapping
		var js string
		var created, updated int64
		if err := rows.Scan(&m.ID, &m.Name, &js, &m.CreatedBy, &created, &updated); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(js), &m.Mapping); err != nil {
			return nil, err
		}
		m.CreatedAt, m.UpdatedAt = time.UnixMicro(created).UTC(), time.UnixMicro(updated).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

// MappingByName returns one saved mapping; ErrNotFound when none has the
// name.
func (s *Service) MappingByName(ctx context.Context, p access.Principal, name string) (SavedMapping, error) {
	all, err := s.Mappings(ctx, p)
	if err != nil {
		return SavedMapping{}, err
	}
	name = strings.TrimSpace(name)
	for _, m := range all {
		if m.Name == name {
			return m, nil
		}
	}
	return SavedMapping{}, ErrNotFound
}

// SaveMapping saves m under name, replacing a mapping of that name.
func (s *Service) SaveMapping(ctx context.Context, p access.Principal, name string, m Mapping) (SavedMapping, error) {
	if !p.Can(observations.PermWrite) {
		return SavedMapping{}, ErrForbidden
	}
	name, err := checkName(name)
	if err != nil {
		return SavedMapping{}, err
	}
	if err := m.Check(); err != nil {
		return SavedMapping{}, err
	}
	js, err := json.Marshal(m)
	if err != nil {
		return SavedMapping{}, err
	}
	now := s.now()
	out := SavedMapping{Name: name, Mapping: m, CreatedBy: p.UserID, CreatedAt: now, UpdatedAt: now}
	err = s.db.InTx(ctx, func(tx *store.Tx) error {
		var created int64
		err := tx.QueryRow(ctx, `SELECT id, created_by, created_at FROM import_mappings WHERE name = ?`, name).
			Scan(&out.ID, &out.CreatedBy, &created)
		action := ActionMappingUpdate
		switch {
		case err == nil:
			out.CreatedAt = time.UnixMicro(created).UTC()
			_, err = tx.Exec(ctx, `UPDATE import_mappings SET mapping = ?, updated_at = ? WHERE id = ?`,
				string(js), now.UnixMicro(), out.ID)
		case errors.Is(err, sql.ErrNoRows):
			action, out.ID = ActionMappingCreate, ids.New()
			_, err = tx.Exec(ctx, `INSERT INTO import_mappings (id, name, mapping, created_by, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?)`, out.ID, name, string(js), p.UserID, now.UnixMicro(), now.UnixMicro())
		}
		if err != nil {
			return err
		}
		return s.log(ctx, tx, p, action, out.ID)
	})
	if errors.Is(err, store.ErrConflict) {
		return SavedMapping{}, fielderr.One("name", "taken")
	}
	return out, err
}

// DeleteMapping removes a saved mapping; ErrNotFound when none has the
// name.
func (s *Service) DeleteMapping(ctx context.Context, p access.Principal, name string) error {
	if !p.Can(observations.PermWrite) {
		return ErrForbidden
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		var id string
		err := tx.QueryRow(ctx, `SELECT id FROM import_mappings WHERE name = ?`, strings.TrimSpace(name)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM import_mappings WHERE id = ?`, id); err != nil {
			return err
		}
		return s.log(ctx, tx, p, ActionMappingDelete, id)
	})
}
