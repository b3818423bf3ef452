// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import "math"

// The Equal Earth projection's constants, from Šavrič, Patterson and
// Jenny, "The Equal Earth map projection", International Journal of
// Geographical Information Science 33(3), 2019,
// doi:10.1080/13658816.2018.1504949. The map uses it because it is
// equal-area, so that no country looks bigger than it is (unlike Web
// Mercator, which swells the north), while its outline still looks like
// the familiar world map.
const (
	eeA1 = 1.340264
	eeA2 = -0.081106
	eeA3 = 0.000893
	eeA4 = 0.003796
)

// equalEarth projects a longitude and latitude in degrees onto the plane,
// for a sphere of radius 1: x grows eastwards, y northwards.
func equalEarth(lon, lat float64) (x, y float64) {
	lambda := lon * math.Pi / 180
	theta := math.Asin(math.Sqrt(3) / 2 * math.Sin(lat*math.Pi/180))
	t2 := theta * theta
	t6 := t2 * t2 * t2
	// x = 2√3·λ·cos θ / 3(9A4θ⁸ + 7A3θ⁶ + 3A2θ² + A1)
	x = 2 * math.Sqrt(3) * lambda * math.Cos(theta) / (3 * (9*eeA4*t6*t2 + 7*eeA3*t6 + 3*eeA2*t2 + eeA1))
	// y = A4θ⁹ + A3θ⁷ + A2θ³ + A1θ
	y = theta * (eeA1 + eeA2*t2 + t6*(eeA3+eeA4*t2))
	return x, y
}
