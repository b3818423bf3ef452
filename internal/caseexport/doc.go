// SPDX-License-Identifier: AGPL-3.0-or-later

// Package caseexport lets personal data leave Amparo in the one form the
// design allows (DESIGN, "Scale"; SECURITY-BAR 13): a file encrypted with
// age (age-encryption.org/v1) for a named receiver, either under a
// passphrase (scrypt) or to the X25519 public key of the receiving
// organisation. There is no plaintext path and no zip password: the file
// is encrypted as it is made, and nothing of it is kept on the server.
//
// Two things are exported: lists of cases (the cases a principal's
// case.export grant reaches, under a filter, as CSV or XLSX, with the
// principal person's non-identifying attributes and, only for a role
// holding case.export_identity and when asked, their name, date of birth
// and documents), and everything held about one person (the right of
// access: persons.Export with the person's cases, notes, tasks,
// detention and referrals, as JSON).
//
// Every export needs the exporter's password entered again (step-up
// authentication, checked and throttled by internal/accounts), a purpose
// from a small vocabulary and optionally a reference, and is recorded in
// the ledger table data_exports and the audit log in one transaction. A
// refused password writes nothing but the audit entry of the failure.
//
// The package answers with the errors of the domains it serves
// (cases.ErrForbidden, persons.ErrNotFound, accounts.ErrNotFound, …) and
// with fielderr validation errors, so that the API and the pages map them
// as they map those domains'.
package caseexport
