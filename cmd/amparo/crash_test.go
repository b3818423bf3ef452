// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/testutil/syncbuf"
	_ "modernc.org/sqlite"
)

// TestCrashSafeWrites kills the real server with SIGKILL at random moments
// while clients create organisations through the API (SECURITY-BAR 18).
// After every kill the database must pass integrity_check, every write the
// server acknowledged must be there (no lost acks), and the audit chain must
// verify: a write and its audit entry commit together or not at all.
func TestCrashSafeWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary; skipped with -short")
	}
	bin, data, amparo := buildAmparo(t)
	amparo("", "user", "add", "--email", "ops@example.org", "--name", "Ops", "--sysadmin")
	token := strings.TrimSpace(amparo("", "user", "token", "--email", "ops@example.org", "--scopes", "organisation.*"))

	acked := map[string]bool{}
	kills := 100
	for round := range kills {
		srv := startServer(t, bin, data)
		ctx, stop := context.WithCancel(context.Background())
		var mu sync.Mutex
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					name := fmt.Sprintf("crash-%d-%d-%d", round, w, i)
					if createOrganisation(ctx, srv.base, token, name) {
						mu.Lock()
						acked[name] = true
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(50+rand.IntN(250)) * time.Millisecond)
		srv.kill()
		stop()
		wg.Wait()
		checkDatabase(t, filepath.Join(data, "amparo.db"), acked)
	}
	if out := amparo("", "audit", "verify"); !strings.Contains(out, "intact") {
		t.Fatalf("audit chain after %d kills: %s", kills, out)
	}
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged: the test exercised nothing")
	}
	t.Logf("%d kills, %d acknowledged writes, all present", kills, len(acked))
}

// buildAmparo builds the real binary (without the race detector, as it
// ships) and returns it, a data directory, and a function running one of
// its commands on that directory.
func buildAmparo(t *testing.T) (bin, data string, amparo func(stdin string, args ...string) string) {
	t.Helper()
	dir := t.TempDir()
	bin = filepath.Join(dir, "amparo")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data = filepath.Join(dir, "data")
	amparo = func(stdin string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(args, "--data-dir", data)...)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("amparo %v: %v\n%s%s", args, err, out.String(), errb.String())
		}
		return out.String()
	}
	return bin, data, amparo
}

// startServer starts the real server on a port the kernel picks and
// returns it: its base URL, read from the welcome line the server prints
// once it listens, its process id, and a kill that sends SIGKILL and reaps it.
// Choosing a free port beforehand and handing it over races with every
// other socket on a busy machine; port 0 cannot. If the server exits
// before it is ready, its standard error says why.
func startServer(t *testing.T, bin, data string) runningServer {
	t.Helper()
	srv := exec.Command(bin, "serve", "--data-dir", data, "--addr", "127.0.0.1:0", "--api-rate", "0", "--log-level", "error")
	welcome := &welcomeWatcher{ready: make(chan string, 1)}
	var stderr syncbuf.Buffer
	srv.Stdout, srv.Stderr = welcome, &stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = srv.Wait()
		close(exited)
	}()
	kill := func() {
		_ = srv.Process.Signal(syscall.SIGKILL)
		<-exited
	}
	select {
	case base := <-welcome.ready:
		waitHealthy(t, base)
		return runningServer{base: base, pid: srv.Process.Pid, kill: kill}
	case <-exited:
		t.Fatalf("server exited before listening: %s", stderr.String())
	case <-time.After(60 * time.Second):
		kill()
		t.Fatalf("server did not start listening within a minute: %s", stderr.String())
	}
	return runningServer{}
}

type runningServer struct {
	base string
	pid  int
	kill func()
}

// welcomeWatcher is the server's standard output: it reports the base URL
// from "Amparo is running on http://localhost:1234/login" once.
type welcomeWatcher struct {
	mu       sync.Mutex
	buf      []byte
	reported bool
	ready    chan string
}

var welcomeURL = regexp.MustCompile(`running on http://localhost(:\d+)/login`)

func (w *welcomeWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.reported {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	if m := welcomeURL.FindSubmatch(w.buf); m != nil {
		w.ready <- "http://127.0.0.1" + string(m[1])
		w.reported, w.buf = true, nil
	}
	return len(p), nil
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
	}
	t.Fatal("server did not become healthy")
}

// createOrganisation reports whether the server acknowledged the write.
func createOrganisation(ctx context.Context, base, token, name string) bool {
	body, _ := json.Marshal(map[string]string{"name": name})
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/organisations", bytes.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	defer res.Body.Close()
	return res.StatusCode == http.StatusCreated
}

func checkDatabase(t *testing.T, path string, acked map[string]bool) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check = %q, %v", ok, err)
	}
	rows, err := db.Query(`SELECT name FROM organisations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	present := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		present[name] = true
	}
	for name := range acked {
		if !present[name] {
			t.Fatalf("acknowledged write %q lost after a crash", name)
		}
	}
	var orgs, audited int
	if err := db.QueryRow(`SELECT COUNT(*) FROM organisations`).Scan(&orgs); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = 'organisation.create'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if orgs != audited {
		t.Fatalf("%d organisations but %d organisation.create audit entries: a half-committed write", orgs, audited)
	}
}
