// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkProtect protects tables of the sizes the statistics pages show,
// up to the largest: about 250 nationalities by 9 age bands, with counts as
// sparse as real data (a third of them below k).
func BenchmarkProtect(b *testing.B) {
	for _, size := range [][2]int{{20, 0}, {41, 9}, {250, 9}} {
		b.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 1))
			tab := randomTable(r, size[0], size[1], DefaultK)
			for b.Loop() {
				if _, err := Protect(tab, DefaultK); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
