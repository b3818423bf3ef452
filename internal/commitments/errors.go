// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"errors"
	"github.com/amparo-project/amparo/internal/fielderr"
)

// FieldError and ValidationError are the validation error every domain
// returns (see internal/fielderr).
type (
	FieldError      = fielderr.FieldError
	ValidationError = fielderr.Error
)

// Errors callers map to responses.
var (
	ErrNotFound  = errors.New("commitments: not found")
	ErrForbidden = errors.New("commitments: not permitted")
	ErrConflict  = errors.New("commitments: a record for this country, instrument and action exists")
	// ErrInvalidFile is returned by Import when any row is invalid; the
	// report lists them.
	ErrInvalidFile = errors.New("commitments: the file has invalid rows")
)

// Reason codes of field errors, shared by single records and imports.
const (
	CodeRequired          = "required"
	CodeTooLong           = "too_long"
	CodeUnknownCountry    = "unknown_country"
	CodeUnknownInstrument = "unknown_instrument"
	CodeUnknownAction     = "unknown_action"
	CodeInvalidDate       = "invalid_date"
	CodeFutureDate        = "future_date"
	CodeBeforeAdoption    = "before_adoption"
	CodeAsOfBeforeDate    = "as_of_before_date"
	CodeControlChars      = "control_characters"
	CodeDuplicateInFile   = "duplicate_in_file"
	CodeUnknownColumn     = "unknown_column"
	CodeMissingColumn     = "missing_column"
	CodeDuplicateColumn   = "duplicate_column"
	CodeFieldCount        = "wrong_field_count"
	CodeUnreadable        = "unreadable"
	CodeTooManyRows       = "too_many_rows"
	CodeEmptyFile         = "empty_file"
)
