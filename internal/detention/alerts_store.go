// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"context"
	"database/sql"
	"time"

	"github.com/amparo-project/amparo/internal/ids"
	"github.com/amparo-project/amparo/internal/store"
)

// BirthYears is the default BirthSource: the year of birth each person
// record keeps in clear (persons.birth_year). It knows no full dates, so the
// child rule works conservatively from the year alone (ChildAt).
type BirthYears struct{ DB *store.DB }

// Births returns the year of birth of each of personIDs that has one.
func (b BirthYears) Births(ctx context.Context, personIDs []string) (map[string]BirthInfo, error) {
	out := make(map[string]BirthInfo, len(personIDs))
	for _, chunk := range chunks(personIDs, 500) {
		rows, err := b.DB.Query(ctx, `SELECT id, birth_year FROM persons WHERE id IN (`+store.Placeholders(len(chunk))+`)`,
			anys(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			var y sql.NullInt64
			if err := rows.Scan(&id, &y); err != nil {
				_ = rows.Close()
				return nil, err
			}
			if y.Valid {
				out[id] = BirthYear(int(y.Int64))
			}
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// OpenAlerts evaluates every open episode of organisation orgID at now
// (Evaluate and ConsularAlerts, with the organisation's settings, the legal
// limits and the mandatory-notification list) and returns the alerts, most
// urgent first. It is for the scheduler and the inbox, which decide who
// sees each alert through its case; it takes no principal and writes no
// audit entry (alerts carry ids only, no personal data). Open means
// recorded without an end: an end is never recorded in the future.
func (s *Service) OpenAlerts(ctx context.Context, orgID string, now time.Time) ([]Alert, error) {
	if !ids.Valid(orgID) {
		return nil, nil
	}
	cfg, err := s.settings(ctx, s.db, orgID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT `+episodeColumns+` FROM detention_episodes
		WHERE org_id = ? AND end_at IS NULL ORDER BY id`, orgID)
	if err != nil {
		return nil, err
	}
	var eps []Episode
	for rows.Next() {
		ep, err := scanEpisode(rows)
		if err != nil {
			_ = rows.Close()
			return nil, err
		}
		eps = append(eps, ep)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	if len(eps) == 0 {
		return nil, nil
	}
	if err := loadChildren(ctx, s.db, eps); err != nil {
		return nil, err
	}
	limits, err := s.legalLimits(ctx, s.db, "")
	if err != nil {
		return nil, err
	}
	limitOf := make(map[string]*LegalLimit, len(limits))
	for i := range limits {
		limitOf[limits[i].Country] = &limits[i]
	}
	mandatory, err := s.mandatoryCountries(ctx, s.db, "", "")
	if err != nil {
		return nil, err
	}
	isMand := make(map[[2]string]bool, len(mandatory))
	for _, m := range mandatory {
		isMand[[2]string{m.DetainingCountry, m.Nationality}] = true
	}
	var personIDs, episodeIDs []string
	seen := map[string]bool{}
	byID := make(map[string]Episode, len(eps))
	for _, ep := range eps {
		episodeIDs = append(episodeIDs, ep.ID)
		byID[ep.ID] = ep
		if !seen[ep.PersonID] {
			seen[ep.PersonID] = true
			personIDs = append(personIDs, ep.PersonID)
		}
	}
	births, err := s.births.Births(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	var out []Alert
	for _, ep := range eps {
		out = append(out, Evaluate(ep, births[ep.PersonID], limitOf[ep.FacilityCountry], cfg, now)...)
	}
	for _, chunk := range chunks(episodeIDs, 500) {
		rows, err := s.db.Query(ctx, `SELECT `+notificationColumns+` FROM consular_notifications n
			WHERE n.episode_id IN (`+store.Placeholders(len(chunk))+`)`, anys(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			n, err := scanNotification(rows)
			if err != nil {
				_ = rows.Close()
				return nil, err
			}
			ep := byID[n.EpisodeID]
			out = append(out, ConsularAlerts(ep, n, isMand[[2]string{ep.FacilityCountry, n.Nationality}], cfg, now)...)
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	SortAlerts(out)
	return out, nil
}
