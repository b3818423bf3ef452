// SPDX-License-Identifier: AGPL-3.0-or-later

package browsertest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// commitmentsFlow is what an analyst does with the commitments pages,
// signed in as the demo administrator: read the interface in Arabic, open
// the matrix and an instrument with its chart and map, and import a file
// with a bad row, which is reported and changes nothing.
func commitmentsFlow(t *testing.T, srv server, b *browser) {
	// Arabic, right to left, chosen in the language switcher.
	b.open(srv.base + "/")
	b.waitPath("/")
	b.click(ByCSS, "[data-testid=lang-switcher] summary")
	b.click(ByCSS, "[data-testid=lang-ar]")
	b.find(ByCSS, `html[lang="ar"]`)
	if dir := b.property(ByCSS, "html", "dir"); dir != "rtl" {
		t.Errorf("the Arabic page's direction is %q, want rtl", dir)
	}

	// The matrix, still in Arabic: the language is remembered.
	b.open(srv.base + "/commitments")
	b.waitPath("/commitments")
	b.find(ByCSS, `html[lang="ar"][dir="rtl"]`)
	if n := len(b.findAll(ByCSS, "[data-testid=commitments-matrix] tbody tr")); n < 200 {
		t.Errorf("the matrix shows %d countries, want every country", n)
	}

	// Back to English, then an instrument: its chart and its map.
	b.click(ByCSS, "[data-testid=lang-switcher] summary")
	b.click(ByCSS, "[data-testid=lang-en]")
	b.find(ByCSS, `html[lang="en"]`)
	b.click(ByCSS, `[data-testid=commitments-matrix] thead a[href="/commitments/instruments/ICRMW"]`)
	b.waitPath("/commitments/instruments/ICRMW")
	b.find(ByCSS, "[data-testid=instrument-chart] svg polyline, [data-testid=instrument-chart] svg path")
	if n := len(b.findAll(ByCSS, "[data-testid=instrument-map] svg path")); n < 150 {
		t.Errorf("the map draws %d shapes, want the world's countries", n)
	}
	if !strings.Contains(b.text(ByCSS, "[data-testid=instrument-states]"), "Mexico") {
		t.Error("the instrument's table does not list Mexico")
	}

	// An import with one bad row: the row is reported, nothing changes.
	file := filepath.Join(t.TempDir(), "ratifications.csv")
	body := "country,instrument,action,date,source\nPHL,C189,ratification,2012-09-05,https://normlex.ilo.org/\nXXX,C189,ratification,2012-09-05,https://normlex.ilo.org/\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	b.open(srv.base + "/commitments/import")
	b.waitPath("/commitments/import")
	if err := b.find(ByCSS, "input[type=file]").SendKeys(file); err != nil {
		t.Fatalf("choose the file: %v", err)
	}
	b.click(ByCSS, "[data-testid=import-submit]")
	b.find(ByCSS, "[data-testid=import-errors]")
	row := b.text(ByCSS, "[data-testid=import-error-row]")
	if !strings.Contains(row, "3") || !strings.Contains(row, "country") {
		t.Errorf("the reported row says %q, want line 3 and the country column", row)
	}
	// The page answered 422, which the browser logs as an error; that one
	// is expected, any other is not.
	b.checkConsole("/commitments/import - Failed to load resource: the server responded with a status of 422")
	b.open(srv.base + "/commitments/countries/PHL")
	b.waitPath("/commitments/countries/PHL")
	if strings.Contains(b.text(ByCSS, "[data-testid=country-instruments] tr#C189"), "2012") {
		t.Error("the file with a bad row changed the Philippines' records")
	}
}
