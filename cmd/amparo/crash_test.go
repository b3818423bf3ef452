// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

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
		addr := freeAddr(t)
		srv := exec.Command(bin, "serve", "--data-dir", data, "--addr", addr, "--api-rate", "0", "--log-level", "error")
		srv.Stdout, srv.Stderr = nil, nil
		if err := srv.Start(); err != nil {
			t.Fatal(err)
		}
		waitHealthy(t, "http://"+addr)
		ctx, stop := context.WithCancel(context.Background())
		var mu sync.Mutex
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ctx.Err() == nil; i++ {
					name := fmt.Sprintf("crash-%d-%d-%d", round, w, i)
					if createOrganisation(ctx, "http://"+addr, token, name) {
						mu.Lock()
						acked[name] = true
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(50+rand.IntN(250)) * time.Millisecond)
		_ = srv.Process.Signal(syscall.SIGKILL)
		_ = srv.Wait()
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

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
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
