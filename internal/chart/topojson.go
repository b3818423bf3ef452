// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"encoding/json"
	"fmt"
)

// topology is the part of a TopoJSON document (the TopoJSON Format
// Specification, github.com/topojson/topojson-specification) that the map
// reads: the shared arcs, their quantization transform, and the objects'
// geometries.
type topology struct {
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects map[string]struct {
		Geometries []topoGeometry `json:"geometries"`
	} `json:"objects"`
	Arcs [][][]float64 `json:"arcs"`
}

// topoGeometry is one geometry of a collection. Its arcs are nested one
// level deeper for a MultiPolygon than for a Polygon, so they are decoded
// once the type is known.
type topoGeometry struct {
	Type string          `json:"type"`
	ID   string          `json:"id"`
	Arcs json.RawMessage `json:"arcs"`
}

// point is a position: longitude and latitude in degrees, or projected x
// and y.
type point [2]float64

// polygon is a list of rings, each a closed list of points: the first ring
// is the outline, any others are holes.
type polygon [][]point

// feature is a geometry with its arcs resolved into polygons. id is empty
// when the geometry has none.
type feature struct {
	id       string
	polygons []polygon
}

// decodeFeatures returns the Polygon and MultiPolygon geometries of the
// named geometry collection of a TopoJSON document, in document order.
func decodeFeatures(data []byte, object string) ([]feature, error) {
	var t topology
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("topojson: %w", err)
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("topojson: no object %q", object)
	}
	arcs, err := t.decodeArcs()
	if err != nil {
		return nil, err
	}
	var out []feature
	for _, g := range obj.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			err = json.Unmarshal(g.Arcs, &p)
			polys = [][][]int{p}
		case "MultiPolygon":
			err = json.Unmarshal(g.Arcs, &polys)
		default:
			return nil, fmt.Errorf("topojson: geometry %q: unsupported type %q", g.ID, g.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("topojson: geometry %q: %w", g.ID, err)
		}
		f := feature{id: g.ID}
		for _, p := range polys {
			var poly polygon
			for _, idx := range p {
				r, err := ring(arcs, idx)
				if err != nil {
					return nil, fmt.Errorf("topojson: geometry %q: %w", g.ID, err)
				}
				poly = append(poly, r)
			}
			f.polygons = append(f.polygons, poly)
		}
		out = append(out, f)
	}
	return out, nil
}

// decodeArcs returns the arcs in degrees. In a quantized topology each
// arc's first position is an integer grid position and each later one the
// difference from the one before; the transform then maps the grid to
// degrees.
func (t *topology) decodeArcs() ([][]point, error) {
	out := make([][]point, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([]point, len(arc))
		var x, y float64
		for j, pos := range arc {
			if len(pos) < 2 {
				return nil, fmt.Errorf("topojson: arc %d position %d has %d coordinates", i, j, len(pos))
			}
			if t.Transform == nil {
				pts[j] = point{pos[0], pos[1]}
				continue
			}
			x, y = x+pos[0], y+pos[1]
			pts[j] = point{
				x*t.Transform.Scale[0] + t.Transform.Translate[0],
				y*t.Transform.Scale[1] + t.Transform.Translate[1],
			}
		}
		out[i] = pts
	}
	return out, nil
}

// ring joins arcs into one ring. An index i ≥ 0 is arc i; a negative one,
// ^i (that is −i−1), is arc i backwards. Each arc starts where the one
// before ended, so that shared point is kept once.
func ring(arcs [][]point, idx []int) ([]point, error) {
	var out []point
	for k, i := range idx {
		reversed := i < 0
		if reversed {
			i = ^i
		}
		if i >= len(arcs) {
			return nil, fmt.Errorf("arc %d out of range", i)
		}
		arc := arcs[i]
		for n := range arc {
			if k > 0 && n == 0 {
				continue
			}
			if reversed {
				out = append(out, arc[len(arc)-1-n])
			} else {
				out = append(out, arc[n])
			}
		}
	}
	return out, nil
}
