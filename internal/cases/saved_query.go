// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/requestid"
	"github.com/amparo-project/amparo/internal/store"
)

// SavedSearch is a case list a user named to come back to: the list's
// criteria (Criteria.Values, encoded), never an identity search, whose
// criteria are personal data. It belongs to its owner in one organisation
// and, when TeamID is set, is shared with that team.
type SavedSearch struct {
	ID      string
	OrgID   string
	OwnerID string
	// TeamID is the team it is shared with, "" when private.
	TeamID string
	Name   string
	// Query is the criteria as a URL query string, in canonical form.
	Query     string
	CreatedAt time.Time
}

// NewSavedSearch is what saving a search takes.
type NewSavedSearch struct {
	Name     string
	Criteria Criteria
	// Shared shares the search with the owner's team, which they must
	// have.
	Shared bool
}

// Limits of saved searches.
const (
	MaxSavedSearchName = 100
	// MaxSavedSearches is how many searches one user may keep in one
	// organisation: a menu, not a store.
	MaxSavedSearches = 100
)

// Reason codes of saved searches.
const (
	CodeTooMany = "too_many"
	CodeNoTeam  = "no_team"
)

// savedSearchType is the audit object type of saved searches.
const savedSearchType = "saved_search"

// SaveSearch keeps in.Criteria under in.Name for p, who needs case.read.
// The criteria are checked as List checks them, so that a saved search
// always lists; one that asks for nothing is refused (CodeEmpty on
// "criteria"), as is a name p already gave another (CodeDuplicate). It
// audits saved_search.create naming the fields kept.
func (s *Service) SaveSearch(ctx context.Context, p access.Principal, in NewSavedSearch) (SavedSearch, error) {
	if p.OrgID == "" || !p.Can(PermRead) {
		return SavedSearch{}, ErrForbidden
	}
	v := &ValidationError{}
	name := v.Text("name", in.Name, MaxSavedSearchName, false)
	if name == "" && len(v.Errors) == 0 {
		v.Add("name", CodeRequired)
	}
	if _, err := buildList(p, p.Scope(PermRead), in.Criteria.Filter, in.Criteria.Page("", 0), s.AlertKinds()); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			return SavedSearch{}, err
		}
		for _, fe := range ve.Errors {
			v.Add("criteria."+fe.Field, fe.Code)
		}
	}
	// Saved as normalised, so that "2026-7" and "2026-00007" are one search.
	in.Criteria.Filter = in.Criteria.Filter.normalise(&ValidationError{})
	if in.Criteria.Empty() {
		v.Add("criteria", CodeEmpty)
	}
	out := SavedSearch{ID: ids.New(), OrgID: p.OrgID, OwnerID: p.UserID, Name: name,
		Query: in.Criteria.Values().Encode(), CreatedAt: s.now()}
	if in.Shared {
		if p.TeamID == "" {
			v.Add("shared", CodeNoTeam)
		}
		out.TeamID = p.TeamID
	}
	if err := v.OrNil(); err != nil {
		return SavedSearch{}, err
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var n int
		if err := store.ScanRow(tx.QueryRow(ctx, `SELECT COUNT(*) FROM saved_searches WHERE owner_id = ? AND org_id = ?`,
			p.UserID, p.OrgID), &n); err != nil {
			return err
		}
		if n >= MaxSavedSearches {
			return invalid("name", CodeTooMany)
		}
		_, err := tx.Exec(ctx, `INSERT INTO saved_searches (id, org_id, owner_id, team_id, name, criteria, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, out.ID, out.OrgID, out.OwnerID, nullString(out.TeamID), out.Name, out.Query,
			micros(out.CreatedAt))
		if errors.Is(err, store.ErrConflict) {
			return invalid("name", CodeDuplicate)
		}
		if err != nil {
			return err
		}
		fields := []string{"name", "criteria"}
		if out.TeamID != "" {
			fields = append(fields, "team_id")
		}
		return s.logSaved(ctx, tx, p, "saved_search.create", out.ID, fields...)
	})
	if err != nil {
		return SavedSearch{}, err
	}
	return out, nil
}

// SavedSearches returns the searches p saved in p's organisation and
// those shared with p's team, by name. It needs case.read.
func (s *Service) SavedSearches(ctx context.Context, p access.Principal) ([]SavedSearch, error) {
	if p.OrgID == "" || !p.Can(PermRead) {
		return nil, ErrForbidden
	}
	return store.QueryAll(ctx, s.db, scanSavedSearch, `SELECT `+savedSearchColumns+` FROM saved_searches
		WHERE org_id = ? AND (owner_id = ? OR team_id = ?) ORDER BY name, id`, p.OrgID, p.UserID, p.TeamID)
}

// GetSavedSearch returns saved search id if p sees it (SavedSearches),
// else ErrNotFound.
func (s *Service) GetSavedSearch(ctx context.Context, p access.Principal, id string) (SavedSearch, error) {
	all, err := s.SavedSearches(ctx, p)
	if err != nil {
		return SavedSearch{}, err
	}
	i := slices.IndexFunc(all, func(ss SavedSearch) bool { return ss.ID == id })
	if i < 0 {
		return SavedSearch{}, ErrNotFound
	}
	return all[i], nil
}

// DeleteSavedSearch deletes saved search id, which only its owner may do:
// ErrForbidden for a search p sees because it is shared with p's team,
// ErrNotFound for one p does not see. It audits saved_search.delete.
func (s *Service) DeleteSavedSearch(ctx context.Context, p access.Principal, id string) error {
	ss, err := s.GetSavedSearch(ctx, p, id)
	if err != nil {
		return err
	}
	if ss.OwnerID != p.UserID {
		return ErrForbidden
	}
	return s.db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM saved_searches WHERE id = ? AND owner_id = ?`, id, p.UserID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrNotFound
		}
		return s.logSaved(ctx, tx, p, "saved_search.delete", id, "name", "criteria")
	})
}

const savedSearchColumns = `id, org_id, owner_id, COALESCE(team_id, ''), name, criteria, created_at`

func scanSavedSearch(sc store.Scanner) (SavedSearch, error) {
	var ss SavedSearch
	var created int64
	err := sc.Scan(&ss.ID, &ss.OrgID, &ss.OwnerID, &ss.TeamID, &ss.Name, &ss.Query, &created)
	ss.CreatedAt = fromMicros(created)
	return ss, err
}

// logSaved appends an audit entry about saved search id for p inside tx.
func (s *Service) logSaved(ctx context.Context, tx *store.Tx, p access.Principal, action, id string, fields ...string) error {
	_, err := s.audit.AppendTx(ctx, tx, audit.Entry{ActorID: p.UserID, OrgID: p.OrgID, Action: action,
		ObjectType: savedSearchType, ObjectID: id, Fields: fields, RequestID: requestid.From(ctx)})
	return err
}
