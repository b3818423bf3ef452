// SPDX-License-Identifier: AGPL-3.0-or-later

package notify

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
)

// ErrBadAddress is returned for a recipient that is not a bare e-mail
// address: a display name (a person's name) is refused rather than copied
// into the To header, and a line break would inject a header.
var ErrBadAddress = errors.New("notify: recipient must be a bare e-mail address")

// parseRecipient returns the address to, which must be a bare ASCII
// address such as "name@example.org".
func parseRecipient(to string) (string, error) {
	if to == "" || hasControl(to) || !isASCII(to) || strings.ContainsAny(to, " <>\"(),;") {
		return "", ErrBadAddress
	}
	a, err := mail.ParseAddress(to)
	if err != nil || a.Name != "" || a.Address != to {
		return "", ErrBadAddress
	}
	return a.Address, nil
}

// message is one e-mail ready for DATA: RFC 5322 headers and a
// quoted-printable UTF-8 body, every line ending in CRLF.
func message(from *mail.Address, to, lang, subject, body string, date time.Time) []byte {
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(fold(name + ": " + value))
		b.WriteString("\r\n")
	}
	header("Date", date.Format(time.RFC1123Z))
	header("From", from.String())
	header("To", to)
	header("Subject", mime.BEncoding.Encode("utf-8", subject))
	header("Message-ID", messageID(from.Address))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Content-Language", lang)
	// RFC 3834: keeps out-of-office replies from answering a robot.
	header("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")

	// In text mode the writer ends each line with CRLF and breaks lines
	// longer than 76 characters with soft line breaks.
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(body)) // writes to a bytes.Buffer do not fail
	_ = qp.Close()
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// messageID returns a random Message-ID in the sender's domain.
func messageID(fromAddr string) string {
	var r [16]byte
	_, _ = rand.Read(r[:]) // never fails (crypto/rand)
	domain := "localhost"
	if i := strings.LastIndexByte(fromAddr, '@'); i >= 0 {
		domain = fromAddr[i+1:]
	}
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">"
}

// fold breaks a header line at spaces so that lines stay within 76
// characters where they can: RFC 5322 §2.2.3 asks for 78, and RFC 2047 §2
// for 76 on lines with encoded words. Encoded words are separated by
// spaces, which a reader drops between them, so a long encoded subject
// folds cleanly (the first fold may come right after "Subject:", since an
// encoded word can be 75 characters long); a word longer than a line is
// left whole.
func fold(line string) string {
	const limit = 76
	if len(line) <= limit {
		return line
	}
	var b strings.Builder
	words := strings.Split(line, " ")
	cur := 0
	for i, w := range words {
		switch {
		case i == 0:
		case cur+1+len(w) > limit:
			b.WriteString("\r\n")
			cur = 0
		}
		if i > 0 {
			b.WriteByte(' ')
			cur++
		}
		b.WriteString(w)
		cur += len(w)
	}
	return b.String()
}
