// SPDX-License-Identifier: AGPL-3.0-or-later

package totp

import (
	"encoding/base32"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	pqtotp "github.com/pquerna/otp/totp"
)

// rfcSecret is the SHA-1 seed of RFC 6238 Appendix B, ASCII
// "12345678901234567890", base32-encoded.
var rfcSecret = base32.StdEncoding.EncodeToString([]byte("12345678901234567890"))

// rfcVectors are RFC 6238 Appendix B's SHA-1 rows: Unix time and 8-digit
// TOTP.
var rfcVectors = []struct {
	unix int64
	totp string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

// TestRFC6238Vectors checks the library with the RFC's 8-digit setting, then
// checks that Code, at six digits, gives the last six digits of each vector:
// both are the same HOTP value taken modulo 10^8 and 10^6.
func TestRFC6238Vectors(t *testing.T) {
	for _, v := range rfcVectors {
		t.Run(v.totp, func(t *testing.T) {
			at := time.Unix(v.unix, 0).UTC()
			got8, err := pqtotp.GenerateCodeCustom(rfcSecret, at, pqtotp.ValidateOpts{
				Period: 30, Digits: otp.DigitsEight, Algorithm: otp.AlgorithmSHA1,
			})
			if err != nil || got8 != v.totp {
				t.Fatalf("8-digit code at %d = %q, %v, want %q", v.unix, got8, err, v.totp)
			}
			got6, err := Code(rfcSecret, at)
			if err != nil || got6 != v.totp[2:] {
				t.Fatalf("Code() at %d = %q, %v, want %q", v.unix, got6, err, v.totp[2:])
			}
			step, ok := Check(rfcSecret, v.totp[2:], at, 0)
			if !ok || step != v.unix/30 {
				t.Fatalf("Check() = %d, %v, want %d, true", step, ok, v.unix/30)
			}
		})
	}
}

func TestCheckWindow(t *testing.T) {
	secret, _, err := NewSecret("Amparo", "ana")
	if err != nil {
		t.Fatalf("NewSecret() error = %v", err)
	}
	// now is 10 s into step 'current'.
	now := time.Date(2026, 11, 22, 10, 0, 10, 0, time.UTC)
	current := now.Unix() / 30
	tests := []struct {
		name   string
		offset int64 // steps from current at which the code was made
		want   bool
	}{
		{"two steps early", -2, false},
		{"one step early", -1, true},
		{"current step", 0, true},
		{"one step late", 1, true},
		{"two steps late", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, err := Code(secret, time.Unix((current+tt.offset)*30, 0))
			if err != nil {
				t.Fatalf("Code() error = %v", err)
			}
			step, ok := Check(secret, code, now, 0)
			if ok != tt.want {
				t.Fatalf("Check() ok = %v, want %v", ok, tt.want)
			}
			if ok && step != current+tt.offset {
				t.Fatalf("Check() step = %d, want %d", step, current+tt.offset)
			}
			if !ok && step != 0 {
				t.Fatalf("Check() step = %d on failure, want 0", step)
			}
		})
	}
}

func TestCheckSingleUse(t *testing.T) {
	secret, _, err := NewSecret("Amparo", "ana")
	if err != nil {
		t.Fatalf("NewSecret() error = %v", err)
	}
	now := time.Date(2026, 11, 22, 10, 0, 10, 0, time.UTC)
	codeAtOffset := func(offset int64) string {
		c, err := Code(secret, now.Add(time.Duration(offset)*30*time.Second))
		if err != nil {
			t.Fatalf("Code() error = %v", err)
		}
		return c
	}

	step, ok := Check(secret, codeAtOffset(0), now, 0)
	if !ok {
		t.Fatal("first use of the current code failed")
	}
	if _, ok := Check(secret, codeAtOffset(0), now, step); ok {
		t.Fatal("replayed code accepted")
	}
	if _, ok := Check(secret, codeAtOffset(0), now.Add(20*time.Second), step); ok {
		t.Fatal("replayed code accepted in the next step")
	}
	if _, ok := Check(secret, codeAtOffset(-1), now, step); ok {
		t.Fatal("older code accepted after a newer one")
	}
	next, ok := Check(secret, codeAtOffset(1), now, step)
	if !ok || next != step+1 {
		t.Fatalf("newer code: Check() = %d, %v, want %d, true", next, ok, step+1)
	}
	if _, ok := Check(secret, codeAtOffset(0), now, next); ok {
		t.Fatal("older code accepted after a newer one")
	}
}

