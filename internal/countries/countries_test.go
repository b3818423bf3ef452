// SPDX-License-Identifier: AGPL-3.0-or-later

package countries

import (
	"slices"
	"strings"
	"testing"
)

// TestEmbeddedFileParses guards the panic in load: a broken countries.json
// must fail here, not when the server starts.
func TestEmbeddedFileParses(t *testing.T) {
	d, err := parse(countriesJSON)
	if err != nil {
		t.Fatal(err)
	}
	// ISO 3166-1 has 249 officially assigned codes; the generator leaves out
	// the user-assigned XK. A big change in count means a source changed shape.
	if n := len(d.list); n < 240 || n > 260 {
		t.Fatalf("%d countries, want about 249", n)
	}
}

func TestParseRejectsBrokenFiles(t *testing.T) {
	for name, in := range map[string]string{
		"not json":       `{`,
		"empty":          `{"regions":[],"countries":[]}`,
		"bad alpha2":     `{"countries":[{"alpha2":"F","alpha3":"FRA","numeric":"250","names":{"en":"France"}}]}`,
		"bad numeric":    `{"countries":[{"alpha2":"FR","alpha3":"FRA","numeric":"25","names":{"en":"France"}}]}`,
		"no english":     `{"countries":[{"alpha2":"FR","alpha3":"FRA","numeric":"250","names":{"fr":"France"}}]}`,
		"unknown region": `{"countries":[{"alpha2":"FR","alpha3":"FRA","numeric":"250","region":"150","names":{"en":"France"}}]}`,
		"duplicate code": `{"countries":[{"alpha2":"FR","alpha3":"FRA","numeric":"250","names":{"en":"France"}},{"alpha2":"FR","alpha3":"FRB","numeric":"251","names":{"en":"X"}}]}`,
		"unsorted":       `{"countries":[{"alpha2":"FR","alpha3":"FRA","numeric":"250","names":{"en":"France"}},{"alpha2":"DE","alpha3":"DEU","numeric":"276","names":{"en":"Germany"}}]}`,
	} {
		if _, err := parse([]byte(in)); err == nil {
			t.Errorf("%s: parse accepted it", name)
		}
	}
}

func TestCodesUnique(t *testing.T) {
	seen := map[string]string{}
	for _, c := range All() {
		for _, k := range []string{"a2:" + c.Alpha2, "a3:" + c.Alpha3, "n:" + c.Numeric} {
			if other, dup := seen[k]; dup {
				t.Errorf("%s used by %s and %s", k, other, c.Alpha3)
			}
			seen[k] = c.Alpha3
		}
	}
}

// TestEveryNameInSixLanguages reads the stored names, not Name, which would
// hide a gap behind the English fallback.
func TestEveryNameInSixLanguages(t *testing.T) {
	for _, c := range All() {
		for i, l := range langs {
			if c.names[i] == "" {
				t.Errorf("%s has no %s name", c.Alpha3, l)
			}
		}
	}
}

func TestAllSortedAndCopied(t *testing.T) {
	all := All()
	if !slices.IsSortedFunc(all, func(a, b Country) int { return strings.Compare(a.Alpha3, b.Alpha3) }) {
		t.Fatal("All is not sorted by Alpha3")
	}
	all[0].Alpha3 = "ZZZ"
	if All()[0].Alpha3 == "ZZZ" {
		t.Fatal("All returned the package's own slice")
	}
}

func TestLookupByEveryCode(t *testing.T) {
	for _, c := range All() {
		for _, k := range []string{c.Alpha2, c.Alpha3, c.Numeric, strings.ToLower(c.Alpha3), " " + strings.ToLower(c.Alpha2) + "\t"} {
			got, ok := Lookup(k)
			if !ok || got != c {
				t.Errorf("Lookup(%q) = %v, %v; want %s", k, got.Alpha3, ok, c.Alpha3)
			}
		}
	}
	for _, k := range []string{"", "F", "FRAN", "999", "XK", "XKK", "25"} {
		if c, ok := Lookup(k); ok {
			t.Errorf("Lookup(%q) found %s", k, c.Alpha3)
		}
	}
}

func TestFrance(t *testing.T) {
	for _, k := range []string{"FRA", "FR", "250", "fr"} {
		c, ok := Lookup(k)
		if !ok || c.Alpha2 != "FR" || c.Alpha3 != "FRA" || c.Numeric != "250" {
			t.Fatalf("Lookup(%q) = %+v, %v", k, c, ok)
		}
	}
	c, _ := Lookup("FRA")
	for lang, want := range map[string]string{
		"en": "France", "fr": "France", "es": "Francia",
		"ru": "Франция", "zh": "法国", "ar": "فرنسا",
		"fr-CA": "France", "ZH_Hans": "法国",
		"de": "France", "": "France", // unknown: English
	} {
		if got := c.Name(lang); got != want {
			t.Errorf("Name(%q) = %q, want %q", lang, got, want)
		}
	}
	if c.Region != "150" || c.SubRegion != "155" || c.IntermediateRegion != "" {
		t.Errorf("France regions = %s/%s/%s, want 150/155/-", c.Region, c.SubRegion, c.IntermediateRegion)
	}
}

