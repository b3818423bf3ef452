// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"errors"
	"strings"
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

// FieldError names a field and a translatable reason code.
type FieldError struct {
	Field string
	Code  string
}

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

// ValidationError lists every invalid field of a request. Nothing was
// changed.
type ValidationError struct{ Errors []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Code
	}
	return "cases: invalid " + strings.Join(parts, ", ")
}

func (e *ValidationError) add(field, code string) {
	e.Errors = append(e.Errors, FieldError{field, code})
}

func (e *ValidationError) orNil() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}

// invalid returns a ValidationError with one field error.
func invalid(field, code string) error {
	return &ValidationError{Errors: []FieldError{{field, code}}}
}
