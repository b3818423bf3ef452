// SPDX-License-Identifier: AGPL-3.0-or-later

package notify

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

// smtpd is a minimal SMTP server (RFC 5321) for the tests: EHLO, STARTTLS
// when given a certificate, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT,
// on 127.0.0.1 with a port of its own. It records what it received.
type smtpd struct {
	addr *net.TCPAddr

	// Settings, fixed before the first connection.
	user, pass  string           // AUTH PLAIN accepts only these; "" offers no AUTH
	cert        *tls.Certificate // offers STARTTLS when set
	refuseRcpt  bool             // answers RCPT with 550
	silent      bool             // accepts connections and never answers
	requireAuth bool

	mu       sync.Mutex
	received []received
	commands []string // every command line, as sent (AUTH arguments hidden)
	lineErrs []string // protocol faults seen, such as a bare LF
}

type received struct {
	from   string
	rcpts  []string
	data   []byte // raw, CRLFs kept, dot-stuffing undone
	authed string
	tls    bool
}

func startSMTPD(t *testing.T, configure func(*smtpd)) *smtpd {
	t.Helper()
	s := &smtpd{}
	if configure != nil {
		configure(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
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
				if s.silent {
					_, _ = c.Read(make([]byte, 1)) // until the client gives up
					return
				}
				s.serve(c)
			})
		}
	})
	return s
}

func (s *smtpd) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.received...)
}

func (s *smtpd) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.commands...)
}

func (s *smtpd) serve(conn net.Conn) {
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
	var cur received
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
			if s.cert != nil && !isTLS {
				ext = append(ext, "250-STARTTLS")
			}
			if s.user != "" {
				ext = append(ext, "250-AUTH PLAIN")
			}
			ext = append(ext, "250 SIZE 1000000")
			reply(ext...)
		case "STARTTLS":
			if s.cert == nil || isTLS {
				reply("502 not offered")
				continue
			}
			reply("220 go ahead")
			tc := tls.Server(conn, &tls.Config{Certificates: []tls.Certificate{*s.cert}})
			if tc.Handshake() != nil {
				return
			}
			conn, isTLS = tc, true
			r, w = bufio.NewReader(tc), bufio.NewWriter(tc)
			cur, authed = received{}, ""
		case "AUTH":
			mech, resp, _ := strings.Cut(arg, " ")
			raw, err := base64.StdEncoding.DecodeString(resp)
			parts := strings.Split(string(raw), "\x00")
			if !strings.EqualFold(mech, "PLAIN") || err != nil || len(parts) != 3 || parts[1] != s.user || parts[2] != s.pass {
				reply("535 5.7.8 authentication failed")
				continue
			}
			authed = parts[1]
			reply("235 2.7.0 ok")
		case "MAIL":
			if s.requireAuth && authed == "" {
				reply("530 5.7.0 authentication required")
				continue
			}
			cur = received{from: addrArg(arg, "FROM:")}
			reply("250 ok")
		case "RCPT":
			if s.refuseRcpt {
				// Real servers echo the address; the client must not.
				reply("550 5.1.1 <" + addrArg(arg, "TO:") + ">: recipient address rejected")
				continue
			}
			cur.rcpts = append(cur.rcpts, addrArg(arg, "TO:"))
			reply("250 ok")
		case "DATA":
			if len(cur.rcpts) == 0 {
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
			cur.data, cur.authed, cur.tls = data, authed, isTLS
			s.mu.Lock()
			s.received = append(s.received, cur)
			s.mu.Unlock()
			cur = received{}
			reply("250 queued")
		case "RSET":
			cur = received{}
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

// selfSigned returns a certificate for 127.0.0.1 and a pool trusting it.
func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
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
