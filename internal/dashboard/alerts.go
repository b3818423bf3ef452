// SPDX-License-Identifier: AGPL-3.0-or-later

package dashboard

import (
	"context"
	"time"

	"github.com/amparo-project/amparo/internal/detention"
)

// alerts counts the open alerts of organisation orgID at now by kind. The
// rules are detention's alone: OpenAlerts evaluates every open episode
// and consular notification of the organisation, as the inbox and the
// scheduler do, so that the dashboard, the inbox and the case pages always
// agree.
func (s *Service) alerts(ctx context.Context, orgID string, now time.Time) ([]AlertCount, error) {
	open, err := s.detention.OpenAlerts(ctx, orgID, now)
	if err != nil {
		return nil, err
	}
	counts := map[detention.AlertKind]int{}
	for _, a := range open {
		counts[a.Kind]++
	}
	kinds := s.detention.AlertKinds()
	out := make([]AlertCount, len(kinds))
	for i, k := range kinds {
		out[i] = AlertCount{Kind: detention.AlertKind(k), Count: counts[detention.AlertKind(k)]}
	}
	return out, nil
}
