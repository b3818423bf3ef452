// SPDX-License-Identifier: AGPL-3.0-or-later

package violations

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
	// ErrNotFound means the record does not exist or is out of the
	// principal's reach; the two are deliberately alike.
	ErrNotFound = errors.New("violations: not found")
	// ErrForbidden means the principal may see the record but may not do
	// this to it.
	ErrForbidden = errors.New("violations: not permitted")
)

// Reason codes of field errors: each is a translation key "field.<code>".
const (
	CodeRequired          = "required"
	CodeTooLong           = "too_long"
	CodeTooMany           = "too_many"
	CodeControlChars      = "control_characters"
	CodeInvalid           = "invalid"
	CodeUnknown           = "unknown"
	CodeRetired           = "retired"
	CodeDuplicate         = "duplicate"
	CodeUnknownCountry    = "unknown_country"
	CodeNeedsCountry      = "needs_country"
	CodeNotFound          = "not_found"
	CodeInvalidDate       = "invalid_partial_date"
	CodePrecisionMismatch = "precision_mismatch"
	CodeUnknownPrecision  = "unknown_precision"
	CodeTooEarly          = "date_too_early"
	CodeFuture            = "future"
	CodeDateOrder         = "date_order"
	CodeEndWithoutStart   = "end_without_start"
	CodeNotExtensible     = "not_extensible"
)

// invalid returns a ValidationError with one field error.
func invalid(field, code string) error { return fielderr.One(field, code) }
