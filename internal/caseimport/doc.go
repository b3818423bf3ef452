// SPDX-License-Identifier: AGPL-3.0-or-later

// Package caseimport opens protection cases in bulk from the CSV or XLSX
// exports of the survey tools field teams already use (KoboToolbox, ODK):
// each row is one person and the case opened for them. A Mapping says
// which column holds which field and how the tool's codes read in
// Amparo's vocabularies.
//
// The import is all or nothing (DESIGN: "nothing lost"): every row is
// checked by the same rules as a person and a case entered by hand
// (persons.Prepare, cases.Prepare); a file with any bad row changes
// nothing and its report names each row, column and reason; a good one is
// written in one transaction. A dry run checks everything and writes
// nothing. A person whose document number is already registered in the
// organisation is reported, or skipped on request, so that importing the
// same file twice does not register anyone twice.
//
// Each person is registered exactly as persons.Create registers one: the
// identity sealed under the person's own data key, found only through
// keyed search tokens; each case gets its own data key and a number from
// the organisation's counter. Every case created gets its own audit entry
// ("case.create", naming its fields and, as "person.<field>", those of the
// person created with it; never values), and the import one more
// ("case.import").
//
// It is built for a million rows: the file is streamed, rows are checked
// and sealed on every core while one writer inserts them in large batches
// (multi-row INSERT on SQLite, COPY on PostgreSQL; see store.Tx.InsertRows)
// and the audit entries are chained in one pass (audit.Log.AppendBatchTx).
package caseimport
