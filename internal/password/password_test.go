// SPDX-License-Identifier: AGPL-3.0-or-later

package password

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want error
	}{
		{"empty", "", ErrTooShort},
		{"11 ASCII", strings.Repeat("x", 11), ErrTooShort},
		{"12 ASCII", "correct hors", nil},
		// Byte counts would accept these: 11 code points of 2, 3 and 4
		// bytes each are 22, 33 and 44 bytes long.
		{"11 two-byte code points", strings.Repeat("é", 11), ErrTooShort},
		{"11 three-byte code points", strings.Repeat("日", 11), ErrTooShort},
		{"11 four-byte code points", strings.Repeat("🔑", 11), ErrTooShort},
		{"12 three-byte code points", strings.Repeat("日", 12), nil},
		{"12 mixed scripts", "كلمةсловоpw!", nil},
		{"128 ASCII", strings.Repeat("a", 127) + "b", nil},
		{"128 four-byte code points", strings.Repeat("🔑", 128), nil},
		{"129 ASCII", strings.Repeat("a", 128) + "b", ErrTooLong},
		{"129 two-byte code points", strings.Repeat("é", 129), ErrTooLong},
		{"common entry", "qwerty123456", ErrCommon},
		{"common entry upper case", "QWERTY123456", ErrCommon},
		{"common entry mixed case", "1QaZ2wSx3EdC", ErrCommon},
		{"common entry with suffix", "qwerty123456!", nil},
		{"no composition rules", "all lower case words", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Validate(tt.pw); !errors.Is(got, tt.want) {
				t.Fatalf("Validate() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCommonPasswordsList(t *testing.T) {
	set := commonPasswords()
	// Equal sizes of lines and set also prove there are no duplicates.
	lines := strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
	if len(lines) != 10000 || len(set) != 10000 {
		t.Fatalf("list has %d lines and %d distinct entries, want 10000 of each", len(lines), len(set))
	}
	for _, want := range []string{"123456", "password", "qwerty123456", "123qweasdzxc"} {
		if _, ok := set[want]; !ok {
			t.Errorf("list lacks %q", want)
		}
	}
	for pw := range set {
		if pw == "" || pw != strings.ToLower(pw) || strings.ContainsAny(pw, " \t\r\n") {
			t.Errorf("entry %q is empty, not lower-case or holds white space", pw)
		}
	}
}

func TestErrorsHoldNoPassword(t *testing.T) {
	pws := []string{"abc", strings.Repeat("long", 40), "qwerty123456"}
	for _, pw := range pws {
		if err := Validate(pw); err == nil || strings.Contains(err.Error(), pw) {
			t.Errorf("Validate(%q) = %v, want an error without the password", pw, err)
		}
	}
}
