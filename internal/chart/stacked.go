// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html/template"
	"math"
)

// StackedBar draws several series as bars stacked per category, the first
// series at the bottom, with a legend naming them. It uses every Spec
// field. Negative values stack downwards from the zero line, so that they
// neither hide nor cancel positive ones; a missing value adds nothing. With
// no value at all the chart shows its axes and Spec.Empty.
func StackedBar(s Spec, categories []string, series []Series) template.HTML {
	values := make([][]float64, len(series))
	items := make([]legendItem, len(series))
	for j, sr := range series {
		values[j] = sr.values(len(categories))
		items[j] = legendItem{label: sr.Name, fill: seriesColor(j)}
	}
	// The axis must hold each category's highest and lowest stack end.
	var b bounds
	empty := true
	for i := range categories {
		pos, neg := 0.0, 0.0
		for _, vs := range values {
			if v := vs[i]; !math.IsNaN(v) {
				empty = false
				if v >= 0 {
					pos += v
				} else {
					neg += v
				}
			}
		}
		b.add(pos)
		b.add(neg)
	}
	f := newFrame(s, categories, b, items)
	var c canvas
	f.open(&c, "stacked", empty)
	w := min(f.slot()*barShare, maxBarWidth)
	// A white edge between segments keeps neighbouring colours apart for
	// readers who see them as alike.
	c.b.WriteString(`<g stroke="` + borderColor + `" stroke-width="1">`)
	for i, cat := range categories {
		pos, neg := 0.0, 0.0
		for j, vs := range values {
			v := vs[i]
			if math.IsNaN(v) {
				continue
			}
			var from, to float64
			if v >= 0 {
				from, to = pos, pos+v
				pos = to
			} else {
				from, to = neg, neg+v
				neg = to
			}
			y0, y1 := f.y(from), f.y(to)
			c.rect(f.x(i)-w/2, min(y0, y1), w, math.Abs(y1-y0), seriesColor(j), tooltip(series[j].Name, cat, s.format(v)))
		}
	}
	c.b.WriteString("</g>")
	return c.close()
}
