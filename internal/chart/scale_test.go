// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"math"
	"slices"
	"strconv"
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

// TestLastCategoryLabelFits checks that the label of the last category,
// centred on a narrow band, stays inside the drawing on either side.
func TestLastCategoryLabelFits(t *testing.T) {
	var years []string
	for y := 1993; y <= 2026; y++ {
		years = append(years, strconv.Itoa(y))
	}
	half := textWidth("2026", fontSize) / 2
	for _, rtl := range []bool{false, true} {
		f := newFrame(Spec{RTL: rtl}, years, bounds{lo: 0, hi: 60}, nil)
		x := f.x(len(years) - 1)
		if x-half < pad-0.01 || x+half > chartWidth-pad+0.01 {
			t.Errorf("rtl=%v: the last label spans %.1f–%.1f, outside %.0f–%.0f", rtl, x-half, x+half, pad, chartWidth-pad)
		}
	}
}
