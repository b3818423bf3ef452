// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"errors"
	"math"
)

// errPolarRing is returned for a ring that crosses the antimeridian an odd
// number of times, which only a ring around a pole does. Antarctica is the
// only such shape, and the map leaves it off.
var errPolarRing = errors.New("ring goes round a pole")

// cutAntimeridian splits a closed ring of longitudes and latitudes where it
// crosses the antimeridian (±180°) into closed rings that keep to one side
// each.
//
// world-atlas keeps such rings whole, as d3 clips them on the sphere: a
// ring of Fiji or of Russia's Chukotka steps from 179.4° to −180°, and
// drawn as it is that step would run across the whole map. Each part is
// closed along the meridian. Parts on one side may nest (a bay reaching the
// meridian); the map's evenodd fill rule then still fills exactly the
// country, since a point is inside when an odd number of closed parts
// surround it, as it is for the whole ring.
func cutAntimeridian(r []point) ([][]point, error) {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	n := len(r)
	// crosses reports whether edge i, from r[i] to the next point, goes
	// the short way round through ±180° rather than across the map.
	crosses := func(i int) bool { return math.Abs(r[(i+1)%n][0]-r[i][0]) > 180 }
	first, count := -1, 0
	for i := range n {
		if crosses(i) {
			count++
			if first < 0 {
				first = i
			}
		}
	}
	if count == 0 {
		return [][]point{append(r, r[0])}, nil
	}
	if count%2 != 0 {
		return nil, errPolarRing
	}
	// Walk once round from just after the first crossing, so that every
	// part starts and ends on the meridian.
	var out [][]point
	var part []point
	for k := 1; k <= n; k++ {
		i := (first + k) % n
		prev := (i + n - 1) % n
		if crosses(prev) {
			exit, entry := meridianCrossing(r[prev], r[i])
			if part != nil {
				out = append(out, closeAlongMeridian(append(part, exit)))
			}
			part = []point{entry}
		}
		part = append(part, r[i])
	}
	// The walk ended on r[first], and the edge after it is the first
	// crossing.
	exit, _ := meridianCrossing(r[first], r[(first+1)%n])
	return append(out, closeAlongMeridian(append(part, exit))), nil
}

// meridianCrossing returns where the edge from a to b, which goes through
// ±180°, meets the meridian: as a point on a's side and the same point on
// b's side. The latitude is interpolated linearly, as the edge is short.
func meridianCrossing(a, b point) (onA, onB point) {
	side := 180.0
	if a[0] < 0 {
		side = -180
	}
	bLon := b[0] + 2*side // b's longitude unwrapped onto a's side
	lat := a[1]
	if d := bLon - a[0]; d != 0 {
		lat += (side - a[0]) / d * (b[1] - a[1])
	}
	return point{side, lat}, point{-side, lat}
}

// closeAlongMeridian closes a part whose two ends lie on the same side of
// the antimeridian, following the meridian back to the start, one degree at
// a time since the meridian is curved on the map.
func closeAlongMeridian(part []point) []point {
	start, end := part[0], part[len(part)-1]
	step := math.Copysign(1, start[1]-end[1])
	for lat := end[1] + step; (lat-start[1])*step < 0; lat += step {
		part = append(part, point{end[0], lat})
	}
	return append(part, start)
}
