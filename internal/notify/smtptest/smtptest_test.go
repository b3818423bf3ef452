// SPDX-License-Identifier: AGPL-3.0-or-later

package smtptest_test

import (
	"crypto/tls"
	"net/smtp"
	"slices"
	"strings"
	"testing"

	"github.com/amparo-project/amparo/internal/notify/smtptest"
)

// A message sent over STARTTLS with AUTH PLAIN arrives with its sender,
// recipients, user and body (dot-stuffing undone), and the log hides the
// credentials.
func TestServerReceivesOverTLSWithAuth(t *testing.T) {
	cert, pool := smtptest.SelfSigned(t)
	s := smtptest.Start(t, func(s *smtptest.Server) {
		s.Cert, s.User, s.Pass, s.RequireAuth = cert, "amparo", "s3cret-pass", true
	})
	c, err := smtp.Dial(s.Addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartTLS(&tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}); err != nil {
		t.Fatalf("STARTTLS: %v", err)
	}
	if err := c.Mail("from@example.org"); err == nil {
		t.Error("MAIL before AUTH accepted although RequireAuth is set")
	}
	if err := c.Auth(smtp.PlainAuth("", "amparo", "s3cret-pass", "127.0.0.1")); err != nil {
		t.Fatalf("AUTH: %v", err)
	}
	if err := c.Mail("from@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("to@example.org"); err != nil {
		t.Fatal(err)
	}
	wc, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := wc.Write([]byte("Subject: hi\r\n\r\n.starts with a dot\r\nend\r\n")); err != nil {
		t.Fatal(err)
	}
	if err := wc.Close(); err != nil {
		t.Fatal(err)
	}
	_ = c.Quit()
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != "from@example.org" || !slices.Equal(m.Rcpts, []string{"to@example.org"}) || m.Authed != "amparo" || !m.TLS {
		t.Errorf("message %+v", m)
	}
	if !strings.Contains(string(m.Data), "\r\n.starts with a dot\r\n") {
		t.Errorf("dot-stuffing not undone: %q", m.Data)
	}
	if strings.Contains(strings.Join(s.Log(), "\n"), "s3cret") {
		t.Error("the log shows the password")
	}
	if errs := s.LineErrors(); len(errs) != 0 {
		t.Errorf("protocol faults %v", errs)
	}
}

// RefuseRcpt answers every recipient with a permanent failure.
func TestServerRefusesRecipients(t *testing.T) {
	s := smtptest.Start(t, func(s *smtptest.Server) { s.RefuseRcpt = true })
	c, err := smtp.Dial(s.Addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("from@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("to@example.org"); err == nil || !strings.HasPrefix(err.Error(), "550") {
		t.Errorf("RCPT: %v, want 550", err)
	}
	if len(s.Messages()) != 0 {
		t.Error("a message was recorded")
	}
}
