// SPDX-License-Identifier: AGPL-3.0-or-later

package browsertest

// The README's first command, tried in a real browser: this test builds the
// amparo binary, runs `amparo serve --demo`, and signs the demo
// administrator in with headless Chromium through chromedriver, all the way
// from the one-time password to an API token that works.
//
// It needs Debian's chromium and chromium-driver packages
// (apt-get install chromium chromium-driver). Without them it skips, so
// that `go test ./...` and scripts/test.sh ask for no browser on a
// developer's machine; AMPARO_REQUIRE_BROWSER=1 turns the skip into a
// failure, and .ci/run sets it after installing both, so that CI cannot
// pass by skipping. It runs once per database engine, like the rest of the
// suite. To run it alone:
//
//	go test -count=1 -v ./internal/browsertest/
//
// When it fails it keeps a screenshot and the page's HTML in a directory
// named in the test log.

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/amparo-project/amparo/internal/store/storetest"
	"github.com/amparo-project/amparo/internal/testutil/syncbuf"
	"github.com/amparo-project/amparo/internal/totp"
)

// requireEnv names the variable that makes a missing browser a failure.
const requireEnv = "AMPARO_REQUIRE_BROWSER"

// chromiumArgs are the only flags the browser gets.
var chromiumArgs = []string{
	"--headless",
	// Chromium's sandbox cannot start as root or in most containers, which
	// is how CI runs it.
	"--no-sandbox",
	"--disable-gpu",
	"--no-first-run",
	// Chromium's own traffic (updates, sync, field trials, QUIC probes) is
	// refused on a closed network such as CI's, and waiting for it stalls
	// the browser.
	"--disable-quic",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
}

// waitFor bounds every wait for a page or an element. Pages here are
// served from the same machine in milliseconds; the bound only turns a
// hang into a failure that says where it happened.
const waitFor = 10 * time.Second

func TestSignInFlowInChromium(t *testing.T) {
	d, chromium := startChromium(t)
	bin := buildAmparo(t)
	storetest.Each(t, func(t *testing.T, dbURL string) {
		start := time.Now()
		srv := startServer(t, bin, dbURL)
		b := newBrowser(t, d, chromium)
		signInFlow(t, srv, b)
		t.Logf("sign-in flow took %s", time.Since(start).Round(time.Millisecond))
	})
}

