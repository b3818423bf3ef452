// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
)

// AlertSource tells which cases have an open alert of a kind; the
// detention service implements it. Alerts are rules evaluated over current
// data when asked (a detention past its legal maximum, a child in
// immigration detention), not flags stored when something changed, so the
// filter is exactly as current as the case page and the inbox. Its cost
// grows with the open detention episodes of the cases the list may show,
// which are few beside the cases; those it names are then read by id.
type AlertSource interface {
	// AlertKinds lists the kinds of alert, most urgent first.
	AlertKinds() []string
	// CasesWithAlert returns the ids of the cases of organisation orgID
	// with an open alert of kind now, nil for none, among those meeting
	// casesCond, a SQL condition over the table cases with casesArgs: the
	// list's scope and filters, so that only the episodes of the cases the
	// list may show are evaluated.
	CasesWithAlert(ctx context.Context, orgID, kind, casesCond string, casesArgs ...any) ([]string, error)
}

// AlertKinds lists the alert kinds a filter may name, most urgent first;
// none without an AlertSource.
func (s *Service) AlertKinds() []string {
	if s.alerts == nil {
		return nil
	}
	return s.alerts.AlertKinds()
}

// limitToAlert restricts q to the cases with an open alert of kind, which
// needs PermAlerts; kind "" leaves q as it is.
func (s *Service) limitToAlert(ctx context.Context, p access.Principal, q *listQuery, kind string) error {
	if kind == "" {
		return nil
	}
	if !p.Can(PermAlerts) {
		return ErrForbidden
	}
	cond, args := q.caseCondition()
	caseIDs, err := s.alerts.CasesWithAlert(ctx, p.OrgID, kind, cond, args...)
	if err != nil {
		return err
	}
	q.ids = append([]string{}, caseIDs...)
	return nil
}
