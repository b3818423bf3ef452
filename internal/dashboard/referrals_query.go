// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"context"

	"github.com/amparo-project/amparo/internal/detention"
	"github.com/amparo-project/amparo/internal/referrals"
	"github.com/amparo-project/amparo/internal/store"
)

// referrals counts every referral organisation orgID has sent, by status,
// through the index referrals_from_org, which leads with the sending
// organisation (moved with a case when it is transferred).
func (s *Service) referrals(ctx context.Context, orgID string) (Referrals, error) {
	type row struct {
		status string
		n      int
	}
	rows, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.status, &r.n)
	}, `SELECT status, COUNT(*) FROM referrals WHERE from_org_id = ? GROUP BY status`, orgID)
	if err != nil {
		return Referrals{}, err
	}
	counts := map[referrals.Status]int{}
	var out Referrals
	for _, r := range rows {
		counts[referrals.Status(r.status)] += r.n
		out.Total += r.n
	}
	for _, st := range referrals.Statuses() {
		out.ByStatus = append(out.ByStatus, StatusCount{Status: st, Count: counts[st],
			Share: detention.Ratio{Num: counts[st], Den: out.Total}})
	}
	out.Completed = detention.Ratio{Num: counts[referrals.StatusCompleted], Den: out.Total}
	return out, nil
}