// signInFlow is what a person trying the demo does, checked step by step.
func signInFlow(t *testing.T, srv server, b *browser) {
	const email = "admin@demo.amparo.test"
	const newPassword = "amber lantern over a quiet harbour"

	// The address `serve` printed, exactly as a person would paste it.
	b.open(srv.loginURL)
	b.waitPath("/login")
	b.fill("input[name=email]", email)
	b.fill("input[name=password]", srv.adminPassword)
	b.click(ByCSS, "[data-testid=login-submit]")

	// The administrator's role needs a second factor before anything else.
	b.waitPath("/account/totp/enrol")
	b.click(ByCSS, "[data-testid=totp-setup]")
	// The key is shown in groups of four for typing by hand; the first
	// p.secret is the key, the second (folded away) its otpauth:// address.
	secret := strings.ReplaceAll(b.text(ByCSS, "[data-testid=totp-secret]"), " ", "")
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(secret) {
		t.Fatalf("the key shown is not 160 bits of base32: %d characters", len(secret))
	}
	code, err := totp.Code(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	b.fill("input[name=code]", code)
	b.click(ByCSS, "[data-testid=totp-confirm]")

	// The recovery codes, shown once.
	b.waitPath("/account/totp/confirm")
	codes := b.findAll(ByCSS, "[data-testid=recovery-codes] li code")
	seen := map[string]bool{}
	for _, c := range codes {
		text, err := c.Text()
		if err != nil {
			t.Fatal(err)
		}
		seen[text] = true
	}
	if len(codes) != 10 || len(seen) != 10 || seen[""] {
		t.Fatalf("%d recovery codes shown, %d distinct and non-empty; want 10", len(codes), len(seen))
	}
	b.click(ByCSS, "[data-testid=recovery-continue]")

	// The one-time password must be replaced before anything else.
	b.waitPath("/account/password")
	if !strings.Contains(b.text(ByCSS, "main"), "Choose your own before you continue") {
		t.Error("the password page does not say that the password must be changed")
	}
	b.fill("input[name=current_password]", srv.adminPassword)
	b.fill("input[name=new_password]", newPassword)
	b.fill("input[name=confirm]", newPassword)
	b.click(ByCSS, "[data-testid=password-submit]")

	// Signed in. The session cookie is __Host- and Secure, and a browser
	// keeps such a cookie over plain http only on localhost: this is the
	// check that the address `serve` prints works.
	b.waitPath("/")
	home := b.text(ByCSS, "main")
	for _, want := range []string{"Demo Administrator", email} {
		if !strings.Contains(home, want) {
			t.Errorf("the home page does not show %q", want)
		}
	}
	b.checkSessionCookie()

	// An API token, issued in the browser and used from a program.
	b.click(ByCSS, "[data-testid=nav-tokens]")
	b.waitPath("/account/tokens")
	b.fill("input[name=name]", "browser test")
	// GET /api/v1/me, the README's first example, needs user.read like any
	// other read of a user; organisation.read is for the organisations.
	b.fill("input[name=scopes]", "organisation.read user.read")
	b.click(ByCSS, "[data-testid=token-issue]")
	token := b.property(ByCSS, "[data-testid=token-secret]", "value")
	if !strings.HasPrefix(token, "amp_") {
		t.Fatalf("the token shown does not start with amp_ (%d characters)", len(token))
	}
	checkAPI(t, srv.base, token, email)

	commitmentsFlow(t, srv, b)

	// Signing out ends the session: the home page sends the browser back to
	// the sign-in page.
	b.click(ByCSS, "[data-testid=nav-signout]")
	b.waitPath("/login")
	b.open(srv.base + "/")
	b.waitPath("/login")

	b.checkConsole()
}

// checkAPI uses token from a program, as the README's curl examples do:
// GET /api/v1/me must answer for the account the browser set up, and GET
// /api/v1/organisations must list the demo organisation.
func checkAPI(t *testing.T, base, token, email string) {
	t.Helper()
	var me struct {
		User struct {
			Email              string `json:"email"`
			Name               string `json:"name"`
			MustChangePassword bool   `json:"must_change_password"`
			TOTPEnabled        bool   `json:"totp_enabled"`
		} `json:"user"`
		Permissions []string `json:"permissions"`
	}
	apiGet(t, base+"/api/v1/me", token, &me)
	u := me.User
	if u.Email != email || u.Name != "Demo Administrator" || u.MustChangePassword || !u.TOTPEnabled {
		t.Errorf("GET /api/v1/me = %+v; want the demo administrator with two-factor on and the password changed", u)
	}
	if got := strings.Join(me.Permissions, " "); got != "organisation.read user.read" {
		t.Errorf("GET /api/v1/me: the token's permissions are %q, want the two it was issued with", got)
	}
	var orgs struct {
		Items []struct {
			Name string `json:"name"`
		} `json:"items"`
	}
	apiGet(t, base+"/api/v1/organisations", token, &orgs)
	if len(orgs.Items) != 1 || orgs.Items[0].Name != "Amparo demo organisation" {
		t.Errorf("GET /api/v1/organisations = %+v; want the demo organisation", orgs.Items)
	}
}

// apiGet sends GET u with a bearer token and decodes the JSON answer into
// out, failing the test unless it is 200.
func apiGet(t *testing.T, u, token string, out any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := (&http.Client{Timeout: waitFor}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s with the new token: %s\n%s", u, res.Status, body)
	}
	if err := json.Unmarshal(body, out); err != nil {
		t.Fatalf("GET %s: %v\n%s", u, err, body)
	}
}

// startChromium finds Chromium and chromedriver (skipping the test as
// findBrowser does), starts the driver for the whole test, one for all its
// engines, and stops it when the test ends, showing what it printed if the
// test failed. It returns the driver and Chromium's path, for newBrowser.
func startChromium(t *testing.T) (d *Driver, chromium string) {
	t.Helper()
	chromium, chromedriver := findBrowser(t)
	d, err := StartDriver(chromedriver, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		d.Close()
		if t.Failed() {
			t.Logf("chromedriver output:\n%s", d.Output())
		}
	})
	return d, chromium
}

