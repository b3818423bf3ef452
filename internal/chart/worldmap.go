// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import "html/template"

// mapFontSize is the map legend's text size: the map's viewBox is about
// twice as wide as a chart's, so its text is about twice as large to show
// at the same size.
const mapFontSize = 22.0

// MapClass is one class of a choropleth map, such as a range of counts.
type MapClass struct {
	// Label names the class in the legend and tooltips, e.g. "100–499".
	Label string
	// Color is the class's colour on the map's ramp, from 0 (lightest) to
	// MapColors-1 (darkest); out of range values are clamped. Classes in
	// increasing order should take increasing colours spread over the
	// ramp, e.g. 0, 3, 6 for three classes and 0, 2, 4, 6 for four.
	Color int
}

// MapData is what a world map shows.
type MapData struct {
	// Classes are listed in the legend in this order.
	Classes []MapClass
	// Class maps a country's ISO 3166-1 numeric code, as three digits
	// ("004" is Afghanistan), to an index into Classes. A country not in
	// the map, or whose index is out of range, is drawn as "no data".
	Class map[string]int
	// Names maps ISO 3166-1 numeric codes to country names, in the
	// reader's language, for the tooltips.
	Names map[string]string
	// NoData is the legend's and tooltips' label for countries without a
	// class, e.g. "No data".
	NoData string
}

// WorldMap draws a choropleth world map, on the Equal Earth projection
// without Antarctica, with a legend of the classes and "no data" below it.
// Countries without a class are drawn with a grey hatch, which sets them
// apart from every class without relying on colour. Hovering a country
// shows its name and class. It uses Spec.ID, Title, Desc and RTL (the
// legend starts on the right).
//
// Small states that Natural Earth's 1:110m shapes leave out (Singapore,
// Malta, Bahrain…) do not show, and three shapes that have no ISO code
// (Kosovo, N. Cyprus, Somaliland) are always drawn as "no data"; see
// world/SOURCE.md.
func WorldMap(s Spec, m MapData) template.HTML {
	w := world()
	id := s.idPrefix("map")
	hatch := "url(#" + id + "-nodata)"
	items := make([]legendItem, 0, len(m.Classes)+1)
	for _, cl := range m.Classes {
		items = append(items, legendItem{label: cl.Label, fill: mapColor(cl.Color)})
	}
	items = append(items, legendItem{label: m.NoData, fill: hatch, stroke: noDataHatch})
	lg := layoutLegend(items, pad, mapWidth-pad, w.height+pad, mapFontSize, s.RTL)
	var c canvas
	// About 120 bytes of markup per country besides its path data.
	c.b.Grow(w.pathBytes + 120*len(w.countries) + 2048)
	c.open(s, id, "chart-map", mapWidth, w.height+lg.height+2*pad, false)
	// The hatch: diagonal stripes on a light grey ground.
	c.b.WriteString(`<defs><pattern id="` + id + `-nodata" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
		`<rect width="6" height="6" fill="` + noDataFill + `"/><line x1="0" y1="0" x2="0" y2="6" stroke="` + noDataHatch + `" stroke-width="2"/></pattern></defs>`)
	// evenodd makes holes of a polygon's inner rings (Lesotho in South
	// Africa) whichever way the rings wind.
	c.b.WriteString(`<g stroke="` + borderColor + `" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd">`)
	for _, ct := range w.countries {
		fill, label := hatch, m.NoData
		if i, ok := m.Class[ct.id]; ok && ct.id != "" && i >= 0 && i < len(m.Classes) {
			fill, label = mapColor(m.Classes[i].Color), m.Classes[i].Label
		}
		c.b.WriteString(`<path d="` + ct.d + `" fill="` + fill + `"`)
		c.tipped(tooltip(m.Names[ct.id], label), "path")
	}
	c.b.WriteString(`</g>`)
	lg.draw(&c, ` font-size="`+num(mapFontSize)+`"`)
	return c.close()
}

// MapCodes returns the ISO 3166-1 numeric codes of the countries that
// WorldMap draws, sorted, so that a page can list the figures of those it
// leaves out (Antarctica and the states too small for the 1:110m shapes).
func MapCodes() []string {
	var out []string
	for _, ct := range world().countries {
		if ct.id != "" {
			out = append(out, ct.id)
		}
	}
	return out
}
