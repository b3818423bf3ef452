// SPDX-License-Identifier: AGPL-3.0-or-later

package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/notify/smtptest"
)

var testNow = time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)

// Personal data that exists in the system around a digest; it must never
// reach a message.
const sentinel = "SNTL-name-2b7e1f0a-5c1d-4d3e-9f8a-0c6b7d2e4f11"

// catalogue is the tests' stand-in for internal/i18n: the same {name}
// placeholders, in three of the six languages.
var catalogue = map[string]map[string]string{
	"en": {
		"notify.digest.subject":                      "Amparo: new items in your inbox",
		"notify.digest.intro":                        "There are new items in your Amparo inbox.",
		"notify.digest.line":                         "{label}: {count}",
		"notify.digest.tasks_due":                    "Tasks due soon",
		"notify.digest.tasks_overdue":                "Overdue tasks",
		"notify.digest.open":                         "Sign in to see them:",
		"notify.digest.footer":                       "This message holds no case details, by design. It was sent by Amparo because digests are on in your account settings; please do not reply.",
		"notify.kind.child_in_immigration_detention": "Child in immigration detention",
		"notify.kind.past_legal_maximum":             "Detained past the legal maximum",
		"notify.kind.approaching_legal_maximum":      "Approaching the legal maximum of detention",
		"notify.kind.no_judicial_review":             "No judicial review",
		"notify.kind.consular_right_not_told":        "Not told of the right to consular contact",
		"notify.kind.consulate_not_notified":         "Consulate not notified",
		"notify.kind.other":                          "Other alerts",
	},
	"ar": {
		"notify.digest.subject":          "أمبارو: عناصر جديدة في صندوق الوارد الخاص بك",
		"notify.digest.intro":            "توجد عناصر جديدة في صندوق الوارد الخاص بك في أمبارو.",
		"notify.digest.line":             "{label}: {count}",
		"notify.digest.tasks_due":        "مهام مستحقة قريبًا",
		"notify.digest.open":             "سجّل الدخول للاطلاع عليها:",
		"notify.digest.footer":           "لا تحتوي هذه الرسالة على أي تفاصيل عن الحالات.",
		"notify.kind.past_legal_maximum": "احتجاز تجاوز الحد القانوني",
	},
	"zh": {
		"notify.digest.subject":                      "Amparo：您的收件箱中有新事项",
		"notify.digest.intro":                        "您的 Amparo 收件箱中有新事项。",
		"notify.digest.line":                         "{label}：{count}",
		"notify.digest.tasks_due":                    "即将到期的任务",
		"notify.digest.open":                         "请登录查看：",
		"notify.digest.footer":                       "本邮件不含任何个案信息。",
		"notify.kind.child_in_immigration_detention": "移民拘留中的儿童",
	},
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// recorder keeps every argument the mailer passes to the texts function.
type recorder struct {
	mu   sync.Mutex
	args []any
}

func (r *recorder) texts(lang string) Texts {
	return func(key string, args ...any) string {
		r.mu.Lock()
		r.args = append(r.args, args...)
		r.mu.Unlock()
		msg, ok := catalogue[lang][key]
		if !ok {
			return "⟦" + key + "⟧"
		}
		return placeholder.ReplaceAllStringFunc(msg, func(m string) string {
			for i := 0; i+1 < len(args); i += 2 {
				if args[i] == m[1:len(m)-1] {
					return fmt.Sprint(args[i+1])
				}
			}
			return m
		})
	}
}

func testConfig(s *smtptest.Server) Config {
	return Config{
		Host:        "127.0.0.1",
		Port:        s.Addr.Port,
		From:        "Amparo <noreply@amparo.example.org>",
		StartTLS:    TLSNone,
		BaseURL:     "https://amparo.example.org/",
		DialTimeout: time.Second,
		SendTimeout: 2 * time.Second,
	}
}

func newMailer(t *testing.T, cfg Config, rec *recorder) *Mailer {
	t.Helper()
	if rec == nil {
		rec = &recorder{}
	}
	m, err := New(cfg, rec.texts, clock.NewFake(testNow))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func oneMessage(t *testing.T, s *smtptest.Server) smtptest.Message {
	t.Helper()
	got := s.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1; commands %q", len(got), s.Log())
	}
	return got[0]
}

// decodeBody parses raw as an RFC 5322 message and returns its headers and
// its body, decoded from quoted-printable.
func decodeBody(t *testing.T, raw []byte) (mail.Header, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, raw)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("body is not quoted-printable: %v", err)
	}
	return msg.Header, string(body)
}

