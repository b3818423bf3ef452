// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/amparo-project/amparo/internal/countries"
)

// World is the M49 code of the world, which the countries list does not
// carry as a region of its own.
const World = "001"

var worldNames = map[string]string{
	"en": "World", "fr": "Monde", "es": "Mundo", "ru": "Мир", "ar": "العالم", "zh": "世界",
}

// ErrArea is returned for an area that is no known M49 country or region
// and no well-formed ISO 3166-2 subdivision of a known country.
var ErrArea = errors.New("observations: area must be a UN M49 code, an ISO 3166-1 code or an ISO 3166-2 subdivision")

// An ISO 3166-2 subdivision: the country's alpha-2 code, a hyphen and one
// to three letters or digits.
var subdivision = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,3}$`)

// NormalizeArea gives an area's one spelling: the M49 numeric code of a
// country (also when given its ISO alpha-2 or alpha-3 code, or its M49 code
// without leading zeros) or region, or an ISO 3166-2 subdivision of a known
// country.
func NormalizeArea(s string) (string, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	// The SDG Global Database and many spreadsheets write M49 codes as
	// numbers, without their leading zeros ("76" for Brazil, "1" for the
	// world).
	if n := len(s); n > 0 && n < 3 && isDigits(s) {
		s = strings.Repeat("0", 3-n) + s
	}
	if s == World {
		return s, nil
	}
	if c, ok := countries.Lookup(s); ok {
		return c.Numeric, nil
	}
	if IsRegionArea(s) {
		return s, nil
	}
	if subdivision.MatchString(s) {
		if _, ok := countries.Lookup(s[:2]); ok {
			return s, nil
		}
	}
	return "", ErrArea
}

// AreaName names an area in lang: a country's or region's name, or for a
// subdivision its code after its country's name.
func AreaName(code, lang string) string {
	if code == World {
		if n := worldNames[lang]; n != "" {
			return n
		}
		return worldNames["en"]
	}
	if c, ok := countries.Lookup(code); ok && isDigits(code) {
		return c.Name(lang)
	}
	if n := countries.RegionName(code, lang); n != "" {
		return n
	}
	if r, ok := sdgRegions[code]; ok {
		if n := r.names[lang]; n != "" {
			return n
		}
		return r.names["en"]
	}
	if subdivision.MatchString(code) {
		if c, ok := countries.Lookup(code[:2]); ok {
			return c.Name(lang) + " — " + code
		}
	}
	return code
}

// IsCountryArea reports whether code is the M49 code of a country.
func IsCountryArea(code string) bool {
	c, ok := countries.Lookup(code)
	return ok && c.Numeric == code
}

// IsRegionArea reports whether code is the world, an M49 region or one of
// the SDG regional groupings.
func IsRegionArea(code string) bool {
	if _, ok := sdgRegions[code]; ok || code == World {
		return true
	}
	return len(code) == 3 && isDigits(code) && countries.RegionName(code, "en") != ""
}

var regionIndex = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for _, c := range countries.All() {
		if c.Region == "" {
			continue
		}
		m[World] = append(m[World], c.Numeric)
		for _, r := range []string{c.Region, c.SubRegion, c.IntermediateRegion} {
			if r != "" {
				m[r] = append(m[r], c.Numeric)
			}
		}
	}
	for code, r := range sdgRegions {
		for _, part := range r.parts {
			m[code] = append(m[code], m[part]...)
		}
	}
	for _, list := range m {
		slices.Sort(list)
	}
	return m
})

// RegionMembers lists the M49 codes of the countries in a region, sorted;
// every country M49 places in a region for the world ("001"). The slice is
// the caller's.
func RegionMembers(region string) []string {
	return slices.Clone(regionIndex()[region])
}

// Regions lists the world and every M49 region, sub-region and
// intermediate region that has countries, sorted by code.
func Regions() []string {
	var out []string
	for r := range regionIndex() {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}
