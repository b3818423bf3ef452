// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
)

// Size of a sparkline in CSS pixels, and its inner margin, which leaves
// room for the dot on the last value.
const (
	sparkWidth  = 100.0
	sparkHeight = 24.0
	sparkPad    = 3.0
)

// Sparkline draws values as a small line with no axes or text, to sit in a
// table cell beside the figures it sums up; the last value has a dot. It
// has a fixed size, 100×24 pixels, so that it stays as small as the text
// around it. Its vertical scale spans the values' own range, to show their
// shape (a flat series runs across the middle), so the cell's figures, not
// the sparkline, carry the magnitude. It uses Spec.ID, Title, Desc, Format
// (for the dot's tooltip) and RTL, which puts the first value on the right.
func Sparkline(s Spec, values []float64) template.HTML {
	vs := Series{Values: values}.values(len(values))
	var b bounds
	last := -1
	for i, v := range vs {
		b.add(v)
		if !math.IsNaN(v) {
			last = i
		}
	}
	x := func(i int) float64 {
		p := sparkWidth / 2
		if len(vs) > 1 {
			p = sparkPad + float64(i)*(sparkWidth-2*sparkPad)/float64(len(vs)-1)
		}
		if s.RTL {
			return sparkWidth - p
		}
		return p
	}
	y := func(v float64) float64 {
		if b.hi == b.lo {
			return sparkHeight / 2
		}
		return sparkHeight - sparkPad - (v-b.lo)/(b.hi-b.lo)*(sparkHeight-2*sparkPad)
	}
	var c canvas
	c.open(s, s.idPrefix("sparkline"), "chart-sparkline", sparkWidth, sparkHeight, true)
	color := seriesColor(0)
	c.linePath(vs, x, y, color, 1.5)
	if last >= 0 {
		c.circle(x(last), y(vs[last]), 2, color, s.format(vs[last]))
	}
	return c.close()
}
