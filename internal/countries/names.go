// SPDX-License-Identifier: AGPL-3.0-or-later

package countries

import (
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// LookupName finds a country by its name in any of the six languages
// ("Mexique", "México", "Мексика"), ignoring case, accents and
// surrounding space, for files that name countries rather than code them.
// A name two countries share in different languages finds neither.
func LookupName(name string) (Country, bool) {
	c, ok := byName()[foldName(name)]
	return c, ok && c.Alpha3 != ""
}

// byName maps each folded name to its country; a zero Country marks a
// name shared by two.
var byName = sync.OnceValue(func() map[string]Country {
	m := map[string]Country{}
	for _, c := range load().list {
		for _, n := range c.names {
			if n == "" {
				continue
			}
			k := foldName(n)
			if old, dup := m[k]; dup && old.Alpha3 != c.Alpha3 {
				m[k] = Country{}
				continue
			}
			m[k] = c
		}
	}
	return m
})

// foldName lower-cases s and strips its combining marks.
func foldName(s string) string {
	// transform.Chain keeps state, so each call makes its own.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, strings.TrimSpace(s))
	if err != nil {
		folded = s
	}
	return strings.ToLower(folded)
}
