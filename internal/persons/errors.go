// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

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
	// ErrNotFound is returned for a person that does not exist and for one
	// the principal may not read, alike.
	ErrNotFound = errors.New("persons: not found")
	// ErrForbidden is returned when the principal may read the person (or
	// list persons) but not do what was asked.
	ErrForbidden = errors.New("persons: not permitted")
	// ErrErased is returned for a change to a person whose identity was
	// erased: the record is a statistical shell and stays as it is.
	ErrErased = errors.New("persons: the person's identity was erased")
)

// Reason codes of field errors: each is a translation key "field.<code>".
const (
	CodeRequired             = "required"
	CodeTooLong              = "too_long"
	CodeTooMany              = "too_many"
	CodeTooLarge             = "too_large"
	CodeInvalid              = "invalid"
	CodeInvalidDate          = "invalid_date"
	CodeFutureDate           = "future_date"
	CodeOutOfRange           = "out_of_range"
	CodeMismatch             = "mismatch"
	CodeControlChars         = "control_characters"
	CodeUnknownCountry       = "unknown_country"
	CodeInvalidLanguage      = "invalid_language"
	CodeUnknownSex           = "unknown_sex"
	CodeUnknownDocumentType  = "unknown_document_type"
	CodeInvalidDocument      = "invalid_document_number"
	CodeInvalidPhone         = "invalid_phone"
	CodeUnknownVulnerability = "unknown_vulnerability"
	CodeUnsupportedImage     = "unsupported_image"
	CodeUnknownPurpose       = "unknown_purpose"
	CodeUnknownStatus        = "unknown_status"
	CodeNotAllowed           = "not_allowed"
	CodeNotFound             = "not_found"
	CodeNeedsCountry         = "needs_current_country"
)

func invalid(field, code string) error {
	return &ValidationError{Errors: []FieldError{{Field: field, Code: code}}}
}
