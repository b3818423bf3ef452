// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportObservations imports an SDMX-CSV file from the command line:
// a bad file changes nothing and names the line, column and reason; a dry
// run changes nothing; the import writes the values as drafts.
func TestImportObservations(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if code, out := run(t, "", "demo", "--data-dir", dir); code != 0 {
		t.Fatalf("demo: exit %d\n%s", code, out)
	}
	head := "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\n"
	good := write("good.csv", head+"dataflow,UNSD:DF_SDG(1.0),I,MEX,SI_RMT_COST,2021,5.5\ndataflow,UNSD:DF_SDG(1.0),I,GTM,SI_RMT_COST,2021,4.5\n")
	bad := write("bad.csv", head+"dataflow,UNSD:DF_SDG(1.0),I,MEX,SI_RMT_COST,2021,five\n")
	code, out := run(t, "", "import", "observations", bad, "--data-dir", dir)
	if code == 0 || !strings.Contains(out, "bad.csv:2: OBS_VALUE: Not a number") || !strings.Contains(out, "nothing was changed") {
		t.Fatalf("bad file: exit %d\n%s", code, out)
	}
	code, out = run(t, "", "import", "observations", "--dry-run", good, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "dry run, nothing changed; would have written 2 observation(s) in 2 set(s)") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	code, out = run(t, "", "import", "observations", good, "--format", "sdmx-csv", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "imported 2 observation(s) in 2 set(s)") {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
}
