// SPDX-License-Identifier: AGPL-3.0-or-later

// Package config reads Amparo's settings from flags, each with an
// environment variable of the same meaning (flags win), and checks them
// before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/amparo-project/amparo/internal/notify"
)

// Config is every setting of the server and the commands.
type Config struct {
	Addr        string // AMPARO_ADDR
	DataDir     string // AMPARO_DATA_DIR
	DatabaseURL string // AMPARO_DATABASE_URL; empty means <DataDir>/amparo.db
	KeyFile     string // AMPARO_KEY_FILE; empty means <DataDir>/master.key
	// Passphrase, when set, derives the key-encryption key instead of the
	// key file. Environment only (AMPARO_KEK_PASSPHRASE): a flag would show
	// in the process list.
	Passphrase string
	TLSCert    string // AMPARO_TLS_CERT
	TLSKey     string // AMPARO_TLS_KEY
	// BehindTLS says a TLS-terminating proxy is in front, so HSTS is sent.
	BehindTLS bool    // AMPARO_BEHIND_TLS
	APIRate   float64 // AMPARO_API_RATE: requests per second per client; 0 = unlimited
	LogLevel  string  // AMPARO_LOG_LEVEL: debug, info, warn, error
	LogFormat string  // AMPARO_LOG_FORMAT: text or json
	Demo      bool    // AMPARO_DEMO
	// MemoryLimitMiB is the Go runtime's soft memory limit for the server
	// (AMPARO_MEMORY_LIMIT_MIB; 0 = none). Each password hash takes 64 MiB;
	// without a limit the collector lets garbage from finished hashes pile
	// up to about twice the live heap before it runs.
	MemoryLimitMiB int
	// TrustedProxies lists the reverse proxies (networks or addresses,
	// comma-separated) whose X-Forwarded-For names the client
	// (AMPARO_TRUSTED_PROXIES). Empty: the socket's address is the client.
	TrustedProxies string
	// Proxies is TrustedProxies parsed by Finish.
	Proxies []netip.Prefix
	// SMTP is how to reach the mail server for e-mail digests; no host
	// means no e-mail. The password comes from the environment only
	// (AMPARO_SMTP_PASSWORD): a flag would show in the process list.
	SMTP notify.Config
	// SMTPTLS is the STARTTLS mode as given (AMPARO_SMTP_TLS), copied into
	// SMTP by Finish.
	SMTPTLS string
	// OutboundHosts is the allow-list of hosts Amparo may connect to on its
	// own, comma-separated (AMPARO_OUTBOUND_HOSTS): the open-data
	// instances it harvests. Empty, the default, means none (SECURITY-BAR
	// 25). An entry is a host name, or host:port for one port only.
	OutboundHosts string
	// Outbound is OutboundHosts split by Finish.
	Outbound []string
}

