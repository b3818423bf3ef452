// SPDX-License-Identifier: AGPL-3.0-or-later

package totp

import (
	"errors"
	"regexp"
	"testing"
)

var recoveryFormat = regexp.MustCompile(`^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$`)

var hexSHA256 = regexp.MustCompile(`^[0-9a-f]{64}$`)

func TestNewRecoveryCodes(t *testing.T) {
	plain, hashes, err := NewRecoveryCodes(10)
	if err != nil {
		t.Fatalf("NewRecoveryCodes() error = %v", err)
	}
	if len(plain) != 10 || len(hashes) != 10 {
		t.Fatalf("got %d codes and %d hashes, want 10 of each", len(plain), len(hashes))
	}
	seen := make(map[string]bool)
	for i, code := range plain {
		if !recoveryFormat.MatchString(code) {
			t.Errorf("code %d = %q, want xxxx-xxxx-xxxx-xxxx in lower-case base32", i, code)
		}
		if seen[code] {
			t.Errorf("code %d repeats an earlier code", i)
		}
		seen[code] = true
		if !hexSHA256.MatchString(hashes[i]) || hashes[i] != HashRecoveryCode(code) {
			t.Errorf("hashes[%d] = %q, want HashRecoveryCode(plain[%d])", i, hashes[i], i)
		}
	}
	for _, n := range []int{0, -1} {
		if _, _, err := NewRecoveryCodes(n); !errors.Is(err, ErrInvalidCount) {
			t.Errorf("NewRecoveryCodes(%d) error = %v, want ErrInvalidCount", n, err)
		}
	}
}

func TestHashRecoveryCode(t *testing.T) {
	// SHA-256 of "abcdefghijklmnop", computed independently with sha256sum.
	const want = "f39dac6cbaba535e2c207cd0cd8f154974223c848f727f98b3564cea569b41cf"
	tests := []struct {
		name string
		code string
		same bool
	}{
		{"as issued", "abcd-efgh-ijkl-mnop", true},
		{"no dashes", "abcdefghijklmnop", true},
		{"upper case", "ABCD-EFGH-IJKL-MNOP", true},
		{"spaces for dashes", "abcd efgh ijkl mnop", true},
		{"surrounding white space", "\tabcd-efgh-ijkl-mnop \n", true},
		{"extra dashes", "-abcd--efgh-ijkl-mnop-", true},
		{"one character changed", "abcd-efgh-ijkl-mnoq", false},
		{"one character missing", "abcd-efgh-ijkl-mno", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := HashRecoveryCode(tt.code)
			if (got == want) != tt.same {
				t.Fatalf("HashRecoveryCode(%q) = %s, equal to canonical hash: %v, want %v", tt.code, got, got == want, tt.same)
			}
		})
	}
}
