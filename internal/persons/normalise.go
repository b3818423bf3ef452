// SPDX-License-Identifier: AGPL-3.0-or-later

package persons

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Search-index kinds, as stored in person_index.kind.
const (
	kindName     = "name"
	kindDocument = "document"
	kindPhone    = "phone"
)

// Blind-index domains, one per kind, so that equal strings of two kinds
// give unrelated tokens.
var indexDomain = map[string]string{
	kindName:     "person.name",
	kindDocument: "person.document",
	kindPhone:    "person.phone",
}

// maxNameTokens bounds the tokens one person's names and aliases give.
const maxNameTokens = 64

// foldLetters maps letters that canonical decomposition leaves whole to
// the plain letters people type for them.
var foldLetters = strings.NewReplacer(
	"ß", "ss", "æ", "ae", "œ", "oe", "ø", "o", "ł", "l", "đ", "d", "ð", "d", "þ", "th", "ı", "i",
)

// foldName lower-cases s and removes its accents and other combining
// marks, so that "José", "JOSE" and "jose" fold alike (and "Ølstrøm" to
// "olstrom"). Scripts without case are kept as they are, less their marks.
func foldName(s string) string {
	// transform.Chain keeps state, so each call makes its own.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return foldLetters.Replace(strings.ToLower(folded))
}

// nameTokens returns the distinct search tokens of names: each folded
// (foldName) and split at every character that is not a letter, digit or
// mark (spaces, hyphens, apostrophes, dots), in first-seen order. "María
// José García-Pérez" gives maria, jose, garcia, perez.
func nameTokens(names ...string) []string {
	var out []string
	for _, n := range names {
		for _, tok := range strings.FieldsFunc(foldName(n), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r)
		}) {
			if !slices.Contains(out, tok) {
				out = append(out, tok)
			}
		}
	}
	return out
}

// normaliseDocumentNumber gives the form a document number is matched in:
// upper case, with everything but letters and digits (spaces, hyphens,
// dots, slashes) removed, so "ab 123-456" matches "AB123456".
func normaliseDocumentNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalisePhone gives the form a phone number is matched in: its digits,
// after a "+" when the number starts with one. "+52 (55) 1234-5678" gives
// "+525512345678".
func normalisePhone(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	if strings.HasPrefix(s, "+") {
		b.WriteByte('+')
	}
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// indexEntry is one row of person_index before hashing.
type indexEntry struct{ kind, value string }

// indexEntries lists the search entries of an identity: name tokens of the
// names and aliases, normalised document numbers and phone numbers.
func indexEntries(id Identity) []indexEntry {
	var out []indexEntry
	add := func(kind, v string) {
		e := indexEntry{kind, v}
		if v != "" && !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	names := append([]string{id.GivenName, id.FamilyName}, id.Aliases...)
	toks := nameTokens(names...)
	if len(toks) > maxNameTokens {
		toks = toks[:maxNameTokens]
	}
	for _, t := range toks {
		add(kindName, t)
	}
	for _, d := range id.Documents {
		add(kindDocument, normaliseDocumentNumber(d.Number))
	}
	for _, p := range id.Phones {
		add(kindPhone, normalisePhone(p))
	}
	return out
}