func TestSendDigest(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t, func(s *smtptest.Server) { s.User, s.Pass, s.RequireAuth = "amparo", "smtp-secret", true })
	cfg := testConfig(s)
	cfg.Username, cfg.Password = "amparo", "smtp-secret"
	rec := &recorder{}
	m := newMailer(t, cfg, rec)
	d := Digest{
		Lang: "en",
		Alerts: map[Kind]int{
			KindChildInImmigrationDetention: 1,
			KindPastLegalMaximum:            12,
			KindNoJudicialReview:            0, // left out
		},
		TasksDue:     3,
		TasksOverdue: 2,
	}
	if err := m.SendDigest(context.Background(), "caseworker@ngo.example", d); err != nil {
		t.Fatal(err)
	}
	got := oneMessage(t, s)
	if got.From != "noreply@amparo.example.org" || len(got.Rcpts) != 1 || got.Rcpts[0] != "caseworker@ngo.example" || got.Authed != "amparo" {
		t.Fatalf("envelope from=%q rcpts=%q auth=%q", got.From, got.Rcpts, got.Authed)
	}
	if cmds := s.Log(); cmds[0] != "EHLO amparo.example.org" || cmds[len(cmds)-1] != "QUIT" {
		t.Fatalf("commands %q", cmds)
	}

	raw := got.Data
	checkWireFormat(t, raw)
	h, body := decodeBody(t, raw)
	date, err := h.Date()
	if err != nil || !date.Equal(testNow) {
		t.Fatalf("Date %q: %v", h.Get("Date"), err)
	}
	wantHeaders := map[string]string{
		"From":                      `"Amparo" <noreply@amparo.example.org>`,
		"To":                        "caseworker@ngo.example",
		"Subject":                   "Amparo: new items in your inbox",
		"Mime-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Content-Language":          "en",
		"Auto-Submitted":            "auto-generated",
	}
	for k, want := range wantHeaders {
		if got := h.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if !regexp.MustCompile(`^<[0-9a-f]{32}@amparo\.example\.org>$`).MatchString(h.Get("Message-Id")) {
		t.Errorf("Message-ID %q", h.Get("Message-Id"))
	}
	for _, want := range []string{
		"There are new items in your Amparo inbox.\r\n\r\n" +
			"Child in immigration detention: 1\r\n" +
			"Detained past the legal maximum: 12\r\n" +
			"Overdue tasks: 2\r\n" +
			"Tasks due soon: 3\r\n\r\n" +
			"Sign in to see them:\r\nhttps://amparo.example.org/inbox\r\n",
		"\r\n-- \r\nThis message holds no case details, by design.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "No judicial review") || strings.Contains(body, "⟦") {
		t.Errorf("body has a zero count or a missing text:\n%s", body)
	}
	// The texts function only ever saw placeholder names, counts and its
	// own labels.
	for i := 0; i+1 < len(rec.args); i += 2 {
		switch v := rec.args[i+1]; rec.args[i] {
		case "count":
			if _, ok := v.(int); !ok {
				t.Errorf("count is a %T", v)
			}
		case "label":
			if !isCatalogueText(v) {
				t.Errorf("label %q is not from the catalogue", v)
			}
		default:
			t.Errorf("unexpected placeholder %v", rec.args[i])
		}
	}
}

func isCatalogueText(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	for _, msgs := range catalogue {
		for _, m := range msgs {
			if m == s {
				return true
			}
		}
	}
	return false
}

