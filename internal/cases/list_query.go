// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"
	"github.com/amparo-project/amparo/internal/store"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
)

// Filter narrows List. Zero values do not filter.
type Filter struct {
	Status  Status
	Concern Concern
	// Risk filters on a risk level; a pointer to RiskUnassessed finds the
	// cases not yet assessed.
	Risk    *Risk
	OwnerID string
	TeamID  string
}

// Page is a cursor page request: Cursor is "" for the first page, else the
// cursor List returned with the previous one.
type Page struct {
	Cursor string
	Limit  int
}

// Page sizes for List.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

func (pg Page) limit() int {
	switch {
	case pg.Limit <= 0:
		return DefaultPageSize
	case pg.Limit > MaxPageSize:
		return MaxPageSize
	default:
		return pg.Limit
	}
}

// cursor is a position in the list order (last change, newest first, then
// id): the last case of the previous page.
type cursor struct {
	updated int64
	id      string
}

func (c cursor) String() string { return strconv.FormatInt(c.updated, 10) + "." + c.id }

// parseCursor reads a cursor made by cursor.String.
func parseCursor(s string) (cursor, bool) {
	micros, id, ok := strings.Cut(s, ".")
	if !ok || !ids.Valid(id) || micros == "" || len(micros) > 19 || strings.Trim(micros, "0123456789") != "" {
		return cursor{}, false
	}
	v, err := strconv.ParseInt(micros, 10, 64)
	if err != nil {
		return cursor{}, false
	}
	return cursor{v, id}, true
}

// List returns the cases p may read that match f, most recently changed
// first, a page at a time, with their concerns (not their persons or
// transfers), and the cursor of the next page ("" after the last). It reads
// nothing sealed, so it is not audited.
func (s *Service) List(ctx context.Context, p access.Principal, f Filter, page Page) ([]Case, string, error) {
	return s.list(ctx, p, p.Scope(PermRead), f, page)
}

// list is List for a principal holding case.read at scope.
func (s *Service) list(ctx context.Context, p access.Principal, scope access.Scope, f Filter, page Page) ([]Case, string, error) {
	q, args, err := listQuery(p, scope, f, page)
	if err != nil || q == "" {
		return nil, "", err
	}
	limit := page.limit()
	out, err := store.QueryAll(ctx, s.db, scanCase, q, args...)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		last := out[limit-1]
		next = cursor{micros(last.UpdatedAt), last.ID}.String()
	}
	caseIDs := make([]string, len(out))
	for i, c := range out {
		caseIDs[i] = c.ID
	}
	byCase, err := concernsOf(ctx, s.db, caseIDs)
	if err != nil {
		return nil, "", err
	}
	for i := range out {
		out[i].Concerns = byCase[out[i].ID]
	}
	return out, next, nil
}

// listQuery builds the query of a List page, fetching one row more than
// the page to tell whether another follows. It returns "" when the
// principal can see no case at all.
//
// The record scope comes first, and the filters and cursor are equalities
// and a range on (updated_at, id), so that each common first page is read
// in order from one index of migration 0004 (organisation, status or risk,
// owner, or team, then updated_at, id) and stops after the page: its cost
// does not grow with the number of cases.
func listQuery(p access.Principal, scope access.Scope, f Filter, page Page) (string, []any, error) {
	v := &ValidationError{}
	if f.Status != "" && !f.Status.Valid() {
		v.Add("status", CodeUnknown)
	}
	if f.Concern != "" && !f.Concern.Valid() {
		v.Add("concern", CodeUnknown)
	}
	if f.Risk != nil && !f.Risk.Valid() {
		v.Add("risk", CodeUnknown)
	}
	if f.OwnerID != "" && !ids.Valid(f.OwnerID) {
		v.Add("owner_id", CodeInvalid)
	}
	if f.TeamID != "" && !ids.Valid(f.TeamID) {
		v.Add("team_id", CodeInvalid)
	}
	var after cursor
	if page.Cursor != "" {
		var ok bool
		if after, ok = parseCursor(page.Cursor); !ok {
			v.Add("cursor", CodeInvalid)
		}
	}
	if err := v.OrNil(); err != nil {
		return "", nil, err
	}
	var where []string
	var args []any
	switch {
	case scope == access.ScopeNone:
		return "", nil, ErrForbidden
	case scope >= access.ScopeAll:
	case p.OrgID == "":
		return "", nil, nil
	case scope == access.ScopeOrg:
		where, args = append(where, "org_id = ?"), append(args, p.OrgID)
	case scope == access.ScopeTeam && p.TeamID != "":
		where, args = append(where, "org_id = ?", "(owner_id = ? OR team_id = ?)"), append(args, p.OrgID, p.UserID, p.TeamID)
	default: // own, or team without a team
		where, args = append(where, "org_id = ?", "owner_id = ?"), append(args, p.OrgID, p.UserID)
	}
	for _, c := range []struct {
		column string
		value  string
		set    bool
	}{
		{"status", string(f.Status), f.Status != ""},
		{"risk", riskValue(f.Risk), f.Risk != nil},
		{"owner_id", f.OwnerID, f.OwnerID != ""},
		{"team_id", f.TeamID, f.TeamID != ""},
	} {
		if c.set {
			where, args = append(where, c.column+" = ?"), append(args, c.value)
		}
	}
	// A concern filter within one organisation is read in order from
	// case_concerns' copy of the list order, which bounds the work by the
	// page whether the concern is rare or common; under own scope, or with
	// an owner filter, the owner's cases are few and are read from the
	// owner index, each checked for the concern.
	from, orderBy, after1, after2 := "cases", "updated_at DESC, id DESC", "updated_at", "id"
	switch {
	case f.Concern == "":
	case (scope == access.ScopeOrg || (scope == access.ScopeTeam && p.TeamID != "")) && f.OwnerID == "":
		from, orderBy, after1, after2 = "case_concerns JOIN cases ON id = case_id", "case_updated_at DESC, case_id DESC",
			"case_updated_at", "case_id"
		where, args = append([]string{"case_org_id = ?", "concern = ?"}, where...), append([]any{p.OrgID, f.Concern}, args...)
	default:
		where = append(where, "EXISTS (SELECT 1 FROM case_concerns cc WHERE cc.case_id = cases.id AND cc.concern = ?)")
		args = append(args, f.Concern)
	}
	if page.Cursor != "" {
		where, args = append(where, "("+after1+", "+after2+") < (?, ?)"), append(args, after.updated, after.id)
	}
	q := `SELECT ` + caseColumns + ` FROM ` + from
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	q += ` ORDER BY ` + orderBy + ` LIMIT ?`
	return q, append(args, page.limit()+1), nil
}

func riskValue(r *Risk) string {
	if r == nil {
		return ""
	}
	return string(*r)
}
