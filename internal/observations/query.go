// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/amparo-project/amparo/internal/store"
)

// Layer is which values a read sees: the working values analysts enter and
// import, or the published copy that alone leaves the system.
type Layer int

const (
	LayerPublished Layer = iota
	LayerWorking
)

func (l Layer) table() string {
	if l == LayerWorking {
		return "observations"
	}
	return "published_observations"
}

// Query selects observations. Empty lists and bounds select everything;
// Disagg nil selects every disaggregation, a pointer to "" the totals only.
// From and To bound the period text, inclusively: To "2020" includes
// "2020-Q3".
type Query struct {
	Layer  Layer
	Series []string
	Areas  []string
	Disagg *string
	From   string
	To     string
}

// Totals is a Query.Disagg selecting the totals only.
func Totals() *string { s := ""; return &s }

// obsSelect reads observations with who wrote them and when, which their
// batch records once for all its rows.
const obsSelect = `SELECT o.series, o.area, o.disagg, o.period, o.value, o.status, o.unit_mult, o.source, o.footnote,
	o.import_id, COALESCE(i.created_by, ''), COALESCE(i.created_at, 0) FROM `

// obsJoin follows obsSelect and the table's name.
const obsJoin = ` o LEFT JOIN observation_imports i ON i.id = o.import_id`

// Where is the WHERE clause, empty when q selects everything, and its
// arguments that select q's observations from a table of them whose
// columns are named with prefix ("o." or ""); the caller picks the table
// for q.Layer. Open data's DISTINCT queries use it too, so that they list
// the very values Each streams.
func (q Query) Where(prefix string) (string, []any) {
	var conds []string
	var args []any
	if len(q.Series) > 0 {
		conds = append(conds, prefix+"series IN ("+store.Placeholders(len(q.Series))+")")
		args = append(args, store.Args(q.Series)...)
	}
	if len(q.Areas) > 0 {
		conds = append(conds, prefix+"area IN ("+store.Placeholders(len(q.Areas))+")")
		args = append(args, store.Args(q.Areas)...)
	}
	if q.Disagg != nil {
		conds = append(conds, prefix+"disagg = ?")
		args = append(args, *q.Disagg)
	}
	if q.From != "" {
		conds = append(conds, prefix+"period >= ?")
		args = append(args, q.From)
	}
	if q.To != "" {
		// '~' sorts after every character a period uses, so "2020~" bounds
		// the year and every half, quarter and month in it.
		conds = append(conds, prefix+"period < ?")
		args = append(args, q.To+"~")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Each calls fn for every observation q selects, in the order of series,
// area, disaggregation and period, streaming them from the database so
// that a whole series never sits in memory. An error from fn stops the
// walk and is returned.
func (s *Service) Each(ctx context.Context, q Query, fn func(Observation) error) error {
	where, args := q.Where("o.")
	rows, err := s.db.Query(ctx, obsSelect+q.Layer.table()+obsJoin+where+" ORDER BY o.series, o.area, o.disagg, o.period", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// All returns what Each would walk, for reads known to be small.
func (s *Service) All(ctx context.Context, q Query) ([]Observation, error) {
	var out []Observation
	err := s.Each(ctx, q, func(o Observation) error { out = append(out, o); return nil })
	return out, err
}

// Value reads one observation.
func (s *Service) Value(ctx context.Context, layer Layer, k Key) (Observation, bool, error) {
	row := s.db.QueryRow(ctx, obsSelect+layer.table()+obsJoin+
		" WHERE o.series = ? AND o.area = ? AND o.disagg = ? AND o.period = ?", k.Series, k.Area, k.Disagg, k.Period)
	return oneObservation(row)
}

// Latest reads the observation of the latest period for a series, area and
// disaggregation. Periods of different frequencies are compared by their
// text, so a series should keep to one frequency.
func (s *Service) Latest(ctx context.Context, layer Layer, series, area, disagg string) (Observation, bool, error) {
	row := s.db.QueryRow(ctx, obsSelect+layer.table()+obsJoin+
		" WHERE o.series = ? AND o.area = ? AND o.disagg = ? ORDER BY o.period DESC LIMIT 1", series, area, disagg)
	return oneObservation(row)
}

// Count counts the observations q selects.
func (s *Service) Count(ctx context.Context, q Query) (int, error) {
	where, args := q.Where("o.")
	var n int
	err := s.db.Scan(s.db.QueryRow(ctx, "SELECT COUNT(*) FROM "+q.Layer.table()+" o"+where, args...), &n)
	return n, err
}

func oneObservation(row *sql.Row) (Observation, bool, error) {
	o, err := scanObservation(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Observation{}, false, nil
	}
	return o, err == nil, err
}

func scanObservation(r store.Scanner) (Observation, error) {
	var o Observation
	var at int64
	err := r.Scan(&o.Series, &o.Area, &o.Disagg, &o.Period, &o.Value, &o.Status, &o.UnitMult,
		&o.Source, &o.Footnote, &o.ImportID, &o.ChangedBy, &at)
	o.ChangedAt = fromMicros(at)
	return o, err
}
