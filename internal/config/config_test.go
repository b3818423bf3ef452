// SPDX-License-Identifier: AGPL-3.0-or-later

package config

import (
	"flag"
	"path/filepath"
	"strings"
	"testing"
)

func parse(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	var c Config
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	c.Register(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return &c, c.Finish()
}

func TestDefaults(t *testing.T) {
	for _, v := range []string{"AMPARO_ADDR", "AMPARO_DATA_DIR", "AMPARO_DATABASE_URL", "AMPARO_KEY_FILE", "AMPARO_KEK_PASSPHRASE"} {
		t.Setenv(v, "")
	}
	t.Setenv("AMPARO_ADDR", "127.0.0.1:8080")
	t.Setenv("AMPARO_DATA_DIR", "./amparo-data")
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != filepath.Join("amparo-data", "amparo.db") || c.KeyFile != filepath.Join("amparo-data", "master.key") {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	t.Setenv("AMPARO_ADDR", "127.0.0.1:9999")
	t.Setenv("AMPARO_DATABASE_URL", "postgres://x@localhost/db")
	c, err := parse(t, "--addr", "127.0.0.1:7000")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" {
		t.Errorf("flag did not win over environment: %s", c.Addr)
	}
	if !c.UsesPostgres() {
		t.Errorf("postgres URL not recognised")
	}
}

func TestBadConfigurationIsExplained(t *testing.T) {
	t.Setenv("AMPARO_KEK_PASSPHRASE", "short")
	_, err := parse(t, "--addr", "nope", "--tls-cert", "x.pem", "--log-level", "loud", "--api-rate", "-1", "--memory-limit-mib", "5", "--trusted-proxies", "10.0.0.0/8,bogus")
	if err == nil {
		t.Fatal("bad configuration accepted")
	}
	for _, want := range []string{`address "nope"`, "TLS", "log-level", "api-rate", "AMPARO_KEK_PASSPHRASE", "memory-limit-mib", "trusted-proxies"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := ParsePrefixes(" 10.1.2.3/8, 192.0.2.7 ,, ::ffff:192.0.2.8")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "192.0.2.8/32"}
	if len(got) != len(want) {
		t.Fatalf("ParsePrefixes = %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("prefix %d = %s, want %s", i, got[i], want[i])
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/8, nonsense"); err == nil {
		t.Fatal("bad network accepted")
	}
}
