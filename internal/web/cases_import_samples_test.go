// SPDX-License-Identifier: AGPL-3.0-or-later

package web

import (
	"errors"
	"time"

	"github.com/amparo-project/amparo/internal/caseimport"
	"github.com/amparo-project/amparo/internal/tabular"
)

// caseImportSamples are views of the case import pages in their states,
// for the test that renders every page in every language.
func caseImportSamples(now time.Time) map[page][]view {
	form := &caseImportData{Presets: []option{{Value: "kobotoolbox", Label: "KoboToolbox"}},
		Owners: []option{{Value: "u1", Label: "Ana"}}, Fields: caseimport.Fields, DateFormats: caseimport.DateFormats, MaxMiB: 25}
	running := caseimport.Job{ID: "j1", FileName: "kobo_export.xlsx", Started: now,
		Progress: caseimport.Progress{Phase: caseimport.PhaseRows, Rows: 1234, Done: 40, Total: 100}}
	done := running
	done.Done, done.Report = true, caseimport.Report{ImportID: "i1", Rows: 1234, Created: 1230, Skipped: 4}
	dry := done
	dry.Report.DryRun = true
	invalid := running
	invalid.Done, invalid.Err = true, caseimport.ErrInvalidFile
	invalid.Report = caseimport.Report{Rows: 3, MoreErrors: true, Errors: []tabular.RowError{
		{Line: 0, Code: tabular.CodeEmptyFile}, {Line: 2, Field: "Sexo", Code: "unknown_sex"},
		{Line: 3, Field: "dob", Code: "mismatch"}, {Line: 4, Field: "id", Code: caseimport.CodeAlreadyExists},
		{Line: 5, Field: "x", Code: "a_code_without_words"}}}
	failed := running
	failed.Done, failed.Err = true, errors.New("disk full")
	audit := running
	audit.Progress.Phase = caseimport.PhaseAudit
	return map[page][]view{
		pageCaseImport: {
			{Data: form, Values: map[string]string{"owner_id": "u1", "dry_run": "on"}},
			{Data: form, Error: "import_busy", Fields: map[string]string{"file": "required", "mapping": "unknown_field",
				"owner_id": "cannot_access"}},
			{Data: form, Error: errTooLarge},
		},
		pageCaseImportJob: {
			{Data: &caseImportJobData{Job: running, Percent: 40, Refresh: 2}},
			{Data: &caseImportJobData{Job: audit, Percent: 100}},
			{Data: &caseImportJobData{Job: done, Percent: 100}},
			{Data: &caseImportJobData{Job: dry, Percent: 100}},
			{Data: &caseImportJobData{Job: invalid, Percent: 100, Invalid: true, Errors: invalid.Report.Errors}},
			{Data: &caseImportJobData{Job: failed, Percent: 100, Failed: true}},
		},
	}
}
