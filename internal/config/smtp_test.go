// SPDX-License-Identifier: AGPL-3.0-or-later

package config

import (
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/notify"
)

func TestSMTPIsOffByDefault(t *testing.T) {
	t.Setenv("AMPARO_SMTP_HOST", "")
	c, err := parse(t)
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Enabled() {
		t.Fatalf("e-mail on by default: %+v", c.SMTP.Host)
	}
}

func TestSMTPFromEnvironmentAndFlags(t *testing.T) {
	t.Setenv("AMPARO_SMTP_HOST", "mail.example.org")
	t.Setenv("AMPARO_SMTP_USER", "amparo")
	t.Setenv("AMPARO_SMTP_PASSWORD", "from-the-environment")
	t.Setenv("AMPARO_SMTP_FROM", "Amparo <noreply@example.org>")
	t.Setenv("AMPARO_BASE_URL", "https://amparo.example.org")
	c, err := parse(t, "--smtp-port", "2525", "--smtp-tls", "opportunistic")
	if err != nil {
		t.Fatal(err)
	}
	want := notify.Config{Host: "mail.example.org", Port: 2525, Username: "amparo", Password: "from-the-environment",
		From: "Amparo <noreply@example.org>", StartTLS: notify.TLSOpportunistic, BaseURL: "https://amparo.example.org"}
	if c.SMTP != want {
		t.Fatalf("SMTP = %+v, want %+v", c.SMTP, want)
	}
}

func TestBadSMTPIsExplained(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no sender and no base URL", []string{"--smtp-host", "mail.example.org"}, []string{"smtp:", "From", "BaseURL"}},
		{"unknown TLS mode", []string{"--smtp-host", "mail.example.org", "--smtp-from", "a@example.org",
			"--base-url", "https://amparo.example.org", "--smtp-tls", "sometimes"}, []string{"StartTLS"}},
		{"port out of range", []string{"--smtp-host", "mail.example.org", "--smtp-from", "a@example.org",
			"--base-url", "https://amparo.example.org", "--smtp-port", "70000"}, []string{"Port"}},
		{"plain http link", []string{"--smtp-host", "mail.example.org", "--smtp-from", "a@example.org",
			"--base-url", "http://amparo.example.org"}, []string{"BaseURL", "https"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []string{"AMPARO_SMTP_HOST", "AMPARO_SMTP_USER", "AMPARO_SMTP_PASSWORD", "AMPARO_SMTP_FROM",
				"AMPARO_BASE_URL", "AMPARO_SMTP_TLS", "AMPARO_SMTP_PORT"} {
				t.Setenv(v, "")
			}
			_, err := parse(t, tc.args...)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not name %q", err, w)
				}
			}
		})
	}
}
