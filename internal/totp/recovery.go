// SPDX-License-Identifier: AGPL-3.0-or-later

package totp

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"unicode"
)

// Recovery codes are 80 random bits, written as 16 lower-case base32
// characters in four groups: "abcd-efgh-ijkl-mnop". The base32 alphabet has
// no 0, 1, 8 or 9, so a code read aloud or copied by hand is less often
// mistyped.
const (
	recoveryBytes = 10 // 80 bits, exactly 16 base32 characters
	recoveryGroup = 4  // characters between dashes
)

// ErrInvalidCount is returned by NewRecoveryCodes for n < 1.
var ErrInvalidCount = errors.New("totp.invalid_recovery_count")

// recoveryEncoding is lower-case RFC 4648 base32; 10 bytes never need
// padding.
var recoveryEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewRecoveryCodes returns n new recovery codes to show the person once, and
// for each the value HashRecoveryCode gives, to store instead of the code.
// plain[i] and hashes[i] belong together. A code is used by looking up its
// hash among the account's unused ones and deleting it on success.
func NewRecoveryCodes(n int) (plain []string, hashes []string, err error) {
	if n < 1 {
		return nil, nil, ErrInvalidCount
	}
	plain = make([]string, n)
	hashes = make([]string, n)
	raw := make([]byte, recoveryBytes)
	for i := range n {
		_, _ = rand.Read(raw) // crypto/rand.Read never fails; it aborts the program instead.
		enc := recoveryEncoding.EncodeToString(raw)
		var sb strings.Builder
		for j := 0; j < len(enc); j += recoveryGroup {
			if j > 0 {
				sb.WriteByte('-')
			}
			sb.WriteString(enc[j : j+recoveryGroup])
		}
		plain[i] = sb.String()
		hashes[i] = HashRecoveryCode(plain[i])
	}
	return plain, hashes, nil
}

// HashRecoveryCode returns the lower-case hex SHA-256 of code after
// normalising it: lower-cased, with white space and dashes removed, so that
// "ABCD EFGH-ijkl mnop" and "abcd-efgh-ijkl-mnop" hash alike.
//
// A fast unsalted hash is right here, unlike for passwords, because the
// input is 80 random bits rather than something a person chose. An attacker
// holding a stolen database and searching for any one of, say, 10^5 stored
// codes at once still needs 2^80/10^5, about 10^19, SHA-256 evaluations on
// average: some 38 years for a GPU doing 10^10 a second, to gain one
// account's second factor without its password. A slow hash would buy
// little over that and would cost a full argon2id run per login attempt; no
// salt lets a code be found by an index lookup on its hash. Ten base32
// characters (50 bits) would not be enough: about one GPU-day searches that
// whole space and cracks every stored code at once.
func HashRecoveryCode(code string) string {
	normal := strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, code)
	sum := sha256.Sum256([]byte(normal))
	return hex.EncodeToString(sum[:])
}
