// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
)

// PermExport lets a user export lists of cases (internal/caseexport). The
// grant's scope is how far an export reaches: it can be wider than what
// the user reads on screen, as for an organisation's administrator, who
// hands the organisation's list over without working on its cases.
const PermExport access.Permission = "case.export"

// ExportPage returns a page of the cases p may export that match f, in
// List's order and with List's cursor, each with its concerns and with the
// link of its principal person as the only entry of Persons (none when
// the case has no principal). Like List it reads nothing sealed; the
// export that uses it is audited by its caller.
func (s *Service) ExportPage(ctx context.Context, p access.Principal, f Filter, page Page) ([]Case, string, error) {
	out, next, err := s.list(ctx, p, p.Scope(PermExport), f, page)
	if err != nil || len(out) == 0 {
		return out, next, err
	}
	args := make([]any, len(out))
	at := make(map[string]int, len(out))
	for i, c := range out {
		args[i], at[c.ID] = c.ID, i
	}
	type principal struct {
		caseID string
		link   PersonLink
	}
	links, err := store.QueryAll(ctx, s.db, func(sc store.Scanner) (principal, error) {
		var r principal
		var created int64
		err := sc.Scan(&r.caseID, &r.link.PersonID, &r.link.Role, &r.link.Relation, &r.link.CreatedBy, &created)
		r.link.CreatedAt = fromMicros(created)
		return r, err
	}, `SELECT case_id, `+linkColumns+` FROM case_persons WHERE role = 'principal' AND case_id IN (`+
		store.Placeholders(len(out))+`)`, args...)
	if err != nil {
		return nil, "", err
	}
	for _, l := range links {
		out[at[l.caseID]].Persons = []PersonLink{l.link}
	}
	return out, next, nil
}

// CasesOfPerson returns the cases linked to person personID that p may
// read, oldest first, as List returns them (with their concerns), for the
// export of everything held about a person. Cases out of p's reach are
// left out, as they are from a list.
func (s *Service) CasesOfPerson(ctx context.Context, p access.Principal, personID string) ([]Case, error) {
	all, err := store.QueryAll(ctx, s.db, scanCase, `SELECT `+caseColumns+` FROM cases WHERE id IN
		(SELECT case_id FROM case_persons WHERE person_id = ?) ORDER BY created_at, id`, personID)
	if err != nil {
		return nil, err
	}
	var out []Case
	ids := make([]string, 0, len(all))
	for _, c := range all {
		if p.Allows(PermRead, c.record()) {
			out = append(out, c)
			ids = append(ids, c.ID)
		}
	}
	byCase, err := concernsOf(ctx, s.db, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Concerns = byCase[out[i].ID]
	}
	return out, nil
}
