// SPDX-License-Identifier: AGPL-3.0-or-later

package observations

import (
	"regexp"
	"slices"
	"strings"

	"github.com/amparo-project/amparo/internal/fielderr"
)

// Total is the SDMX code for "all categories" of a dimension. A total is
// never written into a disaggregation key, so that each observation has
// one spelling and the total of everything is the empty key.
const Total = "_T"

// Dimension is one way observations are broken down, named as in the SDG
// Global Database's data structure. Codes lists the allowed codes; when it
// is nil, a code is checked against Pattern instead.
type Dimension struct {
	Code    string
	Codes   []string
	Pattern *regexp.Regexp
}

var (
	m49Code = regexp.MustCompile(`^[0-9]{3}$`)
	// SDMX age codes: Y15T64, Y_GE65, Y_LT15, Y0T14, Y15T24, _U (unknown).
	ageCode = regexp.MustCompile(`^(Y[0-9]{1,3}T[0-9]{1,3}|Y_GE[0-9]{1,3}|Y_LT[0-9]{1,3}|Y[0-9]{1,3}|_U)$`)
	// A sub-category of a composite index (SDG 10.7.2's 30 questions are
	// D1Q1…D6Q5), or any short code a framework defines.
	itemCode = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_]{0,19}$`)
)

var dimensions = []Dimension{
	{Code: "SEX", Codes: []string{"F", "M", "_U"}},
	{Code: "AGE", Pattern: ageCode},
	{Code: "MIGRATORY_STATUS", Codes: []string{"MS_MIGRANT", "MS_NONMIGRANT", "MS_REFUGEE", "MS_UNKNOWN"}},
	{Code: "CITIZENSHIP", Pattern: m49Code},
	{Code: "COUNTRY_OF_BIRTH", Pattern: m49Code},
	{Code: "DISABILITY_STATUS", Codes: []string{"PD", "PWD"}},
	{Code: "URBANISATION", Codes: []string{"U", "R"}},
	{Code: "ITEM", Pattern: itemCode},
}

// Dimensions lists the disaggregation dimensions observations may carry.
func Dimensions() []Dimension { return slices.Clone(dimensions) }

// DimensionByCode finds a dimension.
func DimensionByCode(code string) (Dimension, bool) {
	for _, d := range dimensions {
		if d.Code == code {
			return d, true
		}
	}
	return Dimension{}, false
}

// Allows reports whether code is one of the dimension's codes; the total
// is always allowed.
func (d Dimension) Allows(code string) bool {
	if code == Total {
		return true
	}
	if d.Codes != nil {
		return slices.Contains(d.Codes, code)
	}
	return d.Pattern.MatchString(code)
}

// Disagg maps a dimension to its code for one observation.
type Disagg map[string]string

// ParseDisagg reads a disaggregation key ("SEX=F;AGE=Y15T64", in any order,
// totals allowed) and checks every dimension and code.
func ParseDisagg(key string) (Disagg, error) {
	d := Disagg{}
	key = strings.TrimSpace(key)
	if key == "" {
		return d, nil
	}
	for _, part := range strings.Split(key, ";") {
		dim, code, ok := strings.Cut(strings.TrimSpace(part), "=")
		dim, code = strings.ToUpper(strings.TrimSpace(dim)), strings.TrimSpace(code)
		if !ok || dim == "" || code == "" {
			return nil, fielderr.One("disagg", fielderr.CodeInvalid)
		}
		if err := d.Set(dim, code); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Set adds one dimension's code, checking both; a total is accepted and
// left out.
func (d Disagg) Set(dim, code string) error {
	def, ok := DimensionByCode(dim)
	if !ok || !def.Allows(code) {
		return fielderr.One("disagg", fielderr.CodeInvalid)
	}
	if _, dup := d[dim]; dup {
		return fielderr.One("disagg", fielderr.CodeInvalid)
	}
	if code != Total {
		d[dim] = code
	}
	return nil
}

// Key is the disaggregation's one spelling: pairs sorted by dimension,
// joined by ";", totals left out; "" for the total of everything.
func (d Disagg) Key() string {
	dims := make([]string, 0, len(d))
	for k, v := range d {
		if v != Total {
			dims = append(dims, k)
		}
	}
	slices.Sort(dims)
	var b strings.Builder
	for i, k := range dims {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(d[k])
	}
	return b.String()
}

// Code returns the dimension's code, the total when the key leaves it out.
func (d Disagg) Code(dim string) string {
	if c, ok := d[dim]; ok {
		return c
	}
	return Total
}

// CanonicalDisagg parses and re-spells a key.
func CanonicalDisagg(key string) (string, error) {
	d, err := ParseDisagg(key)
	if err != nil {
		return "", err
	}
	return d.Key(), nil
}
