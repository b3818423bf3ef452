// SPDX-License-Identifier: AGPL-3.0-or-later

package commitments

import (
	"errors"
	"strings"
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

// FieldError names a field and a translatable reason code.
type FieldError struct {
	Field string
	Code  string
}

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

// ValidationError lists every invalid field of one record.
type ValidationError struct{ Errors []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Code
	}
	return "commitments: invalid " + strings.Join(parts, ", ")
}
