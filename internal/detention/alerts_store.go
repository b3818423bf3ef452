// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/amparo-project/amparo/internal/access"
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
			store.Args(chunk)...)
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
	return s.openAlerts(ctx, orgID, now, "")
}

// CaseAlerts returns the alerts of the open episodes of case caseID, which
// rec describes, for p (detention.read on the case), evaluated now as
// OpenAlerts evaluates them, most urgent first: what the case's pages show
// at the top. Like OpenAlerts it writes no audit entry, as alerts carry ids
// and codes only.
func (s *Service) CaseAlerts(ctx context.Context, p access.Principal, rec access.Record, caseID string) ([]Alert, error) {
	if err := s.reachCase(ctx, s.db, p, rec, caseID, PermRead); err != nil {
		return nil, err
	}
	return s.openAlerts(ctx, rec.OrgID, s.now(), "case_id = ?", caseID)
}

// ChildrenAtStart says, for each of eps by episode id, whether its person
// was a child when it began (ChildAtStart), from what the BirthSource
// knows. Only the derived status leaves the service: nothing personal, so
// nothing is audited; the caller has read eps under its own access check.
func (s *Service) ChildrenAtStart(ctx context.Context, eps []Episode) (map[string]ChildStatus, error) {
	var personIDs []string
	for _, ep := range eps {
		if !slices.Contains(personIDs, ep.PersonID) {
			personIDs = append(personIDs, ep.PersonID)
		}
	}
	births, err := s.births.Births(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ChildStatus, len(eps))
	for _, ep := range eps {
		out[ep.ID] = ChildAtStart(ep, births[ep.PersonID])
	}
	return out, nil
}

// openAlerts evaluates the open episodes of organisation orgID at now:
// those meeting the SQL condition only (over detention_episodes, with its
// args), or all of them when only is "".
func (s *Service) openAlerts(ctx context.Context, orgID string, now time.Time, only string, args ...any) ([]Alert, error) {
	cfg, err := s.settings(ctx, s.db, orgID)
	if err != nil {
		return nil, err
	}
	query := `SELECT ` + episodeColumns + ` FROM detention_episodes WHERE org_id = ? AND end_at IS NULL`
	if only != "" {
		query += ` AND ` + only
	}
	rows, err := s.db.Query(ctx, query+` ORDER BY id`, append([]any{orgID}, args...)...)
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
			WHERE n.episode_id IN (`+store.Placeholders(len(chunk))+`)`, store.Args(chunk)...)
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
