// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/store"
)

// Organisation names an organisation a case can be offered to, or one an
// offer came from.
type Organisation struct {
	ID   string
	Name string
}

// TransferTargets lists every organisation but p's own, by name then id:
// those p may offer a case to, and those an offer to p's organisation can
// come from. Organisations and their names are not personal data, and
// choosing a receiver needs them all, so any principal who may offer
// (case.update) or accept (case.create) may read the list.
func (s *Service) TransferTargets(ctx context.Context, p access.Principal) ([]Organisation, error) {
	if p.OrgID == "" || !(p.Can(PermUpdate) || p.Can(PermCreate)) {
		return nil, ErrForbidden
	}
	return store.QueryAll(ctx, s.db, func(sc store.Scanner) (Organisation, error) {
		var o Organisation
		return o, sc.Scan(&o.ID, &o.Name)
	}, `SELECT id, name FROM organisations WHERE id <> ? ORDER BY name, id`, p.OrgID)
}
