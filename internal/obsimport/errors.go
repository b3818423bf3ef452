// SPDX-License-Identifier: AGPL-3.0-or-later

package obsimport

import (
	"errors"

	"github.com/amparo-project/amparo/internal/fielderr"
)

// RowError is what is wrong with one row of a file: its line (0 for the
// whole file), the column as the file names it ("" for the whole row) and
// the reason code, a translation key "obsimport.code.<code>" or
// "field.<code>". FirstLine is, for a duplicate, the line it repeats.
type RowError struct {
	Line      int
	Field     string
	Code      string
	FirstLine int
}

// Reason codes besides those of tabular (the file's shape) and
// observations (the values).
const (
	CodeUnknownFormat   = "unknown_format"
	CodeMissingColumn   = "missing_column"
	CodeUnknownColumn   = "unknown_column"
	CodeDuplicateColumn = "duplicate_column"
	CodeNotSupported    = "not_supported"
	CodeNotNumber       = "not_number"
	CodeRequired        = "required"
	CodeInvalid         = fielderr.CodeInvalid
	CodeNeedsMapping    = "needs_mapping"
	CodeRule            = "validation_rule"
)

var (
	// ErrInvalidFile is returned when the file has bad rows or breaks a
	// high-importance validation rule; the report lists them and nothing
	// was written.
	ErrInvalidFile = errors.New("obsimport: the file has invalid rows")
	// ErrForbidden: the principal may not import observations or edit
	// mappings.
	ErrForbidden = errors.New("obsimport: not permitted")
	// ErrNotFound: no mapping of that name.
	ErrNotFound = errors.New("obsimport: not found")
	// ErrBusy: another background import is running.
	ErrBusy = errors.New("obsimport: another import is running")
	// ErrNoJob: no background import of the principal's has that id.
	ErrNoJob = errors.New("obsimport: no such import")
)

// ValidationError is the error of an invalid mapping or option.
type ValidationError = fielderr.Error