func TestCheckInput(t *testing.T) {
	now := time.Unix(1234567890, 0)
	tests := []struct {
		name   string
		secret string
		code   string
		want   bool
	}{
		{"plain", rfcSecret, "005924", true},
		{"surrounding white space", rfcSecret, " \t005924\n", true},
		{"space in the middle", rfcSecret, "005 924", true},
		{"lower-case secret", strings.ToLower(rfcSecret), "005924", true},
		{"wrong code", rfcSecret, "005925", false},
		{"empty", rfcSecret, "", false},
		{"five digits", rfcSecret, "05924", false},
		{"seven digits", rfcSecret, "0005924", false},
		{"eight-digit form", rfcSecret, "89005924", false},
		{"letter", rfcSecret, "00592a", false},
		{"sign", rfcSecret, "+05924", false},
		{"dash", rfcSecret, "005-924", false},
		{"full-width digits", rfcSecret, "００５９２４", false},
		{"Arabic-Indic digits", rfcSecret, "٠٠٥٩٢٤", false},
		{"empty secret", "", "005924", false},
		{"secret not base32", "not base32!", "005924", false},
		{"secret padded", base32.StdEncoding.EncodeToString([]byte("1234567890123456789")), "005924", false},
		{"secret of 80 bits", base32.StdEncoding.EncodeToString([]byte("1234567890")), "005924", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := Check(tt.secret, tt.code, now, 0); ok != tt.want {
				t.Fatalf("Check() ok = %v, want %v", ok, tt.want)
			}
		})
	}
}

func TestNewSecret(t *testing.T) {
	secret, uri, err := NewSecret("Amparo", "ana@example.org")
	if err != nil {
		t.Fatalf("NewSecret() error = %v", err)
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil || len(raw) != 20 {
		t.Fatalf("secret decodes to %d bytes, %v, want 20 bytes", len(raw), err)
	}
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("uri does not parse: %v", err)
	}
	q := u.Query()
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Amparo:ana@example.org" {
		t.Fatalf("uri = %q, want otpauth://totp/Amparo:ana@example.org?...", uri)
	}
	want := map[string]string{"secret": secret, "issuer": "Amparo", "algorithm": "SHA1", "digits": "6", "period": "30"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("uri %s = %q, want %q", k, q.Get(k), v)
		}
	}
	other, _, err := NewSecret("Amparo", "ana@example.org")
	if err != nil || other == secret {
		t.Fatalf("second NewSecret() = same secret or error %v", err)
	}
	code, err := Code(secret, time.Now())
	if err != nil {
		t.Fatalf("Code() error = %v", err)
	}
	if _, ok := Check(secret, code, time.Now(), 0); !ok {
		t.Fatal("Check() rejected a fresh code for a new secret")
	}
}

func TestNewSecretRejectsLabels(t *testing.T) {
	tests := []struct {
		name, issuer, account string
	}{
		{"empty issuer", "", "ana"},
		{"empty account", "Amparo", ""},
		{"colon in issuer", "Am:paro", "ana"},
		{"colon in account", "Amparo", "a:na"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := NewSecret(tt.issuer, tt.account); !errors.Is(err, ErrInvalidLabel) {
				t.Fatalf("NewSecret() error = %v, want ErrInvalidLabel", err)
			}
		})
	}
}

func TestCodeErrors(t *testing.T) {
	if _, err := Code("", time.Now()); !errors.Is(err, ErrInvalidSecret) {
		t.Fatalf("Code(empty secret) error = %v, want ErrInvalidSecret", err)
	}
	if _, err := Code(rfcSecret, time.Unix(-1, 0)); !errors.Is(err, ErrInvalidTime) {
		t.Fatalf("Code(before 1970) error = %v, want ErrInvalidTime", err)
	}
}

// Codes come from sign-in forms: checking never panics, and only a string
// of six digits (after trimming spaces) can ever be accepted.
func FuzzCheck(f *testing.F) {
	secret, _, err := NewSecret("Amparo", "fuzz@example.org")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	valid, err := Code(secret, now)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{valid, " " + valid + " ", "", "12345", "1234567", "١٢٣٤٥٦", "12a456", "\x00\x00\x00\x00\x00\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, code string) {
		_, ok := Check(secret, code, now, 0)
		if !ok {
			return
		}
		trimmed := strings.TrimSpace(code)
		if len(trimmed) != 6 || strings.Trim(trimmed, "0123456789") != "" {
			t.Fatalf("Check accepted %q", code)
		}
	})
}
