// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import "math"

// maxMagnitude bounds the values drawn: larger ones are drawn at ±1e15.
// No figure Amparo shows comes near it, and the bound keeps the axis
// arithmetic finite and exact whatever a caller passes.
const maxMagnitude = 1e15

// minSpread is the smallest spread of values given its own axis scale.
const minSpread = 1e-9

// valueAt returns values[i] clamped to ±maxMagnitude, or NaN when i is out
// of range or the value is NaN or infinite: all of those mean "no value".
func valueAt(values []float64, i int) float64 {
	if i < 0 || i >= len(values) {
		return math.NaN()
	}
	v := values[i]
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN()
	}
	return math.Max(-maxMagnitude, math.Min(maxMagnitude, v))
}

// ticks returns the y axis ticks for data between lo and hi, ascending. The
// axis always includes zero, so that bars and lines are read against a true
// baseline, and ends on a multiple of a 1, 2 or 5 step, so that gridlines
// fall on round numbers. The first and last ticks are the axis ends. With
// nothing above or below zero, or a spread too small to write, the axis
// runs from 0 to 1.
func ticks(lo, hi float64) []float64 {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	// The negated test also catches NaN, from an empty data set. The
	// lower bound keeps 10^exp far from underflowing to zero.
	if !(hi-lo >= minSpread) {
		return []float64{0, 1}
	}
	// Aim at about five intervals.
	raw := (hi - lo) / 5
	exp := math.Floor(math.Log10(raw))
	f := raw / math.Pow(10, exp)
	var mant float64
	switch {
	case f <= 1:
		mant = 1
	case f <= 2:
		mant = 2
	case f <= 5:
		mant = 5
	default:
		mant, exp = 1, exp+1
	}
	// tick k is k·mant·10^exp. For a negative exponent, dividing the whole
	// number k·mant by the exact power 10^-exp gives the double nearest the
	// decimal (0.3, not 0.30000000000000004), so the labels are clean.
	at := func(k float64) float64 {
		if exp < 0 {
			return k * mant / math.Pow(10, -exp)
		}
		return k * mant * math.Pow(10, exp)
	}
	step := at(1)
	first, last := math.Floor(lo/step), math.Ceil(hi/step)
	out := make([]float64, 0, int(last-first)+1)
	for k := first; k <= last; k++ {
		out = append(out, at(k))
	}
	return out
}

// bounds tracks the smallest and largest of the values added, skipping
// NaN. Its zero value has seen no value, and then lo and hi are zero.
type bounds struct {
	lo, hi float64
	n      int
}

func (b *bounds) add(v float64) {
	if math.IsNaN(v) {
		return
	}
	if b.n == 0 || v < b.lo {
		b.lo = v
	}
	if b.n == 0 || v > b.hi {
		b.hi = v
	}
	b.n++
}
