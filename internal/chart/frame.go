// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import "math"

// Sizes of the charts with axes, in viewBox units. 480 units wide with
// 13-unit text keeps labels readable when a phone scales the drawing down
// to about 360 pixels, and not huge when a desktop page scales it up.
const (
	chartWidth = 480.0
	plotHeight = 200.0
	fontSize   = 13.0
	rowHeight  = 20.0 // a row of text: x labels, axis titles
	pad        = 8.0  // blank margin around the drawing
	tickGap    = 6.0  // between an axis and its labels
)

// frame is the layout shared by Line, Bar and StackedBar: legend on top,
// then the y axis title, the plot with its gridlines and y tick labels,
// the category labels and the x axis title.
type frame struct {
	spec   Spec
	cats   []string
	ticks  []float64
	legend legend
	// height is the viewBox's (its width is chartWidth); left, right, top
	// and bottom are the plot area's edges.
	height                   float64
	left, right, top, bottom float64
}

// newFrame lays out a chart of the given categories whose values (or
// stacks) lie within b, with a legend of the given items.
func newFrame(s Spec, cats []string, b bounds, items []legendItem) *frame {
	f := &frame{spec: s, cats: cats, ticks: ticks(b.lo, b.hi)}
	labelW := 0.0
	for _, t := range f.ticks {
		labelW = max(labelW, textWidth(s.format(t), fontSize))
	}
	// A caller's Format might write very long numbers; the plot keeps at
	// least two thirds of the width.
	labelW = min(labelW, chartWidth/3)
	if s.RTL {
		f.left, f.right = pad, chartWidth-pad-labelW-tickGap
	} else {
		f.left, f.right = pad+labelW+tickGap, chartWidth-pad
	}
	// The last category's label is centred on its band and may be wider
	// than the band: the far edge of the plot moves in until the label's
	// outer half fits inside the drawing. (The last band's centre is
	// half a band from that edge, and a band is 1/n of the plot.)
	if n := float64(len(cats)); n > 0 {
		half, k := textWidth(cats[len(cats)-1], fontSize)/2, 1-1/(2*n)
		if s.RTL {
			f.left = max(f.left, (pad+half-f.right/(2*n))/k)
		} else {
			f.right = min(f.right, (chartWidth-pad-half-f.left/(2*n))/k)
		}
	}
	y := pad
	f.legend = layoutLegend(items, pad, chartWidth-pad, y, fontSize, s.RTL)
	y += f.legend.height
	if s.YLabel != "" {
		y += rowHeight
	}
	// Room for the top tick label, which is centred on the top gridline.
	f.top = y + fontSize/2
	f.bottom = f.top + plotHeight
	f.height = f.bottom + rowHeight + pad
	if s.XLabel != "" {
		f.height += rowHeight
	}
	return f
}

// y returns the vertical position of value v.
func (f *frame) y(v float64) float64 {
	lo, hi := f.ticks[0], f.ticks[len(f.ticks)-1]
	return f.bottom - (v-lo)/(hi-lo)*plotHeight
}

// slot returns the width of one category's band.
func (f *frame) slot() float64 { return (f.right - f.left) / float64(max(len(f.cats), 1)) }

// x returns the centre of category i's band: counted from the left, or
// from the right on an RTL page.
func (f *frame) x(i int) float64 {
	if f.spec.RTL {
		return f.right - (float64(i)+0.5)*f.slot()
	}
	return f.left + (float64(i)+0.5)*f.slot()
}

// open starts the drawing and draws the frame: legend, gridlines, zero
// line, tick and category labels, axis titles, and the empty-state text
// when empty is set. The caller then draws the data and closes c.
func (f *frame) open(c *canvas, kind string, empty bool) {
	s := f.spec
	// Titles and the empty text get one line across the drawing.
	maxChars := int(math.Floor((chartWidth - 2*pad) / (fontSize * 0.6)))
	c.open(s, s.idPrefix(kind), "chart-"+kind, chartWidth, f.height, false)
	f.legend.draw(c, "")
	// The axis side: left, or right on an RTL page.
	start, startAnchor, endAnchor := pad, anchorLeft, anchorRight
	tickX := f.left - tickGap
	if s.RTL {
		start, startAnchor, endAnchor = chartWidth-pad, anchorRight, anchorLeft
		tickX = f.right + tickGap
	}
	if s.YLabel != "" {
		c.text(start, f.legend.height+pad+fontSize, startAnchor, truncate(s.YLabel, maxChars), "")
	}
	for _, t := range f.ticks {
		y := f.y(t)
		if t != 0 {
			c.line(f.left, y, f.right, y, gridColor)
		}
		c.text(tickX, y+fontSize*0.35, endAnchor, s.format(t), "")
	}
	// The zero line last, so that no gridline is drawn over it.
	c.line(f.left, f.y(0), f.right, f.y(0), baselineColor)
	labelY := f.bottom + tickGap + fontSize
	for i, l := range xLabels(f.cats, f.slot(), fontSize) {
		if l != "" {
			c.text(f.x(i), labelY, anchorMiddle, l, "")
		}
	}
	if s.XLabel != "" {
		c.text((f.left+f.right)/2, labelY+rowHeight, anchorMiddle, truncate(s.XLabel, maxChars), "")
	}
	if empty && s.Empty != "" {
		c.text((f.left+f.right)/2, (f.top+f.bottom)/2, anchorMiddle, truncate(s.Empty, maxChars), "")
	}
}

// xLabels returns the category labels to draw, "" for those left out. A
// label wider than its band is shortened, though to no fewer than six
// characters; if labels still overlap, only every k-th is kept, so that a
// long run of years reads 2000, 2005, 2010…
func xLabels(cats []string, slot, fs float64) []string {
	fit := max(int(slot/(fs*0.6))-1, 6)
	out := make([]string, len(cats))
	widest := 0.0
	for i, c := range cats {
		out[i] = truncate(c, fit)
		widest = max(widest, textWidth(out[i], fs))
	}
	step := max(int(math.Ceil((widest+fs/2)/slot)), 1)
	for i := range out {
		if i%step != 0 {
			out[i] = ""
		}
	}
	return out
}
