// SPDX-License-Identifier: AGPL-3.0-or-later

package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/testutil"
)

// run runs the command line with stdin and returns the exit code and
// combined output.
func run(t *testing.T, stdin string, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Run(args, strings.NewReader(stdin), &out, &out)
	return code, out.String()
}

func TestServeDemoStartsAndStops(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	out := &testutil.SyncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, env{stdin: strings.NewReader(""), stdout: out, stderr: io.Discard},
			[]string{"--demo", "--data-dir", dir, "--addr", "127.0.0.1:0"})
	}()
	url := ""
	re := regexp.MustCompile(`running on (http://\S+)/login`)
	for deadline := time.Now().Add(30 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
	}
	if url == "" {
		cancel()
		t.Fatalf("serve printed no address: %q", out.String())
	}
	for _, want := range []string{"admin@demo.amparo.test", "caseworker@demo.amparo.test", "analyst@demo.amparo.test", "one-time password: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("welcome lacks %q:\n%s", want, out.String())
		}
	}
	res, err := http.Get(url + "/healthz")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve returned %v after shutdown", err)
	}
	st, err := os.Stat(filepath.Join(dir, "master.key"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("master.key mode = %v, %v; want 0600", st.Mode(), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "amparo.db")); err != nil {
		t.Fatalf("no database created: %v", err)
	}
	// A second demo run re-issues one-time passwords of unused demo accounts.
	code, text := run(t, "", "demo", "--data-dir", dir)
	if code != 0 || strings.Count(text, "@demo.amparo.test") != 3 || strings.Contains(text, "in use") {
		t.Fatalf("demo again: %d\n%s", code, text)
	}
}

func TestRefusesReadableKeyFile(t *testing.T) {
	dir := t.TempDir()
	if code, out := run(t, "", "user", "add", "--data-dir", dir, "--email", "root@example.org", "--name", "Root", "--sysadmin"); code != 0 {
		t.Fatalf("user add: %d %s", code, out)
	}
	if err := os.Chmod(filepath.Join(dir, "master.key"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := run(t, "", "audit", "verify", "--data-dir", dir)
	if code == 0 || !strings.Contains(out, "master.key") {
		t.Fatalf("started with a world-readable key file: %d %s", code, out)
	}
	if err := os.Remove(filepath.Join(dir, "master.key")); err != nil {
		t.Fatal(err)
	}
	code, out = run(t, "", "audit", "verify", "--data-dir", dir)
	if code == 0 || !strings.Contains(out, "missing") {
		t.Fatalf("started without the key file of an existing database: %d %s", code, out)
	}
}

func TestBadConfigurationIsRefused(t *testing.T) {
	code, out := run(t, "", "serve", "--addr", "not-an-address", "--data-dir", t.TempDir())
	if code == 0 || !strings.Contains(out, "address") {
		t.Fatalf("bad address accepted: %d %s", code, out)
	}
	if code, out := run(t, "", "nonsense"); code != 2 || !strings.Contains(out, "unknown command") {
		t.Fatalf("unknown command: %d %s", code, out)
	}
}

func TestAdministrationCommands(t *testing.T) {
	dir := t.TempDir()
	must := func(stdin string, args ...string) string {
		t.Helper()
		code, out := run(t, stdin, append(args, "--data-dir", dir)...)
		if code != 0 {
			t.Fatalf("amparo %s: exit %d\n%s", strings.Join(args, " "), code, out)
		}
		return out
	}
	out := must("", "user", "add", "--email", "Root@Example.org", "--name", "Root Admin", "--sysadmin")
	if !regexp.MustCompile(`one-time password \(must be changed at first sign-in\): \S{16}`).MatchString(out) {
		t.Fatalf("no one-time password printed:\n%s", out)
	}
	if code, out := run(t, "password\n", "user", "add", "--data-dir", dir, "--email", "w@example.org", "--name", "W", "--sysadmin", "--password-stdin"); code == 0 || !strings.Contains(out, "password: too") {
		t.Fatalf("weak password accepted: %d %s", code, out)
	}
	must("a long and unusual passphrase\n", "user", "passwd", "--email", "root@example.org", "--password-stdin")
	must("", "user", "reset-2fa", "--email", "root@example.org")
	if out := must("", "user", "list"); !strings.Contains(out, "root@example.org") || !strings.Contains(out, "Root Admin") {
		t.Fatalf("user list:\n%s", out)
	}
	if out := must("", "user", "token", "--email", "root@example.org", "--scopes", "organisation.read", "--days", "7"); !regexp.MustCompile(`(?m)^amp_\S{43}$`).MatchString(out) {
		t.Fatalf("user token printed no token:\n%s", out)
	}
	if code, out := run(t, "", "user", "token", "--data-dir", dir, "--email", "root@example.org", "--scopes", "cases.delete"); code == 0 || !strings.Contains(out, "scopes") {
		t.Fatalf("unknown scope accepted: %d %s", code, out)
	}
	must("", "user", "add", "--email", "second@example.org", "--name", "Second", "--sysadmin")
	must("", "user", "disable", "--email", "second@example.org")
	out = must("", "audit", "verify")
	head := regexp.MustCompile(`head: (\d+:[0-9a-f]{64})`).FindStringSubmatch(out)
	if !strings.Contains(out, "intact") || head == nil {
		t.Fatalf("audit verify: %s", out)
	}
	if out := must("", "audit", "verify", "--anchor", head[1]); !strings.Contains(out, "matches") {
		t.Fatalf("audit verify --anchor: %s", out)
	}
	if code, out := run(t, "", "audit", "verify", "--data-dir", dir, "--anchor", "1:"+strings.Repeat("0", 64)); code == 0 || !strings.Contains(out, "anchored hash") {
		t.Fatalf("a wrong anchor passed: %d %s", code, out)
	}

	out = must("", "backup")
	m := regexp.MustCompile(`backup written and checked: (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("backup: %s", out)
	}
	restored := t.TempDir()
	key, err := os.ReadFile(filepath.Join(dir, "master.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(restored, "master.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out := run(t, "", "restore", "--data-dir", restored, "--in", m[1], "--identity", filepath.Join(dir, "backup-identity.txt")); code != 0 {
		t.Fatalf("restore: %d %s", code, out)
	}
	if code, out := run(t, "", "user", "list", "--data-dir", restored); code != 0 || !strings.Contains(out, "second@example.org") {
		t.Fatalf("restored data: %d %s", code, out)
	}
	if code, out := run(t, "", "audit", "verify", "--data-dir", restored); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("restored audit chain: %d %s", code, out)
	}

	out = must("", "keys", "rotate")
	if !strings.Contains(out, "re-wrapped") {
		t.Fatalf("keys rotate: %s", out)
	}
	if out := must("", "user", "list"); !strings.Contains(out, "root@example.org") {
		t.Fatalf("after rotation users no longer decrypt:\n%s", out)
	}
	if _, err := os.ReadFile(filepath.Join(dir, "master.key")); err != nil {
		t.Fatal(err)
	}
	if string(mustRead(t, filepath.Join(dir, "master.key"))) == string(key) {
		t.Fatal("key file unchanged by rotation")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
