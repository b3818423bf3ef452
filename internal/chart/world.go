// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	_ "embed"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// countriesTopoJSON is Natural Earth's 1:110m countries from world-atlas
// 2.0.2; see world/SOURCE.md.
//
//go:embed world/countries-110m.json
var countriesTopoJSON []byte

// The map's width in viewBox units, its blank margin, and the ISO code of
// Antarctica, which is left off: it would add a band across the whole
// bottom of the map, a tenth of its height, and Amparo has no data about
// it.
const (
	mapWidth   = 1000.0
	mapMargin  = 4.0
	antarctica = "010"
)

// country is one country's shape, projected and fitted to the map, as SVG
// path data.
type country struct {
	id string // ISO 3166-1 numeric, or "" for a shape that has none
	d  string
}

// worldShapes is the projected map: its countries, sorted by id (shapes
// without one first, in file order), and its height in viewBox units.
type worldShapes struct {
	countries []country
	height    float64
	// pathBytes is the length of all path data, for sizing a render's
	// buffer at once.
	pathBytes int
}

// world decodes, projects and writes the embedded shapes on first use,
// which takes about ten milliseconds; every map after that only writes the
// cached path data. The embedded file is part of the build, so failing to
// read it is a bug that the tests catch, hence the panic.
var world = sync.OnceValue(func() *worldShapes {
	w, err := projectWorld(countriesTopoJSON)
	if err != nil {
		panic("chart: embedded world map: " + err.Error())
	}
	return w
})

// projectWorld decodes the countries of a TopoJSON document, projects them
// with Equal Earth and fits them to a map mapWidth wide.
func projectWorld(data []byte) (*worldShapes, error) {
	features, err := decodeFeatures(data, "countries")
	if err != nil {
		return nil, err
	}
	features = slices.DeleteFunc(features, func(f feature) bool { return f.id == antarctica })
	// Split the rings that cross ±180° before projecting. A polygon may
	// then have several outlines, which the evenodd fill rule draws right.
	for i, f := range features {
		var polys []polygon
		for _, poly := range f.polygons {
			var parts polygon
			for _, r := range poly {
				cut, err := cutAntimeridian(r)
				if err != nil {
					return nil, fmt.Errorf("country %q: %w", f.id, err)
				}
				parts = append(parts, cut...)
			}
			polys = append(polys, parts)
		}
		features[i].polygons = polys
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, f := range features {
		for _, poly := range f.polygons {
			for _, r := range poly {
				for i, p := range r {
					x, y := equalEarth(p[0], p[1])
					r[i] = point{x, y}
					minX, maxX = min(minX, x), max(maxX, x)
					minY, maxY = min(minY, y), max(maxY, y)
				}
			}
		}
	}
	scale := (mapWidth - 2*mapMargin) / (maxX - minX)
	w := &worldShapes{height: math.Ceil((maxY-minY)*scale + 2*mapMargin)}
	for _, f := range features {
		// Whole tenths of a unit: the path data's precision. SVG's y
		// grows downwards, hence maxY - y.
		var rings [][][2]int
		for _, poly := range f.polygons {
			for _, r := range poly {
				t := make([][2]int, len(r))
				for i, p := range r {
					t[i] = [2]int{
						int(math.Round(((p[0]-minX)*scale + mapMargin) * 10)),
						int(math.Round(((maxY-p[1])*scale + mapMargin) * 10)),
					}
				}
				rings = append(rings, t)
			}
		}
		c := country{id: f.id, d: pathData(rings)}
		w.countries = append(w.countries, c)
		w.pathBytes += len(c.d)
	}
	slices.SortStableFunc(w.countries, func(a, b country) int { return strings.Compare(a.id, b.id) })
	return w, nil
}

// pathData writes rings, in tenths of a unit, as SVG path data: each ring
// starts with an absolute moveto and goes on with relative linetos, which
// are short numbers. Points that round onto the one before are dropped, as
// is a ring left with fewer than three points, too small to see.
func pathData(rings [][][2]int) string {
	var b []byte
	for _, r := range rings {
		r = slices.Compact(r)
		if len(r) > 1 && r[len(r)-1] == r[0] {
			r = r[:len(r)-1] // "z" closes the ring
		}
		if len(r) < 3 {
			continue
		}
		b = append(b, 'M')
		b = appendTenths(b, r[0][0], false)
		b = appendTenths(b, r[0][1], true)
		b = append(b, 'l')
		for i := 1; i < len(r); i++ {
			b = appendTenths(b, r[i][0]-r[i-1][0], i > 1)
			b = appendTenths(b, r[i][1]-r[i-1][1], true)
		}
		b = append(b, 'z')
	}
	return string(b)
}

// appendTenths writes v tenths as a decimal ("12.3", "-0.5", "7"). A
// number after another needs a separating space, unless its minus sign
// separates it.
func appendTenths(b []byte, v int, after bool) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	} else if after {
		b = append(b, ' ')
	}
	b = strconv.AppendInt(b, int64(v/10), 10)
	if v%10 != 0 {
		b = append(b, '.', byte('0'+v%10))
	}
	return b
}
