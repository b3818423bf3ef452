// SPDX-License-Identifier: AGPL-3.0-or-later

package referrals

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
	ErrNotFound = errors.New("referrals: not found")
	// ErrForbidden means the principal may see the record (or the
	// directory) but may not do this to it.
	ErrForbidden = errors.New("referrals: not permitted")
)

// Reason codes of field errors: each is a translation key "field.<code>".
const (
	CodeRequired          = "required"
	CodeTooLong           = "too_long"
	CodeTooMany           = "too_many"
	CodeInvalid           = "invalid"
	CodeControlChars      = "control_characters"
	CodeUnknown           = "unknown"
	CodeUnknownCountry    = "unknown_country"
	CodeInvalidLanguage   = "invalid_language"
	CodeInvalidPhone      = "invalid_phone"
	CodeInvalidEmail      = "invalid_email"
	CodeInvalidURL        = "invalid_url"
	CodeNeedsCountry      = "needs_country"
	CodeNotFound          = "not_found"
	CodeNotAllowed        = "not_allowed"
	CodeNotInCase         = "not_in_case"
	CodeNotOffered        = "not_offered"
	CodeArchived          = "archived"
	CodePast              = "past"
	CodeClosed            = "closed"
	CodeConsentRequired   = "consent_required"
	CodeInvalidTransition = "invalid_transition"
)

// invalid returns a ValidationError with one field error.
func invalid(field, code string) error {
	return fielderr.One(field, code)
}
