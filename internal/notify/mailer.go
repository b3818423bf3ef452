// SPDX-License-Identifier: AGPL-3.0-or-later

package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"net/url"
	"os"
	"strconv"

	"github.com/amparo-project/amparo/internal/clock"
)

// Mailer sends digests. It is safe for concurrent use; each SendDigest
// opens its own connection.
type Mailer struct {
	cfg   Config
	from  *mail.Address
	link  string
	hello string
	texts func(lang string) Texts
	clock clock.Clock
}

// New checks cfg and returns a Mailer. texts returns the catalogue's words
// in a language, for instance
//
//	func(lang string) notify.Texts { return catalog.Locale(lang).T }
//
// and c dates the messages (nil means the system clock).
func New(cfg Config, texts func(lang string) Texts, c clock.Clock) (*Mailer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if texts == nil {
		return nil, errors.New("notify: no texts function")
	}
	if c == nil {
		c = clock.System{}
	}
	from, _ := parseFrom(cfg.From)   // checked by Validate
	link, _ := inboxURL(cfg.BaseURL) // checked by Validate
	if cfg.DialTimeout == 0 {
		cfg.DialTimeout = DefaultDialTimeout
	}
	if cfg.SendTimeout == 0 {
		cfg.SendTimeout = DefaultSendTimeout
	}
	return &Mailer{cfg: cfg, from: from, link: link, hello: helloName(cfg.BaseURL), texts: texts, clock: c}, nil
}

// Link returns the link every digest carries.
func (m *Mailer) Link() string { return m.link }

// helloName is the name given in EHLO: the server's public host name,
// which is what a receiving server can check against the connecting
// address; an IP address is written as an address literal (RFC 5321 §4.1.3).
func helloName(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "localhost"
	}
	h := u.Hostname()
	if ip := net.ParseIP(h); ip != nil {
		if ip.To4() != nil {
			return "[" + h + "]"
		}
		return "[IPv6:" + h + "]"
	}
	return h
}

// SendDigest sends d to the address to, which must be a bare address
// ("name@example.org"). It returns ErrEmpty, without connecting, when d
// counts nothing, ErrBadAddress for a recipient that is not a bare address,
// and a *SendError when the mail server cannot be reached or refuses.
func (m *Mailer) SendDigest(ctx context.Context, to string, d Digest) error {
	rcpt, err := parseRecipient(to)
	if err != nil {
		return err
	}
	if err := d.check(); err != nil {
		return err
	}
	lang, _ := d.lang() // checked above
	subject, body := d.text(m.texts(lang), m.link)
	msg := message(m.from, rcpt, lang, subject, body, m.clock.Now())
	return m.send(ctx, rcpt, msg)
}

// SendError is a failed SMTP conversation. Its text names the step and the
// server's reply code, never the reply's text, which may repeat the
// recipient's address.
type SendError struct {
	Step string // "dial", "greeting", "ehlo", "starttls", "auth", "mail", "rcpt" or "data"
	Code int    // the server's SMTP reply code, or 0 when none was received
	err  error
}

func (e *SendError) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("notify: smtp %s: server replied %d", e.Step, e.Code)
	}
	if e.err == nil {
		return "notify: smtp " + e.Step + " failed"
	}
	return "notify: smtp " + e.Step + ": " + e.err.Error()
}

// Unwrap gives the cause, for errors.Is(err, context.DeadlineExceeded) and
// the like.
func (e *SendError) Unwrap() error { return e.err }

// Temporary reports whether the server answered with a transient failure
// (4xx), after which a later attempt may succeed.
func (e *SendError) Temporary() bool { return e.Code >= 400 && e.Code < 500 }

// ErrNoStartTLS is the cause of a SendError when StartTLS is required and
// the server does not offer it.
var ErrNoStartTLS = errors.New("server does not offer STARTTLS")

// sendErr wraps err from step. A server's reply keeps only its code: the
// text may hold the address it refused. Other errors (network, TLS) hold
// host names and ports, never message data.
func sendErr(ctx context.Context, step string, err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return &SendError{Step: step, Code: tp.Code, err: errors.New("smtp reply " + strconv.Itoa(tp.Code))}
	}
	switch ctxErr := ctx.Err(); {
	case ctxErr != nil:
		// The connection was closed or timed out because ctx ended: say so
		// rather than "use of closed network connection".
		err = fmt.Errorf("%w (%v)", ctxErr, err)
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The connection's deadline is ctx's, and may fire a moment before
		// ctx's own timer does.
		err = fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
	}
	return &SendError{Step: step, err: err}
}

// send speaks SMTP to the configured server. Every step is bounded by one
// deadline, the earlier of ctx's and SendTimeout from now, set on the
// connection, which net/smtp otherwise leaves without any; and the
// connection is closed as soon as ctx is cancelled.
func (m *Mailer) send(ctx context.Context, rcpt string, msg []byte) error {
	ctx, cancel := context.WithTimeout(ctx, m.cfg.SendTimeout)
	defer cancel()
	addr := net.JoinHostPort(m.cfg.Host, strconv.Itoa(m.cfg.Port))
	dialer := net.Dialer{Timeout: m.cfg.DialTimeout}
	conn, err := dialer.DialContext(ctx, "tcp", addr)
	if err != nil {
		return sendErr(ctx, "dial", err)
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()

	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		return sendErr(ctx, "greeting", err)
	}
	defer c.Close()
	if err := c.Hello(m.hello); err != nil {
		return sendErr(ctx, "ehlo", err)
	}
	if mode := m.cfg.mode(); mode != TLSNone {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(m.tlsConfig()); err != nil {
				return sendErr(ctx, "starttls", err)
			}
		} else if mode == TLSRequired {
			return &SendError{Step: "starttls", err: ErrNoStartTLS}
		}
	}
	if m.cfg.Username != "" {
		// smtp.PlainAuth refuses to send the password over a connection
		// without TLS unless the server is on this machine.
		if err := c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password, m.cfg.Host)); err != nil {
			return sendErr(ctx, "auth", err)
		}
	}
	if err := c.Mail(m.from.Address); err != nil {
		return sendErr(ctx, "mail", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return sendErr(ctx, "rcpt", err)
	}
	w, err := c.Data()
	if err != nil {
		return sendErr(ctx, "data", err)
	}
	if _, err := w.Write(msg); err != nil {
		return sendErr(ctx, "data", err)
	}
	if err := w.Close(); err != nil {
		return sendErr(ctx, "data", err)
	}
	// The message is accepted once DATA is; a failed QUIT loses nothing.
	_ = c.Quit()
	return nil
}

func (m *Mailer) tlsConfig() *tls.Config {
	var cfg *tls.Config
	if m.cfg.TLSConfig != nil {
		cfg = m.cfg.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = m.cfg.Host
	}
	if cfg.MinVersion < tls.VersionTLS12 {
		cfg.MinVersion = tls.VersionTLS12
	}
	return cfg
}
