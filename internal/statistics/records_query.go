// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// The tables of records that belong to cases (detention episodes,
// referrals, exploitation perpetrators) and of violations. There are far
// fewer of these than cases, so each is a grouped read of its own table,
// joined to the case only when a filter reads the case and to the person
// only when the columns are the person's sex or age band.

// recordSource says where a kind of record keeps what the tables read.
type recordSource struct {
	// category is the expression grouped as the row's category; from the
	// table with its alias.
	category, from string
	// org, caseID and personID are the record's organisation, case and
	// person columns; personID "" when the record has no person.
	org, caseID, personID string
}

// sql returns the grouped query of src for q, and its arguments: the
// category, the person's sex and year of birth when the columns need them,
// and the count.
func (src recordSource) sql(q Query) (string, []any) {
	sel := []string{src.category}
	from := src.from
	var where []string
	var args []any
	if q.Filter.OrgID != "" {
		where = append(where, src.org+" = ?")
		args = append(args, q.Filter.OrgID)
	}
	if cw, ca := caseFilter(q.Filter, "c"); len(cw) > 0 {
		from += " JOIN cases c ON c.id = " + src.caseID
		where, args = append(where, cw...), append(args, ca...)
	}
	if q.Column == Sex || q.Column == AgeBand {
		from += " LEFT JOIN persons p ON p.id = " + src.personID
		sel = append(sel, "p.sex", "p.birth_year")
	}
	return groupedSQL(sel, from, where), args
}

// caseFilter returns the conditions of f on the case aliased c: the
// quarter it was opened in and its principal's nationality and country.
// They are written with notIndexed, so that SQLite serves none of them
// from an index of cases: it then reads the records and looks their case up
// by its key, rather than reading every case of a common nationality and
// looking for its records.
func caseFilter(f Filter, c string) ([]string, []any) {
	var where []string
	var args []any
	if !f.From.IsZero() {
		where = append(where, notIndexed(c+".created_at", "<"))
		args = append(args, micros(f.From.Start()))
	}
	if !f.To.IsZero() {
		where = append(where, notIndexed(c+".created_at", ">="))
		args = append(args, micros(f.To.End()))
	}
	if f.Nationality != "" {
		where = append(where, notIndexed(c+".principal_nationality", "<>"))
		args = append(args, f.Nationality)
	}
	if f.Country != "" {
		where = append(where, notIndexed(c+".principal_country", "<>"))
		args = append(args, f.Country)
	}
	return where, args
}

// groupedSQL selects sel and a count from from, grouped by every selected
// column.
func groupedSQL(sel []string, from string, where []string) string {
	q := "SELECT " + strings.Join(sel, ", ") + ", COUNT(*) FROM " + from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	ordinals := make([]string, len(sel))
	for i := range sel {
		ordinals[i] = string(rune('1' + i))
	}
	return q + " GROUP BY " + strings.Join(ordinals, ", ")
}

// countGrouped runs a grouped query whose first column is read as text,
// followed by the person's sex and year of birth when q's columns need
// them, and adds each group to t under the category name makes of the
// text.
func (s *Service) countGrouped(ctx context.Context, q Query, t *tally, query string, args []any, name func(string) string) error {
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	person := q.Column == Sex || q.Column == AgeBand
	for rows.Next() {
		var cat sql.NullString
		var sex sql.NullString
		var birthYear sql.NullInt64
		var n int
		dest := []any{&cat}
		if person {
			dest = append(dest, &sex, &birthYear)
		}
		if err := rows.Scan(append(dest, &n)...); err != nil {
			return err
		}
		row := name(cat.String)
		t.add(row, t.person(q.Column, sex.String, int(birthYear.Int64)), n)
	}
	return rows.Err()
}

// countDetention counts detention episodes by length.
func (s *Service) countDetention(ctx context.Context, q Query, t *tally) error {
	src := recordSource{
		// Whole days from start to end; -1 for an episode not ended.
		category: "CASE WHEN e.end_at IS NULL THEN -1 ELSE (e.end_at - e.start_at) / 86400000000 END",
		from:     "detention_episodes e", org: "e.org_id", caseID: "e.case_id", personID: "e.person_id",
	}
	query, args := src.sql(q)
	return s.countGrouped(ctx, q, t, query, args, func(text string) string {
		days, err := strconv.Atoi(text)
		if err != nil {
			return Unknown
		}
		return detentionBand(days)
	})
}

// countReferrals counts referrals by status, the sending organisation's.
func (s *Service) countReferrals(ctx context.Context, q Query, t *tally) error {
	src := recordSource{category: "r.status", from: "referrals r", org: "r.from_org_id", caseID: "r.case_id",
		personID: "r.person_id"}
	query, args := src.sql(q)
	return s.countGrouped(ctx, q, t, query, args, orUnknown)
}
