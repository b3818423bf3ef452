// SPDX-License-Identifier: AGPL-3.0-or-later

package fielderr

import (
	"errors"
	"strings"
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

func TestText(t *testing.T) {
	cases := []struct {
		in        string
		multiLine bool
		want      string
		code      string
	}{
		{"  plain  ", false, "plain", ""},
		{"two\nlines", true, "two\nlines", ""},
		{"two\nlines", false, "two\nlines", CodeControlChars},
		{"bidi \u202e trick", true, "bidi \u202e trick", CodeControlChars},
		{"isolate \u2066x\u2069", false, "isolate \u2066x\u2069", CodeControlChars},
		{"\xff", false, "\xff", CodeInvalid},
		{"ñññññ", false, "ñññññ", ""},
		{"ññññññ", false, "ññññññ", CodeTooLong},
	}
	for _, c := range cases {
		e := &Error{}
		max := 20
		if strings.HasPrefix(c.in, "ñ") {
			max = 5
		}
		got := e.Text("f", c.in, max, c.multiLine)
		code := ""
		if len(e.Errors) > 0 {
			code = e.Errors[0].Code
		}
		if got != c.want || code != c.code {
			t.Errorf("Text(%q, multiLine=%v) = %q, %q; want %q, %q", c.in, c.multiLine, got, code, c.want, c.code)
		}
	}
}
