// SPDX-License-Identifier: AGPL-3.0-or-later

package app_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"filippo.io/age"

	"github.com/amparo-project/amparo/internal/access"
	"github.com/amparo-project/amparo/internal/backup"
	"github.com/amparo-project/amparo/internal/testutil"
)

// Sentinels seeded into every sensitive field must appear nowhere in clear:
// not in the database, its WAL or temporary files, the backups, nor the log
// (SECURITY-BAR 9 and 15).
func TestSentinelsNeverAppearInClear(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		ctx := context.Background()
		org := a.Org("Sentinel org")
		admin := a.NewUser(org.ID, access.RoleOrgAdmin, "")
		viewer := a.NewUser(org.ID, access.RoleViewer, "")
		client := a.Client()
		for _, path := range []string{"/api/v1/users", "/api/v1/users/" + viewer.ID, "/api/v1/me", "/api/v1/audit"} {
			if res := a.Do(client, "GET", path, admin.Token, nil); res.Status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, res.Status, res.Body)
			}
		}
		newName := testutil.Sentinel("name")
		if res := a.Do(client, "PATCH", "/api/v1/users/"+viewer.ID, admin.Token, map[string]string{"name": newName}); res.Status != http.StatusOK {
			t.Fatalf("PATCH user: %d %s", res.Status, res.Body)
		}
		// A failed sign-in with a sentinel e-mail must not reach the log.
		form := url.Values{"email": {testutil.Sentinel("login") + "@example.org"}, "password": {testutil.Sentinel("password")}}
		req, _ := http.NewRequest("POST", a.Server.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if res, err := client.Do(req); err == nil {
			res.Body.Close()
		}

		dir := a.Config.DataDir
		id, err := age.GenerateX25519Identity()
		if err != nil {
			t.Fatal(err)
		}
		opt := backup.Options{Out: filepath.Join(dir, "sentinel.age"), Recipients: []age.Recipient{id.Recipient()}}
		if a.DB.Engine() == "postgres" {
			opt.PostgresURL = os.Getenv("AMPARO_TEST_POSTGRES_URL")
			opt.Out = filepath.Join(dir, "sentinel-pg.age")
			if backup.PgToolDir() == "" {
				opt.Out = ""
			}
		}
		if opt.Out != "" {
			if _, err := backup.Backup(ctx, a.DB, opt); err != nil {
				t.Fatalf("backup: %v", err)
			}
		}
		err = filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if bytes.Contains(b, []byte("SNTL")) {
				t.Errorf("%s holds a sentinel in clear", strings.TrimPrefix(path, dir))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(a.Logs.String(), "SNTL") {
			t.Errorf("the log holds a sentinel:\n%s", a.Logs.String())
		}
		if a.DB.Engine() == "postgres" {
			var n int
			if err := a.DB.Scan(a.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE fields LIKE '%SNTL%' OR object_id LIKE '%SNTL%'`), &n); err != nil || n != 0 {
				t.Errorf("audit rows holding sentinels: %d, %v", n, err)
			}
		}
		if _, brk, err := a.Audit.Verify(ctx); err != nil || brk != nil {
			t.Errorf("audit chain: %v %v", brk, err)
		}
	})
}

// Brute force through the sign-in page: after 10 failures for an account,
// at least 95 % of further attempts are refused with 429 (SECURITY-BAR 6),
// whether or not the account exists.
func TestSignInBruteForceIsThrottled(t *testing.T) {
	testutil.Each(t, func(t *testing.T, a *testutil.App) {
		org := a.Org("Org")
		u := a.NewUser(org.ID, access.RoleViewer, "")
		for _, email := range []string{u.Email, "nobody@example.org"} {
			var limited, other atomic.Int64
			jobs := make(chan int)
			var wg sync.WaitGroup
			for range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c := a.Client()
					for range jobs {
						form := url.Values{"email": {email}, "password": {"wrong password attempt"}}
						req, _ := http.NewRequest("POST", a.Server.URL+"/login", strings.NewReader(form.Encode()))
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
						res, err := c.Do(req)
						if err != nil {
							other.Add(1)
							continue
						}
						res.Body.Close()
						switch res.StatusCode {
						case http.StatusTooManyRequests:
							limited.Add(1)
						case http.StatusUnauthorized:
						default:
							other.Add(1)
						}
					}
				}()
			}
			for i := range 200 {
				jobs <- i
			}
			close(jobs)
			wg.Wait()
			if other.Load() != 0 {
				t.Fatalf("%d answers were neither 401 nor 429", other.Load())
			}
			if past := 200 - 10; float64(limited.Load()) < 0.95*float64(past) {
				t.Errorf("%s: %d of %d attempts past the threshold got 429, want ≥ 95 %%", map[bool]string{true: "known account", false: "unknown account"}[email == u.Email], limited.Load(), past)
			}
		}
	})
}
