// SPDX-License-Identifier: AGPL-3.0-or-later

// Package obsimport reads files of observations — SDMX-CSV (1.0, 2.0 and
// 2.1), the SDG Global Database's flat CSV download, SDMX-JSON data
// messages (1.0, 2.0 and 2.1), and any other CSV or XLSX table through a
// column mapping saved by name — and writes them through one
// observations.Batch, so that a file is imported whole or not at all.
//
// A file is read as a stream: a CSV file of millions of rows is never held
// in memory (a workbook and a JSON message are read whole, within limits).
// One goroutine parses while another checks and writes, so that on two
// cores reading and writing overlap. Every bad row is reported with its
// line, the column as the file names it and a reason code, up to
// tabular.MaxErrors; then reading stops. After the rows, the validation
// rules run on what the batch wrote, inside its transaction: a
// high-importance violation fails the import, the others are reported as
// warnings. A dry run does all of it and then rolls the transaction back.
//
// SDMX-CSV 2.x rows carry an action. Information, Append, Merge and
// Replace all write the observation (Replace at the level of one
// observation is a write); Delete is refused with the reason
// "not_supported": removing published evidence goes through the approval
// pages, one set at a time, where it is seen and audited as a deletion.
package obsimport
