// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/observations"
	"github.com/amparo-project/amparo/internal/obsimport"
)

// obsImportSamples are the observation import pages in each of their
// states, for the test that renders every page in every language.
func obsImportSamples(now time.Time) map[page][]view {
	left, right := 104.0, 100.0
	dims := []string{"SEX", "AGE", "MIGRATORY_STATUS"}
	form := &obsImportData{Formats: []option{{"auto", "auto"}, {"sdmx-csv", "SDMX-CSV"}},
		Mappings: []option{{"census", "census"}}, Fields: obsMappingFields, Dimensions: dims, MaxMiB: 25}
	running := obsimport.Job{ID: "j1", FileName: "census.csv", Started: now,
		Progress: obsimport.Progress{Phase: obsimport.PhaseRows, Rows: 1200, Done: 40 << 10, Total: 100 << 10}}
	done := obsimport.Job{ID: "j2", FileName: "census.csv", Started: now, Done: true,
		Report: obsimport.Report{ImportID: "imp1", Format: "sdmx-csv", Rows: 3, Written: 3, Sets: 1}}
	dry := done
	dry.Report.DryRun, dry.Report.ImportID = true, ""
	invalid := obsimport.Job{ID: "j3", FileName: "bad.csv", Started: now, Done: true, Err: obsimport.ErrInvalidFile,
		Report: obsimport.Report{Rows: 2, Errors: []obsimport.RowError{{Line: 2, Field: "REF_AREA", Code: "invalid"},
			{Line: 3, Code: observations.CodeDuplicate, FirstLine: 2}}, MoreErrors: true}}
	failed := obsimport.Job{ID: "j4", FileName: "x.csv", Started: now, Done: true, Err: errors.New("disk full")}
	return map[page][]view{
		pageObsImport: {
			{Data: form, Values: map[string]string{}},
			{Data: &obsImportData{Deleted: "census", Formats: form.Formats, Fields: obsMappingFields, Dimensions: dims}},
			{Data: form, Values: map[string]string{"format": "csv"}, Fields: map[string]string{"file": "required",
				"mapping.series": "required", "mapping_name": "invalid"}},
		},
		pageObsImportJob: {
			{Data: &obsImportJobData{Job: running, Refresh: 2, Percent: 40}},
			{Data: &obsImportJobData{Job: done, Percent: 100, Violations: []obsViolation{
				{Rule: "SEX_SUM", Importance: "medium", Area: "Mexico", Period: "2020", Left: &left, Right: &right}}}},
			{Data: &obsImportJobData{Job: dry, Percent: 100}},
			{Data: &obsImportJobData{Job: invalid, Percent: 100, Invalid: true}},
			{Data: &obsImportJobData{Job: failed, Percent: 100, Failed: true}},
		},
		pageObsImports: {
			{Data: &obsImportsData{CanImport: true}},
			{Data: &obsImportsData{Total: 120, Next: "?offset=50", CanImport: true, Imports: []observations.Import{
				{ID: "imp1", Kind: observations.KindFile, Format: "sdmx-csv", FileName: "census.csv", Rows: 3, CreatedBy: "u1", CreatedAt: now},
				{ID: "imp2", Kind: observations.KindHarvest, Format: "sdmx-csv", Origin: "https://national.example.org", Rows: 9, CreatedAt: now},
				{ID: "imp3", Kind: observations.KindLive, Rows: 1, CreatedAt: now}}}},
		},
	}
}
