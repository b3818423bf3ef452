// SPDX-License-Identifier: AGPL-3.0-or-later

// Package smtptest is a minimal SMTP server (RFC 5321) for tests: EHLO,
// STARTTLS when given a certificate, AUTH PLAIN, MAIL, RCPT, DATA, RSET,
// NOOP and QUIT, on 127.0.0.1 with a port of its own. It records what it
// received, so that a test can check what a mailer really sent over the
// wire. The notify package's tests and the end-to-end digest tests share it.
package smtptest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is a running test SMTP server.
type Server struct {
	// Addr is where it listens.
	Addr *net.TCPAddr

	// Settings, fixed in Start's configure before the first connection.
	User, Pass  string           // AUTH PLAIN accepts only these; "" offers no AUTH
	Cert        *tls.Certificate // offers STARTTLS when set
	RefuseRcpt  bool             // answers RCPT with 550
	Silent      bool             // accepts connections and never answers
	RequireAuth bool             // refuses MAIL before AUTH

	mu       sync.Mutex
	received []Message
	commands []string // every command line, as sent (AUTH arguments hidden)
	lineErrs []string // protocol faults seen, such as a bare LF
}

// Message is one message received.
type Message struct {
	From   string
	Rcpts  []string
	Data   []byte // raw, CRLFs kept, dot-stuffing undone
	Authed string // the user who authenticated, "" for none
	TLS    bool   // sent after STARTTLS
}

// Start starts a server, set up by configure (nil for the defaults), and
// stops it when the test ends.
func Start(t testing.TB, configure func(*Server)) *Server {
	t.Helper()
	s := &Server{}
	if configure != nil {
		configure(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().(*net.TCPAddr)
	var wg sync.WaitGroup
	var conns sync.Map
	t.Cleanup(func() {
		_ = ln.Close()
		conns.Range(func(k, _ any) bool { _ = k.(net.Conn).Close(); return true })
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Store(c, true)
			wg.Go(func() {
				defer c.Close()
				if s.Silent {
					_, _ = c.Read(make([]byte, 1)) // until the client gives up
					return
				}
				s.serve(c)
			})
		}
	})
	return s
}

// Messages returns the messages received so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.received...)
}

// Log returns every command line received so far, as sent (AUTH arguments
// hidden).
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

// LineErrors returns the protocol faults seen, such as a bare LF.
func (s *Server) LineErrors() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.lineErrs...)
}

func (s *Server) serve(conn net.Conn) {
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	r, w := bufio.NewReader(conn), bufio.NewWriter(conn)
	reply := func(lines ...string) bool {
		for _, l := range lines {
			_, _ = w.WriteString(l + "\r\n")
		}
		return w.Flush() == nil
	}
	readLine := func() (string, bool) {
		l, err := r.ReadString('\n')
		if err != nil {
			return "", false
		}
		if !strings.HasSuffix(l, "\r\n") {
			s.mu.Lock()
			s.lineErrs = append(s.lineErrs, "bare LF")
			s.mu.Unlock()
		}
		return strings.TrimRight(l, "\r\n"), true
	}
	var cur Message
	isTLS := false
	authed := ""
	if !reply("220 smtpd.test ESMTP") {
		return
	}
	for {
		line, ok := readLine()
		if !ok {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		verb = strings.ToUpper(verb)
		s.mu.Lock()
		if verb == "AUTH" {
			s.commands = append(s.commands, "AUTH …")
		} else {
			s.commands = append(s.commands, line)
		}
		s.mu.Unlock()
		switch verb {
		case "EHLO":
			ext := []string{"250-smtpd.test", "250-8BITMIME"}
			if s.Cert != nil && !isTLS {
				ext = append(ext, "250-STARTTLS")
			}
			if s.User != "" {
				ext = append(ext, "250-AUTH PLAIN")
			}
			ext = append(ext, "250 SIZE 1000000")
			reply(ext...)
		case "STARTTLS":
			if s.Cert == nil || isTLS {
				reply("502 not offered")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{*s.Cert}, MinVersion: tls.VersionTLS12})
			if tc.Handshake() != nil {
				return
			}
			conn, isTLS = tc, true
			r, w = bufio.NewReader(tc), bufio.NewWriter(tc)
			cur, authed = Message{}, ""
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(raw), "\x00")
			if !strings.EqualFold(mech, "PLAIN") || err != nil || len(parts) != 3 || parts[1] != s.User || parts[2] != s.Pass {
				reply("535 5.7.8 authentication failed")
				continue
			}
			authed = parts[1]
			reply("235 2.7.0 ok")
		case "MAIL":
			if s.RequireAuth && authed == "" {
				reply("530 5.7.0 authentication required")
				continue
			}
			cur = Message{From: addrArg(arg, "FROM:")}
			reply("250 ok")
		case "RCPT":
			if s.RefuseRcpt {
				// Real servers echo the address; the client must not.
				reply("550 5.1.1 <" + addrArg(arg, "TO:") + ">: recipient address rejected")
				continue
			}
			cur.Rcpts = append(cur.Rcpts, addrArg(arg, "TO:"))
			reply("250 ok")
		case "DATA":
			if len(cur.Rcpts) == 0 {
				reply("503 no recipients")
				continue
			}
			reply("354 end with .")
			var data []byte
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				if !strings.HasSuffix(l, "\r\n") {
					s.mu.Lock()
					s.lineErrs = append(s.lineErrs, "bare LF in DATA")
					s.mu.Unlock()
				}
				data = append(data, strings.TrimPrefix(l, ".")...)
			}
			cur.Data, cur.Authed, cur.TLS = data, authed, isTLS
			s.mu.Lock()
			s.received = append(s.received, cur)
			s.mu.Unlock()
			cur = Message{}
			reply("250 queued")
		case "RSET":
			cur = Message{}
			reply("250 ok")
		case "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("500 unknown command")
		}
	}
}

// addrArg returns the address of "FROM:<a@b> SIZE=1" given prefix "FROM:".
func addrArg(arg, prefix string) string {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return ""
	}
	a := strings.TrimSpace(arg[len(prefix):])
	if i := strings.IndexByte(a, ' '); i >= 0 {
		a = a[:i]
	}
	return strings.TrimSuffix(strings.TrimPrefix(a, "<"), ">")
}

// SelfSigned returns a certificate for 127.0.0.1 and a pool trusting it.
func SelfSigned(t testing.TB) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtpd.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
