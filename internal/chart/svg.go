// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// textColor is the colour of all text: on white it has a contrast ratio of
// about 17:1, far above the 4.5:1 WCAG asks for.
const textColor = "#1a1a1a"

// canvas accumulates the markup of one SVG drawing. Every string that may
// come from a caller goes through esc; numbers through num.
type canvas struct {
	b   strings.Builder
	rtl bool
}

// open writes the root element with its <title> and <desc>. A drawing with
// fixed set draws at its viewBox size in CSS pixels (a sparkline in a table
// cell); any other fills the width of its container and keeps its aspect
// ratio, so that it scales down on a phone.
func (c *canvas) open(s Spec, id, class string, w, h float64, fixed bool) {
	c.rtl = s.RTL
	c.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `)
	c.b.WriteString(num(w) + " " + num(h) + `"`)
	if fixed {
		c.b.WriteString(` width="` + num(w) + `" height="` + num(h) + `"`)
	} else {
		c.b.WriteString(` width="100%"`)
	}
	c.b.WriteString(` role="img" aria-labelledby="` + id + `-title`)
	if s.Desc != "" {
		c.b.WriteString(" " + id + "-desc")
	}
	c.b.WriteString(`" class="chart ` + class + `" font-size="` + num(fontSize) + `" fill="` + textColor + `">`)
	c.b.WriteString(`<title id="` + id + `-title">` + esc(s.Title) + `</title>`)
	if s.Desc != "" {
		c.b.WriteString(`<desc id="` + id + `-desc">` + esc(s.Desc) + `</desc>`)
	}
}

// close ends the drawing and returns it.
func (c *canvas) close() template.HTML {
	c.b.WriteString(`</svg>`)
	// All caller text went through esc and the rest is fixed markup and
	// numbers, so the string is safe to place in a page as is.
	return template.HTML(c.b.String()) // #nosec G203 -- every caller-supplied string is escaped by esc
}

// anchor is where a text's x coordinate lies on the drawn text, on the
// page, whatever the text's direction.
type anchor int

const (
	anchorLeft anchor = iota
	anchorMiddle
	anchorRight
)

// text writes one line of text with its baseline at y. attrs, if not
// empty, is extra fixed markup for the element, e.g. ` font-size="22"`.
func (c *canvas) text(x, y float64, a anchor, s, attrs string) {
	// With direction="rtl" the text's start is its right end, so the
	// text-anchor value for a side of the page depends on the direction.
	ta := "middle"
	switch {
	case a == anchorLeft && !c.rtl, a == anchorRight && c.rtl:
		ta = "start"
	case a != anchorMiddle:
		ta = "end"
	}
	c.b.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `" text-anchor="` + ta + `"`)
	if c.rtl {
		c.b.WriteString(` direction="rtl"`)
	}
	c.b.WriteString(attrs + ">" + esc(s) + "</text>")
}

// rect writes a filled rectangle, with a tooltip when tip is not empty.
func (c *canvas) rect(x, y, w, h float64, fill, tip string) {
	c.b.WriteString(`<rect x="` + num(x) + `" y="` + num(y) + `" width="` + num(w) + `" height="` + num(h) + `" fill="` + fill + `"`)
	c.tipped(tip, "rect")
}

// line writes a straight line segment.
func (c *canvas) line(x1, y1, x2, y2 float64, stroke string) {
	c.b.WriteString(`<line x1="` + num(x1) + `" y1="` + num(y1) + `" x2="` + num(x2) + `" y2="` + num(y2) + `" stroke="` + stroke + `"/>`)
}

// circle writes a filled dot, with a tooltip when tip is not empty.
func (c *canvas) circle(x, y, r float64, fill, tip string) {
	c.b.WriteString(`<circle cx="` + num(x) + `" cy="` + num(y) + `" r="` + num(r) + `" fill="` + fill + `"`)
	c.tipped(tip, "circle")
}

// tipped ends an element whose attributes are written: with a <title>
// child when tip is not empty, since that is what browsers show on hover.
func (c *canvas) tipped(tip, element string) {
	if tip == "" {
		c.b.WriteString("/>")
		return
	}
	c.b.WriteString("><title>" + esc(tip) + "</title></" + element + ">")
}

// tooltip joins the non-empty parts of a tooltip with line breaks, which
// browsers show as such: no punctuation that would need translating.
func tooltip(parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n")
}

// num writes a coordinate rounded to one decimal, which is finer than any
// screen shows at these viewBox sizes and keeps the markup short.
func num(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 { // no "-0"
		v = 0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// esc makes caller text safe as SVG character data or attribute value:
// characters XML forbids (most control characters, and invalid UTF-8) are
// dropped or replaced, then markup characters are escaped.
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == utf8.RuneError:
			return '\uFFFD'
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF:
			return -1
		}
		return r
	}, s)
	return html.EscapeString(s)
}

// textWidth estimates how wide s is drawn at font size fs. SVG cannot
// measure text on the server; 0.6 em a character is a fair average for
// digits and Latin or Arabic letters in common sans-serif fonts.
func textWidth(s string, fs float64) float64 {
	return float64(utf8.RuneCountInString(s)) * fs * 0.6
}

// truncate shortens s to at most n characters, ending with "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
