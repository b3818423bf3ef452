// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"testing"
)

func TestEqualEarth(t *testing.T) {
	// Reference values from d3-geo 3's geoEqualEarth at scale 1, an
	// independent implementation of the same published formula (its y
	// negated: d3's y grows downwards).
	for _, tc := range []struct{ lon, lat, x, y float64 }{
		{0, 0, 0, 0},
		{180, 0, 2.70662998369607, 0},
		{-180, 0, -2.70662998369607, 0},
		{0, 90, 0, 1.31736275915741},
		{180, 90, 1.60358864828405, 1.31736275915741},
		{45, 30, 0.632925418956816, 0.592935119848017},
		{-120, -45, -1.54647266547064, -0.860231085522010},
		{13.4, 52.5, 0.162764499562719, 0.980364671899934},
	} {
		x, y := equalEarth(tc.lon, tc.lat)
		if math.Abs(x-tc.x) > 1e-12 || math.Abs(y-tc.y) > 1e-12 {
			t.Errorf("equalEarth(%v, %v) = (%.15g, %.15g), want (%.15g, %.15g)", tc.lon, tc.lat, x, y, tc.x, tc.y)
		}
	}
}

// A hand-made topology: two squares sharing an edge, quantized with a
// transform, the second square using the shared arc backwards, plus a
// MultiPolygon and a geometry without an id.
const tinyTopology = `{
  "type": "Topology",
  "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
  "objects": {"things": {"type": "GeometryCollection", "geometries": [
    {"type": "Polygon", "id": "001", "arcs": [[0, 1]]},
    {"type": "Polygon", "id": "002", "arcs": [[-1, 2]]},
    {"type": "MultiPolygon", "arcs": [[[0, 1]], [[-1, 2]]]}
  ]}},
  "arcs": [
    [[2, 0], [0, 4]],
    [[2, 4], [-2, 0], [0, -4], [2, 0]],
    [[2, 0], [2, 0], [0, 4], [-2, 0]]
  ]
}`

func TestDecodeFeatures(t *testing.T) {
	fs, err := decodeFeatures([]byte(tinyTopology), "things")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 3 {
		t.Fatalf("got %d features, want 3", len(fs))
	}
	want1 := []point{{11, 20}, {11, 21}, {10, 21}, {10, 20}, {11, 20}}
	want2 := []point{{11, 21}, {11, 20}, {12, 20}, {12, 21}, {11, 21}}
	if fs[0].id != "001" || len(fs[0].polygons) != 1 || !slices.Equal(fs[0].polygons[0][0], want1) {
		t.Errorf("feature 0 = %+v, want id 001 and ring %v", fs[0], want1)
	}
	if fs[1].id != "002" || !slices.Equal(fs[1].polygons[0][0], want2) {
		t.Errorf("feature 1 = %+v, want id 002 and ring %v (reversed shared arc)", fs[1], want2)
	}
	if fs[2].id != "" || len(fs[2].polygons) != 2 || !slices.Equal(fs[2].polygons[1][0], want2) {
		t.Errorf("feature 2 = %+v, want no id and two polygons", fs[2])
	}
}

func TestDecodeFeaturesErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"not JSON":       `{`,
		"no object":      `{"objects": {}, "arcs": []}`,
		"arc range":      `{"objects": {"things": {"geometries": [{"type": "Polygon", "arcs": [[3]]}]}}, "arcs": []}`,
		"reversed range": `{"objects": {"things": {"geometries": [{"type": "Polygon", "arcs": [[-2]]}]}}, "arcs": [[[0, 0]]]}`,
		"short position": `{"objects": {"things": {"geometries": []}}, "arcs": [[[0]]]}`,
		"type":           `{"objects": {"things": {"geometries": [{"type": "Point", "coordinates": [0, 0]}]}}, "arcs": []}`,
		"arcs shape":     `{"objects": {"things": {"geometries": [{"type": "Polygon", "arcs": [0]}]}}, "arcs": []}`,
	} {
		if _, err := decodeFeatures([]byte(doc), "things"); err == nil {
			t.Errorf("%s: decodeFeatures succeeded, want an error", name)
		}
	}
}

func TestPathData(t *testing.T) {
	got := pathData([][][2]int{
		{{100, 200}, {105, 200}, {105, 200}, {95, 150}, {100, 200}}, // duplicate and closing points dropped
		{{0, 0}, {1, 1}, {0, 0}},                                    // too small once closed: dropped
	})
	if want := "M10 20l0.5 0-1-5z"; got != want {
		t.Errorf("pathData() = %q, want %q", got, want)
	}
}

// parsePath returns the absolute points of path data written by pathData,
// adding up the relative steps in whole tenths so that no rounding creeps
// in.
func parsePath(t *testing.T, d string) [][]point {
	t.Helper()
	var rings [][]point
	var x, y int
	for _, m := range pathRE.FindAllStringSubmatch(d, -1) {
		nums := numRE.FindAllString(m[2], -1)
		if len(nums)%2 != 0 {
			t.Fatalf("odd number of coordinates in %q", m[0])
		}
		for i := 0; i < len(nums); i += 2 {
			dx, dy := tenths(t, nums[i]), tenths(t, nums[i+1])
			if m[1] == "M" && i == 0 {
				x, y = dx, dy
				rings = append(rings, nil)
			} else {
				x, y = x+dx, y+dy
			}
			rings[len(rings)-1] = append(rings[len(rings)-1], point{float64(x) / 10, float64(y) / 10})
		}
	}
	return rings
}

