// SPDX-License-Identifier: AGPL-3.0-or-later

// Package countries is the reference list of countries and areas: ISO 3166-1
// codes, the UN M49 region each belongs to, and names in the six official
// languages of the United Nations (en, fr, es, ru, ar, zh).
//
// The data is generated from published packages by
// scripts/refdata/countries.sh and embedded in the binary, so that a case
// record never depends on a network look-up; SOURCE.md says where each field
// comes from and which choices were made by hand.
package countries

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

//go:embed countries.json
var countriesJSON []byte

// langs are the six official languages of the United Nations, in the order
// names are stored. English comes first because it is the fallback.
var langs = [...]string{"en", "fr", "es", "ru", "ar", "zh"}

// names holds one name per entry of langs. An array rather than a map
// keeps Country comparable with == and cheap to copy.
type names [6]string

// Country is one ISO 3166-1 entry. Region, SubRegion and IntermediateRegion
// are UN M49 codes ("" where M49 places the country in none, as for
// Antarctica, or does not list it, as for Taiwan).
type Country struct {
	Alpha2, Alpha3, Numeric               string
	Region, SubRegion, IntermediateRegion string

	names names
}

// Name returns the country's name in lang, an ISO 639-1 code such as "fr";
// a tag with a region or script ("fr-CA", "zh-Hans") uses its language part.
// Any other language gets the English name, so a caller never shows a blank.
func (c Country) Name(lang string) string {
	return c.names.get(lang)
}

// Region is a UN M49 geographic region, sub-region or intermediate region.
type Region struct {
	Code string
}

// Name returns the region's name in lang, falling back to English like
// Country.Name; "" for a code that is not a region of this list.
func (r Region) Name(lang string) string {
	return RegionName(r.Code, lang)
}

// RegionName returns the name of the M49 region code in lang, with the same
// fallback as Country.Name; "" for an unknown code.
func RegionName(code, lang string) string {
	d := load()
	n, ok := d.regions[strings.TrimSpace(code)]
	if !ok {
		return ""
	}
	return n.get(lang)
}

// All returns every country, sorted by Alpha3. The slice is a fresh copy the
// caller may change or re-sort.
func All() []Country {
	return slices.Clone(load().list)
}

// Lookup finds a country by ISO 3166-1 alpha-2 ("FR"), alpha-3 ("FRA") or
// 3-digit numeric ("250") code, ignoring case and surrounding spaces.
func Lookup(code string) (Country, bool) {
	c, ok := load().index[strings.ToUpper(strings.TrimSpace(code))]
	return c, ok
}

// SortByName sorts cs by their names in lang, using that language's
// collation rules (so "Égypte" sorts with the E's in French, not after Z),
// with Alpha3 breaking ties so the order is total.
func SortByName(cs []Country, lang string) {
	i := langIndex(lang)
	// A Collator is not safe for concurrent use, so each call makes its own.
	col := collate.New(language.Make(langs[i]))
	slices.SortStableFunc(cs, func(a, b Country) int {
		if r := col.CompareString(a.names.get(langs[i]), b.names.get(langs[i])); r != 0 {
			return r
		}
		return strings.Compare(a.Alpha3, b.Alpha3)
	})
}

// get returns the name in lang, or the English one where lang is not one of
// the six or the source had no translation.
func (n names) get(lang string) string {
	if s := n[langIndex(lang)]; s != "" {
		return s
	}
	return n[0]
}

// langIndex maps a language tag to its slot in langs, 0 (English) when
// the language is not one of the six.
func langIndex(lang string) int {
	base, _, _ := strings.Cut(strings.TrimSpace(lang), "-")
	base, _, _ = strings.Cut(base, "_")
	base = strings.ToLower(base)
	for i, l := range langs {
		if l == base {
			return i
		}
	}
	return 0
}

// data is the parsed form of countries.json.
type data struct {
	list    []Country          // sorted by Alpha3
	index   map[string]Country // by alpha-2, alpha-3 and numeric code
	regions map[string]names   // by M49 code
}

// init parses the file when the program starts, so a broken build fails at
// once rather than at the first request that needs a country.
func init() { load() }

var load = sync.OnceValue(func() *data {
	d, err := parse(countriesJSON)
	if err != nil {
		// The file is generated and checked by the tests; a broken one is a
		// build mistake, not a condition to carry on under.
		panic("countries: embedded countries.json: " + err.Error())
	}
	return d
})

type fileFormat struct {
	Regions []struct {
		Code  string            `json:"code"`
		Level string            `json:"level"`
		Names map[string]string `json:"names"`
	} `json:"regions"`
	Countries []struct {
		Alpha2             string            `json:"alpha2"`
		Alpha3             string            `json:"alpha3"`
		Numeric            string            `json:"numeric"`
		Region             string            `json:"region"`
		SubRegion          string            `json:"subRegion"`
		IntermediateRegion string            `json:"intermediateRegion"`
		Names              map[string]string `json:"names"`
	} `json:"countries"`
}

// parse decodes and checks the file: the rest of the package relies on codes
// being unique, well formed and pointing at known regions, and on an English
// name being present.
func parse(b []byte) (*data, error) {
	var f fileFormat
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	d := &data{index: map[string]Country{}, regions: map[string]names{}}
	for _, r := range f.Regions {
		if !isDigits(r.Code, 3) {
			return nil, fmt.Errorf("region code %q is not 3 digits", r.Code)
		}
		if _, dup := d.regions[r.Code]; dup {
			return nil, fmt.Errorf("region %s listed twice", r.Code)
		}
		n, err := toNames(r.Names)
		if err != nil {
			return nil, fmt.Errorf("region %s: %w", r.Code, err)
		}
		d.regions[r.Code] = n
	}
	for _, fc := range f.Countries {
		c := Country{
			Alpha2: fc.Alpha2, Alpha3: fc.Alpha3, Numeric: fc.Numeric,
			Region: fc.Region, SubRegion: fc.SubRegion, IntermediateRegion: fc.IntermediateRegion,
		}
		if !isUpper(c.Alpha2, 2) || !isUpper(c.Alpha3, 3) || !isDigits(c.Numeric, 3) {
			return nil, fmt.Errorf("country %q/%q/%q: malformed code", c.Alpha2, c.Alpha3, c.Numeric)
		}
		for _, r := range []string{c.Region, c.SubRegion, c.IntermediateRegion} {
			if _, ok := d.regions[r]; r != "" && !ok {
				return nil, fmt.Errorf("country %s: unknown region %q", c.Alpha3, r)
			}
		}
		n, err := toNames(fc.Names)
		if err != nil {
			return nil, fmt.Errorf("country %s: %w", c.Alpha3, err)
		}
		c.names = n
		for _, k := range []string{c.Alpha2, c.Alpha3, c.Numeric} {
			if _, dup := d.index[k]; dup {
				return nil, fmt.Errorf("code %s used twice", k)
			}
			d.index[k] = c
		}
		d.list = append(d.list, c)
	}
	if len(d.list) == 0 {
		return nil, fmt.Errorf("no countries")
	}
	if !slices.IsSortedFunc(d.list, func(a, b Country) int { return strings.Compare(a.Alpha3, b.Alpha3) }) {
		return nil, fmt.Errorf("countries not sorted by alpha3")
	}
	return d, nil
}

// toNames keeps the six UN languages. Only English is required: it is what
// every other language falls back to.
func toNames(m map[string]string) (names, error) {
	var n names
	for i, l := range langs {
		n[i] = strings.TrimSpace(m[l])
	}
	if n[0] == "" {
		return n, fmt.Errorf("no English name")
	}
	return n, nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isUpper(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
