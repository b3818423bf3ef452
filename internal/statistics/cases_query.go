// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"context"
	"database/sql"
	"strings"
)

// The tables of cases (by nationality, sex, age band or place) and of
// concerns are each one grouped read of one of the indexes of migration
// 0011. The query groups by the leading columns of the index it reads, in
// their order, so that the groups come out of the index already in order
// and no sort is needed, and by no more of them than the table needs,
// since comparing each entry's columns is most of the cost of a pass; the
// groups (a few thousand at most: values × sexes × years of birth) are
// then folded into categories here. A filter on the leading column seeks a
// range of the index; every other filter is written as a negation (NOT (col
// <> ?), NOT (col < ?)), which SQLite cannot serve from an index and so
// checks on each entry of the pass rather than choosing an index that would
// look up every case for the columns it lacks, and which PostgreSQL turns
// back into the plain comparison, estimated from its statistics.

// caseColumns are the names of the columns a case table reads, in cases
// and in case_concerns.
type caseColumns struct {
	table                                                 string
	nationality, country, admin1, sex, birthYear, org, at string
	concern                                               string
}

var (
	casesTable = caseColumns{table: "cases", nationality: "principal_nationality", country: "principal_country",
		admin1: "principal_admin1", sex: "principal_sex", birthYear: "principal_birth_year", org: "org_id", at: "created_at"}
	concernsTable = caseColumns{table: "case_concerns", nationality: "case_nationality", country: "case_country",
		sex: "case_sex", birthYear: "case_birth_year", org: "case_org_id", at: "case_created_at", concern: "concern"}
)

// casePlan is how one table is read: the index (by the roles of its
// leading columns, in order), the columns grouped by (the shortest
// leading part of the index that holds every category the table needs),
// and the column whose filter seeks the index ("" for a whole pass).
type casePlan struct {
	cols  caseColumns
	index []string
	group []string
	seek  string
}

// The statistics indexes of migration 0011, by the roles of their leading
// columns.
var (
	byNationalityIndex = []string{"nationality", "sex", "birth_year"}
	byPlaceIndex       = []string{"country", "admin1", "sex", "birth_year"}
	bySexIndex         = []string{"sex", "birth_year"}
	byConcernIndex     = []string{"concern", "sex", "birth_year"}
)

// planCases chooses the index a table of cases reads: the one led by its
// own dimension, or, for the tables by sex or age band when a filter fixes
// the nationality, the one led by that, so that only the matching cases
// are read. A filter that is not on the leading column is checked on every
// entry of a whole pass, which costs one pass at most: seeking the cases of
// a common nationality and sorting them by place would cost more, and the
// cases of one country (most of them, for an organisation working in one)
// grouped by place, sex and year of birth more than all cases grouped by
// sex and year of birth.
func planCases(q Query) casePlan {
	f := q.Filter
	p := casePlan{cols: casesTable}
	switch {
	case q.Dimension == Concern:
		p.cols, p.index = concernsTable, byConcernIndex
	case q.Dimension == Nationality:
		p.index = byNationalityIndex
	case q.Dimension == Location:
		p.index = byPlaceIndex
	case f.Nationality != "": // Sex and AgeBand
		p.index = byNationalityIndex
	default:
		p.index = bySexIndex
	}
	switch {
	case p.index[0] == "nationality" && f.Nationality != "", p.index[0] == "country" && f.Country != "":
		p.seek = p.index[0]
	}
	need := map[string]bool{}
	for _, d := range []Dimension{q.Dimension, q.Column} {
		switch d {
		case Concern:
			need["concern"] = true
		case Nationality:
			need["nationality"] = true
		case Location:
			need["country"], need["admin1"] = true, true
		case Sex:
			need["sex"] = true
		case AgeBand:
			need["birth_year"] = true
		}
	}
	last := 0
	for i, role := range p.index {
		if need[role] {
			last = i
		}
	}
	p.group = p.index[:last+1]
	return p
}

func (c caseColumns) column(role string) string {
	switch role {
	case "concern":
		return c.concern
	case "nationality":
		return c.nationality
	case "country":
		return c.country
	case "admin1":
		return c.admin1
	case "sex":
		return c.sex
	default:
		return c.birthYear
	}
}

// sql returns the query of plan p for filter f, and its arguments.
func (p casePlan) sql(f Filter) (string, []any) {
	c := p.cols
	var where []string
	var args []any
	text := func(role, col, v string) {
		if v == "" {
			return
		}
		if role == p.seek {
			where = append(where, col+" = ?")
		} else {
			where = append(where, notIndexed(col, "<>"))
		}
		args = append(args, v)
	}
	text("org", c.org, f.OrgID)
	text("nationality", c.nationality, f.Nationality)
	text("country", c.country, f.Country)
	if !f.From.IsZero() {
		where = append(where, notIndexed(c.at, "<"))
		args = append(args, micros(f.From.Start()))
	}
	if !f.To.IsZero() {
		where = append(where, notIndexed(c.at, ">="))
		args = append(args, micros(f.To.End()))
	}
	group := make([]string, len(p.group))
	for i, role := range p.group {
		group[i] = c.column(role)
	}
	q := "SELECT " + strings.Join(group, ", ") + ", COUNT(*) FROM " + c.table
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q + " GROUP BY " + strings.Join(group, ", "), args
}

// countCases counts a table of cases or concerns into t.
func (s *Service) countCases(ctx context.Context, q Query, t *tally) error {
	plan := planCases(q)
	query, args := plan.sql(q.Filter)
	rows, err := s.db.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer func() { _ = rows.Close() }()
	vals := make(map[string]*sql.NullString, len(plan.group))
	var birthYear sql.NullInt64
	var n int
	dest := make([]any, 0, len(plan.group)+1)
	for _, role := range plan.group {
		if role == "birth_year" {
			dest = append(dest, &birthYear)
			continue
		}
		vals[role] = &sql.NullString{}
		dest = append(dest, vals[role])
	}
	dest = append(dest, &n)
	get := func(role string) string {
		if v := vals[role]; v != nil {
			return v.String
		}
		return ""
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		sex, by := get("sex"), int(birthYear.Int64)
		var row string
		switch q.Dimension {
		case Concern:
			row = get("concern")
		case Nationality:
			row = orUnknown(get("nationality"))
		case Location:
			row = placeCode(get("country"), get("admin1"))
		default:
			row = t.person(q.Dimension, sex, by)
		}
		t.add(row, t.person(q.Column, sex, by), n)
	}
	return rows.Err()
}

// notIndexed writes a comparison of col with a parameter as the negation
// of its opposite (= as NOT (col <> ?), >= as NOT (col < ?)): the same
// rows, but a condition SQLite does not serve from an index (its planner
// only uses bare comparisons of a column), so that it is checked on each
// entry of the index the query reads; PostgreSQL rewrites it to the plain
// comparison and plans it with its statistics.
func notIndexed(col, opposite string) string { return "NOT (" + col + " " + opposite + " ?)" }

func orUnknown(code string) string {
	if code == "" {
		return Unknown
	}
	return code
}

// placeCode is the category of a place: the country's alpha-3 code, with
// the first-level area after a slash when known; Unknown without a
// country.
func placeCode(country, admin1 string) string {
	switch {
	case country == "":
		return Unknown
	case admin1 == "":
		return country
	}
	return country + "/" + admin1
}

// splitPlace undoes placeCode.
func splitPlace(code string) (country, admin1 string) {
	if code == Unknown {
		return "", ""
	}
	country, admin1, _ = strings.Cut(code, "/")
	return country, admin1
}
