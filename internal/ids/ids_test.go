// SPDX-License-Identifier: AGPL-3.0-or-later

package ids

import "testing"

func TestNewIsValidAndUnique(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := New()
		if !Valid(id) {
			t.Fatalf("New() = %q is not Valid", id)
		}
		if seen[id] {
			t.Fatalf("duplicate id %q", id)
		}
		seen[id] = true
	}
}

func TestValidRejects(t *testing.T) {
	for _, s := range []string{"", "abc", "0123456789abcdefghjkmnpqrs'", "0123456789ABCDEFGHJKMNPQRS", "0123456789abcdefghjkmnpqri"} {
		if Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
	}
}

func TestTokenLength(t *testing.T) {
	if got := len(Token(32)); got != 43 {
		t.Fatalf("Token(32) has %d characters, want 43", got)
	}
}