// checkWireFormat asserts the message is what RFC 5322 and RFC 2045 allow:
// CRLF line endings only, lines within 76 characters (RFC 2047 for
// encoded words, RFC 2045 for quoted-printable), everything in ASCII.
func checkWireFormat(t *testing.T, raw []byte) {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) ||
		bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\r")) {
		t.Fatalf("bare CR or LF in the message:\n%q", raw)
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 76 {
			t.Errorf("line of %d characters: %q", len(line), line)
		}
		for _, c := range []byte(line) {
			if c >= 0x80 {
				t.Fatalf("8-bit byte on the wire: %q", line)
			}
		}
	}
}

func TestNonLatinSubjectsAreEncodedWords(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t, nil)
	m := newMailer(t, testConfig(s), nil)
	for i, lang := range []string{"ar", "zh"} {
		d := Digest{Lang: lang, TasksDue: 4, Alerts: map[Kind]int{KindPastLegalMaximum: 7, KindChildInImmigrationDetention: 2}}
		if err := m.SendDigest(context.Background(), "user@example.org", d); err != nil {
			t.Fatal(err)
		}
		raw := s.Messages()[i].Data
		checkWireFormat(t, raw)
		rawSubject := rawHeader(t, raw, "Subject")
		for _, w := range strings.Fields(rawSubject) {
			if !strings.HasPrefix(w, "=?utf-8?b?") || !strings.HasSuffix(w, "?=") || len(w) > 75 {
				t.Fatalf("%s subject %q: %q is not an encoded word", lang, rawSubject, w)
			}
		}
		h, body := decodeBody(t, raw)
		subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
		if err != nil || subject != catalogue[lang]["notify.digest.subject"] {
			t.Fatalf("%s subject decodes to %q (%v)", lang, subject, err)
		}
		if h.Get("Content-Language") != lang {
			t.Fatalf("Content-Language %q", h.Get("Content-Language"))
		}
		for _, want := range []string{catalogue[lang]["notify.digest.intro"], catalogue[lang]["notify.digest.footer"], "https://amparo.example.org/inbox"} {
			if !strings.Contains(body, want) {
				t.Fatalf("%s body lacks %q:\n%s", lang, want, body)
			}
		}
	}
	_, zh := decodeBody(t, s.Messages()[1].Data)
	if !strings.Contains(zh, "移民拘留中的儿童：2\r\n") || !strings.Contains(zh, "即将到期的任务：4\r\n") {
		t.Fatalf("zh body:\n%s", zh)
	}
}

// A digest cannot carry personal data: its type has no field for it, its
// one string is checked against the interface languages, and a Kind cannot
// be made outside this package.
func TestDigestCannotHoldPersonalData(t *testing.T) {
	t.Parallel()
	allowed := map[string]reflect.Type{
		"Lang":         reflect.TypeFor[string](),
		"Alerts":       reflect.TypeFor[map[Kind]int](),
		"TasksDue":     reflect.TypeFor[int](),
		"TasksOverdue": reflect.TypeFor[int](),
	}
	dt := reflect.TypeFor[Digest]()
	for i := range dt.NumField() {
		f := dt.Field(i)
		if allowed[f.Name] != f.Type {
			t.Errorf("Digest.%s (%v) is not a count: a digest may hold counts only", f.Name, f.Type)
		}
	}
	kt := reflect.TypeFor[Kind]()
	for i := range kt.NumField() {
		if kt.Field(i).IsExported() {
			t.Errorf("Kind.%s is exported: other packages could make a Kind from any text", kt.Field(i).Name)
		}
	}

	s := smtptest.Start(t, nil)
	m := newMailer(t, testConfig(s), nil)
	ctx := context.Background()
	for _, c := range []struct {
		name string
		to   string
		d    Digest
		want error
	}{
		{"text in the language", "user@example.org", Digest{Lang: sentinel, TasksDue: 1}, nil},
		{"unknown language", "user@example.org", Digest{Lang: "de", TasksDue: 1}, nil},
		{"zero kind", "user@example.org", Digest{Alerts: map[Kind]int{{}: 1}}, nil},
		{"negative count", "user@example.org", Digest{Alerts: map[Kind]int{KindOther: -1}, TasksDue: 3}, nil},
		{"negative tasks", "user@example.org", Digest{TasksDue: -1, TasksOverdue: 2}, nil},
		{"nothing to tell", "user@example.org", Digest{Alerts: map[Kind]int{KindOther: 0}}, ErrEmpty},
		{"name beside the address", sentinel + " <user@example.org>", Digest{TasksDue: 1}, ErrBadAddress},
		{"quoted name", `"` + sentinel + `" <user@example.org>`, Digest{TasksDue: 1}, ErrBadAddress},
		{"comment", "user@example.org (" + sentinel + ")", Digest{TasksDue: 1}, ErrBadAddress},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := m.SendDigest(ctx, c.to, c.d)
			if err == nil || (c.want != nil && !errors.Is(err, c.want)) {
				t.Fatalf("SendDigest = %v, want %v", err, c.want)
			}
			if strings.Contains(err.Error(), sentinel) {
				t.Fatalf("the error repeats the input: %v", err)
			}
		})
	}
	if n := len(s.Log()); n != 0 {
		t.Fatalf("the mailer connected for a refused digest: %q", s.Log())
	}

	// Everything a caller can pass, sentinel-free by construction; the raw
	// bytes on the wire are checked too.
	d := Digest{Lang: "en", TasksOverdue: 1, Alerts: map[Kind]int{}}
	for _, k := range Kinds() {
		d.Alerts[k] = 1
	}
	if err := m.SendDigest(ctx, "user@example.org", d); err != nil {
		t.Fatal(err)
	}
	raw := oneMessage(t, s).Data
	if bytes.Contains(raw, []byte("SNTL")) {
		t.Fatalf("sentinel in the message:\n%s", raw)
	}
}

