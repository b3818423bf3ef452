// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/obsimport"
)

// routeMapping is the saved mapping the route table reads and deletes.
const routeMapping = "route-mapping"

// obsImportMapping saves the route table's mapping (again, after a
// DELETE took it away).
func (w *routeWorld) obsImportMapping(t *testing.T) {
	t.Helper()
	sys := access.Principal{UserID: w.target.ID, Role: access.RoleSysadmin, MFA: true}
	if _, err := w.a.ObsImport.SaveMapping(context.Background(), sys, routeMapping,
		obsimport.Mapping{Area: "country", Period: "year", Value: "value", FixedSeries: "SI_RMT_COST"}); err != nil {
		t.Fatal(err)
	}
}

// obsImportBodies are the bodies of the import routes; each import writes
// another value, so that a success must be audited.
func (w *routeWorld) obsImportBodies() map[string]func() any {
	return map[string]func() any{
		"POST /api/v1/observation-imports": func() any {
			return upload{"text/csv", fmt.Appendf(nil, "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\n"+
				"dataflow,UNSD:DF_SDG(1.0),I,ESP,SI_RMT_COST,2019,%d\n", w.change()%50)}
		},
		"POST /api/v1/import-mappings": func() any {
			return map[string]any{"name": routeMapping, "mapping": map[string]any{"area": "country", "period": "year",
				"value": fmt.Sprintf("value %d", w.change())}}
		},
	}
}
