// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// List returns the cases p may read that match f, in page's order, a page
// at a time, with their concerns (not their persons or transfers), and the
// cursor of the next page ("" after the last). It reads nothing sealed, so
// it is not audited. An alert filter needs PermAlerts too.
func (s *Service) List(ctx context.Context, p access.Principal, f Filter, page Page) ([]Case, string, error) {
	return s.list(ctx, p, p.Scope(PermRead), f, page)
}

// list is List for a principal holding case.read at scope.
func (s *Service) list(ctx context.Context, p access.Principal, scope access.Scope, f Filter, page Page) ([]Case, string, error) {
	lq, err := buildList(p, scope, f, page, s.AlertKinds())
	if err != nil || lq == nil {
		return nil, "", err
	}
	if err := s.limitToAlert(ctx, p, lq, f.Alert); err != nil {
		return nil, "", err
	}
	return lq.run(ctx, s.db)
}

// listQuery is a case list being read: the rows a principal may see that
// match a filter, in an order, from a cursor, up to a limit.
type listQuery struct {
	where []string
	args  []any
	sort  Sort
	asc   bool
	after *cursor
	limit int
	// orgID and concern are the organisation and the concern filter;
	// copiesOK is true when the list may read the concern's cases in
	// order from case_concerns' copies of the default order.
	orgID    string
	concern  Concern
	copiesOK bool
	// driver, when set, picks the few cases the list may hold (those of
	// the persons an identity search found): they are looked up by id and
	// sorted, rather than read in order from an index.
	driver driver
	// ids, when not nil, are the only cases the list may hold (an alert
	// filter's); they drive the list a chunk at a time.
	ids []string
}

// driver is a derived table of case ids (column case_id) that a list reads
// first, then looks each case up by id. The CROSS JOIN makes SQLite read
// it first whatever it estimates (PostgreSQL plans it from statistics).
type driver struct {
	table string
	args  []any
}

