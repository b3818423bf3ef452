// SPDX-License-Identifier: AGPL-3.0-or-later

package opendata

import (
	"testing"

	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/store"
)

// TestInstance gives the external tests (harvest_e2e_test.go) the
// fixture of this package.
type TestInstance struct{ in *instance }

func NewTestInstance(t testing.TB, db *store.DB, out Outbound) TestInstance {
	return TestInstance{newInstance(t, db, out)}
}

func (i TestInstance) Publish(t testing.TB, rows []observations.Observation) { i.in.publish(t, rows) }
func (i TestInstance) Service() *Service                                     { return i.in.od }
func (i TestInstance) Observations() *observations.Service                   { return i.in.obs }

// TestPublished is the fixture's published values.
var TestPublished = published
