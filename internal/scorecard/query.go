// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"context"

	"github.com/amparo-project/amparo/internal/store"
)

// The questions below are about the published observations only, and
// internal/observations has no query for them. Each walks one of the
// published table's indexes (migration 0016) without reading values:
// (series, disagg, period, area) for the first three, the primary key
// (series, area, disagg, period) for the last.

// disaggsOf lists the disaggregations a series has published values for,
// sorted, "" (the totals) first when there are any. It seeks from one key
// to the next on the index rather than reading every row: a recursive
// query that both engines run, as neither skips through an index by
// itself for DISTINCT.
func (s *Service) disaggsOf(ctx context.Context, series string) ([]string, error) {
	return s.strings(ctx, `WITH RECURSIVE d(k) AS (
		SELECT MIN(disagg) FROM published_observations WHERE series = ?
		UNION ALL
		SELECT (SELECT MIN(disagg) FROM published_observations WHERE series = ? AND disagg > d.k) FROM d WHERE d.k IS NOT NULL
	) SELECT k FROM d WHERE k IS NOT NULL`, series, series)
}

// periodsOf lists the periods a series has published values for in one
// disaggregation, sorted, seeking through the index as disaggsOf does.
func (s *Service) periodsOf(ctx context.Context, series, disagg string) ([]string, error) {
	return s.strings(ctx, `WITH RECURSIVE p(k) AS (
		SELECT MIN(period) FROM published_observations WHERE series = ? AND disagg = ?
		UNION ALL
		SELECT (SELECT MIN(period) FROM published_observations WHERE series = ? AND disagg = ? AND period > p.k) FROM p WHERE p.k IS NOT NULL
	) SELECT k FROM p WHERE k IS NOT NULL`, series, disagg, series, disagg)
}

// areasWith lists the areas with a published value of series in one
// disaggregation since a period; areas, when not nil, narrows them.
func (s *Service) areasWith(ctx context.Context, series, disagg, since string, areas []string) ([]string, error) {
	q := `SELECT DISTINCT area FROM published_observations WHERE series = ? AND disagg = ? AND period >= ?`
	args := []any{series, disagg, since}
	if areas != nil {
		if len(areas) == 0 {
			return nil, nil
		}
		q += ` AND area IN (` + store.Placeholders(len(areas)) + `)`
		args = append(args, store.Args(areas)...)
	}
	return s.strings(ctx, q, args...)
}

// areasWithAny lists which of areas have a published value of series in
// any disaggregation since a period.
func (s *Service) areasWithAny(ctx context.Context, series, since string, areas []string) ([]string, error) {
	if len(areas) == 0 {
		return nil, nil
	}
	return s.strings(ctx, `SELECT DISTINCT area FROM published_observations WHERE series = ? AND area IN (`+
		store.Placeholders(len(areas))+`) AND period >= ?`, append(append([]any{series}, store.Args(areas)...), since)...)
}

func (s *Service) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	return store.QueryAll(ctx, s.db, func(sc store.Scanner) (string, error) {
		var v string
		return v, sc.Scan(&v)
	}, q, args...)
}

// seriesWith lists which of series have a published value for area since
// a period, in any disaggregation, or with migratory set in one broken down
// by migratory status; it reads the (area, series, period) index only.
func (s *Service) seriesWith(ctx context.Context, area string, series []string, since string, migratory bool) ([]string, error) {
	if len(series) == 0 {
		return nil, nil
	}
	q := `SELECT DISTINCT series FROM published_observations WHERE area = ? AND series IN (` +
		store.Placeholders(len(series)) + `) AND period >= ?`
	if migratory {
		q += ` AND (disagg LIKE 'MIGRATORY\_STATUS=%' ESCAPE '\' OR disagg LIKE '%;MIGRATORY\_STATUS=%' ESCAPE '\')`
	}
	return s.strings(ctx, q, append(append([]any{area}, store.Args(series)...), since)...)
}