func TestKindFor(t *testing.T) {
	t.Parallel()
	for _, k := range Kinds() {
		if KindFor(k.Code()) != k {
			t.Errorf("KindFor(%q) = %v", k.Code(), KindFor(k.Code()))
		}
	}
	if KindFor(sentinel) != KindOther || KindFor("") != KindOther {
		t.Error("an unknown code is not KindOther")
	}
	keys := Keys()
	if len(keys) != 7+len(Kinds()) || keys[len(keys)-1] != "notify.kind.other" {
		t.Errorf("Keys() = %q", keys)
	}
	for _, k := range keys {
		if _, ok := catalogue["en"][k]; !ok {
			t.Errorf("the tests' English catalogue lacks %s", k)
		}
	}
}

func TestRecipientRefused(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t, func(s *smtptest.Server) { s.RefuseRcpt = true })
	m := newMailer(t, testConfig(s), nil)
	err := m.SendDigest(context.Background(), "gone@example.org", Digest{TasksDue: 1})
	var se *SendError
	if !errors.As(err, &se) || se.Step != "rcpt" || se.Code != 550 || se.Temporary() {
		t.Fatalf("SendDigest = %#v", err)
	}
	if strings.Contains(err.Error(), "gone@example.org") {
		t.Fatalf("the error repeats the server's text with the address: %v", err)
	}
	if len(s.Messages()) != 0 {
		t.Fatal("a message was delivered")
	}
}

func TestAuthFailureDoesNotShowThePassword(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t, func(s *smtptest.Server) { s.User, s.Pass = "amparo", "right" })
	cfg := testConfig(s)
	cfg.Username, cfg.Password = "amparo", "wrong-password-1234"
	err := newMailer(t, cfg, nil).SendDigest(context.Background(), "user@example.org", Digest{TasksDue: 1})
	var se *SendError
	if !errors.As(err, &se) || se.Step != "auth" || se.Code != 535 {
		t.Fatalf("SendDigest = %v", err)
	}
	if strings.Contains(err.Error(), "wrong-password") {
		t.Fatalf("password in the error: %v", err)
	}
}

