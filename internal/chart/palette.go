// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

// seriesColors are the Okabe–Ito colours (Okabe and Ito, "Color Universal
// Design", 2008), which stay distinct for people with the common forms of
// colour blindness. They are ordered so that the first ones, used most, have
// the most contrast against white; Okabe–Ito's yellow is left out because
// it is all but invisible on white. Beyond seven series the colours repeat,
// so a chart should not have that many.
var seriesColors = [...]string{
	"#0072b2", // blue
	"#d55e00", // vermillion
	"#009e73", // bluish green
	"#cc79a7", // reddish purple
	"#e69f00", // orange
	"#56b4e9", // sky blue
	"#000000", // black
}

// seriesColor returns the colour of series i.
func seriesColor(i int) string { return seriesColors[i%len(seriesColors)] }

// MapColors is the number of colours in the map's ramp: a MapClass's Color
// is from 0 (lightest) to MapColors-1 (darkest).
const MapColors = len(mapColors)

// mapColors is ColorBrewer's 9-class YlGnBu ramp (Cynthia Brewer,
// colorbrewer2.org) without its two lightest steps, which are too close to
// white and to the "no data" grey. ColorBrewer rates the ramp colour-blind
// safe, and it darkens steadily from class to class, so the classes keep
// their order even in grey scale or for readers who see no colour at all.
var mapColors = [...]string{
	"#c7e9b4",
	"#7fcdbb",
	"#41b6c4",
	"#1d91c0",
	"#225ea8",
	"#253494",
	"#081d58",
}

// mapColor returns ramp colour i, clamped into the ramp.
func mapColor(i int) string { return mapColors[max(0, min(i, len(mapColors)-1))] }

// Colours of the parts of a chart that are not data.
const (
	gridColor     = "#dddddd" // gridlines: visible, but quieter than the data
	baselineColor = "#595959" // the zero line
	noDataFill    = "#ececec" // the "no data" hatch's ground
	noDataHatch   = "#b3b3b3" // the "no data" hatch's lines
	borderColor   = "#ffffff" // country borders
)
