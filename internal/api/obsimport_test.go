// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/testutil"
)

// An analyst imports an SDMX-CSV file: a dry run writes nothing, a bad
// row refuses the whole file with its line, column and reason, a good
// file is written and listed; a mapping is saved, used and deleted.
func TestObservationImports(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Statistics office")
		analyst := a.NewUser(org.ID, access.RoleAnalyst, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		csv := http.Header{"Content-Type": {"text/csv"}}
		good := "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\n" +
			"dataflow,UNSD:DF_SDG(1.0),I,MEX,SI_RMT_COST,2021,5.5\n" +
			"dataflow,UNSD:DF_SDG(1.0),I,GTM,SI_RMT_COST,2021,4.5\n"
		res := send(t, a, nil, "POST", "/api/v1/observation-imports?dry_run=true", analyst.Token, csv, []byte(good))
		if res.Status != 200 || !strings.Contains(string(res.Body), `"written":2`) || !strings.Contains(string(res.Body), `"import_id":null`) {
			t.Fatalf("dry run: %d %s", res.Status, res.Body)
		}
		bad := good + "dataflow,UNSD:DF_SDG(1.0),I,XYZ,SI_RMT_COST,2021,abc\n"
		res = send(t, a, nil, "POST", "/api/v1/observation-imports", analyst.Token, csv, []byte(bad))
		var rep struct {
			ImportID *string `json:"import_id"`
			Written  int
			Errors   []struct {
				Line        int
				Field, Code string
			}
		}
		res.JSON(t, &rep)
		if res.Status != 422 || rep.ImportID != nil || len(rep.Errors) != 1 || rep.Errors[0].Line != 4 || rep.Errors[0].Field != "OBS_VALUE" ||
			rep.Errors[0].Code != "not_number" {
			t.Fatalf("bad file: %d %s", res.Status, res.Body)
		}
		res = send(t, a, nil, "POST", "/api/v1/observation-imports?format=sdmx-csv&file_name=rpw.csv", analyst.Token, csv, []byte(good))
		res.JSON(t, &rep)
		if res.Status != 200 || rep.ImportID == nil || rep.Written != 2 {
			t.Fatalf("import: %d %s", res.Status, res.Body)
		}
		res = a.Do(nil, http.MethodGet, "/api/v1/observation-imports", analyst.Token, nil)
		if res.Status != 200 || !strings.Contains(string(res.Body), *rep.ImportID) || !strings.Contains(string(res.Body), "rpw.csv") {
			t.Errorf("history: %d %s", res.Status, res.Body)
		}
		if res := send(t, a, nil, "POST", "/api/v1/observation-imports", viewer.Token, csv, []byte(good)); res.Status != 403 {
			t.Errorf("viewer import: %d", res.Status)
		}

		mapping := map[string]any{"name": "rpw table", "mapping": map[string]any{"area": "Country", "period": "Year", "value": "Cost",
			"fixed_series": "SI_RMT_COST"}}
		if res := a.Do(nil, http.MethodPost, "/api/v1/import-mappings", analyst.Token, mapping); res.Status != 200 {
			t.Fatalf("save mapping: %d %s", res.Status, res.Body)
		}
		table := "Country,Year,Cost\nHND,2022,6.1\n"
		res = send(t, a, nil, "POST", "/api/v1/observation-imports?format=csv&mapping=rpw+table", analyst.Token, csv, []byte(table))
		if res.Status != 200 || !strings.Contains(string(res.Body), `"written":1`) {
			t.Fatalf("mapped import: %d %s", res.Status, res.Body)
		}
		if res := send(t, a, nil, "POST", "/api/v1/observation-imports?format=csv", analyst.Token, csv, []byte(table)); res.Status != 422 {
			t.Errorf("table without a mapping: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodDelete, "/api/v1/import-mappings/rpw%20table", analyst.Token, nil); res.Status != 204 {
			t.Errorf("delete mapping: %d %s", res.Status, res.Body)
		}
		if res := a.Do(nil, http.MethodDelete, "/api/v1/import-mappings/rpw%20table", analyst.Token, nil); res.Status != 404 {
			t.Errorf("delete again: %d", res.Status)
		}
	})
}