func TestSilentServerTimesOut(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t, func(s *smtptest.Server) { s.Silent = true })
	cfg := testConfig(s)
	cfg.SendTimeout = 50 * time.Millisecond
	m := newMailer(t, cfg, nil)
	start := time.Now()
	err := m.SendDigest(context.Background(), "user@example.org", Digest{TasksDue: 1})
	if took := time.Since(start); took > time.Second {
		t.Fatalf("gave up after %v", took)
	}
	var se *SendError
	if !errors.As(err, &se) || se.Step != "greeting" || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("SendDigest = %v", err)
	}
}

func TestCancelledContextStopsTheSend(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t, func(s *smtptest.Server) { s.Silent = true })
	m := newMailer(t, testConfig(s), nil) // two seconds of send timeout
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(10 * time.Millisecond)
		cancel()
	}()
	start := time.Now()
	err := m.SendDigest(ctx, "user@example.org", Digest{TasksDue: 1})
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Fatalf("SendDigest = %v after %v", err, time.Since(start))
	}
}

func TestUnreachableServer(t *testing.T) {
	t.Parallel()
	// A port nothing listens on: taken and released.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	_ = ln.Close()
	cfg := Config{Host: "127.0.0.1", Port: port, From: "noreply@example.org", StartTLS: TLSNone,
		BaseURL: "https://amparo.example.org", DialTimeout: 50 * time.Millisecond, SendTimeout: 100 * time.Millisecond}
	start := time.Now()
	err = newMailer(t, cfg, nil).SendDigest(context.Background(), "user@example.org", Digest{TasksDue: 1})
	var se *SendError
	if !errors.As(err, &se) || se.Step != "dial" || time.Since(start) > time.Second {
		t.Fatalf("SendDigest = %v after %v", err, time.Since(start))
	}
}

func TestStartTLS(t *testing.T) {
	t.Parallel()
	cert, pool := smtptest.SelfSigned(t)
	ctx := context.Background()
	d := Digest{TasksDue: 1}

	t.Run("required and offered", func(t *testing.T) {
		t.Parallel()
		s := smtptest.Start(t, func(s *smtptest.Server) { s.Cert, s.User, s.Pass = cert, "amparo", "pw" })
		cfg := testConfig(s)
		cfg.StartTLS, cfg.TLSConfig, cfg.Username, cfg.Password = TLSRequired, &tls.Config{RootCAs: pool}, "amparo", "pw"
		if err := newMailer(t, cfg, nil).SendDigest(ctx, "user@example.org", d); err != nil {
			t.Fatal(err)
		}
		if got := oneMessage(t, s); !got.TLS || got.Authed != "amparo" {
			t.Fatalf("tls=%v auth=%q", got.TLS, got.Authed)
		}
	})
	t.Run("required and not offered", func(t *testing.T) {
		t.Parallel()
		s := smtptest.Start(t, func(s *smtptest.Server) { s.User, s.Pass = "amparo", "pw" })
		cfg := testConfig(s)
		cfg.StartTLS, cfg.Username, cfg.Password = TLSRequired, "amparo", "pw"
		err := newMailer(t, cfg, nil).SendDigest(ctx, "user@example.org", d)
		if !errors.Is(err, ErrNoStartTLS) {
			t.Fatalf("SendDigest = %v", err)
		}
		for _, c := range s.Log() {
			if strings.HasPrefix(c, "AUTH") || strings.HasPrefix(c, "MAIL") {
				t.Fatalf("sent %q without TLS", c)
			}
		}
	})
	t.Run("required with an untrusted certificate", func(t *testing.T) {
		t.Parallel()
		s := smtptest.Start(t, func(s *smtptest.Server) { s.Cert = cert })
		cfg := testConfig(s)
		cfg.StartTLS = TLSRequired // system roots: the test certificate is not trusted
		err := newMailer(t, cfg, nil).SendDigest(ctx, "user@example.org", d)
		var se *SendError
		if !errors.As(err, &se) || se.Step != "starttls" || len(s.Messages()) != 0 {
			t.Fatalf("SendDigest = %v", err)
		}
	})
	t.Run("opportunistic and not offered", func(t *testing.T) {
		t.Parallel()
		s := smtptest.Start(t, nil)
		cfg := testConfig(s)
		cfg.StartTLS = TLSOpportunistic
		if err := newMailer(t, cfg, nil).SendDigest(ctx, "user@example.org", d); err != nil {
			t.Fatal(err)
		}
		if oneMessage(t, s).TLS {
			t.Fatal("tls without an offer")
		}
	})
	t.Run("opportunistic and offered", func(t *testing.T) {
		t.Parallel()
		s := smtptest.Start(t, func(s *smtptest.Server) { s.Cert = cert })
		cfg := testConfig(s)
		cfg.StartTLS, cfg.TLSConfig = TLSOpportunistic, &tls.Config{RootCAs: pool}
		if err := newMailer(t, cfg, nil).SendDigest(ctx, "user@example.org", d); err != nil {
			t.Fatal(err)
		}
		if !oneMessage(t, s).TLS {
			t.Fatal("STARTTLS offered but not used")
		}
	})
	t.Run("none ignores the offer", func(t *testing.T) {
		t.Parallel()
		s := smtptest.Start(t, func(s *smtptest.Server) { s.Cert = cert })
		if err := newMailer(t, testConfig(s), nil).SendDigest(ctx, "user@example.org", d); err != nil {
			t.Fatal(err)
		}
		if oneMessage(t, s).TLS {
			t.Fatal("tls in mode none")
		}
	})
}

