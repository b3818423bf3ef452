// SPDX-License-Identifier: AGPL-3.0-or-later

package api_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/amparo-project/amparo/internal/audit"
	"github.com/amparo-project/amparo/internal/persons"
	"github.com/amparo-project/amparo/internal/testutil"
)

// statisticsRoles are every role, each of which may read statistics.
var statisticsRoles = []string{"viewer", "analyst", "caseworker", "supervisor", "org_admin", "sysadmin"}

type statisticsCell struct {
	Value      *int `json:"value"`
	Suppressed bool `json:"suppressed"`
}

type statisticsTable struct {
	Dimension string `json:"dimension"`
	Column    *string
	K         int `json:"k"`
	Columns   []struct{ Code, Label string }
	Rows      []struct {
		Code, Label string
		Cells       []statisticsCell
		Total       *statisticsCell
	}
	ColumnTotals []statisticsCell `json:"column_totals"`
	Total        statisticsCell
}

// Every role reads protected tables, as JSON and as CSV, XLSX and
// HXL-tagged CSV: 12 cases of one nationality are shown rounded, 1 of
// another is withheld with a complement, and no response carries anyone's
// identity.
func TestStatisticsTables(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, statisticsRoles...)
		cw := f.users["caseworker"]
		for range 12 {
			a.ProtectionCase(cw, 1990)
		}
		per, _ := a.ProtectionCase(cw, 2015)
		other := "HND"
		if _, err := a.Persons.Update(context.Background(), cw.Principal, per.ID, persons.Patch{Nationality: &other}); err != nil {
			t.Fatal(err)
		}
		for _, role := range statisticsRoles {
			res := a.Do(nil, http.MethodGet, "/api/v1/statistics/tables/nationality?lang=fr", f.token(t, role), nil)
			if res.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", role, res.Status, res.Body)
			}
			var tab statisticsTable
			res.JSON(t, &tab)
			if tab.K != 11 || len(tab.Rows) != 2 || tab.Rows[0].Code != "HND" || tab.Rows[1].Label != "Maroc" {
				t.Fatalf("%s: %+v", role, tab)
			}
			// HND 1 is withheld, and MAR 12 with it; the total 13 is
			// shown as 15.
			if !tab.Rows[0].Cells[0].Suppressed || !tab.Rows[1].Cells[0].Suppressed || tab.Rows[0].Cells[0].Value != nil ||
				tab.Total.Value == nil || *tab.Total.Value != 15 {
				t.Errorf("%s: cells %+v total %+v", role, tab.Rows, tab.Total)
			}
			if bytes.Contains(bytes.ToUpper(res.Body), []byte("SNTL")) {
				t.Errorf("%s: a table carries personal data", role)
			}
		}
		if res := a.Do(nil, http.MethodGet, "/api/v1/statistics/tables/nationality", "", nil); res.Status != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", res.Status)
		}
		viewer := f.token(t, "viewer")
		res := a.Do(nil, http.MethodGet, "/api/v1/statistics/tables/age_band?column=sex&nationality=MA", viewer, nil)
		var two statisticsTable
		res.JSON(t, &two)
		if res.Status != http.StatusOK || two.Column == nil || *two.Column != "sex" || len(two.Columns) != 4 ||
			len(two.ColumnTotals) != 4 || two.Rows[0].Total == nil {
			t.Errorf("two-way table: %d %+v", res.Status, two)
		}

		for format, want := range map[string]string{"csv": "text/csv", "hxl": "text/csv",
			"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
			res := a.Do(nil, http.MethodGet, "/api/v1/statistics/tables/nationality?format="+format+"&lang=en", viewer, nil)
			if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), want) ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "statistics-nationality") {
				t.Fatalf("%s: %d %q %q", format, res.Status, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
			}
			body := string(res.Body)
			switch format {
			case "csv":
				if !strings.Contains(body, "HND,Honduras,x\r\n") && !strings.Contains(body, "HND,Honduras,x\n") {
					t.Errorf("csv:\n%s", body)
				}
			case "hxl":
				lines := strings.Split(body, "\n")
				if len(lines) < 3 || lines[1] != "#country+origin+code,#country+origin+name,#indicator+num+cases" ||
					!strings.HasPrefix(lines[2], "HND,Honduras,") || strings.Contains(lines[2], "x") {
					t.Errorf("hxl:\n%s", body)
				}
			case "xlsx":
				x, err := excelize.OpenReader(bytes.NewReader(res.Body))
				if err != nil {
					t.Fatal(err)
				}
				rows, _ := x.GetRows(x.GetSheetList()[0])
				if len(rows) != 4 || rows[3][2] != "15" {
					t.Errorf("xlsx: %q", rows)
				}
			}
		}
		for path, field := range map[string]string{
			"/api/v1/statistics/tables/names":                           "dimension",
			"/api/v1/statistics/tables/sex?column=sex":                  "column",
			"/api/v1/statistics/tables/sex?from=2026-11-01":             "from",
			"/api/v1/statistics/tables/sex?format=pdf":                  "format",
			"/api/v1/statistics/tables/perpetrator_category?column=sex": "column",
		} {
			res := a.Do(nil, http.MethodGet, path, viewer, nil)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"`+field+`"`) {
				t.Errorf("%s: %d %s", path, res.Status, res.Body)
			}
		}
	})
}

// Everyone reads k; only a system administrator sets it, from 5 to 100,
// and the change is audited.
func TestStatisticsSettings(t *testing.T) {
	each(t, func(t *testing.T, a *testutil.App) {
		f := newFixture(t, a, statisticsRoles...)
		for _, role := range statisticsRoles {
			res := a.Do(nil, http.MethodGet, "/api/v1/statistics/settings", f.token(t, role), nil)
			if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"k":11`) {
				t.Errorf("%s: %d %s", role, res.Status, res.Body)
			}
			if role == "sysadmin" {
				continue
			}
			if res := a.Do(nil, http.MethodPut, "/api/v1/statistics/settings", f.token(t, role), map[string]any{"k": 20}); res.Status != http.StatusForbidden {
				t.Errorf("%s sets k: %d", role, res.Status)
			}
		}
		admin := f.token(t, "sysadmin")
		for _, body := range []map[string]any{{"k": 4}, {"k": 101}, {}, {"k": 20, "floor": 1}} {
			if res := a.Do(nil, http.MethodPut, "/api/v1/statistics/settings", admin, body); res.Status != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d %s", body, res.Status, res.Body)
			}
		}
		res := a.Do(nil, http.MethodPut, "/api/v1/statistics/settings", admin, map[string]any{"k": 20})
		if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"k":20`) {
			t.Fatalf("set: %d %s", res.Status, res.Body)
		}
		entries, _, err := a.Audit.List(context.Background(), audit.Filter{Action: "statistics_settings.update", Limit: 5})
		if err != nil || len(entries) != 1 || entries[0].ActorID != f.users["sysadmin"].ID {
			t.Errorf("audit: %+v %v", entries, err)
		}
		var tab statisticsTable
		a.Do(nil, http.MethodGet, "/api/v1/statistics/tables/concern", f.token(t, "viewer"), nil).JSON(t, &tab)
		if tab.K != 20 {
			t.Errorf("tables use k = %d", tab.K)
		}
	})
}
