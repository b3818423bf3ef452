// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"context"

	"github.com/amparo-project/amparo/internal/access"
)

// ListQuery exposes the query of a List page to tests, which check its plan.
var ListQuery = listQuery

// ListAt is List for a principal holding case.read at scope: no shipped
// role holds it at organisation or all scope yet, but the query must be
// right when one does.
func (s *Service) ListAt(ctx context.Context, p access.Principal, scope access.Scope, f Filter, page Page) ([]Case, string, error) {
	return s.list(ctx, p, scope, f, page)
}
