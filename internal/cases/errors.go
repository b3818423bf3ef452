// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

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
	ErrNotFound = errors.New("cases: not found")
	// ErrForbidden means the principal may see the record (or holds the
	// permission somewhere) but may not do this to it.
	ErrForbidden = errors.New("cases: not permitted")
)

// Reason codes of field errors.
const (
	CodeRequired          = "required"
	CodeInvalid           = "invalid"
	CodeUnknown           = "unknown"
	CodeDuplicate         = "duplicate"
	CodeTooLong           = "too_long"
	CodeControlChars      = "control_characters"
	CodeNotFound          = "not_found"
	CodeCannotAccess      = "cannot_access"
	CodeInvalidTransition = "invalid_transition"
	CodeApprovalRequired  = "approval_required"
	CodeClosurePending    = "closure_pending"
	CodeNoClosureRequest  = "no_closure_request"
	CodeOwnRequest        = "own_request"
	CodeClosed            = "closed"
	CodeTransferPending   = "transfer_pending"
	CodeSameOrganisation  = "same_organisation"
	CodePrincipalExists   = "principal_exists"
	CodeNotAllowed        = "not_allowed"
	CodeEmpty             = "empty"
	CodeTooLarge          = "too_large"
	CodeUnsupportedType   = "unsupported_type"
)

// invalid returns a ValidationError with one field error.
func invalid(field, code string) error {
	return &ValidationError{Errors: []FieldError{{Field: field, Code: code}}}
}
