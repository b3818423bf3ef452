// SPDX-License-Identifier: AGPL-3.0-or-later

// Package password decides which passwords are acceptable and stores them as
// argon2id hashes in PHC string format.
//
// The rules follow NIST SP 800-63B and OWASP ASVS 5.0 (V6.2): a length range
// and a block list of common passwords, with no composition rules, because
// composition rules push people to predictable patterns without adding
// strength. Hashing is deliberately expensive (64 MiB, three passes), so a
// Hasher also bounds how many hashes run at once; see Hasher.
package password

import (
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode/utf8"
)

// Length limits, counted in Unicode code points so that a password written in
// Arabic, Cyrillic or Chinese script gets the same allowance as one in Latin
// script. MaxLength bounds the work and storage spent on one password; it is
// well above what any person or password manager needs.
const (
	MinLength = 12
	MaxLength = 128
)

// Errors returned by Validate. Their text is a message key for the user
// interface, never the password itself.
var (
	ErrTooShort = errors.New("password.too_short")
	ErrTooLong  = errors.New("password.too_long")
	ErrCommon   = errors.New("password.common")
)

// commonPasswordsText is the 10,000 most frequent passwords from
// @zxcvbn-ts/language-common 4.1.3, one lower-case entry per line.
// common-passwords.SOURCE.md records its origin and licence, and
// scripts/common-passwords.sh regenerates it.
//
//go:embed common-passwords.txt
var commonPasswordsText string

// commonPasswords builds the block-list set on first use and returns the same
// map on every later call; callers must not modify it.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	lines := strings.Split(strings.TrimSuffix(commonPasswordsText, "\n"), "\n")
	set := make(map[string]struct{}, len(lines))
	for _, line := range lines {
		set[line] = struct{}{}
	}
	return set
})

// Validate reports whether pw may be chosen as a new password. It returns nil,
// ErrTooShort, ErrTooLong or ErrCommon, checked in that order. The block list
// is matched on strings.ToLower(pw) because the list is lower-case and a
// capitalised "Password1234" is no harder to guess than "password1234".
//
// Validate is for choosing a password only; login must never call it, so that
// a password which met an older policy still verifies.
func Validate(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return ErrTooShort
	case n > MaxLength:
		return ErrTooLong
	}
	if _, found := commonPasswords()[strings.ToLower(pw)]; found {
		return ErrCommon
	}
	return nil
}
