// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"context"
	"database/sql"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/store"
)

// consular assesses every consular notification record of organisation
// orgID's cases at now and counts the outcomes. The rules are detention's:
// each record is assessed by detention.Assess with the organisation's
// settings and the mandatory-notification agreements, and counted by
// detention.ComplianceRates, as the detention page's compliance table is.
// That table covers the cases its reader may see (a supervisor's team);
// this one the whole organisation, which is why the records are read here
// rather than through detention.Service.Compliance. The read is bounded by
// the index consular_notifications_org; each record's detaining country is
// read from its episode by key.
func (s *Service) consular(ctx context.Context, orgID string, now time.Time) (Consular, error) {
	// The settings are the organisation's own configuration, not a
	// record of anyone: they are read as the organisation's
	// administration would (as the retention job acts), whoever views.
	cfg, err := s.detention.Settings(ctx, orgAdministration(orgID), orgID)
	if err != nil {
		return Consular{}, err
	}
	agreements, err := s.detention.MandatoryCountries(ctx, "")
	if err != nil {
		return Consular{}, err
	}
	mandatory := make(map[[2]string]bool, len(agreements))
	for _, m := range agreements {
		mandatory[[2]string{m.DetainingCountry, m.Nationality}] = true
	}
	records, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (detention.ComplianceRecord, error) {
		var n detention.Notification
		var arrested int64
		var told, notified sql.NullInt64
		var requested sql.NullInt64
		var detaining string
		if err := sc.Scan(&n.Nationality, &arrested, &told, &requested, &notified, &detaining); err != nil {
			return detention.ComplianceRecord{}, err
		}
		n.ArrestedAt, n.ToldAt, n.NotifiedAt = fromMicros(arrested), nullTime(told), nullTime(notified)
		if requested.Valid {
			n.Requested = new(requested.Int64 == 1)
		}
		return detention.ComplianceRecord{Nationality: n.Nationality,
			Compliance: detention.Assess(n, mandatory[[2]string{detaining, n.Nationality}], cfg, now)}, nil
	}, `SELECT n.nationality, n.arrested_at, n.told_at, n.requested, n.notified_at, e.facility_country
		FROM consular_notifications n JOIN detention_episodes e ON e.id = n.episode_id
		WHERE n.org_id = ?`, orgID)
	if err != nil {
		return Consular{}, err
	}
	rates := detention.ComplianceRates(records, detention.ByTotal)
	if len(rates) == 0 {
		return Consular{}, nil
	}
	return rates[0], nil
}

// orgAdministration is the principal of organisation orgID's own
// administration, for reading its settings.
func orgAdministration(orgID string) access.Principal {
	return access.Principal{UserID: access.System.UserID, OrgID: orgID, Role: access.RoleOrgAdmin, MFA: true}
}

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullTime(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	return new(fromMicros(v.Int64))
}
