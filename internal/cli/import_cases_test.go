// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportCases seeds the demo organisation and imports cases for its
// caseworker: a bad file changes nothing and names each row, column and
// reason; a dry run changes nothing; the import opens the cases; the same
// file again is refused, or skipped with --skip-existing.
func TestImportCases(t *testing.T) {
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
	mapping := write("kobo.json", `{"columns": {"first_name": "given_name", "gender": "sex", "id_number": "document_number"},
		"values": {"sex": {"f": "female"}}}`)
	good := write("good.csv", "first_name,gender,id_number,_uuid\nAna,f,A-1,u1\nBeto,male,B-2,u2\n")
	bad := write("bad.csv", "first_name,gender,id_number\nAna,f,A-1\nCleo,robot,C-3\nDora,f,A 1\n")
	where := []string{"--data-dir", dir, "--org", "Amparo demo organisation", "--owner", "caseworker@demo.amparo.test",
		"--mapping", mapping}

	code, out := run(t, "", append([]string{"import", "cases", bad}, where...)...)
	for _, want := range []string{
		bad + ":3: gender: Use female, male, other or unknown",
		bad + ":4: id_number: An earlier row has the same document number.",
		"2 error(s) in " + bad + "; nothing was changed",
	} {
		if code == 0 || !strings.Contains(out, want) {
			t.Errorf("bad file: exit %d, output lacks %q:\n%s", code, want, out)
		}
	}
	code, out = run(t, "", append([]string{"import", "cases", "--dry-run", good}, where...)...)
	if code != 0 || !strings.Contains(out, "2 row(s) — dry run, nothing changed; would open 2 case(s)") {
		t.Fatalf("dry run: exit %d\n%s", code, out)
	}
	code, out = run(t, "", append([]string{"import", "cases", good}, where...)...)
	if code != 0 || !strings.Contains(out, "opened 2 case(s), skipped 0 already registered") {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	code, out = run(t, "", append([]string{"import", "cases", good}, where...)...)
	if code == 0 || !strings.Contains(out, "A person with this document number is already registered.") {
		t.Fatalf("again: exit %d\n%s", code, out)
	}
	code, out = run(t, "", append([]string{"import", "cases", good, "--skip-existing"}, where...)...)
	if code != 0 || !strings.Contains(out, "opened 0 case(s), skipped 2 already registered") {
		t.Fatalf("again, skipping: exit %d\n%s", code, out)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "cases", good, "--data-dir", dir}, "give --org and --owner"},
		{[]string{"import", "cases", good, "--data-dir", dir, "--org", "Nobody", "--owner", "x@example.org"}, `no organisation is named "Nobody"`},
		{append([]string{"import", "cases", good, "--preset", "kobotoolbox"}, where...), "mapping: You may not set this."},
		{[]string{"import", "cases", good, "--data-dir", dir, "--org", "Amparo demo organisation", "--owner",
			"admin@demo.amparo.test"}, "owner_id: This person cannot see the case."},
	} {
		if code, out := run(t, "", c.args...); code == 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, output lacks %q:\n%s", c.args, code, c.want, out)
		}
	}
}

// TestDemoCases opens synthetic cases and writes the benchmark file.
func TestDemoCases(t *testing.T) {
	dir := t.TempDir()
	code, out := run(t, "", "demo", "--data-dir", dir, "--cases", "40")
	if code != 0 || !strings.Contains(out, "opened 40 synthetic demo case(s) in Amparo demo organisation") {
		t.Fatalf("demo --cases: exit %d\n%s", code, out)
	}
	file := filepath.Join(dir, "bench.csv")
	if code, out := run(t, "", "demo", "--cases", "3", "--write-csv", file); code != 0 {
		t.Fatalf("--write-csv: exit %d\n%s", code, out)
	}
	data, err := os.ReadFile(file)
	if err != nil || strings.Count(string(data), "\n") != 4 || !strings.Contains(string(data), "Demo,Person 000003,") {
		t.Errorf("written file (%v):\n%s", err, data)
	}
	if code, out := run(t, "", "demo", "--cases", "3", "--write-csv", file); code == 0 || !strings.Contains(out, "exists") {
		t.Errorf("--write-csv over a file: exit %d\n%s", code, out)
	}
}
