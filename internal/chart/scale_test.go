// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"math"
	"slices"
	"testing"
)

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 4800, []float64{0, 1000, 2000, 3000, 4000, 5000}},
		{1200, 4800, []float64{0, 1000, 2000, 3000, 4000, 5000}},
		{0, 97, []float64{0, 20, 40, 60, 80, 100}},
		{0, 1, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 0.3, []float64{0, 0.1, 0.2, 0.3}},
		{0, 7, []float64{0, 2, 4, 6, 8}},
		{-4, 2, []float64{-4, -2, 0, 2}},
		{-300, -5, []float64{-300, -200, -100, 0}},
		{0, 0, []float64{0, 1}},
		{5, 5, []float64{0, 1, 2, 3, 4, 5}},
		{math.NaN(), math.NaN(), []float64{0, 1}},
		{0, 1e-12, []float64{0, 1}},
	} {
		if got := ticks(tc.lo, tc.hi); !slices.Equal(got, tc.want) {
			t.Errorf("ticks(%v, %v) = %v, want %v", tc.lo, tc.hi, got, tc.want)
		}
	}
}

// TestTicksCover checks over many magnitudes that the axis holds the data,
// starts or ends at zero, and has a handful of ticks.
func TestTicksCover(t *testing.T) {
	for e := -8.0; e <= 15; e += 0.37 {
		for _, v := range []float64{math.Pow(10, e), -math.Pow(10, e)} {
			tk := ticks(v, v)
			lo, hi := tk[0], tk[len(tk)-1]
			if lo > math.Min(0, v) || hi < math.Max(0, v) || (lo != 0 && hi != 0) {
				t.Errorf("ticks(%g, %g) = %v does not span 0 to %g", v, v, tk, v)
			}
			if len(tk) < 3 || len(tk) > 12 {
				t.Errorf("ticks(%g, %g) has %d ticks", v, v, len(tk))
			}
		}
	}
}
