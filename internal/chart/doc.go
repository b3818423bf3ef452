// SPDX-License-Identifier: AGPL-3.0-or-later

// Package chart draws charts and a world choropleth map as inline SVG on the
// server.
//
// Amparo's pages must work under the Content-Security-Policy
// "default-src 'self'", without JavaScript, on old phones and for screen
// reader users, so charts are not drawn in the browser by a script library:
// each function here returns finished SVG markup, as template.HTML, for a
// page template to place inline. The markup has no script, no event handler,
// no style attribute and no external reference; it is styled only with
// presentation attributes (fill, stroke, font-size…), which that policy
// allows. Text inherits the page's font, so Arabic and every other script the
// page can show is shown.
//
// The package translates nothing: every word (titles, axis labels, series
// and country names, the "no data" and empty-state texts) and the way
// numbers are written come from the caller, through Spec and the data. All
// of that text is escaped. Spec.RTL mirrors a chart for right-to-left pages.
//
// Accessibility: the root <svg> has role="img" and aria-labelledby pointing
// at its <title> and <desc>, whose ids derive from Spec.ID so that several
// charts on one page do not clash. Because role="img" hides the drawing's
// parts from assistive technology, Spec.Desc should state the chart's point
// in one sentence, and a page that needs the exact figures should also offer
// them as a table. Hovering a point, bar or country shows its figures
// through a <title> tooltip.
//
// Colours: series use the Okabe–Ito palette, chosen to stay distinct for the
// common forms of colour blindness; map classes use a ColorBrewer YlGnBu
// ramp, which is colour-blind safe and also ordered by lightness, so it
// reads in grey scale. Text is #1a1a1a on the page's (white) background,
// well above the 4.5:1 contrast WCAG asks for.
//
// Output is deterministic: the same input always gives the same bytes, so
// pages can be cached and the drawings checked against golden files.
package chart
