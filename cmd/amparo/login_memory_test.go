// SPDX-License-Identifier: AGPL-3.0-or-later

package main

import (
	"bufio"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Fifty people signing in at once must not exhaust memory: each argon2id
// hash takes 64 MiB and at most four run at a time, so the server's peak
// resident memory stays under 512 MiB (SECURITY-BAR 4). Measured on the
// real binary, whose peak (VmHWM) the kernel records.
func TestParallelSignInsBoundMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary; skipped with -short")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read the server's peak memory")
	}
	bin, data, amparo := buildAmparo(t)
	const pw = "a long and unusual passphrase"
	amparo(pw+"\n", "user", "add", "--email", "many@example.org", "--name", "Many", "--sysadmin", "--password-stdin")
	srv := startServer(t, bin, data)
	t.Cleanup(srv.kill)

	var wg sync.WaitGroup
	statuses := make(chan int, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := client.PostForm(srv.base+"/login", url.Values{"email": {"many@example.org"}, "password": {pw}})
			if err != nil {
				statuses <- 0
				return
			}
			res.Body.Close()
			statuses <- res.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusSeeOther {
			t.Fatalf("a parallel sign-in answered %d, want 303", s)
		}
	}
	peak := peakRSS(t, srv.pid)
	t.Logf("server peak RSS after 50 parallel sign-ins: %d MiB", peak>>20)
	if peak >= 512<<20 {
		t.Fatalf("peak RSS %d MiB, want < 512 MiB", peak>>20)
	}
}

// peakRSS reads VmHWM, the process's peak resident set, in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}
