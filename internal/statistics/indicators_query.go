// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/disclosure"
)

// Live measures: single figures for the indicators computed from case
// data (internal/indicators), for one country of the case (its principal
// person's country) and one span of time. A count is published as a
// one-cell table through disclosure.Protect; a median or a share is
// computed from the exact records but withheld whenever the number of
// records it is computed from is below k, and that number is published only
// as a protected count.
const (
	// MeasureChildrenDetained counts the distinct children (under 18 in
	// the year the span ends) held in immigration detention at any time in
	// the span.
	MeasureChildrenDetained = "children_in_detention"
	// MeasureMedianDetentionDays is the median length, in whole days, of
	// the immigration detention episodes that ended in the span.
	MeasureMedianDetentionDays = "median_detention_days"
	// MeasureConsularInTime is the share (per cent) of the consular
	// notifications required for arrests in the span (mandatory, or asked
	// for) that were made within the organisation's time limit.
	MeasureConsularInTime = "consular_notified_in_time_share"
	// MeasureTraffickingReferralsCompleted is the share (per cent) of the
	// referrals sent in the span for persons recorded as victims of
	// trafficking that were completed (revoked referrals left out).
	MeasureTraffickingReferralsCompleted = "trafficking_referrals_completed_share"
)

// Measures lists the live measures.
func Measures() []string {
	return []string{MeasureChildrenDetained, MeasureMedianDetentionDays, MeasureConsularInTime,
		MeasureTraffickingReferralsCompleted}
}

// MeasureResult is one live figure as it may be shown.
type MeasureResult struct {
	Measure string
	// Value is the figure; meaningless when Withheld.
	Value float64
	// Withheld is set when the figure would rest on fewer than K records.
	Withheld bool
	// Base is the number of records the figure rests on (for a count, the
	// count itself), protected.
	Base disclosure.Cell
	K    int
	At   time.Time
}

// Measure computes a live measure for the cases whose principal person's
// country is country (ISO 3166-1 alpha-3), over [from, to), for anyone
// who may read statistics. The result is protected with the system's k.
func (s *Service) Measure(ctx context.Context, p access.Principal, measure, country string, from, to time.Time) (MeasureResult, error) {
	if !p.Can(PermRead) {
		return MeasureResult{}, ErrForbidden
	}
	if !slices.Contains(Measures(), measure) {
		return MeasureResult{}, fmt.Errorf("statistics: unknown measure %q", measure)
	}
	st, err := s.settings(ctx, s.db)
	if err != nil {
		return MeasureResult{}, err
	}
	now := s.now()
	r := MeasureResult{Measure: measure, K: st.K, At: now}
	var base int
	switch measure {
	case MeasureChildrenDetained:
		base, err = s.childrenDetained(ctx, country, from, to)
		r.Value = float64(base)
	case MeasureMedianDetentionDays:
		var days []int
		days, err = s.detentionDays(ctx, country, from, to)
		base = len(days)
		r.Value = median(days)
	case MeasureConsularInTime:
		var inTime int
		inTime, base, err = s.consularInTime(ctx, country, from, to, now)
		r.Value = share(inTime, base)
	case MeasureTraffickingReferralsCompleted:
		var done int
		done, base, err = s.traffickingReferrals(ctx, country, from, to)
		r.Value = share(done, base)
	}
	if err != nil {
		return MeasureResult{}, err
	}
	pub, err := disclosure.Protect(disclosure.Table{Rows: []string{measure}, Counts: [][]int{{base}}}, st.K)
	if err != nil {
		return MeasureResult{}, err
	}
	r.Base = pub.Total
	switch {
	case measure == MeasureChildrenDetained:
		// The count is the published cell, rounded or withheld.
		r.Value, r.Withheld = float64(pub.Total.Value), pub.Total.Suppressed
	case base < st.K:
		r.Value, r.Withheld = 0, true
	}
	return r, nil
}

// share is num/den in per cent, to whole per cent: finer would let two
// releases one person apart be told apart more easily.
func share(num, den int) float64 {
	if den == 0 {
		return 0
	}
	return math.Round(100 * float64(num) / float64(den))
}

// median of whole days; a half day between the two middle values of an
// even count.
func median(v []int) float64 {
	if len(v) == 0 {
		return 0
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return float64(v[n/2])
	}
	return float64(v[n/2-1]+v[n/2]) / 2
}

const dayMicros = 86400000000

func (s *Service) childrenDetained(ctx context.Context, country string, from, to time.Time) (int, error) {
	// A child in the year the span ends: born after that year minus 18.
	year := to.Add(-time.Microsecond).UTC().Year()
	var n int
	err := s.db.QueryRow(ctx, `SELECT COUNT(DISTINCT e.person_id) FROM detention_episodes e
		JOIN cases c ON c.id = e.case_id JOIN persons p ON p.id = e.person_id
		WHERE e.immigration_related = 1 AND e.start_at < ? AND (e.end_at IS NULL OR e.end_at >= ?)
		AND c.principal_country = ? AND p.birth_year IS NOT NULL AND p.birth_year > ?`,
		micros(to), micros(from), country, year-18).Scan(&n)
	return n, err
}

func (s *Service) detentionDays(ctx context.Context, country string, from, to time.Time) ([]int, error) {
	rows, err := s.db.Query(ctx, `SELECT (e.end_at - e.start_at) / `+fmt.Sprint(dayMicros)+` FROM detention_episodes e
		JOIN cases c ON c.id = e.case_id
		WHERE e.immigration_related = 1 AND e.end_at IS NOT NULL AND e.end_at >= ? AND e.end_at < ?
		AND c.principal_country = ?`, micros(from), micros(to), country)
	if err != nil {
		return nil, err
	}
	defer func() { _ = rows.Close() }()
	var out []int
	for rows.Next() {
		var d int
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// consularInTime returns the notifications made in time and those
// required, assessed at now as the case pages assess them.
func (s *Service) consularInTime(ctx context.Context, country string, from, to, now time.Time) (inTime, required int, err error) {
	err = s.assessConsular(ctx, `consular_notifications n JOIN detention_episodes e ON e.id = n.episode_id
		JOIN cases c ON c.id = e.case_id
		WHERE n.arrested_at >= ? AND n.arrested_at < ? AND c.principal_country = ?`,
		[]any{micros(from), micros(to), country}, now, func(c detention.Compliance) {
			switch notifiedCategory[c.Notified] {
			case NotifiedInTime:
				inTime++
				required++
			case NotifiedLate, NotNotified:
				required++
			}
		})
	if err != nil {
		return 0, 0, err
	}
	return inTime, required, nil
}

func (s *Service) traffickingReferrals(ctx context.Context, country string, from, to time.Time) (done, all int, err error) {
	rows, err := s.db.Query(ctx, `SELECT r.status, COUNT(*) FROM referrals r JOIN cases c ON c.id = r.case_id
		WHERE r.sent_at >= ? AND r.sent_at < ? AND c.principal_country = ? AND r.status <> 'revoked'
		AND EXISTS (SELECT 1 FROM person_vulnerabilities v WHERE v.person_id = r.person_id AND v.code = 'victim_of_trafficking')
		GROUP BY r.status`, micros(from), micros(to), country)
	if err != nil {
		return 0, 0, err
	}
	defer func() { _ = rows.Close() }()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return 0, 0, err
		}
		all += n
		if status == "completed" {
			done += n
		}
	}
	return done, all, rows.Err()
}
