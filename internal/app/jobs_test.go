// SPDX-License-Identifier: AGPL-3.0-or-later

package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/app"
	"github.com/amparo-project/amparo/internal/clock"
	"github.com/amparo-project/amparo/internal/config"
	"github.com/amparo-project/amparo/internal/notify"
	"github.com/amparo-project/amparo/internal/notify/smtptest"
	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil"
)

// withMail boots the application on the database at url with e-mail sent
// to an SMTP server started for the test.
func withMail(t *testing.T, url string) (*testutil.App, *smtptest.Server) {
	t.Helper()
	srv := smtptest.Start(t, nil)
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: storetest.Dir(t), DatabaseURL: url, LogLevel: "info", LogFormat: "json",
		SMTPTLS: string(notify.TLSNone), SMTP: notify.Config{Host: "127.0.0.1", Port: srv.Addr.Port,
			From: "Amparo <noreply@amparo.example.org>", BaseURL: "https://amparo.example.org"}}
	if err := cfg.Finish(); err != nil {
		t.Fatal(err)
	}
	fake := clock.NewFake(time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC))
	logs := &testutil.SyncBuffer{}
	a, err := app.Open(context.Background(), cfg, app.Options{Clock: fake, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return &testutil.App{App: a, T: t, Clock: fake, Logs: logs}, srv
}

func jobNames(a *app.App) []string {
	var out []string
	for _, st := range a.Scheduler.Status() {
		out = append(out, st.Name)
	}
	return out
}

// The scheduler's jobs run end to end: a child recorded in immigration
// detention is mailed about at once and in the daily digest, over SMTP, in
// the user's language, with counts and the link only; nothing about the
// child, the case or anyone else is in the message.
func TestDigestJobsSendOverSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		a, srv := withMail(t, url)
		if got := jobNames(a.App); !slices.Equal(got, []string{"alerts", "retention", "harvest", "digests"}) {
			t.Fatalf("jobs %v", got)
		}
		org := a.Org("Clinic")
		cw := a.NewUser(org.ID, access.RoleCaseworker, "")
		quiet := a.NewUser(org.ID, access.RoleCaseworker, "") // digests on, nothing waiting
		off := a.NewUser(org.ID, access.RoleSupervisor, "")   // sees the case, digests off
		now := a.Clock.Now()
		child, c := a.ProtectionCase(cw, now.Year()-9)
		a.DetainImmigration(cw, c, child.ID, now.Add(-time.Hour))
		for _, u := range []testutil.User{cw, quiet} {
			if _, err := a.Inbox.SetDigests(ctx, u.Principal, true, "es"); err != nil {
				t.Fatal(err)
			}
		}

		if n := a.Scheduler.RunDue(ctx, now); n != 4 {
			t.Fatalf("RunDue started %d jobs, want 4 (alerts, retention, harvest, digests)", n)
		}
		for _, st := range a.Scheduler.Status() {
			if !st.LastOK {
				t.Errorf("job %s failed; log:\n%s", st.Name, a.Logs.String())
			}
		}
		msgs := srv.Messages()
		if len(msgs) != 2 {
			t.Fatalf("%d messages, want the immediate and the daily digest to the caseworker; commands %q", len(msgs), srv.Log())
		}
		for _, m := range msgs {
			if len(m.Rcpts) != 1 || m.Rcpts[0] != cw.Email {
				t.Fatalf("sent to %v", m.Rcpts)
			}
			checkDigest(t, m.Data, cw, off, quiet, c.Number, c.ID, child.ID)
		}
		if errs := srv.LineErrors(); len(errs) != 0 {
			t.Errorf("protocol faults: %v", errs)
		}

		// The next run an hour later sends nothing new: the alert is known
		// and today's digest went.
		a.Clock.Advance(time.Hour)
		a.Scheduler.RunDue(ctx, a.Clock.Now())
		if n := len(srv.Messages()); n != 2 {
			t.Fatalf("%d messages after a second run, want still 2", n)
		}
	})
}

// checkDigest fails unless raw is a digest in Spanish holding counts and
// the inbox link, and nothing that names a person or a case.
func checkDigest(t *testing.T, raw []byte, to, other, quiet testutil.User, caseNumber string, ids ...string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatal(err)
	}
	text := string(body)
	for _, want := range []string{"Niño o niña en detención migratoria: 1", "https://amparo.example.org/inbox"} {
		if !strings.Contains(text, want) {
			t.Errorf("the message lacks %q:\n%s", want, text)
		}
	}
	if msg.Header.Get("Content-Language") != "es" {
		t.Errorf("Content-Language %q", msg.Header.Get("Content-Language"))
	}
	headers := strings.ReplaceAll(string(raw[:bytes.Index(raw, []byte("\r\n\r\n"))]), "To: "+to.Email, "")
	for _, never := range append([]string{"SNTL", to.Name, other.Email, other.Name, quiet.Email, caseNumber}, ids...) {
		if strings.Contains(strings.ToUpper(text), strings.ToUpper(never)) || strings.Contains(strings.ToUpper(headers), strings.ToUpper(never)) {
			t.Errorf("the message holds %q", never)
		}
	}
}

// Without a mail server there is no digests job (the harvest job runs, and
// finds no source to harvest); the scheduler starts and
// stops with the server's context.
func TestSchedulerWithoutMail(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		if got := jobNames(a.App); !slices.Equal(got, []string{"alerts", "retention", "harvest"}) {
			t.Fatalf("jobs %v", got)
		}
		ctx, cancel := context.WithCancel(context.Background())
		stop := a.StartScheduler(ctx)
		deadline := time.Now().Add(10 * time.Second)
		for a.Scheduler.Status()[0].Runs == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		for _, st := range a.Scheduler.Status() {
			if st.Runs != 1 || !st.LastOK || st.Running {
				t.Errorf("job %s: %+v", st.Name, st)
			}
		}
	})
}
