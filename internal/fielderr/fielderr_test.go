// SPDX-License-Identifier: AGPL-3.0-or-later

package fielderr

import (
	"errors"
	"testing"
)

func TestError(t *testing.T) {
	e := &Error{}
	if e.OrNil() != nil {
		t.Fatal("an empty Error is not nil")
	}
	e.Add("name", "required")
	e.Add("documents.1.number", "too_long")
	err := e.OrNil()
	var fe *Error
	if !errors.As(err, &fe) || len(fe.Errors) != 2 {
		t.Fatalf("OrNil = %v", err)
	}
	if got := err.Error(); got != "invalid name: required, documents.1.number: too_long" {
		t.Errorf("message %q", got)
	}
	if !errors.As(One("x", "y"), &fe) || fe.Errors[0] != (FieldError{"x", "y"}) {
		t.Errorf("One = %+v", fe)
	}
}
