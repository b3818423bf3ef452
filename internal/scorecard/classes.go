// SPDX-License-Identifier: AGPL-3.0-or-later

package scorecard

import (
	"math"
	"slices"
)

// Breaks divides values into at most n classes of about equal counts
// (quantiles), for a choropleth map: it returns the classes' upper bounds,
// ascending, the last being the largest value. Equal values always fall in
// one class, so there are fewer classes when values repeat; no values give
// no classes. NaN and infinite values are left out.
func Breaks(values []float64, n int) []float64 {
	var v []float64
	for _, x := range values {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) == 0 || n < 1 {
		return nil
	}
	slices.Sort(v)
	var out []float64
	for i := 1; i <= n; i++ {
		b := v[(len(v)*i+n-1)/n-1]
		if len(out) == 0 || b > out[len(out)-1] {
			out = append(out, b)
		}
	}
	return out
}

// Class returns the index of the class of x among breaks (as Breaks gives
// them): the first whose upper bound is at least x.
func Class(breaks []float64, x float64) int {
	i, _ := slices.BinarySearch(breaks, x)
	return min(i, len(breaks)-1)
}
