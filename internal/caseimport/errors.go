// SPDX-License-Identifier: AGPL-3.0-or-later

package caseimport

import (
	"errors"

	"github.com/amparo-project/amparo/internal/fielderr"
	"github.com/amparo-project/amparo/internal/tabular"
)

// RowError is what is wrong with one row of a file: its line, the column
// at fault (as the file's header names it, or the Amparo field when the
// value came from the mapping's defaults) and the reason code.
type RowError = tabular.RowError

// ValidationError is the error of an invalid mapping or request.
type ValidationError = fielderr.Error

// Errors callers map to answers.
var (
	// ErrInvalidFile is returned by Import when any row is invalid; the
	// report lists them and nothing was changed.
	ErrInvalidFile = errors.New("caseimport: the file has invalid rows")
	// ErrForbidden means the principal may not import cases for that
	// organisation and owner.
	ErrForbidden = errors.New("caseimport: not permitted")
)

// Reason codes of row and mapping errors, besides those of the file's
// shape (tabular) and of the person and case rules (persons, cases); each
// is a translation key "field.<code>".
const (
	CodeUnknownColumn   = "unknown_column"
	CodeMissingColumn   = "missing_column"
	CodeDuplicateColumn = "duplicate_column"
	CodeUnknownField    = "unknown_field"
	CodeDuplicateField  = "duplicate_field"
	CodeNotAllowed      = "not_allowed"
	CodeInvalid         = "invalid"
	CodeInvalidDate     = "invalid_date"
	CodeFutureDate      = "future_date"
	CodeDuplicateInFile = "duplicate_document"
	CodeAlreadyExists   = "already_registered"
	CodeUnknownFormat   = "unknown_date_format"
	CodeTooLong         = "too_long"
	CodeRequired        = "required"
	CodeUnknownPreset   = "unknown_preset"
	CodeNoMappedColumn  = "no_mapped_column"
	CodeInvalidMapping  = "invalid_mapping"
	CodeTooMany         = "too_many"
)
