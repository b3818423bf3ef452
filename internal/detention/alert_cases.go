// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/amparo-project/amparo/internal/ids"
)

// AlertKinds lists every kind of alert, most urgent first (then by code),
// for filters and forms that offer them.
func (s *Service) AlertKinds() []string {
	kinds := slices.SortedFunc(maps.Keys(priorities), func(a, b AlertKind) int {
		return cmp.Or(cmp.Compare(priorities[b], priorities[a]), cmp.Compare(a, b))
	})
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

// CasesWithAlert returns the ids of the cases of organisation orgID with
// an open alert of kind now, each once, among those meeting the SQL
// condition casesCond (over the table cases, with casesArgs; "" for all),
// for a case list filtered by alert (internal/cases). The condition lets
// the list evaluate only the episodes of the cases it may show: a
// supervisor's team, not the whole organisation. Like OpenAlerts it reads
// only ids and codes and writes no audit entry.
func (s *Service) CasesWithAlert(ctx context.Context, orgID, kind, casesCond string, casesArgs ...any) ([]string, error) {
	if !ids.Valid(orgID) {
		return nil, nil
	}
	only := ""
	if casesCond != "" {
		only = `EXISTS (SELECT 1 FROM cases WHERE cases.id = detention_episodes.case_id AND ` + casesCond + `)`
	}
	alerts, err := s.openAlerts(ctx, orgID, s.now(), only, casesArgs...)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, a := range alerts {
		if string(a.Kind) == kind && !seen[a.CaseID] {
			seen[a.CaseID] = true
			out = append(out, a.CaseID)
		}
	}
	return out, nil
}