func TestHeaderInjectionRefused(t *testing.T) {
	t.Parallel()
	s := smtptest.Start(t, nil)
	m := newMailer(t, testConfig(s), nil)
	for _, to := range []string{
		"user@example.org\r\nBcc: other@example.org",
		"user@example.org\nBcc: other@example.org",
		"user@example.org\r",
		"user@example.org\x00",
		"user@example.org, other@example.org",
		"<user@example.org>",
		"usér@example.org",
		"",
		"not an address",
	} {
		if err := m.SendDigest(context.Background(), to, Digest{TasksDue: 1}); !errors.Is(err, ErrBadAddress) {
			t.Errorf("SendDigest(%q) = %v, want ErrBadAddress", to, err)
		}
	}
	cfg := testConfig(s)
	cfg.From = "noreply@example.org\r\nBcc: other@example.org"
	if _, err := New(cfg, (&recorder{}).texts, nil); err == nil {
		t.Error("New accepted a From with a line break")
	}
	if len(s.Log()) != 0 {
		t.Fatalf("the mailer connected: %q", s.Log())
	}
	// Texts from the catalogue cannot break the subject line either.
	subject, body := Digest{TasksDue: 1}.text(func(key string, _ ...any) string {
		return "a\r\nBcc: other@example.org"
	}, "https://x.example/inbox")
	raw := message(&mail.Address{Address: "noreply@example.org"}, "user@example.org", "en", subject, body, testNow)
	h, _ := decodeBody(t, raw)
	if len(h["Bcc"]) != 0 || strings.Contains(string(raw), "\r\nBcc:") {
		t.Fatalf("a text injected a header:\n%s", raw)
	}
}

// rawHeader returns the value of header name as it is on the wire, folding
// included.
func rawHeader(t *testing.T, raw []byte, name string) string {
	t.Helper()
	hdr := string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))+2])
	i := strings.Index(hdr, "\r\n"+name+":")
	if i < 0 {
		t.Fatalf("no %s header", name)
	}
	rest := hdr[i+2+len(name)+1:]
	for j := 0; j+2 < len(rest); j++ {
		if rest[j:j+2] == "\r\n" && rest[j+2] != ' ' && rest[j+2] != '\t' {
			return rest[:j]
		}
	}
	return rest
}

func TestFold(t *testing.T) {
	t.Parallel()
	long := "Subject: " + mime.BEncoding.Encode("utf-8", strings.Repeat("أمبارو ", 30))
	folded := fold(long)
	for _, l := range strings.Split(folded, "\r\n") {
		if len(l) > 76 {
			t.Fatalf("line of %d: %q", len(l), l)
		}
	}
	if strings.ReplaceAll(folded, "\r\n", "") != long {
		t.Fatal("folding changed the header")
	}
	if fold("Short: x") != "Short: x" {
		t.Fatal("a short line was folded")
	}
}
