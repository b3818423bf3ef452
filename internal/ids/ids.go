// SPDX-License-Identifier: AGPL-3.0-or-later

// Package ids makes record identifiers and secret tokens from the operating
// system's random source. Record ids carry 128 random bits so that one
// organisation cannot guess another's; tokens carry 256.
package ids

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
	"strings"
)

var encoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// New returns a fresh record id: 128 random bits as 26 lower-case base32 characters.
func New() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms.
	return encoding.EncodeToString(b)
}

// Valid reports whether s has the shape of an id made by New. Handlers use it
// to reject malformed ids before they reach the database.
func Valid(s string) bool {
	if len(s) != 26 {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefghjkmnpqrstvwxyz", r) {
			return false
		}
	}
	return true
}

// Token returns n random bytes encoded as URL-safe base64 without padding,
// suitable for session and API tokens (use n = 32 for 256 bits).
func Token(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
