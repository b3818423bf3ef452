// SPDX-License-Identifier: AGPL-3.0-or-later

package frameworks

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
	ErrNotFound  = errors.New("frameworks: not found")
	ErrForbidden = errors.New("frameworks: not permitted")
	// ErrConflict: a framework, node or link with this key exists.
	ErrConflict = errors.New("frameworks: exists")
	// ErrShipped: the framework or node comes with the release and is
	// read-only (links to and from it may still be added).
	ErrShipped = errors.New("frameworks: shipped content is read-only")
)

// Reason codes of field errors.
const (
	CodeRequired      = "required"
	CodeInvalid       = fielderr.CodeInvalid
	CodeTooLong       = fielderr.CodeTooLong
	CodeControlChars  = fielderr.CodeControlChars
	CodeUnknownLang   = "unknown_language"
	CodeUnknownParent = "unknown_parent"
	CodeCycle         = "cycle"
	CodeSameFramework = "same_framework"
	CodeUnknownNode   = "unknown_node"
	CodeOutOfRange    = "out_of_range"
)