// valuesDriver drives a list by the cases caseIDs.
func valuesDriver(caseIDs []string) driver {
	return driver{table: `(SELECT column1 AS case_id FROM (VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?), ", len(caseIDs)), ", ") + `) AS v)`, args: store.Args(caseIDs)}
}

// buildList checks f and page and returns the query of the list, or nil
// when p can see no case at all. alertKinds are the alert kinds f.Alert
// may name.
//
// The record scope comes first, and the filters and cursor are equalities
// and a range on the order's key, so that each common first page is read
// in order from one index of migration 0004 or 0009 (organisation, then a
// filtered column, then the key) and stops after the page: its cost does
// not grow with the number of cases. SortRisk reads one risk level at a
// time, in order from the risk index, for the same reason.
func buildList(p access.Principal, scope access.Scope, f Filter, page Page, alertKinds []string) (*listQuery, error) {
	v := &ValidationError{}
	f = f.normalise(v)
	if f.Alert != "" && !slices.Contains(alertKinds, f.Alert) {
		v.Add("alert", CodeUnknown)
	}
	if !page.Sort.Valid() {
		v.Add("sort", CodeUnknown)
	}
	q := &listQuery{sort: page.sort(), asc: page.Ascending, limit: page.limit(), orgID: p.OrgID, concern: f.Concern}
	if page.Cursor != "" && page.Sort.Valid() {
		c, ok := parseCursor(page.Cursor, q.sort)
		if !ok {
			v.Add("cursor", CodeInvalid)
		}
		q.after = &c
	}
	if err := v.OrNil(); err != nil {
		return nil, err
	}
	switch {
	case scope == access.ScopeNone:
		return nil, ErrForbidden
	case scope >= access.ScopeAll:
	case p.OrgID == "":
		return nil, nil
	case scope == access.ScopeOrg:
		q.add("cases.org_id = ?", p.OrgID)
	case scope == access.ScopeTeam && p.TeamID != "":
		q.add("cases.org_id = ?", p.OrgID)
		q.add("(cases.owner_id = ? OR cases.team_id = ?)", p.UserID, p.TeamID)
	default: // own, or team without a team
		q.add("cases.org_id = ?", p.OrgID)
		q.add("cases.owner_id = ?", p.UserID)
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
		{"number", f.Number, f.Number != ""},
		{"principal_nationality", f.Nationality, f.Nationality != ""},
		{"principal_country", f.Country, f.Country != ""},
		{"principal_admin1", f.Admin1, f.Admin1 != ""},
	} {
		if c.set {
			q.add("cases."+c.column+" = ?", c.value)
		}
	}
	if !f.OpenedFrom.IsZero() {
		q.add("cases.created_at >= ?", micros(f.OpenedFrom))
	}
	if !f.OpenedBefore.IsZero() {
		q.add("cases.created_at < ?", micros(f.OpenedBefore))
	}
	// A concern filter within one organisation, in the default order, is
	// read in order from case_concerns' copy of that order, which bounds
	// the work by the page whether the concern is rare or common; under
	// own scope, or with an owner filter, the owner's cases are few and
	// are read from the owner index, each checked for the concern, as are
	// the other orders and the cases a driver picks (statement).
	q.copiesOK = (scope == access.ScopeOrg || (scope == access.ScopeTeam && p.TeamID != "")) && f.OwnerID == "" &&
		q.sort == SortUpdated
	return q, nil
}

// caseCondition is q's scope and filters as one SQL condition over the
// table cases ("" for none), with its arguments.
func (q *listQuery) caseCondition() (string, []any) {
	where, args := slices.Clone(q.where), slices.Clone(q.args)
	if q.concern != "" {
		where, args = append(where, concernExists), append(args, q.concern)
	}
	return strings.Join(where, " AND "), args
}

// concernExists is the concern filter checked on each case.
const concernExists = "EXISTS (SELECT 1 FROM case_concerns cc WHERE cc.case_id = cases.id AND cc.concern = ?)"

func (q *listQuery) add(cond string, args ...any) {
	q.where, q.args = append(q.where, cond), append(q.args, args...)
}

func riskValue(r *Risk) string {
	if r == nil {
		return ""
	}
	return string(*r)
}

// keyColumns are the SQL expressions of the order's key, most significant
// first, ending in the case's id. perLevel is the order within one risk
// level, when SortRisk reads a level at a time; copies that the rows are
// read through case_concerns.
func keyColumns(sort Sort, perLevel, copies bool) []string {
	switch {
	case sort == SortOpened:
		return []string{"cases.created_at", "cases.id"}
	case sort == SortNumber:
		return []string{"substr(cases.number, 1, 4)", "length(cases.number)", "cases.number", "cases.id"}
	case sort == SortRisk && !perLevel:
		return []string{riskRankSQL, "cases.updated_at", "cases.id"}
	case copies:
		return []string{"cc.case_updated_at", "cc.case_id"}
	default:
		return []string{"cases.updated_at", "cases.id"}
	}
}

// statement returns the SQL reading up to limit rows of q, driven by d
// when its table is set, that also meet extra, in order, after the cursor
// after (nil: from the start). level, when not nil, reads that risk level
// only.
func (q *listQuery) statement(d driver, extra []string, extraArgs []any, level *Risk, after *cursor, limit int) (string, []any) {
	from, where, args := "cases", slices.Clone(q.where), slices.Clone(q.args)
	copies := q.concern != "" && q.copiesOK && d.table == ""
	switch {
	case d.table != "":
		from = d.table + ` AS sel CROSS JOIN cases`
		where, args = append([]string{"cases.id = sel.case_id"}, where...), append(slices.Clone(d.args), args...)
	case copies:
		from = "case_concerns cc JOIN cases ON cases.id = cc.case_id"
		where, args = append([]string{"cc.case_org_id = ?", "cc.concern = ?"}, where...), append([]any{q.orgID, q.concern}, args...)
	}
	if q.concern != "" && !copies {
		where, args = append(where, concernExists), append(args, q.concern)
	}
	where, args = append(where, extra...), append(args, extraArgs...)
	if level != nil {
		where, args = append(where, "cases.risk = ?"), append(args, string(*level))
	}
	cols := keyColumns(q.sort, level != nil, copies)
	op, dir := "<", " DESC"
	if q.asc {
		op, dir = ">", ""
	}
	if after != nil {
		vals := after.values(level != nil)
		where = append(where, "("+strings.Join(cols, ", ")+") "+op+" ("+store.Placeholders(len(vals))+")")
		args = append(args, vals...)
		if q.sort == SortNumber {
			// A bound on the year alone, which SQLite can seek to in the
			// number index, where it cannot seek to a tuple of
			// expressions.
			where, args = append(where, cols[0]+" "+op+"= ?"), append(args, after.number[:4])
		}
	}
	s := `SELECT ` + caseColumns + ` FROM ` + from
	if len(where) > 0 {
		s += ` WHERE ` + strings.Join(where, " AND ")
	}
	order := make([]string, len(cols))
	for i, c := range cols {
		order[i] = c + dir
	}
	return s + ` ORDER BY ` + strings.Join(order, ", ") + ` LIMIT ?`, append(args, limit)
}

// idChunk is how many ids one statement of a list driven by ids names.
const idChunk = 500

// run reads the page, fetching one row more than the page to tell whether
// another follows, and fills in the concerns of its cases.
func (q *listQuery) run(ctx context.Context, db store.Queryer) ([]Case, string, error) {
	var out []Case
	var err error
	switch {
	case q.ids != nil:
		out, err = q.runByIDs(ctx, db)
	case q.sort == SortRisk && q.driver.table == "":
		out, err = q.runByLevel(ctx, db)
	default:
		s, args := q.statement(q.driver, nil, nil, nil, q.after, q.limit+1)
		out, err = store.QueryAll(ctx, db, scanCase, s, args...)
	}
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > q.limit {
		out = out[:q.limit]
		next = cursorOf(out[q.limit-1], q.sort).String()
	}
	caseIDs := make([]string, len(out))
	for i, c := range out {
		caseIDs[i] = c.ID
	}
	byCase, err := concernsOf(ctx, db, caseIDs)
	if err != nil {
		return nil, "", err
	}
	for i := range out {
		out[i].Concerns = byCase[out[i].ID]
	}
	return out, next, nil
}

// runByLevel reads a SortRisk page one level at a time, from the cursor's
// level on, each in order from an index, until the page is full.
func (q *listQuery) runByLevel(ctx context.Context, db store.Queryer) ([]Case, error) {
	levels := append([]Risk{RiskUnassessed}, Risks...)
	if !q.asc {
		slices.Reverse(levels)
	}
	var out []Case
	for _, level := range levels {
		after := q.after
		if after != nil {
			switch rank := riskRank(level); {
			case rank == after.rank:
			case (rank < after.rank) == q.asc: // a level the cursor has passed
				continue
			default:
				after = nil
			}
		}
		s, args := q.statement(driver{}, nil, nil, &level, after, q.limit+1-len(out))
		rows, err := store.QueryAll(ctx, db, scanCase, s, args...)
		if err != nil {
			return nil, err
		}
		if out = append(out, rows...); len(out) > q.limit {
			break
		}
	}
	return out, nil
}

// runByIDs reads the cases among q.ids, a chunk at a time, each chunk
// driving its statement (or, under a driver of q's own, narrowing it), and
// merges the chunks' pages into one.
func (q *listQuery) runByIDs(ctx context.Context, db store.Queryer) ([]Case, error) {
	var out []Case
	for start := 0; start < len(q.ids); start += idChunk {
		part := q.ids[start:min(start+idChunk, len(q.ids))]
		d, extra, extraArgs := valuesDriver(part), []string(nil), []any(nil)
		if q.driver.table != "" {
			d, extra, extraArgs = q.driver, []string{"cases.id IN (" + store.Placeholders(len(part)) + ")"}, store.Args(part)
		}
		s, args := q.statement(d, extra, extraArgs, nil, q.after, q.limit+1)
		rows, err := store.QueryAll(ctx, db, scanCase, s, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	slices.SortFunc(out, func(a, b Case) int {
		c := compareKeys(cursorOf(a, q.sort), cursorOf(b, q.sort))
		if !q.asc {
			c = -c
		}
		return c
	})
	return out[:min(len(out), q.limit+1)], nil
}

// cursor is a position in a list's order: the key of the last case of the
// previous page. Which fields are set depends on the sort.
type cursor struct {
	sort   Sort
	rank   int    // SortRisk: riskRank of the level
	micros int64  // SortUpdated and SortRisk: updated_at; SortOpened: created_at
	number string // SortNumber
	id     string
}

// cursorOf is the position of case c in an order by sort.
func cursorOf(c Case, sort Sort) cursor {
	out := cursor{sort: sort, id: c.ID, micros: micros(c.UpdatedAt)}
	switch sort {
	case SortOpened:
		out.micros = micros(c.CreatedAt)
	case SortNumber:
		out.micros, out.number = 0, c.Number
	case SortRisk:
		out.rank = riskRank(c.Risk)
	}
	return out
}

// values are the cursor's key, as keyColumns lists its columns.
func (c cursor) values(perLevel bool) []any {
	switch {
	case c.sort == SortNumber:
		return []any{c.number[:4], len(c.number), c.number, c.id}
	case c.sort == SortRisk && !perLevel:
		return []any{c.rank, c.micros, c.id}
	default:
		return []any{c.micros, c.id}
	}
}

// compareKeys compares two positions in the same order, ascending.
func compareKeys(a, b cursor) int {
	return cmp.Or(
		cmp.Compare(a.rank, b.rank),
		cmp.Compare(a.micros, b.micros),
		strings.Compare(numberYear(a.number), numberYear(b.number)),
		cmp.Compare(len(a.number), len(b.number)),
		strings.Compare(a.number, b.number),
		strings.Compare(a.id, b.id),
	)
}

func numberYear(n string) string { return n[:min(4, len(n))] }

// cursorPrefix marks the sort a cursor belongs to; the default sort's
// cursor has none.
var cursorPrefix = map[Sort]string{SortUpdated: "", SortOpened: "o", SortNumber: "n", SortRisk: "r"}

// String writes the cursor: its sort's prefix, then its key's fields and
// the id separated by dots ("1795424400000000.<id>" for the default
// order, "n2026-00007.<id>", "r3.1795424400000000.<id>"). It holds a case
// number, times and an id: nothing about a person.
func (c cursor) String() string {
	var key string
	switch c.sort {
	case SortNumber:
		key = c.number
	case SortRisk:
		key = strconv.Itoa(c.rank) + "." + strconv.FormatInt(c.micros, 10)
	default:
		key = strconv.FormatInt(c.micros, 10)
	}
	return cursorPrefix[c.sort] + key + "." + c.id
}

// parseCursor reads a cursor made by cursor.String for an order by sort.
func parseCursor(s string, sort Sort) (cursor, bool) {
	rest, ok := strings.CutPrefix(s, cursorPrefix[sort])
	if !ok {
		return cursor{}, false
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return cursor{}, false
	}
	key, id := rest[:dot], rest[dot+1:]
	c := cursor{sort: sort, id: id}
	if !ids.Valid(id) {
		return cursor{}, false
	}
	switch sort {
	case SortNumber:
		n, ok := NormaliseNumber(key)
		if !ok || n != key {
			return cursor{}, false
		}
		c.number = key
		return c, true
	case SortRisk:
		rank, micros, ok := strings.Cut(key, ".")
		if !ok || len(rank) != 1 || rank < "0" || rank > strconv.Itoa(len(Risks)) {
			return cursor{}, false
		}
		c.rank = int(rank[0] - '0')
		key = micros
	}
	v, ok := parseMicros(key)
	c.micros = v
	return c, ok
}

// parseMicros reads a non-negative decimal integer of at most 19 digits.
func parseMicros(s string) (int64, bool) {
	if s == "" || len(s) > 19 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}