func TestMexicoRegions(t *testing.T) {
	c, ok := Lookup("MEX")
	if !ok {
		t.Fatal("no MEX")
	}
	if c.Region != "019" || c.SubRegion != "419" || c.IntermediateRegion != "013" {
		t.Fatalf("Mexico regions = %s/%s/%s, want 019/419/013", c.Region, c.SubRegion, c.IntermediateRegion)
	}
	if got := RegionName(c.Region, "en"); got != "Americas" {
		t.Errorf("region name %q", got)
	}
	if got := RegionName(c.SubRegion, "en"); got != "Latin America and the Caribbean" {
		t.Errorf("sub-region name %q", got)
	}
	if got := (Region{Code: c.IntermediateRegion}).Name("es"); got != "Centroamérica" {
		t.Errorf("intermediate region name in es %q", got)
	}
}

func TestRegionsResolve(t *testing.T) {
	for _, c := range All() {
		for _, r := range []string{c.Region, c.SubRegion, c.IntermediateRegion} {
			if r == "" {
				continue
			}
			for _, l := range langs {
				if RegionName(r, l) == "" {
					t.Errorf("%s: region %s has no %s name", c.Alpha3, r, l)
				}
			}
		}
		// Every country M49 places somewhere has at least a region and a
		// sub-region; an intermediate region alone would mean a broken walk.
		if (c.Region == "") != (c.SubRegion == "") || (c.IntermediateRegion != "" && c.SubRegion == "") {
			t.Errorf("%s: incomplete M49 chain %q/%q/%q", c.Alpha3, c.Region, c.SubRegion, c.IntermediateRegion)
		}
	}
	if RegionName("999", "en") != "" || RegionName("", "en") != "" {
		t.Error("unknown region code got a name")
	}
}

// TestNoM49 pins the documented exceptions (SOURCE.md): M49 places
// Antarctica directly under World and does not list Taiwan.
func TestNoM49(t *testing.T) {
	var none []string
	for _, c := range All() {
		if c.Region == "" {
			none = append(none, c.Alpha3)
		}
	}
	if !slices.Equal(none, []string{"ATA", "TWN"}) {
		t.Errorf("countries without an M49 region: %v, want [ATA TWN]", none)
	}
}

func TestSortByName(t *testing.T) {
	pick := func(codes ...string) []Country {
		var cs []Country
		for _, k := range codes {
			c, ok := Lookup(k)
			if !ok {
				t.Fatalf("no %s", k)
			}
			cs = append(cs, c)
		}
		return cs
	}
	a3 := func(cs []Country) string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Alpha3)
		}
		return strings.Join(s, " ")
	}
	// French: Égypte sorts among the E's, before Espagne and after Danemark,
	// which a byte-wise sort (É > Z) would get wrong.
	cs := pick("ZAF", "ESP", "EGY", "DNK")
	SortByName(cs, "fr")
	if got, want := a3(cs), "ZAF DNK EGY ESP"; got != want { // Afrique du Sud, Danemark, Égypte, Espagne
		t.Errorf("fr order %s, want %s", got, want)
	}
	// Spanish: accented letters sort with their base letter.
	cs = pick("PER", "PAN", "PRY")
	SortByName(cs, "es")
	if got, want := a3(cs), "PAN PRY PER"; got != want { // Panamá, Paraguay, Perú
		t.Errorf("es order %s, want %s", got, want)
	}
	// Sorting the whole list must keep every country and be repeatable.
	all := All()
	for _, l := range append(langs[:], "xx") {
		SortByName(all, l)
		if len(all) != len(All()) {
			t.Fatalf("%s: lost countries", l)
		}
		for i := 1; i < len(all); i++ {
			if all[i-1] == all[i] {
				t.Fatalf("%s: duplicate after sort", l)
			}
		}
	}
}

func TestLookupName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Mexico", "MEX"}, {" méxico ", "MEX"}, {"MEXIQUE", "MEX"}, {"Мексика", "MEX"}, {"墨西哥", "MEX"},
		{"France", "FRA"}, {"Atlantis", ""}, {"", ""},
	} {
		c, ok := LookupName(tc.name)
		if ok != (tc.want != "") || c.Alpha3 != tc.want {
			t.Errorf("LookupName(%q) = %q, %v; want %q", tc.name, c.Alpha3, ok, tc.want)
		}
	}
}
