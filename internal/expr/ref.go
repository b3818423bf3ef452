// SPDX-License-Identifier: AGPL-3.0-or-later

package expr

import (
	"sort"
	"strings"
)

// Ref names one value of an area and period: a series and a normalised
// disaggregation key ("" for the total).
type Ref struct{ Series, Disagg string }

// String is the reference as written in an expression.
func (r Ref) String() string {
	if r.Disagg == "" {
		return "#{" + r.Series + "}"
	}
	return "#{" + r.Series + ":" + r.Disagg + "}"
}

const maxSeriesLen = 40

// ParseRef reads the inside of #{…}: "SERIES" or "SERIES:DIM=CODE;…". It
// returns the normalised reference, or a reason when it is invalid. Codes
// are checked for shape only; whether a series or a dimension code exists
// is for the caller to know.
func ParseRef(body string) (Ref, string) {
	series, key, hasKey := strings.Cut(body, ":")
	series = strings.TrimSpace(series)
	if !validCode(series, maxSeriesLen) {
		return Ref{}, "series code must be 1 to 40 of A-Z, 0-9 and _"
	}
	if !hasKey {
		return Ref{Series: series}, ""
	}
	disagg, reason := NormalizeDisagg(key)
	if reason != "" {
		return Ref{}, reason
	}
	return Ref{Series: series, Disagg: disagg}, ""
}

// NormalizeDisagg puts a disaggregation key in canonical form: DIM=CODE
// pairs sorted by dimension, joined by ";", `_T` totals omitted. It
// returns a reason when the key is malformed or names a dimension twice.
func NormalizeDisagg(key string) (string, string) {
	key = strings.TrimSpace(key)
	if key == "" {
		return "", ""
	}
	type pair struct{ dim, code string }
	var pairs []pair
	seen := map[string]bool{}
	for part := range strings.SplitSeq(key, ";") {
		dim, code, ok := strings.Cut(part, "=")
		dim, code = strings.TrimSpace(dim), strings.TrimSpace(code)
		if !ok || !validCode(dim, 40) || !validCode(code, 40) {
			return "", "disaggregation must be DIM=CODE pairs joined by ;"
		}
		if seen[dim] {
			return "", "dimension " + dim + " given twice"
		}
		seen[dim] = true
		if code != "_T" {
			pairs = append(pairs, pair{dim, code})
		}
	}
	sort.Slice(pairs, func(i, j int) bool { return pairs[i].dim < pairs[j].dim })
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.dim + "=" + p.code
	}
	return strings.Join(parts, ";"), ""
}

// validCode reports whether s is 1..max of upper-case letters, digits and
// underscores, the shape of series, dimension and SDMX codes.
func validCode(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z') && !isDigit(c) && c != '_' {
			return false
		}
	}
	return true
}
