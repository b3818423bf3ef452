// SPDX-License-Identifier: AGPL-3.0-or-later

package disclosure

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkProtect protects the largest tables the statistics pages show:
// about 250 nationalities by 9 age bands, sparse as real data is.
func BenchmarkProtect(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	tab := randomTable(r, 250, 9, DefaultK)
	for b.Loop() {
		if _, err := Protect(tab, DefaultK); err != nil {
			b.Fatal(err)
		}
	}
}
