// SPDX-License-Identifier: AGPL-3.0-or-later

package statistics

// Age bands: a person's age this year (the year minus their year of
// birth), never finer. The bands follow the life stages protection work
// distinguishes: young children, children, adolescents, young adults, then
// wider adult bands.
var ageBandEdges = []struct {
	code string
	from int
}{{"0_4", 0}, {"5_11", 5}, {"12_17", 12}, {"18_24", 18}, {"25_34", 25}, {"35_49", 35}, {"50_64", 50},
	{"65_plus", 65}}

func ageBands() []string {
	out := make([]string, 0, len(ageBandEdges)+1)
	for _, b := range ageBandEdges {
		out = append(out, b.code)
	}
	return append(out, Unknown)
}

// ageBand returns the band of a person born in birthYear, in year; Unknown
// for no year of birth (0) or one that gives no age.
func ageBand(birthYear, year int) string {
	age := year - birthYear
	if birthYear <= 0 || age < 0 || age > 130 {
		return Unknown
	}
	band := Unknown
	for _, b := range ageBandEdges {
		if age >= b.from {
			band = b.code
		}
	}
	return band
}

// Length of detention bands, in whole days from the start of an episode to
// its end; an episode not ended is ongoing, however long so far.
const Ongoing = "ongoing"

var detentionEdges = []struct {
	code string
	from int
}{{"d0_6", 0}, {"d7_29", 7}, {"d30_89", 30}, {"d90_179", 90}, {"d180_364", 180}, {"d365_plus", 365}}

func detentionBands() []string {
	out := make([]string, 0, len(detentionEdges)+1)
	for _, b := range detentionEdges {
		out = append(out, b.code)
	}
	return append(out, Ongoing)
}

// detentionBand returns the band of an episode of days whole days, or
// Ongoing for days < 0 (not ended).
func detentionBand(days int) string {
	if days < 0 {
		return Ongoing
	}
	band := detentionEdges[0].code
	for _, b := range detentionEdges {
		if days >= b.from {
			band = b.code
		}
	}
	return band
}
