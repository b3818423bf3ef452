// SPDX-License-Identifier: AGPL-3.0-or-later

package chart

import (
	"strconv"
	"testing"
)

// BenchmarkWorldMap measures a map render once the shapes are projected:
// the cost of every map a page shows. Every country has a class and a
// name, the worst case.
func BenchmarkWorldMap(b *testing.B) {
	m := MapData{
		Classes: []MapClass{{Label: "low", Color: 0}, {Label: "mid", Color: 3}, {Label: "high", Color: 6}},
		Class:   map[string]int{},
		Names:   map[string]string{},
		NoData:  "No data",
	}
	for i, code := range MapCodes() {
		m.Class[code] = i % 3
		m.Names[code] = "Country " + code
	}
	s := Spec{ID: "bench", Title: "Cases by country", Desc: "A benchmark."}
	WorldMap(s, m) // project the shapes outside the timing
	b.ReportAllocs()
	for b.Loop() {
		WorldMap(s, m)
	}
}

func BenchmarkLine(b *testing.B) {
	cats := make([]string, 20)
	series := make([]Series, 3)
	for i := range cats {
		cats[i] = strconv.Itoa(2006 + i)
		for j := range series {
			series[j].Values = append(series[j].Values, float64((i+1)*(j+3)*37%500))
		}
	}
	s := Spec{ID: "bench", Title: "Cases", Desc: "A benchmark.", XLabel: "Year", YLabel: "Cases"}
	b.ReportAllocs()
	for b.Loop() {
		Line(s, cats, series)
	}
}
