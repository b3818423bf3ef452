// SPDX-License-Identifier: AGPL-3.0-or-later

// Package notify sends e-mail digests: a short message telling a user how
// many alerts and tasks wait in their Amparo inbox, with a link to it.
//
// An e-mail leaves the deployment's control the moment it is sent: it sits
// in mail servers, phones and backups that no one here can erase, and it may
// be read by whoever shares the recipient's device. So a digest never holds
// personal data, and that is enforced by the types rather than by care: a
// Digest holds only counts keyed by a Kind that only this package can make,
// a language from the interface's fixed list, and nothing else; the link is
// always Config.BaseURL + "/inbox"; the words come from the translation
// catalogue. To read anything about a person, the user signs in.
//
// Messages are plain text (RFC 5322, UTF-8, quoted-printable), sent over
// SMTP with STARTTLS required unless configured otherwise, with a timeout on
// the dial and on the whole conversation, so that a slow mail server never
// holds a scheduler job for long.
package notify

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"time"
)

// TLSMode says whether the connection to the mail server must be encrypted
// with STARTTLS (RFC 3207).
type TLSMode string

// TLS modes.
const (
	// TLSRequired sends nothing unless STARTTLS succeeds, with the server's
	// certificate verified. The zero value of Config means this.
	TLSRequired TLSMode = "required"
	// TLSOpportunistic uses STARTTLS when the server offers it and sends in
	// clear otherwise; credentials are then refused by the SMTP client
	// unless the server is on this machine.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSNone never uses STARTTLS: for a relay on this machine (and tests).
	TLSNone TLSMode = "none"
)

// Default timeouts.
const (
	DefaultDialTimeout = 10 * time.Second
	DefaultSendTimeout = 60 * time.Second
)

// Config is how to reach the mail server. A deployment without Host sends
// no e-mail; see Enabled.
type Config struct {
	// Host and Port of the SMTP server (submission is usually port 587).
	Host string
	Port int
	// Username and Password for AUTH PLAIN; both empty means no AUTH.
	Username string
	Password string
	// From is the sender, "noreply@example.org" or
	// "Amparo <noreply@example.org>".
	From string
	// StartTLS is the TLS mode; empty means TLSRequired.
	StartTLS TLSMode
	// BaseURL is the server's public address, such as
	// "https://amparo.example.org"; the digest links to BaseURL + "/inbox".
	BaseURL string
	// DialTimeout bounds connecting; zero means DefaultDialTimeout.
	DialTimeout time.Duration
	// SendTimeout bounds the whole conversation, dial included; zero means
	// DefaultSendTimeout.
	SendTimeout time.Duration
	// TLSConfig, when set, is used for STARTTLS (for a private certificate
	// authority); its ServerName defaults to Host. nil means the system's
	// roots.
	TLSConfig *tls.Config
}

// Enabled reports whether e-mail is configured at all.
func (c Config) Enabled() bool { return c.Host != "" }

// FieldError is a problem with one field of Config.
type FieldError struct {
	Field   string // the Config field's name, such as "From"
	Problem string // what is wrong, in English, for the operator
}

func (e FieldError) Error() string { return "notify: " + e.Field + ": " + e.Problem }

// FieldErrors is every problem Validate found, in field order.
type FieldErrors []FieldError

func (es FieldErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Validate checks c and returns nil or a FieldErrors listing every problem.
func (c Config) Validate() error {
	var errs FieldErrors
	add := func(field, problem string) { errs = append(errs, FieldError{field, problem}) }

	switch {
	case c.Host == "":
		add("Host", "required")
	case hasControl(c.Host) || strings.ContainsAny(c.Host, " /@") || strings.Contains(c.Host, "://"):
		add("Host", "must be a host name or IP address, without scheme, port or path")
	}
	if c.Port < 1 || c.Port > 65535 {
		add("Port", "must be between 1 and 65535 (submission is usually 587)")
	}
	if (c.Username == "") != (c.Password == "") {
		add("Username", "give both a user name and a password, or neither")
	}
	if hasControl(c.Username) {
		add("Username", "must not contain control characters")
	}
	if hasControl(c.Password) {
		add("Password", "must not contain control characters")
	}
	if c.From == "" {
		add("From", "required")
	} else if _, err := parseFrom(c.From); err != nil {
		add("From", err.Error())
	}
	mode := c.mode()
	switch mode {
	case TLSRequired, TLSOpportunistic:
	case TLSNone:
		if c.Username != "" && c.Host != "" && !isLoopback(c.Host) {
			add("StartTLS", `"none" would send the password in clear to another machine; use "required"`)
		}
	default:
		add("StartTLS", `must be "required", "opportunistic" or "none"`)
	}
	if _, err := inboxURL(c.BaseURL); err != nil {
		add("BaseURL", err.Error())
	}
	if c.DialTimeout < 0 {
		add("DialTimeout", "must not be negative")
	}
	if c.SendTimeout < 0 {
		add("SendTimeout", "must not be negative")
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}

func (c Config) mode() TLSMode {
	if c.StartTLS == "" {
		return TLSRequired
	}
	return c.StartTLS
}

// inboxURL checks base and returns the link every digest carries. base must
// be an absolute https URL (http only for this machine) with no user, query
// or fragment, since it is pasted into messages as it is.
func inboxURL(base string) (string, error) {
	if base == "" {
		return "", errors.New("required, such as https://amparo.example.org")
	}
	u, err := url.Parse(base)
	if err != nil || hasControl(base) || strings.ContainsAny(base, " <>\"") {
		return "", errors.New("is not a valid URL")
	}
	switch {
	case u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())):
		return "", errors.New("must start with https:// (http:// only for localhost)")
	case u.Host == "":
		return "", errors.New("must name a host")
	case u.User != nil, u.RawQuery != "", u.Fragment != "", u.Opaque != "":
		return "", errors.New("must not hold a user, query or fragment")
	}
	return strings.TrimRight(base, "/") + "/inbox", nil
}

// isLoopback reports whether host names this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// hasControl reports whether s holds a control character, CR and LF among
// them: the only way to inject a header or an SMTP command.
func hasControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// parseFrom parses the sender. The address itself must be ASCII (not every
// mail server speaks SMTPUTF8); the display name may be in any script.
func parseFrom(s string) (*mail.Address, error) {
	if hasControl(s) {
		return nil, errors.New("must not contain line breaks or control characters")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("is not an e-mail address (%s)", "name@example.org or Name <name@example.org>")
	}
	if !isASCII(a.Address) {
		return nil, errors.New("the address part must be ASCII")
	}
	return a, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
