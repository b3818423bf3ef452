// SPDX-License-Identifier: AGPL-3.0-or-later

package detention

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

// Errors callers map to responses. Records out of the principal's reach
// answer ErrNotFound, so that their existence is not revealed.
var (
	ErrNotFound  = errors.New("detention: not found")
	ErrForbidden = errors.New("detention: not permitted")
	ErrConflict  = errors.New("detention: a record with this key exists")
)

// Reason codes of field errors.
const (
	CodeRequired           = "required"
	CodeTooLong            = "too_long"
	CodeTooMany            = "too_many"
	CodeTooLarge           = "too_large"
	CodeTooSmall           = "too_small"
	CodeControlChars       = "control_characters"
	CodeUnknownCountry     = "unknown_country"
	CodeUnknownFacility    = "unknown_facility_type"
	CodeUnknownAlternative = "unknown_alternative"
	CodeDuplicate          = "duplicate"
	CodeInvalidDate        = "invalid_date"
	CodeFuture             = "future"
	CodeBeforeStart        = "before_start"
	CodeBeforeArrest       = "before_arrest"
	CodeSameCountry        = "same_as_detaining_country"
	CodeInvalid            = "invalid"
)

// invalid returns errs as a *ValidationError, or nil when there are none.
func invalid(errs []FieldError) error {
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Errors: errs}
}
