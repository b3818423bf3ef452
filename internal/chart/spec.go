// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"hash/fnv"
	"strconv"
	"strings"
)

// Spec holds what a chart needs besides its data: the words, all in the
// reader's language, and how to write numbers. Each chart function says
// which fields it uses; the others are ignored.
type Spec struct {
	// ID makes the ids inside the SVG (of its <title>, <desc> and
	// patterns) unique on the page: give each chart of a page its own.
	// Characters other than ASCII letters, digits, '-' and '_' are
	// replaced by '-'. When empty, an ID is derived from the title and
	// description, which is unique as long as those are.
	ID string
	// Title is the chart's accessible name, also shown as a tooltip. It is
	// not drawn: the page's own heading or <figcaption> shows it.
	Title string
	// Desc is a one-sentence summary for screen readers, e.g. "Cases rose
	// from 120 in 2020 to 480 in 2024."
	Desc string
	// XLabel names the categories, drawn under the x axis.
	XLabel string
	// YLabel names the values, drawn above the y axis.
	YLabel string
	// Empty is drawn in the middle of the plot when there is no value to
	// draw, e.g. "No cases in this period".
	Empty string
	// Format writes a number for the axis and tooltips, in the reader's
	// language and digits. Nil means strconv's shortest decimal form, with
	// a left-to-right mark before a minus sign on an RTL chart, since the
	// bidirectional algorithm would otherwise show -20 as 20-.
	Format func(float64) string
	// RTL mirrors the chart for right-to-left pages: the first category is
	// on the right, the y axis and the legend start on the right, and text
	// has direction="rtl".
	RTL bool
}

// Series is one named line, or one layer of stacked bars.
type Series struct {
	// Name is shown in the legend and tooltips.
	Name string
	// Values has one value per category, in the same order. NaN and ±Inf
	// mean "no value": a line breaks there and no bar is drawn. Missing
	// trailing values count as NaN; values beyond the last category are
	// ignored.
	Values []float64
}

// values returns the series' values for n categories, as valueAt reads
// them: clamped, with NaN for every missing one.
func (s Series) values(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = valueAt(s.Values, i)
	}
	return out
}

// format writes v with the caller's Format, or strconv's shortest form.
func (s Spec) format(v float64) string {
	if s.Format != nil {
		return s.Format(v)
	}
	out := strconv.FormatFloat(v, 'f', -1, 64)
	if s.RTL && v < 0 {
		out = "\u200e" + out
	}
	return out
}

// idPrefix returns the sanitised ID, or one derived from the title and
// description (with the chart kind, so that a line and a bar chart with the
// same words still differ). The hash, not a counter, keeps the output
// deterministic.
func (s Spec) idPrefix(kind string) string {
	id := strings.Map(func(r rune) rune {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '-', r == '_':
			return r
		}
		return '-'
	}, s.ID)
	if id != "" {
		return id
	}
	h := fnv.New32a()
	h.Write([]byte(kind + "\x00" + s.Title + "\x00" + s.Desc))
	return "chart-" + kind + "-" + strconv.FormatUint(uint64(h.Sum32()), 16)
}
