// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportRatifications(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.csv", "country,instrument,action,date,source\nPHL,C189,ratification,2012-09-05,https://normlex.ilo.org/x\nDEU,C189,ratification,2013-09-20,https://normlex.ilo.org/y\n")
	bad := write("bad.csv", "country,instrument,action,date,source\nPHL,C189,ratification,2012-09-05,https://normlex.ilo.org/x\nXXX,C189,ratified,2099-01-01,\n")

	code, out := run(t, "", "import", "ratifications", bad, "--data-dir", dir)
	if code == 0 {
		t.Fatalf("a bad file was accepted:\n%s", out)
	}
	for _, want := range []string{
		bad + ":3: country: Not an ISO 3166-1 country code.",
		bad + ":3: action: ",
		bad + ":3: date: This date is in the future.",
		bad + ":3: source: This field is required.",
		"4 error(s) in " + bad + "; nothing was changed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out = run(t, "", "import", "ratifications", "--dry-run", good, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "2 row(s) — dry run, nothing changed; would have 2 new, 0 updated, 0 unchanged") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	code, out = run(t, "", "import", "ratifications", good, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "imported 2 new, 0 updated, 0 unchanged") {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	code, out = run(t, "", "import", "ratifications", good, "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "imported 0 new, 0 updated, 2 unchanged") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}

	if code, out := run(t, "", "import", "treaties", good); code == 0 || !strings.Contains(out, "usage: amparo import ratifications") {
		t.Errorf("unknown kind: exit %d\n%s", code, out)
	}
	if code, out := run(t, "", "import", "ratifications", filepath.Join(dir, "missing.csv"), "--data-dir", dir); code == 0 || !strings.Contains(out, "no such file") {
		t.Errorf("missing file: exit %d\n%s", code, out)
	}
}
