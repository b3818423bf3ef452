// SPDX-License-Identifier: AGPL-3.0-or-later

package validation

import "errors"

var (
	ErrForbidden = errors.New("validation: not permitted")
	ErrNotFound  = errors.New("validation: not found")
)

// Reason codes of field errors, beyond fielderr's own. An expression's
// field error is CodeSyntax; expr.Parse on the same text gives the
// position and reason for a message.
const (
	CodeRequired            = "required"
	CodeSyntax              = "syntax"
	CodeUnknownSeries       = "unknown_series"
	CodeDimensionNotAllowed = "dimension_not_allowed"
	CodeTaken               = "taken"
)
