// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

// legendItem is one entry of a legend: a colour swatch and its label.
type legendItem struct {
	label string
	fill  string
	// stroke outlines the swatch when not empty, for a fill too light to
	// see on white.
	stroke string
}

// legend is a legend laid out in rows. It is laid out before anything is
// drawn because its height decides where the rest of the drawing goes.
type legend struct {
	items  []placedItem
	fs     float64 // font size; the swatch is a square as tall
	height float64
}

// placedItem is a legend item with its place: the swatch's left edge, the
// x of the label's anchor (its left end, or its right end on an RTL page)
// and the row's middle.
type placedItem struct {
	legendItem
	swatchX, textX, midY float64
}

// layoutLegend places items in rows between x0 and x1 from y0 down, in
// reading order: from x0 rightwards, or from x1 leftwards on an RTL page.
// A label too long for a whole row is shortened.
func layoutLegend(items []legendItem, x0, x1, y0, fs float64, rtl bool) legend {
	l := legend{fs: fs}
	if len(items) == 0 {
		return l
	}
	gap := fs * 0.4     // between swatch and label
	spacing := fs * 1.2 // between items
	rowH := fs * 1.6
	maxLabel := int((x1 - x0 - fs - gap) / (fs * 0.6))
	cursor, row := 0.0, 0 // distance from the row's start edge
	for _, it := range items {
		it.label = truncate(it.label, maxLabel)
		w := fs + gap + textWidth(it.label, fs)
		if cursor > 0 && cursor+w > x1-x0 {
			cursor, row = 0, row+1
		}
		p := placedItem{legendItem: it, midY: y0 + rowH*(float64(row)+0.5)}
		if rtl {
			p.swatchX = x1 - cursor - fs
			p.textX = p.swatchX - gap
		} else {
			p.swatchX = x0 + cursor
			p.textX = p.swatchX + fs + gap
		}
		l.items = append(l.items, p)
		cursor += w + spacing
	}
	l.height = rowH * float64(row+1)
	return l
}

// draw writes the legend. attrs is passed to each label (see canvas.text).
func (l legend) draw(c *canvas, attrs string) {
	a := anchorLeft
	if c.rtl {
		a = anchorRight
	}
	for _, p := range l.items {
		c.b.WriteString(`<rect x="` + num(p.swatchX) + `" y="` + num(p.midY-l.fs/2) + `" width="` + num(l.fs) + `" height="` + num(l.fs) + `" fill="` + p.fill + `"`)
		if p.stroke != "" {
			c.b.WriteString(` stroke="` + p.stroke + `"`)
		}
		c.b.WriteString("/>")
		c.text(p.textX, p.midY+l.fs*0.35, a, p.label, attrs)
	}
}