func tenths(t *testing.T, s string) int {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return int(math.Round(v * 10))
}

var (
	pathRE = regexp.MustCompile(`([Mlz])([^Mlz]*)`)
	numRE  = regexp.MustCompile(`-?[0-9]+(?:\.[0-9])?`)
)

// TestWorldShapes checks the projected map against the embedded file:
// every country with an ISO code except Antarctica has a path, every path
// lies inside the map, and no edge runs across the map, which is how a
// shape crossing the antimeridian (Russia, Fiji) would go wrong.
func TestWorldShapes(t *testing.T) {
	fs, err := decodeFeatures(countriesTopoJSON, "countries")
	if err != nil {
		t.Fatal(err)
	}
	isoRE := regexp.MustCompile(`^[0-9]{3}$`)
	var want []string
	noID := 0
	for _, f := range fs {
		switch {
		case f.id == "":
			noID++
		case !isoRE.MatchString(f.id):
			t.Errorf("feature id %q is not an ISO 3166-1 numeric code", f.id)
		case f.id != antarctica:
			want = append(want, f.id)
		}
	}
	slices.Sort(want)
	if got := MapCodes(); !slices.Equal(got, want) {
		t.Errorf("MapCodes() = %v\nwant %v", got, want)
	}
	if len(want) != 173 || noID != 3 {
		t.Errorf("%d ISO features and %d without id, want 173 and 3 (has the file changed?)", len(want), noID)
	}
	w := world()
	if len(w.countries) != len(want)+noID {
		t.Errorf("world has %d shapes, want %d", len(w.countries), len(want)+noID)
	}
	var minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, c := range w.countries {
		rings := parsePath(t, c.d)
		if len(rings) == 0 {
			t.Errorf("country %q has no path", c.id)
		}
		for _, r := range rings {
			for i, p := range r {
				minX, maxX = min(minX, p[0]), max(maxX, p[0])
				minY, maxY = min(minY, p[1]), max(maxY, p[1])
				if p[0] < 0 || p[0] > mapWidth || p[1] < 0 || p[1] > w.height {
					t.Errorf("country %q: point %v outside the map 0 0 %v %v", c.id, p, mapWidth, w.height)
				}
				if i > 0 && math.Abs(p[0]-r[i-1][0]) > mapWidth/4 {
					t.Errorf("country %q: edge from %v to %v runs across the map", c.id, r[i-1], p)
				}
			}
		}
	}
	// The shapes fill the map but for its margin.
	if minX != mapMargin || maxX != mapWidth-mapMargin || minY != mapMargin || maxY < w.height-mapMargin-1 {
		t.Errorf("shapes span %v–%v × %v–%v, want %v–%v × %v–%v", minX, maxX, minY, maxY, mapMargin, mapWidth-mapMargin, mapMargin, w.height-mapMargin)
	}
	// The shapes down to Antarctica's coast at 85.6°S would make the map
	// about 1:2; down to Tierra del Fuego, at 56°S, it is about 1:2.25.
	if w.height > mapWidth/2.2 {
		t.Errorf("map is %v high: is Antarctica still on it?", w.height)
	}
}

func TestCutAntimeridian(t *testing.T) {
	// A square from 170°E to 170°W (−170°), 10°S to 10°N, crossing the
	// antimeridian twice, as Fiji's rings do.
	square := []point{{170, -10}, {-170, -10}, {-170, 10}, {170, 10}, {170, -10}}
	got, err := cutAntimeridian(square)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d parts, want 2: %v", len(got), got)
	}
	for _, part := range got {
		if part[0] != part[len(part)-1] {
			t.Errorf("part %v is not closed", part)
		}
		east := part[0][0] > 0
		for _, p := range part {
			if (p[0] > 0) != east || p[1] < -10 || p[1] > 10 {
				t.Errorf("part %v leaves its side or the square", part)
				break
			}
		}
		// Closed along the meridian a degree at a time: 20° of
		// latitude, 21 points on it.
		onMeridian := 0
		for _, p := range part {
			if math.Abs(p[0]) == 180 {
				onMeridian++
			}
		}
		if onMeridian != 21+1 { // the start is there twice, to close
			t.Errorf("part %v has %d points on the meridian, want 22", part, onMeridian)
		}
	}
	// A ring that does not cross comes back whole.
	plain := []point{{0, 0}, {1, 0}, {1, 1}, {0, 0}}
	if got, err := cutAntimeridian(plain); err != nil || len(got) != 1 || !slices.Equal(got[0], plain) {
		t.Errorf("cutAntimeridian(%v) = %v, %v; want it unchanged", plain, got, err)
	}
	// A ring round the pole crosses once.
	polar := []point{{-180, -80}, {0, -85}, {180, -80}, {-180, -80}}
	if _, err := cutAntimeridian(polar); !errors.Is(err, errPolarRing) {
		t.Errorf("cutAntimeridian(polar ring) error = %v, want errPolarRing", err)
	}
}
