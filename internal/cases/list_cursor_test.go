// SPDX-License-Identifier: AGPL-3.0-or-later

package cases

import (
	"slices"
	"testing"
)

func TestCursorRoundTrips(t *testing.T) {
	id := "0123456789abcdefghjkmnpqrs"
	for _, c := range []cursor{
		{sort: SortUpdated, micros: 1795424400000000, id: id},
		{sort: SortOpened, micros: 0, id: id},
		{sort: SortNumber, number: "2026-00007", id: id},
		{sort: SortNumber, number: "2026-123456", id: id},
		{sort: SortRisk, rank: 4, micros: 1795424400000000, id: id},
		{sort: SortRisk, rank: 0, micros: 1, id: id},
	} {
		s := c.String()
		got, ok := parseCursor(s, c.sort)
		if !ok || got != c {
			t.Errorf("%q parsed to %+v %v, want %+v", s, got, ok, c)
		}
		// A cursor of one order is no cursor of another.
		for _, other := range Sorts {
			if _, ok := parseCursor(s, other); ok && other != c.sort {
				t.Errorf("%q is accepted as a cursor of %s", s, other)
			}
		}
	}
	if s := (cursor{sort: SortUpdated, micros: 1795424400000000, id: id}).String(); s != "1795424400000000."+id {
		t.Errorf("default order's cursor %q changed form", s)
	}
}

func TestParseCursorRefusesNonsense(t *testing.T) {
	id := "0123456789abcdefghjkmnpqrs"
	for _, r := range []struct {
		sort Sort
		s    string
	}{
		{SortUpdated, ""}, {SortUpdated, "."}, {SortUpdated, "1."}, {SortUpdated, "." + id}, {SortUpdated, "x." + id},
		{SortUpdated, "-1." + id}, {SortUpdated, "+1." + id}, {SortUpdated, "1.2." + id}, {SortUpdated, "1." + id + "x"},
		{SortUpdated, "99999999999999999999." + id}, {SortUpdated, "1.0123456789ABCDEFGHJKMNPQRS"},
		{SortOpened, "1." + id}, {SortOpened, "o." + id},
		{SortNumber, "n2026-7." + id}, {SortNumber, "n2026." + id}, {SortNumber, "n." + id}, {SortNumber, "2026-00007." + id},
		{SortRisk, "r5.1." + id}, {SortRisk, "r." + id}, {SortRisk, "r1." + id}, {SortRisk, "r12.1." + id}, {SortRisk, "r-1.1." + id},
	} {
		if c, ok := parseCursor(r.s, r.sort); ok {
			t.Errorf("parseCursor(%q, %s) = %+v", r.s, r.sort, c)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add("1795424400000000.0123456789abcdefghjkmnpqrs")
	f.Add("n2026-00007.0123456789abcdefghjkmnpqrs")
	f.Add("r3.1795424400000000.0123456789abcdefghjkmnpqrs")
	f.Add("o0.00000000000000000000000000")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		for _, sort := range Sorts {
			c, ok := parseCursor(s, sort)
			if !ok {
				continue
			}
			// What parses must print back to itself, apart from leading
			// zeros.
			again, ok := parseCursor(c.String(), sort)
			if !ok || again != c {
				t.Fatalf("%q parsed to %+v, which does not round-trip", s, c)
			}
		}
	})
}

func TestRiskRankMatchesSQL(t *testing.T) {
	// riskRankSQL spells riskRank out; both must order the levels alike.
	want := []int{0, 1, 2, 3, 4}
	var got []int
	for _, r := range append([]Risk{RiskUnassessed}, Risks...) {
		got = append(got, riskRank(r))
	}
	if !slices.Equal(got, want) {
		t.Errorf("ranks %v, want %v", got, want)
	}
}

func TestNormaliseNumber(t *testing.T) {
	for in, want := range map[string]string{
		"2026-7": "2026-00007", " 2026-00007 ": "2026-00007", "2026-123456": "2026-123456", "2026-000123456": "2026-123456",
	} {
		if got, ok := NormaliseNumber(in); !ok || got != want {
			t.Errorf("NormaliseNumber(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "2026", "2026-", "2026-0", "26-1", "2026-1a", "2026 1", "x2026-1", "2026-1234567890123"} {
		if got, ok := NormaliseNumber(bad); ok {
			t.Errorf("NormaliseNumber(%q) = %q", bad, got)
		}
	}
}
