// SPDX-License-Identifier: AGPL-3.0-or-later

package notify

import (
	"errors"
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	good := Config{Host: "smtp.example.org", Port: 587, Username: "amparo", Password: "pw",
		From: "Amparo <noreply@example.org>", BaseURL: "https://amparo.example.org"}
	if err := good.Validate(); err != nil {
		t.Fatalf("a good config: %v", err)
	}
	if !good.Enabled() || (Config{}).Enabled() {
		t.Fatal("Enabled")
	}
	for _, c := range []struct {
		name   string
		change func(*Config)
		fields []string
	}{
		{"empty", func(c *Config) { *c = Config{} }, []string{"Host", "Port", "From", "BaseURL"}},
		{"host with scheme", func(c *Config) { c.Host = "smtp://smtp.example.org" }, []string{"Host"}},
		{"host with line break", func(c *Config) { c.Host = "smtp.example.org\r\nRCPT TO:<x@y>" }, []string{"Host"}},
		{"port", func(c *Config) { c.Port = 70000 }, []string{"Port"}},
		{"user without password", func(c *Config) { c.Password = "" }, []string{"Username"}},
		{"password with line break", func(c *Config) { c.Password = "pw\r\nQUIT" }, []string{"Password"}},
		{"from with line break", func(c *Config) { c.From = "noreply@example.org\r\nBcc: x@example.org" }, []string{"From"}},
		{"from not an address", func(c *Config) { c.From = "Amparo" }, []string{"From"}},
		{"from non-ASCII address", func(c *Config) { c.From = "amparo@exámple.org" }, []string{"From"}},
		{"unknown TLS mode", func(c *Config) { c.StartTLS = "sometimes" }, []string{"StartTLS"}},
		{"password in clear to another machine", func(c *Config) { c.StartTLS = TLSNone }, []string{"StartTLS"}},
		{"http link", func(c *Config) { c.BaseURL = "http://amparo.example.org" }, []string{"BaseURL"}},
		{"link with query", func(c *Config) { c.BaseURL = "https://amparo.example.org/?a=b" }, []string{"BaseURL"}},
		{"link with user", func(c *Config) { c.BaseURL = "https://u:p@amparo.example.org" }, []string{"BaseURL"}},
		{"relative link", func(c *Config) { c.BaseURL = "/amparo" }, []string{"BaseURL"}},
		{"negative timeouts", func(c *Config) { c.DialTimeout, c.SendTimeout = -1, -1 }, []string{"DialTimeout", "SendTimeout"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := good
			c.change(&cfg)
			err := cfg.Validate()
			var fe FieldErrors
			if !errors.As(err, &fe) {
				t.Fatalf("Validate = %v", err)
			}
			var got []string
			for _, e := range fe {
				got = append(got, e.Field)
				if e.Problem == "" || !strings.HasPrefix(e.Error(), "notify: "+e.Field+": ") {
					t.Errorf("unclear error %q", e.Error())
				}
			}
			if strings.Join(got, ",") != strings.Join(c.fields, ",") {
				t.Fatalf("fields %v, want %v (%v)", got, c.fields, err)
			}
			if strings.Contains(err.Error(), "pw") && c.name != "password with line break" {
				t.Fatalf("the error shows the password: %v", err)
			}
		})
	}
	for _, c := range []struct {
		name   string
		change func(*Config)
	}{
		{"local relay without TLS", func(c *Config) { c.Host, c.StartTLS = "localhost", TLSNone }},
		{"IPv6 loopback without TLS", func(c *Config) { c.Host, c.StartTLS = "::1", TLSNone }},
		{"remote relay without TLS or password", func(c *Config) { c.Username, c.Password, c.StartTLS = "", "", TLSNone }},
		{"http link on this machine", func(c *Config) { c.BaseURL = "http://127.0.0.1:8080/" }},
		{"link with a path", func(c *Config) { c.BaseURL = "https://example.org/amparo/" }},
		{"opportunistic", func(c *Config) { c.StartTLS = TLSOpportunistic }},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := good
			c.change(&cfg)
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestInboxLink(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]string{
		"https://amparo.example.org":  "https://amparo.example.org/inbox",
		"https://amparo.example.org/": "https://amparo.example.org/inbox",
		"https://example.org/amparo/": "https://example.org/amparo/inbox",
		"http://localhost:8080":       "http://localhost:8080/inbox",
	} {
		if got, err := inboxURL(base); err != nil || got != want {
			t.Errorf("inboxURL(%q) = %q, %v", base, got, err)
		}
	}
	for base, want := range map[string]string{
		"https://amparo.example.org": "amparo.example.org",
		"http://127.0.0.1:8080":      "[127.0.0.1]",
		"http://[::1]:8080":          "[IPv6:::1]",
	} {
		if got := helloName(base); got != want {
			t.Errorf("helloName(%q) = %q, want %q", base, got, want)
		}
	}
}