// Register defines the flags of c on fs, defaulting each to its environment
// variable or, failing that, to the built-in default.
func (c *Config) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.Addr, "addr", env("AMPARO_ADDR", "127.0.0.1:8080"), "address to listen on (AMPARO_ADDR)")
	fs.StringVar(&c.DataDir, "data-dir", env("AMPARO_DATA_DIR", "./amparo-data"), "data directory (AMPARO_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("AMPARO_DATABASE_URL", ""), "postgres://… URL or SQLite path; default <data-dir>/amparo.db (AMPARO_DATABASE_URL)")
	fs.StringVar(&c.KeyFile, "key-file", env("AMPARO_KEY_FILE", ""), "key-encryption key file; default <data-dir>/master.key (AMPARO_KEY_FILE)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("AMPARO_TLS_CERT", ""), "TLS certificate file (AMPARO_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("AMPARO_TLS_KEY", ""), "TLS private key file (AMPARO_TLS_KEY)")
	fs.BoolVar(&c.BehindTLS, "behind-tls", envBool("AMPARO_BEHIND_TLS"), "a TLS proxy is in front: send HSTS (AMPARO_BEHIND_TLS)")
	fs.Float64Var(&c.APIRate, "api-rate", envFloat("AMPARO_API_RATE", 100), "API requests per second per client, 0 for unlimited (AMPARO_API_RATE)")
	fs.StringVar(&c.LogLevel, "log-level", env("AMPARO_LOG_LEVEL", "info"), "debug, info, warn or error (AMPARO_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("AMPARO_LOG_FORMAT", "text"), "text or json (AMPARO_LOG_FORMAT)")
	fs.IntVar(&c.MemoryLimitMiB, "memory-limit-mib", envInt("AMPARO_MEMORY_LIMIT_MIB", 384), "soft memory limit for the server in MiB, 0 for none (AMPARO_MEMORY_LIMIT_MIB)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", env("AMPARO_TRUSTED_PROXIES", ""), "comma-separated networks of reverse proxies whose X-Forwarded-For to believe (AMPARO_TRUSTED_PROXIES)")
	fs.StringVar(&c.OutboundHosts, "outbound-hosts", env("AMPARO_OUTBOUND_HOSTS", ""), "comma-separated hosts Amparo may connect to, for harvesting open data; empty allows none (AMPARO_OUTBOUND_HOSTS)")
	c.Passphrase = os.Getenv("AMPARO_KEK_PASSPHRASE")
	c.registerSMTP(fs)
}

// registerSMTP defines the mail server's flags.
func (c *Config) registerSMTP(fs *flag.FlagSet) {
	fs.StringVar(&c.SMTP.Host, "smtp-host", env("AMPARO_SMTP_HOST", ""), "SMTP server for e-mail digests; empty sends no e-mail (AMPARO_SMTP_HOST)")
	fs.IntVar(&c.SMTP.Port, "smtp-port", envInt("AMPARO_SMTP_PORT", 587), "SMTP server port (AMPARO_SMTP_PORT)")
	fs.StringVar(&c.SMTP.Username, "smtp-user", env("AMPARO_SMTP_USER", ""), "SMTP user name; the password is read from AMPARO_SMTP_PASSWORD (AMPARO_SMTP_USER)")
	fs.StringVar(&c.SMTP.From, "smtp-from", env("AMPARO_SMTP_FROM", ""), "sender of e-mail digests, such as \"Amparo <noreply@example.org>\" (AMPARO_SMTP_FROM)")
	fs.StringVar(&c.SMTPTLS, "smtp-tls", env("AMPARO_SMTP_TLS", string(notify.TLSRequired)), "STARTTLS: required, opportunistic or none (AMPARO_SMTP_TLS)")
	fs.StringVar(&c.SMTP.BaseURL, "base-url", env("AMPARO_BASE_URL", ""), "public address of the server, such as https://amparo.example.org, for links in e-mails (AMPARO_BASE_URL)")
	c.SMTP.Password = os.Getenv("AMPARO_SMTP_PASSWORD")
}

// Finish fills derived defaults and checks every setting, returning all
// problems at once.
func (c *Config) Finish() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("data directory: must not be empty"))
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "amparo.db")
	}
	if c.KeyFile == "" {
		c.KeyFile = filepath.Join(c.DataDir, "master.key")
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("address %q: want host:port (for example 127.0.0.1:8080)", c.Addr))
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		errs = append(errs, fmt.Errorf("address %q: port must be a number from 0 to 65535", c.Addr))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("TLS: give both --tls-cert and --tls-key, or neither"))
	}
	if c.MemoryLimitMiB < 0 || (c.MemoryLimitMiB > 0 && c.MemoryLimitMiB < 128) {
		errs = append(errs, errors.New("memory-limit-mib: must be 0 (none) or at least 128"))
	}
	if p, err := ParsePrefixes(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("trusted-proxies: %w", err))
	} else {
		c.Proxies = p
	}
	c.Outbound = nil
	for _, h := range strings.Split(c.OutboundHosts, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h == "" {
			continue
		}
		if strings.ContainsAny(h, "/@ ") || strings.Contains(h, "://") {
			errs = append(errs, fmt.Errorf("outbound-hosts: %q is not a host name or host:port", h))
			continue
		}
		c.Outbound = append(c.Outbound, h)
	}
	if c.APIRate < 0 {
		errs = append(errs, errors.New("api-rate: must be 0 (unlimited) or more"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("log-level %q: want debug, info, warn or error", c.LogLevel))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format %q: want text or json", c.LogFormat))
	}
	c.SMTP.StartTLS = notify.TLSMode(c.SMTPTLS)
	if c.SMTP.Enabled() {
		if err := c.SMTP.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("smtp: %w", err))
		}
	}
	if c.Passphrase != "" && len(c.Passphrase) < 16 {
		errs = append(errs, errors.New("AMPARO_KEK_PASSPHRASE: must be at least 16 characters"))
	}
	return errors.Join(errs...)
}

// UsesPostgres reports whether the database is PostgreSQL.
func (c *Config) UsesPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// TLS reports whether HSTS applies: the server terminates TLS or sits
// behind a proxy that does.
func (c *Config) TLS() bool { return c.TLSCert != "" || c.BehindTLS }

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envBool(name string) bool {
	v, _ := strconv.ParseBool(os.Getenv(name))
	return v
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

// ParsePrefixes parses a comma-separated list of networks (CIDR) or single
// addresses, as given in configuration.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither a network (10.0.0.0/8) nor an address", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
