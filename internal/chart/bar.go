// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
)

// Bar widths: a share of the category's band, so that bars stay apart,
// and at most maxBarWidth, so that two or three bars do not look like
// blocks.
const (
	barShare    = 0.7
	maxBarWidth = 48.0
)

// Bar draws one series as vertical bars, one per category; YLabel, not a
// legend, says what the values are. It uses every Spec field. A negative
// value hangs below the zero line, a missing one leaves a gap; with no
// value at all the chart shows its axes and Spec.Empty.
func Bar(s Spec, categories []string, values []float64) template.HTML {
	vs := Series{Values: values}.values(len(categories))
	var b bounds
	for _, v := range vs {
		b.add(v)
	}
	f := newFrame(s, categories, b, nil)
	var c canvas
	f.open(&c, "bar", b.n == 0)
	w := min(f.slot()*barShare, maxBarWidth)
	for i, v := range vs {
		if math.IsNaN(v) {
			continue
		}
		y0, y1 := f.y(0), f.y(v)
		c.rect(f.x(i)-w/2, min(y0, y1), w, math.Abs(y1-y0), seriesColor(0), tooltip(categories[i], s.format(v)))
	}
	return c.close()
}
