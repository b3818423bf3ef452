// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
	"strings"
)

// markerRadius is the radius of the dots on a line's points.
const markerRadius = 3.0

// Line draws one or more series as lines over ordered categories, such as
// years, with a legend when there are two series or more. It uses every
// Spec field. A missing value breaks the line; with no value at all the
// chart shows its axes and Spec.Empty.
func Line(s Spec, categories []string, series []Series) template.HTML {
	var b bounds
	values := make([][]float64, len(series))
	for j, sr := range series {
		values[j] = sr.values(len(categories))
		for _, v := range values[j] {
			b.add(v)
		}
	}
	var items []legendItem
	if len(series) > 1 {
		for j, sr := range series {
			items = append(items, legendItem{label: sr.Name, fill: seriesColor(j)})
		}
	}
	f := newFrame(s, categories, b, items)
	var c canvas
	f.open(&c, "line", b.n == 0)
	// Every point gets a dot, which carries its tooltip, when the dots
	// have room; otherwise only points with no neighbour get one, since
	// they would not show at all.
	allDots := f.slot() >= 4*markerRadius
	for j, sr := range series {
		color := seriesColor(j)
		vs := values[j]
		c.linePath(vs, f.x, f.y, color, 2)
		for i, v := range vs {
			if math.IsNaN(v) {
				continue
			}
			if allDots || (math.IsNaN(valueAt(vs, i-1)) && math.IsNaN(valueAt(vs, i+1))) {
				c.circle(f.x(i), f.y(v), markerRadius, color, tooltip(sr.Name, categories[i], s.format(v)))
			}
		}
	}
	return c.close()
}

// linePath draws values as a line through (x(i), y(v)), broken where a
// value is missing. It draws nothing when every value is.
func (c *canvas) linePath(vs []float64, x func(int) float64, y func(float64) float64, color string, width float64) {
	var d strings.Builder
	for i, v := range vs {
		if math.IsNaN(v) {
			continue
		}
		if math.IsNaN(valueAt(vs, i-1)) {
			d.WriteString("M")
		} else {
			d.WriteString("L")
		}
		d.WriteString(num(x(i)) + " " + num(y(v)))
	}
	if d.Len() > 0 {
		c.b.WriteString(`<path d="` + d.String() + `" fill="none" stroke="` + color + `" stroke-width="` + num(width) + `" stroke-linejoin="round" stroke-linecap="round"/>`)
	}
}
