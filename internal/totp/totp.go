// SPDX-License-Identifier: AGPL-3.0-or-later

// Package totp implements the second factor: time-based one-time passwords
// (RFC 6238) with single use enforced by the caller's stored last step, and
// one-time recovery codes for people who lose their authenticator.
//
// Codes use the settings every authenticator app supports: HMAC-SHA1, six
// digits, 30-second steps, with one step of clock drift allowed either way.
package totp

import (
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
)

// Parameters shared by enrolment and checking. Changing any of them breaks
// every enrolled authenticator.
const (
	period      = 30 // seconds per step
	digits      = otp.DigitsSix
	secretBytes = 20 // 160 bits, RFC 4226 section 4's recommended length
	// minSecretBytes is RFC 4226 section 4's "MUST be at least 128 bits";
	// shorter stored secrets are refused rather than trusted.
	minSecretBytes = 16
	// skew is how many steps before or after the current one are accepted,
	// to allow for clock drift and for the seconds a person takes to type.
	skew = 1
)

// Errors returned by this package. Their text is a message key; none
// includes a secret or a code.
var (
	ErrInvalidLabel  = errors.New("totp.invalid_label")
	ErrInvalidSecret = errors.New("totp.invalid_secret")
	ErrInvalidTime   = errors.New("totp.invalid_time")
)

// b32 is the secret encoding used in otpauth URIs: RFC 4648 base32 without
// padding.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewSecret returns a new random 160-bit secret, base32-encoded without
// padding, and its otpauth:// URI (Google Authenticator Key URI format) for
// the enrolment QR code. The secret must be stored encrypted and the URI
// shown only to the person enrolling. issuer and account must be non-empty
// and free of ':', which the URI uses as the label separator; otherwise
// ErrInvalidLabel.
func NewSecret(issuer, account string) (secret string, uri string, err error) {
	if issuer == "" || account == "" || strings.Contains(issuer, ":") || strings.Contains(account, ":") {
		return "", "", ErrInvalidLabel
	}
	key, err := totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      period,
		SecretSize:  secretBytes,
		Digits:      digits,
		Algorithm:   otp.AlgorithmSHA1,
	})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// Code returns the six-digit code for secret at time t. The server never
// needs it to check a code; it exists for tests and the demo. It returns
// ErrInvalidSecret if secret is not base32 for at least 128 bits, and
// ErrInvalidTime if t is before 1970, where RFC 6238 defines no step.
func Code(secret string, t time.Time) (string, error) {
	if !validSecret(secret) {
		return "", ErrInvalidSecret
	}
	step := stepAt(t)
	if step < 0 {
		return "", ErrInvalidTime
	}
	return codeAt(secret, step)
}

// Check reports whether code is valid for secret at time now and, if so, the
// time step it matched. It accepts the current step and one step either side,
// but only steps greater than lastStep, the step of the last code this
// account used (0 if none). A replayed code, or an older code after a newer
// one, therefore fails. On success the caller must store step as the new
// lastStep with a conditional update (for example
// "UPDATE ... SET totp_last_step = ? WHERE totp_last_step < ?") so that two
// concurrent requests with one code cannot both succeed.
//
// Spaces anywhere in code, and white space around it, are ignored, because
// apps display "123 456". Anything but six ASCII digits then fails, as does a
// secret that is not base32 for at least 128 bits. Every candidate step is
// compared in constant time, and all candidates are compared, so the time
// taken does not say which part of a wrong code was right. If two
// candidates match, the later step is returned. When ok is false, step is 0.
func Check(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if !sixDigits(code) || !validSecret(secret) {
		return 0, false
	}
	current := stepAt(now)
	for s := current - skew; s <= current+skew; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		want, err := codeAt(secret, s)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok
}

// stepAt is RFC 6238's T = floor((t - T0) / X) with T0 = 0 and X = 30 s.
// It is negative before 1970, which callers must not pass to codeAt.
func stepAt(t time.Time) int64 {
	u := t.Unix()
	if u < 0 {
		return (u - period + 1) / period
	}
	return u / period
}

// codeAt is RFC 4226's HOTP value for counter step, which is what RFC 6238
// defines a TOTP code to be. step must be non-negative.
func codeAt(secret string, step int64) (string, error) {
	return hotp.GenerateCodeCustom(secret, uint64(step), hotp.ValidateOpts{ // #nosec G115 -- step is a non-negative Unix time step (see above)
		Digits:    digits,
		Algorithm: otp.AlgorithmSHA1,
	})
}

// validSecret reports whether secret is unpadded base32 (either case, as
// hotp accepts) for at least minSecretBytes bytes.
func validSecret(secret string) bool {
	b, err := b32.DecodeString(strings.ToUpper(secret))
	return err == nil && len(b) >= minSecretBytes
}

func sixDigits(code string) bool {
	if len(code) != digits.Length() {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}