// findBrowser returns the paths of Chromium and chromedriver, or skips the
// test when either is missing (fails, with AMPARO_REQUIRE_BROWSER=1).
func findBrowser(t *testing.T) (chromium, chromedriver string) {
	t.Helper()
	required := os.Getenv(requireEnv) == "1"
	chromium, chromedriver = lookPath("chromium", "chromium-browser"), lookPath("chromedriver")
	var missing []string
	if chromium == "" {
		missing = append(missing, "chromium")
	}
	if chromedriver == "" {
		missing = append(missing, "chromedriver")
	}
	switch {
	case len(missing) > 0 && required:
		t.Fatalf("%s=1 but %s not found on PATH (apt-get install chromium chromium-driver)",
			requireEnv, strings.Join(missing, " and "))
	case len(missing) > 0:
		t.Skipf("%s not found on PATH; install Debian's chromium and chromium-driver to run this test (%s=1 makes this a failure)",
			strings.Join(missing, " and "), requireEnv)
	case testing.Short() && !required:
		t.Skip("builds the binary and starts a browser; skipped with -short")
	}
	return chromium, chromedriver
}

func lookPath(names ...string) string {
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// buildAmparo builds the real binary, the one the README's `go run` runs.
func buildAmparo(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "amparo")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/amparo-project/amparo/cmd/amparo").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is a running `amparo serve --demo`.
type server struct {
	loginURL      string // as printed by serve
	base          string // loginURL without /login
	adminPassword string // the demo administrator's one-time password
}

var (
	runningRe = regexp.MustCompile(`Amparo is running on (\S+)`)
	adminRe   = regexp.MustCompile(`(?m)^\s*admin@demo\.amparo\.test\s+\S+\s+one-time password: (\S+)\s*$`)
)

// startServer runs `amparo serve --demo` on a port of 127.0.0.1 the system
// picks, and reads the sign-in address and the administrator's one-time
// password from what it prints, as a person would.
func startServer(t *testing.T, bin, dbURL string) server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "127.0.0.1:0",
		"--data-dir", t.TempDir(), "--database-url", dbURL, "--log-level", "warn")
	// A developer's own AMPARO_* settings (a database URL, a key
	// passphrase) must not reach the demo server, which writes demo
	// accounts wherever it is pointed.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AMPARO_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var out syncbuf.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		// Interrupt is Ctrl-C, which serve handles by shutting down
		// gracefully.
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Error("amparo serve did not stop within 20 s of an interrupt")
		}
		if t.Failed() {
			t.Logf("amparo serve output:\n%s", out.String())
		}
	})

	deadline := time.After(30 * time.Second)
	for {
		text := out.String()
		running, admin := runningRe.FindStringSubmatch(text), adminRe.FindStringSubmatch(text)
		if running != nil && admin != nil {
			u, err := url.Parse(running[1])
			if err != nil || u.Scheme != "http" || u.Hostname() != "localhost" || u.Path != "/login" {
				// Anything but localhost would lose the __Host- cookie
				// over http, and sign-in would go round in circles.
				t.Fatalf("serve printed %q; want http://localhost:PORT/login", running[1])
			}
			return server{loginURL: u.String(), base: strings.TrimSuffix(u.String(), "/login"), adminPassword: admin[1]}
		}
		select {
		case err := <-exited:
			t.Fatalf("amparo serve exited (%v) before printing its address and the demo accounts:\n%s", err, text)
		case <-deadline:
			t.Fatalf("amparo serve printed no address and demo accounts within 30 s:\n%s", text)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// browser is a WebDriver session bound to a test: every helper fails the
// test with what went wrong and where.
type browser struct {
	t *testing.T
	s *Session
}

// newBrowser starts Chromium with a fresh profile. When the test fails,
// a screenshot and the page's HTML are kept in a directory that outlives
// the test (t.TempDir would be removed with it) and named in the log.
func newBrowser(t *testing.T, d *Driver, chromium string) *browser {
	t.Helper()
	args := append(append([]string{}, chromiumArgs...), "--user-data-dir="+t.TempDir())
	s, err := d.NewSession(chromium, args)
	if err != nil {
		t.Fatalf("%v\nchromedriver output:\n%s", err, d.Output())
	}
	t.Cleanup(func() {
		if err := s.Delete(); err != nil {
			t.Errorf("ending the browser session: %v", err)
		}
	})
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		if u, err := s.CurrentURL(); err == nil {
			t.Logf("the browser was at %s", u)
		}
		dir, err := os.MkdirTemp("", "amparo-browsertest-")
		if err != nil {
			t.Logf("keeping the failure's screenshot: %v", err)
			return
		}
		if png, err := s.Screenshot(); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "screenshot.png"), png, 0o600)
		}
		if src, err := s.Source(); err == nil {
			_ = os.WriteFile(filepath.Join(dir, "page.html"), []byte(src), 0o600)
		}
		t.Logf("screenshot and page HTML kept in %s", dir)
	})
	return &browser{t: t, s: s}
}

