// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"context"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/disclosure"
)

// Result is a table as it may be shown.
type Result struct {
	Query Query
	Unit  Unit
	// Table holds the categories' codes and the counts, protected unless
	// it came from Unprotected.
	Table disclosure.Published
	// At is when it was counted.
	At time.Time
}

// Table counts the table q asks for and returns it protected with the
// system's k, for anyone who may read statistics. q is as ParseQuery
// returns it.
func (s *Service) Table(ctx context.Context, p access.Principal, q Query) (Result, error) {
	if !p.Can(PermRead) {
		return Result{}, ErrForbidden
	}
	st, err := s.settings(ctx, s.db)
	if err != nil {
		return Result{}, err
	}
	return s.publish(ctx, q, func(t disclosure.Table) (disclosure.Published, error) { return disclosure.Protect(t, st.K) })
}

// Unprotected counts the table q asks for over the principal's own
// organisation and returns it exact, nothing withheld or rounded: the
// figures an organisation's supervisors and administrators (dashboard.read)
// work with. q's organisation must be the principal's own or none (it is
// then set to theirs): another organisation's answers ErrNotFound, and a
// principal without dashboard.read in their organisation ErrForbidden.
// What it returns must never be shown to anyone outside that organisation.
func (s *Service) Unprotected(ctx context.Context, p access.Principal, q Query) (Result, error) {
	own := access.Record{OrgID: p.OrgID}
	if p.OrgID == "" || !p.Allows(PermDashboard, own) {
		return Result{}, ErrForbidden
	}
	switch q.Filter.OrgID {
	case "":
		q.Filter.OrgID = p.OrgID
	case p.OrgID:
	default:
		return Result{}, ErrNotFound
	}
	return s.publish(ctx, q, disclosure.Unprotected)
}

// publish counts q and turns the counts into a table with how.
func (s *Service) publish(ctx context.Context, q Query, how func(disclosure.Table) (disclosure.Published, error)) (Result, error) {
	q, err := q.normalized()
	if err != nil {
		return Result{}, err
	}
	now := s.now()
	t, err := s.count(ctx, q, now)
	if err != nil {
		return Result{}, err
	}
	pub, err := how(t)
	if err != nil {
		return Result{}, err
	}
	return Result{Query: q, Unit: UnitOf(q.Dimension), Table: pub, At: now}, nil
}

// normalized returns q as ParseQuery would have read it, or its error, for
// callers that build a query themselves.
func (q Query) normalized() (Query, error) {
	return ParseQuery(string(q.Dimension), q.Values())
}

// count dispatches q to the query that counts its unit.
func (s *Service) count(ctx context.Context, q Query, now time.Time) (disclosure.Table, error) {
	tl := newTally(q, now.Year())
	var err error
	switch q.Dimension {
	case Concern, Nationality, Sex, AgeBand, Location:
		err = s.countCases(ctx, q, tl)
	case DetentionLength:
		err = s.countDetention(ctx, q, tl)
	case ConsularCompliance:
		err = s.countConsular(ctx, q, tl, now)
	case ReferralStatus:
		err = s.countReferrals(ctx, q, tl)
	case ActType:
		err = s.countActs(ctx, q, tl)
	case PerpetratorCategory:
		err = s.countPerpetrators(ctx, q, tl)
	}
	if err != nil {
		return disclosure.Table{}, err
	}
	return tl.table(), nil
}

// tally adds up counts by row and column category.
type tally struct {
	q      Query
	year   int // the year ages are worked out for
	counts map[[2]string]int
}

func newTally(q Query, year int) *tally {
	return &tally{q: q, year: year, counts: map[[2]string]int{}}
}

func (t *tally) add(row, col string, n int) { t.counts[[2]string{row, col}] += n }

// person is the category of a person's attributes in dimension d: their
// sex ('unknown' when not recorded) or their age band.
func (t *tally) person(d Dimension, sex string, birthYear int) string {
	switch d {
	case Sex:
		if sex == "" {
			return Unknown
		}
		return sex
	case AgeBand:
		return ageBand(birthYear, t.year)
	}
	return ""
}

// table lays the counts out: the listed categories of each dimension in
// order, then the others found, by code, with Unknown last.
func (t *tally) table() disclosure.Table {
	rowsFound, colsFound := map[string]bool{}, map[string]bool{}
	for k, n := range t.counts {
		if n > 0 {
			rowsFound[k[0]], colsFound[k[1]] = true, true
		}
	}
	out := disclosure.Table{Rows: order(categories(t.q.Dimension), rowsFound)}
	if t.q.Column != "" {
		out.Cols = order(categories(t.q.Column), colsFound)
	}
	cols := out.Cols
	if cols == nil {
		cols = []string{""}
	}
	for _, r := range out.Rows {
		row := make([]int, len(cols))
		for j, c := range cols {
			row[j] = t.counts[[2]string{r, c}]
		}
		out.Counts = append(out.Counts, row)
	}
	return out
}

// order returns listed, then the found categories not in it sorted by
// code, with Unknown last.
func order(listed []string, found map[string]bool) []string {
	out := slices.Clone(listed)
	var extra []string
	unknown := false
	for c := range found {
		switch {
		case slices.Contains(listed, c):
		case c == Unknown:
			unknown = true
		default:
			extra = append(extra, c)
		}
	}
	slices.Sort(extra)
	out = append(out, extra...)
	if unknown && !slices.Contains(out, Unknown) {
		out = append(out, Unknown)
	}
	return out
}
