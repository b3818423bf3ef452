// SPDX-License-Identifier: AGPL-3.0-or-later

// Package fielderr is the error every domain package returns for invalid
// input: the list of fields at fault, each with a reason code that the
// pages and the API put into words (field.<code> in the translation files)
// or pass on as they are. It never holds the rejected values, so it is
// safe to log and to show. One type for all domains lets the HTTP layers
// answer every validation failure the same way.
package fielderr

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldError names a field and a translatable reason code. Field is a
// name such as "given_name", or "documents.1.number" for an element of a
// list; it never holds the rejected value.
type FieldError struct {
	Field string
	Code  string
}

// Error lists every invalid field of a request. Nothing was changed.
type Error struct{ Errors []FieldError }

func (e *Error) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Code
	}
	return "invalid " + strings.Join(parts, ", ")
}

// Add records that field is invalid for the reason code.
func (e *Error) Add(field, code string) {
	e.Errors = append(e.Errors, FieldError{field, code})
}

// OrNil returns e when it holds an error, and nil otherwise, so that a
// validator can collect errors and return the result in one line.
func (e *Error) OrNil() error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}

// One returns an Error with a single field error.
func One(field, code string) error {
	return &Error{Errors: []FieldError{{field, code}}}
}

// Reason codes shared by every domain's text fields.
const (
	CodeInvalid      = "invalid"
	CodeTooLong      = "too_long"
	CodeControlChars = "control_characters"
)

// Text trims s and checks it as the value of field: valid UTF-8, at most
// maxRunes characters, and no control characters (line breaks and tabs
// only when multiLine) nor the bidirectional overrides and isolates that
// could make text display other than it reads. It returns the trimmed s;
// an empty s is valid here, and callers that require a value say so.
func (e *Error) Text(field, s string, maxRunes int, multiLine bool) string {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		e.Add(field, CodeInvalid)
	case utf8.RuneCountInString(s) > maxRunes:
		e.Add(field, CodeTooLong)
	case HasControl(s, multiLine):
		e.Add(field, CodeControlChars)
	}
	return s
}

// HasControl reports control characters (but line breaks and tabs when
// multiLine) and bidirectional overrides and isolates in s.
func HasControl(s string, multiLine bool) bool {
	for _, r := range s {
		if multiLine && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return true
		}
	}
	return false
}