func (b *browser) open(u string) {
	b.t.Helper()
	if err := b.s.Navigate(u); err != nil {
		b.t.Fatalf("open %s: %v", u, err)
	}
}

// waitPath waits until the browser shows the page at path, which after a
// form's POST may be the form's action rather than a redirect's target.
func (b *browser) waitPath(path string) {
	b.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		cur, err := b.s.CurrentURL()
		if err != nil {
			b.t.Fatalf("waiting for %s: %v", path, err)
		}
		u, err := url.Parse(cur)
		if err == nil && u.Path == path {
			return
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("waited %s for %s; the browser is at %s, showing %q", waitFor, path, cur, b.heading())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// heading is the page's first h1, to say where a browser went astray.
func (b *browser) heading() string {
	els, err := b.s.FindAll(ByCSS, "h1")
	if err != nil || len(els) == 0 {
		return ""
	}
	text, _ := els[0].Text()
	return text
}

// find returns the first element matching value, waiting for it to appear:
// after a click the next page may still be loading.
func (b *browser) find(by, value string) Element {
	b.t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		el, err := b.s.Find(by, value)
		if err == nil {
			return el
		}
		var we *Error
		if !errors.As(err, &we) || we.Code != "no such element" || time.Now().After(deadline) {
			b.t.Fatalf("%v (page %q)", err, b.heading())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func (b *browser) findAll(by, value string) []Element {
	b.t.Helper()
	b.find(by, value) // waits for the first
	els, err := b.s.FindAll(by, value)
	if err != nil {
		b.t.Fatal(err)
	}
	return els
}

func (b *browser) fill(css, text string) {
	b.t.Helper()
	el := b.find(ByCSS, css)
	if err := el.Clear(); err != nil {
		b.t.Fatalf("clear %s: %v", css, err)
	}
	if err := el.SendKeys(text); err != nil {
		b.t.Fatalf("type into %s: %v", css, err)
	}
}

func (b *browser) click(by, value string) {
	b.t.Helper()
	if err := b.find(by, value).Click(); err != nil {
		b.t.Fatalf("click %s: %v", value, err)
	}
}

func (b *browser) text(by, value string) string {
	b.t.Helper()
	text, err := b.find(by, value).Text()
	if err != nil {
		b.t.Fatalf("text of %s: %v", value, err)
	}
	return text
}

func (b *browser) property(by, value, name string) string {
	b.t.Helper()
	v, err := b.find(by, value).Property(name)
	if err != nil {
		b.t.Fatalf("%s of %s: %v", name, value, err)
	}
	return v
}

// checkSessionCookie checks that the browser holds exactly one cookie, the
// session, kept as the server asked: a __Host- name (so Secure, path /, no
// domain), out of reach of scripts and never sent from other sites.
func (b *browser) checkSessionCookie() {
	b.t.Helper()
	cookies, err := b.s.Cookies()
	if err != nil {
		b.t.Fatal(err)
	}
	if len(cookies) != 1 {
		b.t.Fatalf("the browser holds %d cookies, want 1: %+v", len(cookies), cookies)
	}
	c := cookies[0]
	if !strings.HasPrefix(c.Name, "__Host-") || !c.Secure || !c.HTTPOnly || c.SameSite != "Strict" || c.Path != "/" {
		b.t.Errorf("session cookie kept as %+v; want __Host-, Secure, HttpOnly, SameSite=Strict, path /", c)
	}
}

// checkConsole fails the test for every error the pages logged to the
// console, such as a script or style the Content-Security-Policy blocked or
// a resource that failed to load.
func (b *browser) checkConsole(expected ...string) {
	b.t.Helper()
	entries, err := b.s.BrowserLog()
	if err != nil {
		b.t.Fatalf("reading the browser console: %v", err)
	}
	for _, e := range entries {
		// Browsers ask for /favicon.ico on their own, and Amparo has none:
		// that 404 comes from no page, so it is left out.
		if strings.Contains(e.Message, "/favicon.ico ") || expectedEntry(e.Message, expected) {
			continue
		}
		if e.Level == "SEVERE" {
			b.t.Errorf("console error (%s): %s", e.Source, e.Message)
		}
	}
}

// expectedEntry reports whether a console message holds one of the
// expected texts: the status of a form the test submitted wrong on
// purpose, which the browser logs like any failed load.
func expectedEntry(msg string, expected []string) bool {
	for _, e := range expected {
		if strings.Contains(msg, e) {
			return true
		}
	}
	return false
}
