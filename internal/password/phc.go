// SPDX-License-Identifier: AGPL-3.0-or-later

package password

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// ErrMalformedHash is returned when a stored PHC string cannot be parsed or
// names parameters outside the accepted bounds. The error never quotes the
// string, which holds the salt and hash.
var ErrMalformedHash = errors.New("password.malformed_hash")

// Params are argon2id cost parameters as written in a PHC string.
// Memory is in KiB; SaltLen and KeyLen are in bytes.
type Params struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	SaltLen int
	KeyLen  int
}

// defaultParams are used for every new hash: RFC 9106's second recommended
// option (64 MiB, three passes, four lanes), a 128-bit salt and a 256-bit key.
var defaultParams = Params{Memory: 64 * 1024, Time: 3, Threads: 4, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read from a stored string. They sit far above
// defaultParams, so the cost can be raised later without a code change, yet
// stop a corrupted or tampered row from making Verify allocate gigabytes or
// spin for minutes.
const (
	maxMemoryKiB = 1024 * 1024 // 1 GiB
	maxTime      = 64
	minSaltLen   = 8 // RFC 9106 section 3.1 minimum
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

// phcPrefix is the algorithm and version fields; only Argon2 version 1.3
// (0x13 = 19) is accepted, the version x/crypto/argon2 implements.
const phcPrefix = "$argon2id$v=19$"

// b64 is the PHC string format's encoding: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// ParsePHC parses "$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>"
// and returns its parameters, salt and key. Parsing is strict: parameters in
// that order, decimal without leading zeros, canonical unpadded base64, and
// values within the package's bounds (memory at least 8 KiB per lane, as
// Argon2 requires). Anything else returns ErrMalformedHash and zero values.
func ParsePHC(phc string) (p Params, salt, key []byte, err error) {
	rest, ok := strings.CutPrefix(phc, phcPrefix)
	if !ok {
		return Params{}, nil, nil, ErrMalformedHash
	}
	fields := strings.Split(rest, "$")
	if len(fields) != 3 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	costs := strings.Split(fields[0], ",")
	if len(costs) != 3 {
		return Params{}, nil, nil, ErrMalformedHash
	}
	m, okM := parseCost(costs[0], "m=", maxMemoryKiB)
	t, okT := parseCost(costs[1], "t=", maxTime)
	l, okP := parseCost(costs[2], "p=", 255)
	if !okM || !okT || !okP || t < 1 || l < 1 || m < 8*l {
		return Params{}, nil, nil, ErrMalformedHash
	}
	salt, okS := decodeCanonical(fields[1], minSaltLen, maxSaltLen)
	key, okK := decodeCanonical(fields[2], minKeyLen, maxKeyLen)
	if !okS || !okK {
		return Params{}, nil, nil, ErrMalformedHash
	}
	p = Params{Memory: m, Time: t, Threads: uint8(l), SaltLen: len(salt), KeyLen: len(key)} // #nosec G115 -- parseCost bounds p= to 1..255
	return p, salt, key, nil
}

// parseCost reads "<name><decimal>" with a value in [0, limit]. It rejects
// signs, leading zeros and anything ParseUint would tolerate, so each
// parameter set has exactly one spelling.
func parseCost(field, name string, limit uint32) (uint32, bool) {
	digits, ok := strings.CutPrefix(field, name)
	if !ok || digits == "" || len(digits) > 10 || (digits[0] == '0' && len(digits) > 1) {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(digits, 10, 32)
	if err != nil || v > uint64(limit) {
		return 0, false
	}
	return uint32(v), true
}

// decodeCanonical decodes unpadded standard base64 and checks the result's
// length. Re-encoding and comparing rejects what the decoder would otherwise
// forgive (embedded newlines, non-zero trailing bits), so a string that
// verifies has exactly one spelling.
func decodeCanonical(s string, minLen, maxLen int) ([]byte, bool) {
	if b64.DecodedLen(len(s)) > maxLen {
		return nil, false
	}
	b, err := b64.DecodeString(s)
	if err != nil || len(b) < minLen || len(b) > maxLen || b64.EncodeToString(b) != s {
		return nil, false
	}
	return b, true
}

// formatPHC is the inverse of ParsePHC.
func formatPHC(p Params, salt, key []byte) string {
	var sb strings.Builder
	sb.WriteString(phcPrefix)
	sb.WriteString("m=")
	sb.WriteString(strconv.FormatUint(uint64(p.Memory), 10))
	sb.WriteString(",t=")
	sb.WriteString(strconv.FormatUint(uint64(p.Time), 10))
	sb.WriteString(",p=")
	sb.WriteString(strconv.FormatUint(uint64(p.Threads), 10))
	sb.WriteByte('$')
	sb.WriteString(b64.EncodeToString(salt))
	sb.WriteByte('$')
	sb.WriteString(b64.EncodeToString(key))
	return sb.String()
}

// derive runs argon2id with p over pw and salt. It does no throttling; only
// Hasher.compute calls it.
func derive(p Params, pw string, salt []byte) []byte {
	return argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(p.KeyLen)) // #nosec G115 -- KeyLen is 16..64 (decodeCanonical, production 32)
}
