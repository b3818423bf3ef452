// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/disclosure"
	"github.com/amparo-project/amparo/internal/i18n"
	"github.com/amparo-project/amparo/internal/statistics"
)

// sampleStatistics is a protected table of two dimensions with withheld
// cells, and one of one dimension with nothing counted.
func sampleStatistics(t testing.TB, now time.Time) (two, empty statistics.Result) {
	pub, err := disclosure.Protect(disclosure.Table{Rows: []string{"HND", "GTM", statistics.Unknown},
		Cols: []string{"female", "male", "other", statistics.Unknown}, Counts: [][]int{{30, 3, 0, 12}, {25, 40, 0, 0},
			{0, 0, 0, 2}}}, disclosure.DefaultK)
	if err != nil {
		t.Fatal(err)
	}
	two = statistics.Result{Query: statistics.Query{Dimension: statistics.Nationality, Column: statistics.Sex},
		Unit: statistics.UnitCases, Table: pub, At: now}
	none, err := disclosure.Protect(disclosure.Table{Rows: []string{"d0_6", "ongoing"}, Counts: [][]int{{0}, {0}}},
		disclosure.DefaultK)
	if err != nil {
		t.Fatal(err)
	}
	empty = statistics.Result{Query: statistics.Query{Dimension: statistics.DetentionLength},
		Unit: statistics.UnitEpisodes, Table: none, At: now}
	return two, empty
}

// statisticsSamples are the statistics page with a table, with nothing
// counted and with the form's errors, and the threshold's page.
func statisticsSamples(t testing.TB, now time.Time) map[page][]view {
	en := i18n.MustLoad().Locale("en")
	w := &Web{stats: statistics.New(statistics.Config{})}
	two, empty := sampleStatistics(t, now)
	form := func(tab *statisticsTable) *statisticsData {
		return &statisticsData{Dimensions: []option{{Value: "nationality", Label: "Nationality"}},
			Columns: []option{{Value: "sex", Label: "Sex"}}, Orgs: []option{{Value: "o1", Label: "Clínica"}},
			Countries: countryOptions("en")[:3], Table: tab, CanConfigure: true}
	}
	return map[page][]view{
		pageStatistics: {
			{Data: form(w.statisticsTable(en, two)), Values: map[string]string{"dimension": "nationality", "column": "sex"}},
			{Data: form(w.statisticsTable(en, empty))},
			{Data: form(nil), Fields: map[string]string{"dimension": "unknown", "column": "not_available", "from": "invalid",
				"to": "date_order", "nationality": "unknown_country"}},
		},
		pageStatisticsSettings: {
			{Data: &statisticsSettingsData{Settings: statistics.Settings{K: 11}, Min: 5, Max: 100}},
			{Data: &statisticsSettingsData{Settings: statistics.Settings{K: 20, UpdatedAt: now}, Min: 5, Max: 100, Saved: true}},
			{Data: &statisticsSettingsData{Settings: statistics.Settings{K: 11}, Min: 5, Max: 100},
				Values: map[string]string{"k": "4"}, Fields: map[string]string{"k": "too_small"}},
		},
	}
}

// The table shows withheld cells as withheld, never their value, names
// every category in the reader's language, and draws the chart in the
// page's direction.
func TestStatisticsTableView(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ar := i18n.MustLoad().Locale("ar")
	w := &Web{stats: statistics.New(statistics.Config{})}
	two, empty := sampleStatistics(t, now)
	v := w.statisticsTable(ar, two)
	if len(v.Rows) != 3 || len(v.Cols) != 4 || v.Cols[0] != ar.T("cases.sex.female") || v.Rows[2].Label != ar.T("statistics.unknown") {
		t.Fatalf("layout %+v", v)
	}
	if c := v.Rows[0].Cells[1]; !c.Suppressed || c.Value != 0 {
		t.Errorf("the 3 is shown as %+v", c)
	}
	if v.K != 11 || v.Empty || !strings.Contains(string(v.Chart), `direction="rtl"`) {
		t.Errorf("k %d empty %v", v.K, v.Empty)
	}
	for _, link := range []string{v.Downloads.CSV, v.Downloads.XLSX, v.Downloads.HXL} {
		if !strings.HasPrefix(link, "/statistics?") || !strings.Contains(link, "dimension=nationality") || !strings.Contains(link, "column=sex") {
			t.Errorf("download link %q", link)
		}
	}
	if e := w.statisticsTable(ar, empty); !e.Empty || e.Cols != nil || len(e.Totals.Cells) != 1 {
		t.Errorf("empty table %+v", e)
	}
}
