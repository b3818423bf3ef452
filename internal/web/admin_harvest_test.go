// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"time"

	"github.com/amparo-project/amparo/internal/opendata"
)

// harvestSamples are views of the harvest pages for the page tests: a
// source that ran, one that failed, one never run; a form with errors.
func harvestSamples(now time.Time) map[page][]view {
	ran := now.Add(-time.Hour)
	sources := []opendata.Source{
		{ID: "h1", Name: "Oficina nacional", URL: "https://amparo.example.org", Series: []string{"SI_RMT_COST"},
			IntervalHours: 24, Active: true, LastRunAt: &ran, LastStatus: opendata.StatusOK, LastRows: 1200},
		{ID: "h2", Name: "Regional", URL: "https://regional.example.org", IntervalHours: 1, Active: false,
			LastRunAt: &ran, LastStatus: opendata.StatusFailed, LastDetail: "line 12: area: invalid"},
		{ID: "h3", Name: "New", URL: "https://new.example.org", IntervalHours: 6, Active: true},
	}
	return map[page][]view{
		pageAdminHarvest: {
			{Data: &harvestListData{Sources: sources}},
			{Data: &harvestListData{Done: "ran", Status: opendata.StatusOK, Rows: 3}},
			{Data: &harvestListData{Done: "ran", Status: opendata.StatusNotModified}},
			{Data: &harvestListData{Done: "ran", Status: opendata.StatusFailed}},
			{Data: &harvestListData{Done: "deleted"}},
			{Data: &harvestListData{Done: "created"}},
			{Data: &harvestListData{Done: "updated"}},
		},
		pageAdminHarvestForm: {
			{Data: &harvestFormData{}, Values: map[string]string{"interval_hours": "24", "active": "yes"}},
			{Data: &harvestFormData{ID: "h1"}, Values: map[string]string{"name": "X", "url": "http://x"},
				Fields: map[string]string{"url": opendata.CodeHostNotAllowed, "name": "required",
					"interval_hours": errOutOfRange, "series": "invalid", "areas": "invalid"}},
			{Data: &harvestFormData{ID: "h1"}, Fields: map[string]string{"url": opendata.CodeHTTPS}},
			{Data: &harvestFormData{}, Fields: map[string]string{"url": opendata.CodeDuplicate}},
		},
		pageAdminHarvestDelete: {{Data: &sources[0]}},
	}
}
