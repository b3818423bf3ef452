// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/ids"
)

// Compliance returns the compliance rates of every consular notification
// in organisation orgID's cases that p may read (a supervisor: the team's;
// a caseworker: their own), grouped by nationality or by detaining
// authority, assessed at now. Someone who may read no case of orgID gets
// ErrNotFound, as for a record out of reach. The groups are counts of
// notifications with codes as keys, so reading them is not audited.
func (s *Service) Compliance(ctx context.Context, p access.Principal, orgID string, by GroupBy, now time.Time) ([]ComplianceRate, error) {
	if !ids.Valid(orgID) || !p.Allows(PermRead, access.Record{OrgID: orgID, OwnerID: p.UserID, TeamID: p.TeamID}) {
		return nil, ErrNotFound
	}
	cfg, err := s.settings(ctx, s.db, orgID)
	if err != nil {
		return nil, err
	}
	mandatory, err := s.mandatoryCountries(ctx, s.db, "", "")
	if err != nil {
		return nil, err
	}
	isMand := make(map[[2]string]bool, len(mandatory))
	for _, m := range mandatory {
		isMand[[2]string{m.DetainingCountry, m.Nationality}] = true
	}
	rows, err := s.db.Query(ctx, `SELECT `+notificationColumns+`, e.facility_country, e.authority, c.owner_id,
		COALESCE(c.team_id, '')
		FROM consular_notifications n JOIN detention_episodes e ON e.id = n.episode_id JOIN cases c ON c.id = e.case_id
		WHERE n.org_id = ? ORDER BY n.id`, orgID)
	if err != nil {
		return nil, err
	}
	var records []ComplianceRecord
	for rows.Next() {
		var country, authority, owner, team string
		n, err := scanNotification(scanPlus{rows, []any{&country, &authority, &owner, &team}})
		if err != nil {
			_ = rows.Close()
			return nil, err
		}
		if !p.Allows(PermRead, access.Record{OrgID: orgID, OwnerID: owner, TeamID: team}) {
			continue
		}
		c := Assess(n, isMand[[2]string{country, n.Nationality}], cfg, now)
		records = append(records, ComplianceRecord{Nationality: n.Nationality, Authority: authority, Compliance: c})
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	return ComplianceRates(records, by), nil
}
